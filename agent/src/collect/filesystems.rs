//! Size, used and available space of each selected mount, by `statvfs`. Filesystems that may
//! hang (network, FUSE) are asked on a helper thread and given 2 s; one that does not answer
//! is reported with `responsive: false` and not asked again while that probe is still stuck,
//! so a dead NFS server costs at most one blocked thread per mount, never a stuck agent.

use std::collections::HashMap;
use std::io;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::thread;
use std::time::{Duration, Instant};

use homelabcmd_proto::Filesystem;

use super::mounts::{Mount, may_hang};

/// Bytes of one filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sizes {
    pub(crate) size: u64,
    pub(crate) used: u64,
    pub(crate) available: u64,
}

type Probe = Receiver<io::Result<Sizes>>;

#[derive(Debug)]
pub(crate) struct FsProber {
    /// Probes that timed out and have not returned yet, by mount point.
    stuck: HashMap<String, Probe>,
    timeout: Duration,
    statvfs: fn(&str) -> io::Result<Sizes>,
}

impl FsProber {
    pub(crate) fn new() -> FsProber {
        FsProber::with(Duration::from_secs(2), statvfs)
    }

    fn with(timeout: Duration, statvfs: fn(&str) -> io::Result<Sizes>) -> FsProber {
        FsProber {
            stuck: HashMap::new(),
            timeout,
            statvfs,
        }
    }

    /// One entry per mount, in order. Left out: mounts that cannot be looked at (permission:
    /// another user's FUSE mount) and ones of size 0 (virtual filesystems not on the list).
    pub(crate) fn measure(&mut self, mounts: &[Mount]) -> Vec<Filesystem> {
        self.stuck
            .retain(|point, _| mounts.iter().any(|m| &m.mount == point));
        let deadline = Instant::now() + self.timeout;
        let mut results: Vec<Option<io::Result<Sizes>>> = Vec::with_capacity(mounts.len());
        let mut pending: Vec<(usize, Probe)> = Vec::new();
        for (i, m) in mounts.iter().enumerate() {
            if !may_hang(&m.fs_type) {
                results.push(Some((self.statvfs)(&m.mount)));
                continue;
            }
            results.push(None);
            if let Some(probe) = self.stuck.get(&m.mount) {
                if matches!(probe.try_recv(), Err(TryRecvError::Empty)) {
                    continue; // still hanging since an earlier collection: do not pile up
                }
                self.stuck.remove(&m.mount);
            }
            if let Some(probe) = self.spawn(&m.mount) {
                pending.push((i, probe));
            }
        }
        for (i, probe) in pending {
            let left = deadline.saturating_duration_since(Instant::now());
            match probe.recv_timeout(left) {
                Ok(result) => results[i] = Some(result),
                Err(RecvTimeoutError::Timeout) => {
                    self.stuck.insert(mounts[i].mount.clone(), probe);
                }
                Err(RecvTimeoutError::Disconnected) => {}
            }
        }
        mounts
            .iter()
            .zip(results)
            .filter_map(|(m, result)| report(m, result))
            .collect()
    }

    fn spawn(&self, mount: &str) -> Option<Probe> {
        let (tx, rx) = mpsc::channel();
        let statvfs = self.statvfs;
        let path = mount.to_owned();
        thread::Builder::new()
            .name("statvfs".into())
            .spawn(move || {
                let _ = tx.send(statvfs(&path));
            })
            .ok()?;
        Some(rx)
    }
}

/// None (timed out) or an error other than permission: unresponsive, sizes 0.
fn report(m: &Mount, result: Option<io::Result<Sizes>>) -> Option<Filesystem> {
    let entry = |sizes: Sizes, responsive| Filesystem {
        mount: m.mount.clone(),
        fs_type: m.fs_type.clone(),
        device: m.device.clone(),
        size: sizes.size,
        used: sizes.used,
        available: sizes.available,
        responsive,
    };
    let zero = Sizes {
        size: 0,
        used: 0,
        available: 0,
    };
    match result {
        Some(Ok(s)) if s.size == 0 => None,
        Some(Ok(s)) => Some(entry(s, true)),
        Some(Err(e)) if e.kind() == io::ErrorKind::PermissionDenied => None,
        Some(Err(_)) | None => Some(entry(zero, false)),
    }
}

fn statvfs(path: &str) -> io::Result<Sizes> {
    let st = rustix::fs::statvfs(path)?;
    let block = st.f_frsize;
    Ok(Sizes {
        size: st.f_blocks.saturating_mul(block),
        used: st.f_blocks.saturating_sub(st.f_bfree).saturating_mul(block),
        // Never above the size (the hub refuses such a sample as impossible).
        available: st.f_bavail.min(st.f_blocks).saturating_mul(block),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::mounts::parse_mounts;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static HANGING: AtomicUsize = AtomicUsize::new(0);

    fn fake(path: &str) -> io::Result<Sizes> {
        match path {
            "/mnt/dead" => {
                HANGING.fetch_add(1, Ordering::SeqCst);
                thread::sleep(Duration::from_secs(2));
                HANGING.fetch_sub(1, Ordering::SeqCst);
                Ok(Sizes {
                    size: 9,
                    used: 9,
                    available: 0,
                })
            }
            "/mnt/stale" => Err(io::Error::from_raw_os_error(116)), // ESTALE
            "/mnt/other-user" => Err(io::ErrorKind::PermissionDenied.into()),
            "/virtual" => Ok(Sizes {
                size: 0,
                used: 0,
                available: 0,
            }),
            _ => Ok(Sizes {
                size: 100,
                used: 40,
                available: 50,
            }),
        }
    }

    #[test]
    fn dead_mount_times_out_without_piling_up() {
        let mounts = select_all(
            "/dev/sda1 / ext4 rw 0 0\nnas:/x /mnt/dead nfs4 rw 0 0\n\
             nas:/y /mnt/ok nfs rw 0 0\nnas:/z /mnt/stale nfs rw 0 0\n\
             u@h:/ /mnt/other-user fuse.sshfs rw 0 0\nv /virtual fuse.foo rw 0 0\n",
        );
        let mut prober = FsProber::with(Duration::from_millis(300), fake);
        let start = Instant::now();
        let fs = prober.measure(&mounts);
        assert!(start.elapsed() < Duration::from_millis(1500));
        let got: Vec<(&str, u64, bool)> = fs
            .iter()
            .map(|f| (f.mount.as_str(), f.size, f.responsive))
            .collect();
        assert_eq!(
            got,
            [
                ("/", 100, true),
                ("/mnt/dead", 0, false),
                ("/mnt/ok", 100, true),
                ("/mnt/stale", 0, false),
            ]
        );
        assert_eq!(fs[0].used, 40);
        assert_eq!(fs[0].available, 50);
        // The next collection does not start a second probe while the first hangs.
        let fs = prober.measure(&mounts);
        assert!(!fs[1].responsive);
        assert_eq!(HANGING.load(Ordering::SeqCst), 1);
    }

    fn select_all(text: &str) -> Vec<Mount> {
        crate::collect::mounts::select(parse_mounts(text))
    }

    #[test]
    fn real_root_filesystem() {
        let root = statvfs("/").unwrap();
        assert!(root.size > 0 && root.used <= root.size && root.available <= root.size);
    }
}
