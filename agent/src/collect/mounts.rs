//! Which filesystems to report: parses `/proc/self/mountinfo` (or `/proc/self/mounts`), leaves
//! out pseudo filesystems, and keeps each device once (its first mount point). Also says which
//! filesystem types live on the network and so may hang.

/// A mounted filesystem worth reporting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mount {
    /// The mount source, e.g. `/dev/sda1` or `nas:/export`.
    pub(crate) device: String,
    pub(crate) mount: String,
    pub(crate) fs_type: String,
    /// What makes two mounts "the same device": `major:minor` from mountinfo, else the source.
    key: String,
}

/// Kernel and virtual filesystems: nothing a disk-space alert should see.
const PSEUDO: &[&str] = &[
    "proc",
    "sysfs",
    "devtmpfs",
    "devpts",
    "tmpfs",
    "cgroup",
    "cgroup2",
    "overlay",
    "squashfs",
    "securityfs",
    "pstore",
    "bpf",
    "tracefs",
    "debugfs",
    "configfs",
    "fusectl",
    "mqueue",
    "hugetlbfs",
    "autofs",
    "binfmt_misc",
    "nsfs",
    "ramfs",
    "efivarfs",
    "rpc_pipefs",
    "selinuxfs",
    "nfsd",
    "aufs",
    "fuse.lxcfs",
    "fuse.portal",
    "fuse.gvfsd-fuse",
    "fuse.snapfuse",
];

/// Filesystems served over the network: `statvfs` on a dead one blocks, so it is asked on a
/// helper thread with a timeout.
const NETWORK: &[&str] = &[
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "sshfs",
    "9p",
    "ceph",
    "glusterfs",
    "davfs",
    "afs",
    "lustre",
];

pub(crate) fn is_pseudo(fs_type: &str) -> bool {
    PSEUDO.contains(&fs_type)
}

/// Network filesystems, and every FUSE filesystem (its daemon may hang: sshfs, rclone, ...).
pub(crate) fn may_hang(fs_type: &str) -> bool {
    NETWORK.contains(&fs_type)
        || fs_type == "fuse"
        || fs_type.starts_with("fuse.")
        || fs_type == "fuseblk"
}

/// `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`.
pub(crate) fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let (left, right) = line.split_once(" - ")?;
            let left: Vec<&str> = left.split(' ').collect();
            let mut right = right.split(' ');
            let (fs_type, source) = (right.next()?, right.next()?);
            Some(Mount {
                device: unescape(source),
                mount: unescape(left.get(4)?),
                fs_type: unescape(fs_type),
                key: (*left.get(2)?).to_owned(),
            })
        })
        .collect()
}

/// `/dev/sda1 / ext4 rw,relatime 0 0` (the fallback when mountinfo cannot be read).
pub(crate) fn parse_mounts(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split(' ');
            let (source, mount, fs_type) = (f.next()?, f.next()?, f.next()?);
            Some(Mount {
                device: unescape(source),
                mount: unescape(mount),
                fs_type: unescape(fs_type),
                key: unescape(source),
            })
        })
        .collect()
}

/// Leaves out pseudo filesystems and mounts hidden under a later mount on the same point,
/// then keeps each device once, at its first mount point (bind mounts, btrfs subvolumes).
pub(crate) fn select(mounts: Vec<Mount>) -> Vec<Mount> {
    let visible: Vec<Mount> = mounts
        .iter()
        .enumerate()
        .filter(|(i, m)| !mounts[i + 1..].iter().any(|later| later.mount == m.mount))
        .map(|(_, m)| m.clone())
        .collect();
    let mut out: Vec<Mount> = Vec::new();
    for m in visible {
        if is_pseudo(&m.fs_type) || out.iter().any(|seen| seen.key == m.key) {
            continue;
        }
        out.push(m);
    }
    out
}

