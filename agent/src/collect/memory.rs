//! Memory and swap from `/proc/meminfo`; used = MemTotal − MemAvailable, as `free` shows it.

use homelabcmd_proto::Memory;

/// Parses `Key:   123 kB` lines (values in KiB) into bytes. None without MemTotal.
pub(crate) fn parse_meminfo(text: &str) -> Option<Memory> {
    let get = |key: &str| -> Option<u64> {
        text.lines().find_map(|line| {
            let rest = line.strip_prefix(key)?.strip_prefix(':')?;
            let kib: u64 = rest.split_whitespace().next()?.parse().ok()?;
            Some(kib.saturating_mul(1024))
        })
    };
    let total = get("MemTotal")?;
    // Kernels before 3.14 have no MemAvailable: estimate it as free + buffers + cache.
    let available = get("MemAvailable")
        .or_else(|| Some(get("MemFree")? + get("Buffers").unwrap_or(0) + get("Cached")?))
        .unwrap_or(0)
        .min(total);
    let swap_total = get("SwapTotal").unwrap_or(0);
    let swap_free = get("SwapFree").unwrap_or(0).min(swap_total);
    Some(Memory {
        total,
        used: total - available,
        available,
        swap_total,
        swap_used: swap_total - swap_free,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMINFO: &str = "\
MemTotal:       24684096 kB
MemFree:        19834140 kB
MemAvailable:   22916548 kB
Buffers:          197896 kB
Cached:          2931096 kB
SwapCached:            0 kB
Active:          1633504 kB
SwapTotal:       2097148 kB
SwapFree:        1572860 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
";

    #[test]
    fn parses_meminfo() {
        let m = parse_meminfo(MEMINFO).unwrap();
        assert_eq!(m.total, 24_684_096 * 1024);
        assert_eq!(m.available, 22_916_548 * 1024);
        assert_eq!(m.used, (24_684_096 - 22_916_548) * 1024);
        assert_eq!(m.swap_total, 2_097_148 * 1024);
        assert_eq!(m.swap_used, (2_097_148 - 1_572_860) * 1024);
    }

    #[test]
    fn old_kernel_and_garbage() {
        let old = "MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n";
        let m = parse_meminfo(old).unwrap();
        assert_eq!(m.available, 400 * 1024);
        assert_eq!(m.used, 600 * 1024);
        assert_eq!((m.swap_total, m.swap_used), (0, 0));
        assert_eq!(parse_meminfo("nothing here"), None);
    }
}
