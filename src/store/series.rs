//! The compact encoding of metric samples: one block per machine and hour, each sample's
//! numbers stored as varint deltas from the sample before. A month of 60-second samples takes
//! well under a megabyte per machine (BENCHMARKS.md), where a row per sample would take three.
//!
//! Block layout (all integers LEB128 varints, deltas zigzag-encoded):
//! `version=2 | mount count | (mount length, mount bytes)* | point*`, and a point is
//! `seconds since the previous point (the first: since the hour) | change mask |
//! the deltas of the changed fields | [disk count | (mount index, used delta, size delta)*]`.
//! Bit i of the mask says field i changed; bit 10 says the disks changed (else they are the
//! previous point's). A disk's deltas are from the same mount in the previous point, or zero.
//! Real machines change few numbers a minute, so most points take a dozen bytes.

/// One sample's numbers as stored: memory and disk sizes in MiB, network counters in KiB,
/// CPU in per-mille, load ×100 — the precision charts and thresholds need, no more.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Point {
    pub(crate) time: i64,
    pub(crate) cpu_permille: u64,
    pub(crate) mem_used: u64,
    pub(crate) mem_total: u64,
    pub(crate) swap_used: u64,
    pub(crate) swap_total: u64,
    pub(crate) load: [u64; 3],
    /// Bytes received and sent since boot, all interfaces together.
    pub(crate) net_rx: u64,
    pub(crate) net_tx: u64,
    pub(crate) disks: Vec<Disk>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Disk {
    /// Shared by every point of a block that names it (decoding a day of points copies a
    /// pointer per disk, not the mount's text).
    pub(crate) mount: std::sync::Arc<str>,
    pub(crate) used: u64,
    pub(crate) size: u64,
}

impl Point {
    fn fields(&self) -> [u64; 10] {
        [
            self.cpu_permille,
            self.mem_used,
            self.mem_total,
            self.swap_used,
            self.swap_total,
            self.load[0],
            self.load[1],
            self.load[2],
            self.net_rx,
            self.net_tx,
        ]
    }

    fn set_fields(&mut self, f: [u64; 10]) {
        self.cpu_permille = f[0];
        self.mem_used = f[1];
        self.mem_total = f[2];
        self.swap_used = f[3];
        self.swap_total = f[4];
        self.load = [f[5], f[6], f[7]];
        self.net_rx = f[8];
        self.net_tx = f[9];
    }
}

const VERSION: u8 = 2;
const DISKS_CHANGED: u64 = 1 << 10;

/// The start of the hour holding `time` (unix seconds).
pub(crate) fn hour_of(time: i64) -> i64 {
    time.div_euclid(3600) * 3600
}

/// Encode the points of one hour, sorted by time, at most one per second.
pub(crate) fn encode(hour: i64, points: &[Point]) -> Vec<u8> {
    let mut mounts: Vec<&str> = Vec::new();
    for p in points {
        for d in &p.disks {
            if !mounts.contains(&&*d.mount) {
                mounts.push(&d.mount);
            }
        }
    }
    let mut out = vec![VERSION];
    put(&mut out, mounts.len() as u64);
    for m in &mounts {
        put(&mut out, m.len() as u64);
        out.extend_from_slice(m.as_bytes());
    }
    let mut prev_time = hour;
    let mut prev = [0u64; 10];
    let mut prev_disks: Vec<(u64, u64)> = vec![(0, 0); mounts.len()];
    let mut prev_point_disks: Option<&[Disk]> = None;
    for p in points {
        put(&mut out, (p.time - prev_time).max(0) as u64);
        prev_time = p.time;
        let fields = p.fields();
        let mut mask = 0u64;
        for (i, (f, before)) in fields.iter().zip(prev).enumerate() {
            if *f != before {
                mask |= 1 << i;
            }
        }
        if prev_point_disks != Some(p.disks.as_slice()) {
            mask |= DISKS_CHANGED;
        }
        put(&mut out, mask);
        for (i, (f, before)) in fields.iter().zip(prev).enumerate() {
            if mask & (1 << i) != 0 {
                put(&mut out, zigzag(*f as i64 - before as i64));
            }
        }
        prev = fields;
        if mask & DISKS_CHANGED != 0 {
            put(&mut out, p.disks.len() as u64);
            for d in &p.disks {
                let i = mounts
                    .iter()
                    .position(|m| *m == &*d.mount)
                    .unwrap_or_default();
                let (used, size) = prev_disks[i];
                put(&mut out, i as u64);
                put(&mut out, zigzag(d.used as i64 - used as i64));
                put(&mut out, zigzag(d.size as i64 - size as i64));
                prev_disks[i] = (d.used, d.size);
            }
        }
        prev_point_disks = Some(&p.disks);
    }
    out
}

/// Decode a block written by `encode`. A damaged block gives None, never a panic.
pub(crate) fn decode(hour: i64, data: &[u8]) -> Option<Vec<Point>> {
    let mut points = Vec::new();
    walk(hour, data, |time, fields, disks| {
        let mut point = Point {
            time,
            disks: disks.to_vec(),
            ..Point::default()
        };
        point.set_fields(fields);
        points.push(point);
    })?;
    Some(points)
}

