//! Load averages, uptime and the operating system's identity (`/proc/loadavg`,
//! `/proc/uptime`, os-release, kernel release, hostname).

use homelabcmd_proto::{Load, Os};

/// `0.14 0.56 0.68 1/81 11211`.
pub(crate) fn parse_loadavg(text: &str) -> Option<Load> {
    let mut f = text.split_whitespace().map(str::parse::<f64>);
    Some(Load {
        one: f.next()?.ok()?,
        five: f.next()?.ok()?,
        fifteen: f.next()?.ok()?,
    })
}

/// `2228.11 3123.76`: whole seconds since boot.
pub(crate) fn parse_uptime(text: &str) -> Option<u64> {
    let first = text.split_whitespace().next()?;
    let whole = first.split('.').next()?;
    whole.parse().ok()
}

/// NAME and VERSION_ID of an os-release file (shell-style quoting; missing keys are empty).
pub(crate) fn parse_os_release(text: &str) -> (String, String) {
    let get = |key: &str| -> String {
        text.lines()
            .filter_map(|l| l.trim().strip_prefix(key)?.strip_prefix('='))
            .next_back()
            .map(unquote)
            .unwrap_or_default()
    };
    (get("NAME"), get("VERSION_ID"))
}

fn unquote(value: &str) -> String {
    let value = value.trim();
    if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return inner.to_owned();
    }
    let inner = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// Reads the OS identity from the running system.
pub(crate) fn read_os() -> Os {
    let release = std::fs::read_to_string("/etc/os-release")
        .or_else(|_| std::fs::read_to_string("/usr/lib/os-release"))
        .unwrap_or_default();
    let (distribution, version) = parse_os_release(&release);
    let trimmed = |path: &str| {
        std::fs::read_to_string(path)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    Os {
        distribution,
        version,
        kernel: trimmed("/proc/sys/kernel/osrelease"),
        arch: std::env::consts::ARCH.to_owned(),
        hostname: trimmed("/proc/sys/kernel/hostname"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_and_uptime() {
        let l = parse_loadavg("0.14 0.56 0.68 1/81 11211\n").unwrap();
        assert_eq!((l.one, l.five, l.fifteen), (0.14, 0.56, 0.68));
        assert_eq!(parse_loadavg("garbage"), None);
        assert_eq!(parse_uptime("2228.11 3123.76\n"), Some(2228));
        assert_eq!(parse_uptime("350735 1.2\n"), Some(350_735));
        assert_eq!(parse_uptime(""), None);
    }

    #[test]
    fn os_release() {
        let debian = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n\
                      VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nID=debian\n";
        assert_eq!(
            parse_os_release(debian),
            ("Debian GNU/Linux".into(), "12".into())
        );
        let ubuntu = "NAME='Ubuntu'\nVERSION_ID=\"24.04\"\n";
        assert_eq!(parse_os_release(ubuntu), ("Ubuntu".into(), "24.04".into()));
        let arch = "NAME=Arch\\ Linux\nPRETTY_NAME=\"Arch Linux\"\nBUILD_ID=rolling\n";
        assert_eq!(parse_os_release(arch), ("Arch Linux".into(), String::new()));
    }

    #[test]
    fn reads_this_machine() {
        let os = read_os();
        assert!(!os.kernel.is_empty());
        assert!(!os.hostname.is_empty());
        assert_eq!(os.arch, std::env::consts::ARCH);
    }
}
