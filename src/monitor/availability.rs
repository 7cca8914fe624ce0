//! A machine's availability over a period, in equal buckets: each bucket shows the worst
//! state the machine was in during it (a gap between heartbeats longer than the offline
//! threshold is offline for a server, away for a workstation).

use serde::Serialize;

use crate::fleet::MachineType;

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

#[cfg(test)]
mod tests {
    use super::*;

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
