//! What `discover ssh` asks a device: one fixed shell script (nothing from the operator or the
//! device is put into it) that prints marked sections, and the parser that turns its output
//! into `Facts`. Every text field is remote text: escape it before it reaches a terminal.

use serde::{Deserialize, Serialize};

/// The script run on the device. Each section starts with a `==name` line; a tool that is
/// missing leaves its section empty (or says `!none`), never fails the scan.
pub(crate) const SCRIPT: &str = r#"export LC_ALL=C
echo '==hostname'; cat /proc/sys/kernel/hostname 2>/dev/null || hostname
echo '==os-release'; cat /etc/os-release 2>/dev/null
echo '==kernel'; uname -sr
echo '==uptime'; cat /proc/uptime 2>/dev/null
echo '==cpu-model'; grep -m1 -E '^(model name|Hardware|Model)[[:space:]]*:' /proc/cpuinfo 2>/dev/null
echo '==cpu-cores'; nproc 2>/dev/null || getconf _NPROCESSORS_ONLN
echo '==memory'; grep -m1 '^MemTotal:' /proc/meminfo 2>/dev/null
echo '==disks'; df -P -k -x tmpfs -x devtmpfs -x squashfs 2>/dev/null
echo '==docker'; if command -v docker >/dev/null 2>&1; then echo yes; else echo no; fi
echo '==services'; if command -v systemctl >/dev/null 2>&1; then systemctl list-units --type=service --state=running --no-legend --no-pager --plain 2>/dev/null; else echo '!none'; fi
echo '==end'
"#;

/// What a scan learnt about one device.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Facts {
    pub(crate) hostname: String,
    /// `PRETTY_NAME` of /etc/os-release (else `NAME VERSION_ID`).
    pub(crate) os: Option<String>,
    /// `ID` of /etc/os-release (`debian`, `ubuntu`, `alpine`).
    pub(crate) os_id: Option<String>,
    /// `uname -sr`.
    pub(crate) kernel: Option<String>,
    pub(crate) uptime_secs: Option<u64>,
    pub(crate) cpu_model: Option<String>,
    pub(crate) cpu_cores: Option<u32>,
    pub(crate) memory_bytes: Option<u64>,
    pub(crate) disks: Vec<Disk>,
    /// The `docker` command is installed.
    pub(crate) docker: bool,
    /// Running systemd services; None when the device has no systemctl.
    pub(crate) services: Option<Vec<String>>,
}

/// One mounted file system, as `df -P -k` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Disk {
    pub(crate) filesystem: String,
    pub(crate) mount: String,
    pub(crate) size_bytes: u64,
    pub(crate) used_bytes: u64,
}

