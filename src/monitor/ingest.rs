//! Checking a heartbeat before anything is stored: every sample must be possible (no CPU
//! over 100 %, no used space beyond the size, no time from the future), or the whole request
//! is refused with the reason. Accepted samples become the store's `Point`s.

use homelabcmd_proto::{Heartbeat, Sample, time::parse_rfc3339};

use crate::store::metrics::RAW_RETENTION_SECS;
use crate::store::series::{Disk, Point};

/// How far ahead of the hub's clock a sample's time may be (clock skew).
pub(crate) const MAX_FUTURE_SECS: i64 = 300;
/// Samples in one request (an agent sends its buffer in slices of 500).
pub(crate) const MAX_SAMPLES: usize = 1000;

/// The samples as points, each with its time, or why the heartbeat is impossible.
pub(crate) fn check(hb: &Heartbeat, now: i64) -> Result<Vec<Point>, String> {
    if hb.samples.is_empty() {
        return Err("the heartbeat has no samples".into());
    }
    if hb.samples.len() > MAX_SAMPLES {
        return Err(format!(
            "the heartbeat has {} samples; at most {MAX_SAMPLES} per request",
            hb.samples.len()
        ));
    }
    hb.samples
        .iter()
        .enumerate()
        .map(|(i, s)| point(s, now).map_err(|why| format!("samples[{i}]: {why}")))
        .collect()
}

fn point(s: &Sample, now: i64) -> Result<Point, String> {
    let time = parse_rfc3339(&s.time)
        .ok_or_else(|| format!("time `{}` is not an RFC 3339 time", s.time))?;
    if time > now + MAX_FUTURE_SECS {
        return Err(format!(
            "time {} is in the future (hub time {})",
            s.time,
            crate::clock::rfc3339(now)
        ));
    }
    if time < now - RAW_RETENTION_SECS {
        return Err(format!(
            "time {} is older than the 30-day retention",
            s.time
        ));
    }
    if !(0.0..=100.0).contains(&s.cpu_percent) {
        return Err(format!(
            "cpu_percent {} is not between 0 and 100",
            s.cpu_percent
        ));
    }
    let m = &s.memory;
    if m.used > m.total || m.available > m.total {
        return Err(format!(
            "memory used {} / available {} exceed the total {}",
            m.used, m.available, m.total
        ));
    }
    if m.swap_used > m.swap_total {
        return Err(format!(
            "swap used {} exceeds the total {}",
            m.swap_used, m.swap_total
        ));
    }
    for l in [s.load.one, s.load.five, s.load.fifteen] {
        if !(0.0..1e6).contains(&l) {
            return Err(format!("load {l} is impossible"));
        }
    }
    let mut disks = Vec::new();
    for fs in &s.filesystems {
        if fs.used > fs.size || fs.available > fs.size {
            return Err(format!(
                "filesystem {}: used {} / available {} exceed the size {}",
                fs.mount, fs.used, fs.available, fs.size
            ));
        }
        if fs.mount.is_empty() || fs.mount.len() > 4096 {
            return Err("a filesystem has no usable mount point".into());
        }
        if fs.responsive && fs.size > 0 {
            disks.push(Disk {
                mount: fs.mount.clone(),
                used: fs.used >> 20,
                size: fs.size >> 20,
            });
        }
    }
    let (rx, tx) = s.network.iter().fold((0u64, 0u64), |(r, t), i| {
        (r.saturating_add(i.rx_bytes), t.saturating_add(i.tx_bytes))
    });
    Ok(Point {
        time,
        cpu_permille: (s.cpu_percent * 10.0).round() as u64,
        mem_used: m.used >> 20,
        mem_total: m.total >> 20,
        swap_used: m.swap_used >> 20,
        swap_total: m.swap_total >> 20,
        load: [s.load.one, s.load.five, s.load.fifteen].map(|l| (l * 100.0).round() as u64),
        net_rx: rx >> 10,
        net_tx: tx >> 10,
        disks,
    })
}
