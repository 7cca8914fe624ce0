//! Checking a heartbeat before anything is stored. The request as a whole must make sense (its
//! machine id and agent version are clean text, it has 1 to 1000 samples) or it is refused;
//! then each sample on its own must be possible (no CPU over 100 %, no used space beyond the
//! size, no time from the future, names without control characters): the possible ones become
//! the store's `Point`s, the others are refused one by one with the reason.

use homelabcmd_proto::{Heartbeat, RefusedSample, Sample, time::parse_rfc3339};

use crate::store::metrics::RAW_RETENTION_SECS;
use crate::store::series::{Disk, Point};

/// How far ahead of the hub's clock a sample's time may be (clock skew).
pub(crate) const MAX_FUTURE_SECS: i64 = 300;
/// Samples in one request (an agent sends its buffer in slices of 500).
pub(crate) const MAX_SAMPLES: usize = 1000;
/// The longest name or identifier taken from a heartbeat, in bytes.
pub(crate) const MAX_NAME_BYTES: usize = 4096;

/// What a heartbeat's samples came to.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    /// The possible samples: (index in the request, point).
    pub(crate) points: Vec<(usize, Point)>,
    /// The others, each with why.
    pub(crate) refused: Vec<RefusedSample>,
}

/// Why a sample was not taken: for good, or only for now (its time is ahead of the hub's).
enum Refusal {
    Never(String),
    NotYet(String),
}

impl From<String> for Refusal {
    fn from(why: String) -> Self {
        Self::Never(why)
    }
}

/// The samples sorted into points and refusals, or why the whole request is impossible.
pub(crate) fn check(hb: &Heartbeat, now: i64) -> Result<Checked, String> {
    if hb.samples.is_empty() {
        return Err("the heartbeat has no samples".into());
    }
    if hb.samples.len() > MAX_SAMPLES {
        return Err(format!(
            "the heartbeat has {} samples; at most {MAX_SAMPLES} per request",
            hb.samples.len()
        ));
    }
    clean("machine_id", &hb.machine_id)?;
    clean("agent_version", &hb.agent_version)?;
    let mut checked = Checked::default();
    for (i, s) in hb.samples.iter().enumerate() {
        match names(s).map_err(Refusal::from).and_then(|()| point(s, now)) {
            Ok(p) => checked.points.push((i, p)),
            Err(refusal) => {
                let (reason, retry_later) = match refusal {
                    Refusal::Never(why) => (why, false),
                    Refusal::NotYet(why) => (why, true),
                };
                checked.refused.push(RefusedSample {
                    index: u32::try_from(i).unwrap_or(u32::MAX),
                    time: s.time.chars().take(64).collect(),
                    reason: format!("samples[{i}]: {reason}"),
                    retry_later,
                });
            }
        }
    }
    Ok(checked)
}

/// Every name and identifier of a sample is clean text (see `clean`).
fn names(s: &Sample) -> Result<(), String> {
    let os = &s.os;
    for (what, text) in [
        ("os.hostname", &os.hostname),
        ("os.distribution", &os.distribution),
        ("os.version", &os.version),
        ("os.kernel", &os.kernel),
        ("os.arch", &os.arch),
    ] {
        clean(what, text)?;
    }
    if let Some(manager) = &s.updates.manager {
        clean("updates.manager", manager)?;
    }
    for (i, fs) in s.filesystems.iter().enumerate() {
        clean_with(|| format!("filesystems[{i}].mount"), &fs.mount)?;
        clean_with(|| format!("filesystems[{i}].device"), &fs.device)?;
        clean_with(|| format!("filesystems[{i}].fs_type"), &fs.fs_type)?;
    }
    for (i, n) in s.network.iter().enumerate() {
        clean_with(|| format!("network[{i}].name"), &n.name)?;
    }
    for (i, u) in s.services.iter().enumerate() {
        clean_with(|| format!("services[{i}].name"), &u.name)?;
        clean_with(|| format!("services[{i}].active_state"), &u.active_state)?;
        clean_with(|| format!("services[{i}].sub_state"), &u.sub_state)?;
    }
    for (i, c) in s.docker.containers.iter().enumerate() {
        clean_with(|| format!("docker.containers[{i}].name"), &c.name)?;
        clean_with(|| format!("docker.containers[{i}].image"), &c.image)?;
        clean_with(|| format!("docker.containers[{i}].state"), &c.state)?;
        clean_with(|| format!("docker.containers[{i}].status"), &c.status)?;
    }
    Ok(())
}

/// `clean`, naming the field only when it is refused (no formatting per clean sample).
fn clean_with(what: impl Fn() -> String, text: &str) -> Result<(), String> {
    if text.len() <= MAX_NAME_BYTES && !text.chars().any(char::is_control) {
        return Ok(());
    }
    clean(&what(), text)
}

/// A name from the network: no control characters (C0, DEL, C1), at most `MAX_NAME_BYTES`.
fn clean(what: &str, text: &str) -> Result<(), String> {
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(format!(
            "{what} contains the control character U+{:04X}",
            u32::from(c)
        ));
    }
    if text.len() > MAX_NAME_BYTES {
        return Err(format!(
            "{what} is {} bytes long; at most {MAX_NAME_BYTES}",
            text.len()
        ));
    }
    Ok(())
}

fn point(s: &Sample, now: i64) -> Result<Point, Refusal> {
    let time = parse_rfc3339(&s.time).ok_or_else(|| {
        format!(
            "time `{}` is not an RFC 3339 time",
            s.time.chars().take(64).collect::<String>()
        )
    })?;
    if time > now + MAX_FUTURE_SECS {
        return Err(Refusal::NotYet(format!(
            "time {} is in the future (hub time {}): is the machine's clock ahead?",
            s.time,
            crate::clock::rfc3339(now)
        )));
    }
    if time < now - RAW_RETENTION_SECS {
        return Err(format!("time {} is older than the 30-day retention", s.time).into());
    }
    if !(0.0..=100.0).contains(&s.cpu_percent) {
        return Err(format!("cpu_percent {} is not between 0 and 100", s.cpu_percent).into());
    }
    let m = &s.memory;
    if m.used > m.total || m.available > m.total {
        return Err(format!(
            "memory used {} / available {} exceed the total {}",
            m.used, m.available, m.total
        )
        .into());
    }
    if m.swap_used > m.swap_total {
        return Err(format!(
            "swap used {} exceeds the total {}",
            m.swap_used, m.swap_total
        )
        .into());
    }
    for l in [s.load.one, s.load.five, s.load.fifteen] {
        if !(0.0..1e6).contains(&l) {
            return Err(format!("load {l} is impossible").into());
        }
    }
    let mut disks = Vec::new();
    for fs in &s.filesystems {
        if fs.used > fs.size || fs.available > fs.size {
            return Err(format!(
                "filesystem {}: used {} / available {} exceed the size {}",
                fs.mount, fs.used, fs.available, fs.size
            )
            .into());
        }
        if fs.mount.is_empty() || fs.mount.len() > 4096 {
            return Err(Refusal::Never(
                "a filesystem has no usable mount point".into(),
            ));
        }
        if fs.responsive && fs.size > 0 {
            disks.push(Disk {
                mount: fs.mount.as_str().into(),
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
