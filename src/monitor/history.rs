//! Metric history: a series for one machine and metric over a time range, from the raw
//! samples (last 30 days) and the hourly rollups (older), and its terminal sparkline.

use serde::Serialize;

use crate::store::metrics::{Rollup, percent, rates};
use crate::store::series::Point;
use crate::store::{Store, StoreError};

/// What to chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Metric {
    Cpu,
    Ram,
    /// The fullest filesystem, or one mount.
    Disk(Option<String>),
    Load,
    Net,
}

impl Metric {
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        Ok(match text {
            "cpu" => Self::Cpu,
            "ram" | "memory" => Self::Ram,
            "disk" => Self::Disk(None),
            "load" => Self::Load,
            "net" | "network" => Self::Net,
            _ => match text.strip_prefix("disk:") {
                Some(mount) if mount.starts_with('/') => Self::Disk(Some(mount.to_string())),
                _ => return Err("use cpu, ram, disk, disk:/MOUNT, load or net".into()),
            },
        })
    }

    pub(crate) fn label(&self) -> String {
        match self {
            Self::Cpu => "cpu %".into(),
            Self::Ram => "ram %".into(),
            Self::Disk(None) => "disk % (fullest)".into(),
            Self::Disk(Some(m)) => format!("disk % {m}"),
            Self::Load => "load (1 min)".into(),
            Self::Net => "network bytes/s".into(),
        }
    }

    /// Percentages chart on a fixed 0–100 scale.
    pub(crate) fn is_percent(&self) -> bool {
        matches!(self, Self::Cpu | Self::Ram | Self::Disk(_))
    }
}

/// A `--since`/`since=` duration: 1m to 365d, in seconds.
pub(crate) fn parse_since(text: &str) -> Result<u64, &'static str> {
    match crate::fleet::parse_duration(text) {
        Some(d) if d.as_secs() >= 60 && d.as_secs() <= 366 * 86_400 => Ok(d.as_secs()),
        Some(_) => Err("use a duration from 1m to 365d"),
        None => Err("write it like 24h, 7d or 30d"),
    }
}

/// One point of a series. Raw points have `value` (and `rx`/`tx` for the network); rollups
/// add `min` and `max` of their hour.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SeriesPoint {
    pub(crate) time: String,
    #[serde(skip)]
    pub(crate) unix: i64,
    pub(crate) value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) rx: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tx: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) max: Option<f64>,
}

/// The points of `metric` for `machine_id` with `from <= time < to`.
pub(crate) fn series(
    store: &Store,
    machine_id: &str,
    metric: &Metric,
    from: i64,
    to: i64,
    now: i64,
) -> Result<Vec<SeriesPoint>, StoreError> {
    let raw_from = from.max(now - crate::store::metrics::RAW_RETENTION_SECS);
    let mut out: Vec<SeriesPoint> = Vec::new();
    if from < raw_from {
        for r in store.rollups(machine_id, from, raw_from)? {
            if let Some(p) = from_rollup(&r, metric) {
                out.push(p);
            }
        }
    }
    let points = store.points(machine_id, raw_from, to)?;
    for (i, p) in points.iter().enumerate() {
        let previous = i.checked_sub(1).map(|j| &points[j]);
        if let Some(sp) = from_point(p, previous, metric) {
            out.push(sp);
        }
    }
    Ok(out)
}

/// The series of `metric` from raw points already read, oldest first: those at or after
/// `from` (the machine view reads 30 days once for its charts and its availability bar).
pub(crate) fn from_points(points: &[Point], metric: &Metric, from: i64) -> Vec<SeriesPoint> {
    let start = points.partition_point(|p| p.time < from);
    (start..points.len())
        .filter_map(|i| {
            let previous = i.checked_sub(1).filter(|&j| j >= start).map(|j| &points[j]);
            from_point(&points[i], previous, metric)
        })
        .collect()
}

fn point(unix: i64, value: f64) -> SeriesPoint {
    SeriesPoint {
        time: crate::clock::rfc3339(unix),
        unix,
        value: (value * 100.0).round() / 100.0,
        rx: None,
        tx: None,
        min: None,
        max: None,
    }
}

fn from_point(p: &Point, previous: Option<&Point>, metric: &Metric) -> Option<SeriesPoint> {
    let value = match metric {
        Metric::Cpu => p.cpu_permille as f64 / 10.0,
        Metric::Ram => percent(p.mem_used, p.mem_total),
        Metric::Disk(None) => p
            .disks
            .iter()
            .map(|d| percent(d.used, d.size))
            .reduce(f64::max)?,
        Metric::Disk(Some(mount)) => p
            .disks
            .iter()
            .find(|d| *d.mount == **mount)
            .map(|d| percent(d.used, d.size))?,
        Metric::Load => p.load[0] as f64 / 100.0,
        Metric::Net => {
            let (rx, tx) = rates(previous?, p)?;
            let mut sp = point(p.time, rx + tx);
            sp.rx = Some(rx.round());
            sp.tx = Some(tx.round());
            return Some(sp);
        }
    };
    Some(point(p.time, value))
}

fn from_rollup(r: &Rollup, metric: &Metric) -> Option<SeriesPoint> {
    let i = match metric {
        Metric::Cpu => 0,
        Metric::Ram => 1,
        Metric::Disk(None) => 4,
        Metric::Disk(Some(_)) => return None, // per-mount history is kept for 30 days
        Metric::Load => 3,
        Metric::Net => 5,
    };
    let [min, avg, max] = r.values[i].map(f64::from);
    let mut p = point(r.hour, avg);
    p.min = Some(min);
    p.max = Some(max);
    if *metric == Metric::Net {
        let tx = f64::from(r.values[6][1]);
        p.value = avg + tx;
        p.rx = Some(avg.round());
        p.tx = Some(tx.round());
    }
    Some(p)
}

/// A sparkline of `width` cells over `from..to`: each cell the average of its points.
pub(crate) fn sparkline(
    points: &[SeriesPoint],
    from: i64,
    to: i64,
    width: usize,
    fixed_max: Option<f64>,
) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let width = width.max(1);
    let span = (to - from).max(1) as f64;
    let mut sums = vec![(0.0, 0usize); width];
    for p in points {
        let cell = (((p.unix - from) as f64 / span) * width as f64) as usize;
        if let Some(c) = sums.get_mut(cell.min(width - 1)) {
            c.0 += p.value;
            c.1 += 1;
        }
    }
    let max = fixed_max.unwrap_or_else(|| {
        sums.iter()
            .filter(|c| c.1 > 0)
            .map(|c| c.0 / c.1 as f64)
            .fold(0.0, f64::max)
    });
    sums.iter()
        .map(|&(sum, n)| {
            if n == 0 {
                return ' ';
            }
            let v = sum / n as f64;
            let level = if max <= 0.0 {
                0.0
            } else {
                (v / max * 7.0).round()
            };
            BARS[(level.max(0.0) as usize).min(7)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_parse() {
        assert_eq!(
            Metric::parse("disk:/srv"),
            Ok(Metric::Disk(Some("/srv".into())))
        );
        assert!(Metric::parse("disk:srv").is_err());
        assert!(Metric::parse("gpu").is_err());
    }

    #[test]
    fn sparkline_scales() {
        let pts: Vec<SeriesPoint> = (0..10).map(|i| point(i * 10, i as f64 * 10.0)).collect();
        assert_eq!(sparkline(&pts, 0, 100, 10, Some(100.0)), "▁▂▂▃▄▅▅▆▇▇");
        assert_eq!(sparkline(&[], 0, 100, 4, None), "    ");
    }
}
