//! CPU busy percentage from two readings of the aggregate `cpu` line of `/proc/stat`.

/// Jiffies from the `cpu` line: all time, and the idle part (idle + iowait).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CpuTimes {
    pub(crate) total: u64,
    pub(crate) idle: u64,
}

/// Reads the first line `cpu  user nice system idle iowait irq softirq steal guest guest_nice`.
/// guest and guest_nice are already counted in user and nice, so they are not added again.
pub(crate) fn parse_stat(text: &str) -> Option<CpuTimes> {
    let line = text.lines().find(|l| l.starts_with("cpu "))?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    if fields.len() < 4 {
        return None;
    }
    let total = fields.iter().take(8).sum();
    let idle = fields[3] + fields.get(4).copied().unwrap_or(0);
    Some(CpuTimes { total, idle })
}

/// Busy share of the time between two readings, 0–100 (0 when no time passed).
pub(crate) fn busy_percent(before: CpuTimes, after: CpuTimes) -> f64 {
    let total = after.total.saturating_sub(before.total);
    let idle = after.idle.saturating_sub(before.idle).min(total);
    if total == 0 {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)] // jiffy deltas are far below 2^52
    let percent = (total - idle) as f64 * 100.0 / total as f64;
    (percent * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = "\
cpu  114594 0 16114 312376 875 0 104 107 0 0
cpu0 55138 0 6884 159783 218 0 13 54 0 0
cpu1 59456 0 9229 152592 657 0 91 52 0 0
intr 4373478 0 9 0 0
ctxt 8436361
btime 1764090000
";
    const AFTER: &str = "\
cpu  114694 0 16164 312726 925 0 104 107 0 0
cpu0 55188 0 6909 159958 243 0 13 54 0 0
";

    #[test]
    fn parses_and_computes_delta() {
        let before = parse_stat(BEFORE).unwrap();
        assert_eq!(before.total, 114_594 + 16_114 + 312_376 + 875 + 104 + 107);
        assert_eq!(before.idle, 312_376 + 875);
        let after = parse_stat(AFTER).unwrap();
        // +150 busy (100 user + 50 system), +400 idle (350 idle + 50 iowait): 150/550.
        assert_eq!(busy_percent(before, after), 27.27);
        assert_eq!(busy_percent(after, after), 0.0);
        assert_eq!(
            busy_percent(after, before),
            0.0,
            "counters going back do not panic"
        );
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(parse_stat(""), None);
        assert_eq!(parse_stat("cpu  1 2\n"), None);
        assert_eq!(parse_stat("cpu0 1 2 3 4\n"), None);
    }
}