/// The script's output made into facts; lines that do not parse are skipped.
pub(crate) fn parse(output: &str) -> Facts {
    let mut facts = Facts::default();
    let mut section = "";
    let mut os_release = Vec::new();
    for line in output.lines() {
        if let Some(name) = line.strip_prefix("==") {
            section = name;
            continue;
        }
        let value = line.trim();
        match section {
            "hostname" if facts.hostname.is_empty() => facts.hostname = value.to_string(),
            "os-release" => os_release.push(value),
            "kernel" => facts.kernel = non_empty(value),
            "uptime" => {
                facts.uptime_secs = value
                    .split_whitespace()
                    .next()
                    .and_then(|s| s.parse::<f64>().ok())
                    .map(|s| s as u64);
            }
            "cpu-model" => facts.cpu_model = value.split_once(':').and_then(|(_, v)| non_empty(v)),
            "cpu-cores" => facts.cpu_cores = value.parse().ok().or(facts.cpu_cores),
            "memory" => facts.memory_bytes = kib(value.split_whitespace().nth(1)),
            "disks" => facts.disks.extend(disk(value)),
            "docker" => facts.docker = value == "yes",
            "services" => service(&mut facts.services, value),
            _ => {}
        }
    }
    (facts.os, facts.os_id) = os(&os_release);
    facts
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn kib(value: Option<&str>) -> Option<u64> {
    value?.parse::<u64>().ok()?.checked_mul(1024)
}

/// A `df -P -k` row: filesystem, 1K-blocks, used, available, capacity, mounted on (which may
/// hold spaces: it is the rest of the line).
fn disk(line: &str) -> Option<Disk> {
    let mut fields = line.split_whitespace();
    let filesystem = fields.next()?.to_string();
    let size = kib(fields.next())?;
    let used = kib(fields.next())?;
    let _available = fields.next()?;
    let capacity = fields.next()?;
    let mount = line
        .get(line.find(capacity)? + capacity.len()..)?
        .trim()
        .to_string();
    mount.starts_with('/').then_some(Disk {
        filesystem,
        mount,
        size_bytes: size,
        used_bytes: used,
    })
}

/// A unit line of `systemctl list-units --plain --no-legend`: the unit name comes first.
fn service(services: &mut Option<Vec<String>>, line: &str) {
    if line == "!none" {
        return;
    }
    let list = services.get_or_insert_with(Vec::new);
    if let Some(unit) = line
        .split_whitespace()
        .next()
        .filter(|u| u.ends_with(".service"))
    {
        list.push(unit.to_string());
    }
}

/// The name and id from os-release lines (`KEY=value`, the value maybe quoted).
fn os(lines: &[&str]) -> (Option<String>, Option<String>) {
    let get = |key: &str| {
        lines.iter().find_map(|l| {
            let value = l.strip_prefix(key)?.strip_prefix('=')?;
            non_empty(value.trim_matches(|c| c == '"' || c == '\''))
        })
    };
    let name = get("PRETTY_NAME").or_else(|| {
        let name = get("NAME")?;
        Some(match get("VERSION_ID") {
            Some(v) => format!("{name} {v}"),
            None => name,
        })
    });
    (name, get("ID"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_debian_server_s_output_becomes_facts() {
        let output = "==hostname\nnas\n==os-release\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nID=debian\n\
            ==kernel\nLinux 6.1.0-18-amd64\n==uptime\n12345.67 99.0\n==cpu-model\nmodel name\t: Intel(R) N100\n\
            ==cpu-cores\n4\n==memory\nMemTotal:       16318480 kB\n==disks\nFilesystem 1024-blocks Used Available Capacity Mounted on\n\
            /dev/sda1 100 40 60 40% /\n/dev/sdb1 2000 1000 1000 50% /srv/my data\n==docker\nyes\n\
            ==services\nssh.service loaded active running OpenBSD Secure Shell server\ncron.service loaded active running Regular background program\n==end\n";
        assert_eq!(
            parse(output),
            Facts {
                hostname: "nas".into(),
                os: Some("Debian GNU/Linux 12 (bookworm)".into()),
                os_id: Some("debian".into()),
                kernel: Some("Linux 6.1.0-18-amd64".into()),
                uptime_secs: Some(12345),
                cpu_model: Some("Intel(R) N100".into()),
                cpu_cores: Some(4),
                memory_bytes: Some(16_318_480 * 1024),
                disks: vec![
                    Disk {
                        filesystem: "/dev/sda1".into(),
                        mount: "/".into(),
                        size_bytes: 102_400,
                        used_bytes: 40_960
                    },
                    Disk {
                        filesystem: "/dev/sdb1".into(),
                        mount: "/srv/my data".into(),
                        size_bytes: 2_048_000,
                        used_bytes: 1_024_000
                    },
                ],
                docker: true,
                services: Some(vec!["ssh.service".into(), "cron.service".into()]),
            }
        );
    }

    #[test]
    fn a_bare_device_leaves_fields_empty() {
        let output = "==hostname\nbox\n==os-release\nNAME=Alpine\nVERSION_ID=3.19\n==docker\nno\n==services\n!none\n==end\n";
        let facts = parse(output);
        assert_eq!(facts.os.as_deref(), Some("Alpine 3.19"));
        assert_eq!((facts.docker, facts.services), (false, None));
        assert_eq!((facts.memory_bytes, facts.disks.len()), (None, 0));
    }
}