/// Undoes the kernel's octal escapes (`\040` for a space, `\134` for a backslash, ...).
fn unescape(field: &str) -> String {
    if !field.contains('\\') {
        return field.to_owned();
    }
    let b = field.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let octal = b
            .get(i + 1..i + 4)
            .filter(|d| d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match octal {
            Some(d) if b[i] == b'\\' => {
                let v = u32::from(d[0] - b'0') * 64
                    + u32::from(d[1] - b'0') * 8
                    + u32::from(d[2] - b'0');
                out.push(u8::try_from(v).unwrap_or(b'?'));
                i += 4;
            }
            _ => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Debian server: root, /boot, a bind mount of /srv, a btrfs data disk mounted twice,
    /// an NFS share with a space in its mount point, sshfs, Docker's overlay, and the usual
    /// kernel filesystems.
    const MOUNTINFO: &str = r"22 27 0:21 / /proc rw,relatime - proc proc rw
23 27 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
24 27 0:6 / /dev rw,relatime - devtmpfs udev rw,size=12334524k,nr_inodes=3083631,mode=755
25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684096k
26 24 0:24 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
27 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro
28 27 8:1 / /boot/efi rw,relatime shared:2 - vfat /dev/sda1 rw,fmask=0077
31 23 0:28 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate
32 22 0:35 / /proc/sys/fs/binfmt_misc rw,relatime shared:12 - autofs systemd-1 rw,fd=30
40 27 0:40 / /run rw,nosuid,nodev shared:5 - tmpfs tmpfs rw,size=2468412k,mode=755
41 27 8:17 / /data rw,relatime shared:20 - btrfs /dev/sdb1 rw,space_cache=v2,subvolid=5
42 27 8:17 /media /srv/media rw,relatime shared:21 - btrfs /dev/sdb1 rw,subvolid=256
43 27 8:2 /srv /export/srv rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro
44 27 0:50 / /mnt/nas\040share rw,relatime shared:30 - nfs4 nas.lan:/export/media rw,vers=4.2
45 27 0:51 / /mnt/remote rw,nosuid,nodev,relatime shared:31 - fuse.sshfs me@box:/home rw
46 40 0:52 / /var/lib/docker/overlay2/abc/merged rw,relatime - overlay overlay rw,lowerdir=/l
47 27 7:0 / /snap/core22/1380 ro,nodev,relatime shared:40 - squashfs /dev/loop0 ro
48 27 8:33 / /backup rw,relatime shared:50 - ext4 /dev/sdc1 rw
49 27 8:49 / /backup rw,relatime shared:51 - xfs /dev/sdd1 rw
";

    #[test]
    fn parses_mountinfo_and_filters() {
        let all = parse_mountinfo(MOUNTINFO);
        assert_eq!(all.len(), 19);
        let chosen = select(all);
        let got: Vec<(&str, &str, &str)> = chosen
            .iter()
            .map(|m| (m.mount.as_str(), m.fs_type.as_str(), m.device.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("/", "ext4", "/dev/sda2"),
                ("/boot/efi", "vfat", "/dev/sda1"),
                ("/data", "btrfs", "/dev/sdb1"),
                ("/mnt/nas share", "nfs4", "nas.lan:/export/media"),
                ("/mnt/remote", "fuse.sshfs", "me@box:/home"),
                ("/backup", "xfs", "/dev/sdd1"),
            ]
        );
    }

    #[test]
    fn parses_proc_mounts() {
        let text = "/dev/sda2 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n\
                    /dev/sda2 /home ext4 rw 0 0\n//nas/share /mnt/smb cifs rw 0 0\n";
        let got: Vec<String> = select(parse_mounts(text))
            .into_iter()
            .map(|m| m.mount)
            .collect();
        assert_eq!(got, ["/", "/mnt/smb"]);
    }

    #[test]
    fn network_and_escapes() {
        for t in [
            "nfs",
            "nfs4",
            "cifs",
            "smb3",
            "fuse.sshfs",
            "9p",
            "ceph",
            "fuse",
            "fuseblk",
        ] {
            assert!(may_hang(t), "{t}");
        }
        for t in ["ext4", "xfs", "btrfs", "zfs", "vfat"] {
            assert!(!may_hang(t), "{t}");
        }
        assert_eq!(unescape(r"/a\040b\011c\134d"), "/a b\tc\\d");
        assert_eq!(unescape(r"/odd\0"), r"/odd\0");
    }
}
