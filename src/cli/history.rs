//! `homelabcmd history MACHINE --metric M --since D`: a metric over time, as a sparkline.

use super::Context;
use crate::error::Error;
use crate::fleet::fmt_duration;
use crate::monitor::history::{self, Metric, SeriesPoint};
use crate::monitor::report;
use crate::output::{self, Color};

/// Show how a metric of one machine moved: a terminal sparkline with min/avg/max, or the
/// series with -o json.
///
/// Samples are kept at full resolution for 30 days, as hourly min/avg/max for a year; a
/// longer --since reads the hourly rollups for the older part.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The machine's id in fleet.yaml
    machine: String,

    /// cpu, ram, disk (the fullest), disk:/MOUNT, load or net
    #[arg(long, short, default_value = "cpu", value_parser = Metric::parse)]
    metric: Metric,

    /// How far back: 24h, 7d, 30d, 90d… (at most 365d)
    #[arg(long, default_value = "24h", value_parser = since)]
    since: u64,

    /// Width of the sparkline in cells
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u16).range(8..=400))]
    width: u16,
}

fn since(text: &str) -> Result<u64, String> {
    history::parse_since(text).map_err(str::to_string)
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (_, fleet) = cx.fleet()?;
    let m = super::machine(&fleet, &args.machine)?;
    let now = cx.now();
    let store = cx.existing_store()?;
    let doc = report::history(store.as_ref(), m, &args.metric, args.since, now)?;
    if cx.out.is_json() {
        return cx.out.print(&report::json(&doc).map_err(json_error)?);
    }
    let (from, points) = (doc.from_unix, doc.points);
    let mut t = format!(
        "{}  {}  last {}  ({} points)\n",
        cx.out.paint(&m.id, Color::Bold),
        args.metric.label(),
        fmt_duration(std::time::Duration::from_secs(args.since)),
        points.len()
    );
    if points.is_empty() {
        t.push_str("no data for this period\n");
        return cx.out.print(&t);
    }
    let fixed = args.metric.is_percent().then_some(100.0);
    let width = usize::from(args.width);
    let show = |v: f64| match args.metric {
        Metric::Net => format!("{}/s", output::bytes(v as u64)),
        Metric::Load => format!("{v:.2}"),
        _ => format!("{v:.1}%"),
    };
    let mut lines: Vec<(&str, Vec<SeriesPoint>)> = Vec::new();
    if args.metric == Metric::Net {
        let pick = |f: fn(&SeriesPoint) -> Option<f64>| {
            points
                .iter()
                .map(|p| SeriesPoint {
                    value: f(p).unwrap_or(0.0),
                    ..p.clone()
                })
                .collect::<Vec<_>>()
        };
        lines.push(("rx", pick(|p| p.rx)));
        lines.push(("tx", pick(|p| p.tx)));
    } else {
        lines.push(("", points));
    }
    for (name, pts) in &lines {
        let values: Vec<f64> = pts.iter().map(|p| p.value).collect();
        let min = values.iter().copied().fold(f64::MAX, f64::min);
        let max = values.iter().copied().fold(f64::MIN, f64::max);
        let avg = values.iter().sum::<f64>() / values.len() as f64;
        let last = values.last().copied().unwrap_or_default();
        let prefix = if name.is_empty() {
            String::new()
        } else {
            format!("{name} ")
        };
        t.push_str(&format!(
            "{prefix}{}\n",
            history::sparkline(pts, from, now, width, fixed)
        ));
        t.push_str(&format!(
            "{prefix}min {}  avg {}  max {}  last {}\n",
            show(min),
            show(avg),
            show(max),
            show(last)
        ));
    }
    t.push_str(&cx.out.paint(
        &format!(
            "{} → {}\n",
            crate::clock::rfc3339(from),
            crate::clock::rfc3339(now)
        ),
        Color::Dim,
    ));
    cx.out.print(&t)
}

pub(crate) fn json_error(e: serde_json::Error) -> Error {
    Error::config(format!("cannot encode JSON: {e}"))
}