/// Only the sample times of a block (how long a machine was on), without building points.
pub(crate) fn decode_times(hour: i64, data: &[u8]) -> Option<Vec<i64>> {
    let mut times = Vec::new();
    walk(hour, data, |time, _, _| times.push(time))?;
    Some(times)
}

/// Read a block point by point: each point's time, numbers and disks to `each`.
fn walk(hour: i64, data: &[u8], mut each: impl FnMut(i64, [u64; 10], &[Disk])) -> Option<()> {
    let mut r = Reader { data, at: 0 };
    if r.byte()? != VERSION {
        return None;
    }
    let n_mounts = r.get()? as usize;
    let mut mounts = Vec::with_capacity(n_mounts.min(256));
    for _ in 0..n_mounts {
        let len = r.get()? as usize;
        let bytes = r.take(len)?;
        mounts.push(std::sync::Arc::<str>::from(
            std::str::from_utf8(bytes).ok()?,
        ));
    }
    let mut time = hour;
    let mut prev = [0u64; 10];
    let mut prev_disks: Vec<(u64, u64)> = vec![(0, 0); mounts.len()];
    let mut disks: Vec<Disk> = Vec::new();
    while !r.done() {
        time = time.checked_add(i64::try_from(r.get()?).ok()?)?;
        let mask = r.get()?;
        let mut fields = prev;
        for (i, f) in fields.iter_mut().enumerate() {
            if mask & (1 << i) != 0 {
                *f = (*f as i64).wrapping_add(unzigzag(r.get()?)) as u64;
            }
        }
        prev = fields;
        if mask & DISKS_CHANGED != 0 {
            disks.clear();
            let n_disks = r.get()? as usize;
            for _ in 0..n_disks {
                let i = r.get()? as usize;
                let (used, size) = *prev_disks.get(i)?;
                let used = (used as i64).wrapping_add(unzigzag(r.get()?)) as u64;
                let size = (size as i64).wrapping_add(unzigzag(r.get()?)) as u64;
                prev_disks[i] = (used, size);
                disks.push(Disk {
                    mount: mounts[i].clone(),
                    used,
                    size,
                });
            }
        }
        each(time, fields, &disks);
    }
    Some(())
}

/// Add `point` to the decoded points of its hour, in time order. False when a point with
/// the same second is already there (the sample was sent twice).
pub(crate) fn insert(points: &mut Vec<Point>, point: Point) -> bool {
    match points.binary_search_by_key(&point.time, |p| p.time) {
        Ok(_) => false,
        Err(i) => {
            points.insert(i, point);
            true
        }
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn done(&self) -> bool {
        self.at >= self.data.len()
    }

    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.data.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    fn get(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(time: i64, seed: u64) -> Point {
        let mut disks = vec![Disk {
            mount: "/".into(),
            used: 20_000_000 + seed * 3,
            size: 100_000_000,
        }];
        if seed.is_multiple_of(3) {
            disks.push(Disk {
                mount: "/srv/media".into(),
                used: 3_000_000_000 - seed,
                size: 4_000_000_000,
            });
        }
        Point {
            time,
            cpu_permille: (seed * 37) % 1001,
            mem_used: 4_000_000 + (seed * 7919) % 100_000,
            mem_total: 16_000_000,
            swap_used: seed % 5,
            swap_total: 2_000_000,
            load: [seed % 300, seed % 200, seed % 100],
            net_rx: 1_000_000_000 + seed * 12_345,
            net_tx: 500_000_000 + seed * 2_345,
            disks,
        }
    }

    #[test]
    fn round_trip_and_size() {
        let hour = hour_of(1_795_608_123);
        let points: Vec<Point> = (0..60).map(|i| point(hour + i * 60, i as u64)).collect();
        let block = encode(hour, &points);
        assert_eq!(decode(hour, &block).unwrap(), points);
        let times: Vec<i64> = points.iter().map(|p| p.time).collect();
        assert_eq!(decode_times(hour, &block).unwrap(), times);
        // Well under 40 bytes a sample even with busy numbers.
        assert!(block.len() < 60 * 40, "{} bytes", block.len());
    }

    #[test]
    fn duplicates_are_refused_and_order_kept() {
        let hour = 3600 * 10;
        let mut points = vec![point(hour + 120, 2)];
        assert!(insert(&mut points, point(hour + 60, 1)));
        assert!(!insert(&mut points, point(hour + 60, 9)));
        assert_eq!(
            points.iter().map(|p| p.time).collect::<Vec<_>>(),
            [hour + 60, hour + 120]
        );
    }

    #[test]
    fn damaged_blocks_do_not_panic() {
        let hour = 0;
        let block = encode(hour, &[point(5, 1), point(65, 2)]);
        for cut in 0..block.len() {
            let _ = decode(hour, &block[..cut]);
        }
        let mut bad = block;
        for i in 0..bad.len() {
            bad[i] ^= 0xff;
            let _ = decode(hour, &bad);
            bad[i] ^= 0xff;
        }
        assert_eq!(decode(hour, &[2]), None);
    }
}
