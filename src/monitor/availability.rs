//! A machine's availability over a period, in equal buckets: each bucket shows the worst
//! state the machine was in during it (a gap between heartbeats longer than the offline
//! threshold is offline for a server, away for a workstation); and how long it was on in a
//! period, the time its heartbeats cover (what a workstation's electricity cost counts).

use serde::Serialize;

use crate::fleet::MachineType;
use crate::store::{Store, StoreError};

/// An agent's sampling interval when its samples do not tell (the agent's default).
const DEFAULT_STEP: i64 = 60;

/// The worst state of one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Bucket {
    Online,
    Offline,
    Away,
    /// Before the first heartbeat (or no data at all).
    Unknown,
}

/// `n` buckets over `from..to` from the sorted sample times.
pub(crate) fn buckets(
    times: &[i64],
    kind: MachineType,
    offline_after: i64,
    from: i64,
    to: i64,
    n: usize,
) -> Vec<Bucket> {
    let n = n.max(1);
    let width = (to - from).max(1) as f64 / n as f64;
    let down = match kind {
        MachineType::Server => Bucket::Offline,
        MachineType::Workstation => Bucket::Away,
    };
    let mut out = Vec::with_capacity(n);
    let mut i = 0; // first time >= the bucket's start
    for b in 0..n {
        let start = from + (b as f64 * width) as i64;
        let end = from + ((b + 1) as f64 * width) as i64;
        while i < times.len() && times[i] < start {
            i += 1;
        }
        let before = i.checked_sub(1).map(|j| times[j]);
        let inside: &[i64] = {
            let mut j = i;
            while j < times.len() && times[j] < end {
                j += 1;
            }
            &times[i..j]
        };
        if before.is_none() && inside.is_empty() {
            out.push(Bucket::Unknown);
            continue;
        }
        // The longest silence within the bucket, counting from the heartbeat before it.
        let Some(mut last) = before.or(inside.first().copied()) else {
            continue;
        };
        let mut longest = 0;
        for &t in inside {
            longest = longest.max(t - last);
            last = t;
        }
        longest = longest.max(end - last);
        out.push(if longest > offline_after {
            down
        } else {
            Bucket::Online
        });
    }
    out
}

/// How long a machine was on within `from..to`, from its heartbeat history: the raw samples
/// (30 days) through `covered`, and before them the hourly rollups, each hour counting its
/// samples times the machine's sampling interval (at most the hour).
pub(crate) fn on_secs(
    store: &Store,
    machine_id: &str,
    offline_after: i64,
    from: i64,
    to: i64,
    now: i64,
) -> Result<i64, StoreError> {
    let raw_from = from.max(now - crate::store::metrics::RAW_RETENTION_SECS);
    let times = store.sample_times(machine_id, raw_from, to)?;
    let step = sampling_step(&times);
    let mut on = covered(&times, step, offline_after, raw_from, to);
    if from < raw_from {
        for r in store.rollups(machine_id, from, raw_from)? {
            on += (i64::from(r.count) * step).min(3600);
        }
    }
    Ok(on)
}

/// A machine's sampling interval: the median gap between its consecutive samples.
pub(crate) fn sampling_step(times: &[i64]) -> i64 {
    let mut gaps: Vec<i64> = times
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|&g| g > 0)
        .collect();
    if gaps.is_empty() {
        return DEFAULT_STEP;
    }
    let middle = gaps.len() / 2;
    *gaps.select_nth_unstable(middle).1
}

/// The seconds of `from..to` that the sorted sample `times` cover. A sample covers the time
/// up to the next one when that comes within the offline threshold (or one interval, if
/// longer): the machine was on between them. Otherwise it covers one sampling interval
/// (`step`): the machine stopped, or slept, after it.
pub(crate) fn covered(times: &[i64], step: i64, offline_after: i64, from: i64, to: i64) -> i64 {
    let within = offline_after.max(step);
    let mut on = 0;
    for (i, &t) in times.iter().enumerate() {
        let end = match times.get(i + 1) {
            Some(&next) if next - t <= within => next,
            _ => t + step,
        };
        let (start, end) = (t.max(from), end.min(to));
        on += (end - start).max(0);
    }
    on
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_on_is_what_the_samples_cover() {
        // Every minute from 0 to 59 min, then from 120 to 149 min: 90 minutes on.
        let mut times: Vec<i64> = (0..60).map(|m| m * 60).collect();
        times.extend((120..150).map(|m| m * 60));
        let step = sampling_step(&times);
        assert_eq!(step, 60);
        assert_eq!(covered(&times, step, 180, 0, 86_400), 90 * 60);
        // Clipped to the period, and a sample every 5 min (longer than the threshold).
        assert_eq!(covered(&times, step, 180, 30 * 60, 135 * 60), 45 * 60);
        let sparse: Vec<i64> = (0..12).map(|i| i * 300).collect();
        assert_eq!(
            covered(&sparse, sampling_step(&sparse), 180, 0, 86_400),
            3600
        );
        // Jitter of a second either way still counts whole.
        let jitter = [0, 59, 120, 181, 240, 300];
        assert_eq!(covered(&jitter, sampling_step(&jitter), 180, 0, 1000), 360);
        assert_eq!(sampling_step(&[5]), DEFAULT_STEP);
        assert_eq!(covered(&[], 60, 180, 0, 100), 0);
    }

    #[test]
    fn the_worst_state_of_each_bucket() {
        // A heartbeat every 10 s from 100 to 290, then silence; 4 buckets of 100 s.
        let times: Vec<i64> = (10..30).map(|t| t * 10).collect();
        let b = buckets(&times, MachineType::Server, 30, 0, 400, 4);
        assert_eq!(
            b,
            [
                Bucket::Unknown,
                Bucket::Online,
                Bucket::Online,
                Bucket::Offline
            ]
        );
        let w = buckets(&times, MachineType::Workstation, 30, 0, 400, 4);
        assert_eq!(w[3], Bucket::Away);
    }
}
