//! SVG charts drawn on the server: the cards' sparklines and the machine view's charts, from
//! a series averaged into a fixed number of buckets so the markup stays small whatever the
//! sampling rate.

use std::fmt::Write;

use maud::{Markup, html};

use crate::monitor::history::SeriesPoint;

/// Average `points` into `n` buckets over `from..to`; a bucket without points is None.
pub(crate) fn buckets(points: &[SeriesPoint], from: i64, to: i64, n: usize) -> Vec<Option<f64>> {
    let span = (to - from).max(1) as f64;
    let mut sums = vec![(0.0, 0u32); n.max(1)];
    for p in points {
        let i = (((p.unix - from) as f64 / span) * n as f64) as usize;
        if let Some(b) = sums.get_mut(i.min(n.max(1) - 1)) {
            b.0 += p.value;
            b.1 += 1;
        }
    }
    sums.into_iter()
        .map(|(s, c)| (c > 0).then(|| s / f64::from(c)))
        .collect()
}

/// The path of a line through the buckets in a `w` x `h` box, scaled to `0..=max`; gaps
/// break the line.
fn line(values: &[Option<f64>], w: f64, h: f64, max: f64) -> String {
    let mut d = String::new();
    let step = w / (values.len().max(2) - 1) as f64;
    let mut pen_down = false;
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => {
                let x = i as f64 * step;
                let y = h - (v / max).clamp(0.0, 1.0) * h;
                // `h0` after a move draws a lone point as a dot (round caps).
                let _ = match pen_down {
                    true => write!(d, "L{x:.0},{y:.0}"),
                    false => write!(d, "M{x:.0},{y:.0}h0"),
                };
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    d
}

/// The cards' 24 h CPU sparkline: 24 hourly buckets, 0–100 %, in few bytes (the fleet page
/// of 50 machines stays under 50 KB).
pub(crate) fn sparkline(points: &[SeriesPoint], from: i64, to: i64) -> Markup {
    let values = buckets(points, from, to, 24);
    html! {
        svg.spark viewBox="0 0 46 20" preserveAspectRatio="none" {
            path d=(line(&values, 46.0, 20.0, 100.0)) {}
        }
    }
}

/// A machine view chart: a line and its area, the scale's top and the newest value.
pub(crate) fn chart(
    title: &str,
    points: &[SeriesPoint],
    from: i64,
    to: i64,
    fixed_max: Option<f64>,
    unit: &str,
) -> Markup {
    let values = buckets(points, from, to, 240);
    let max = fixed_max.unwrap_or_else(|| {
        values
            .iter()
            .flatten()
            .copied()
            .fold(0.0, f64::max)
            .max(1.0)
    });
    let d = line(&values, 480.0, 130.0, max);
    // The area under the line, from the first point's x: only where there is one line.
    let step = 480.0 / (values.len() - 1) as f64;
    let area = match values.iter().position(Option::is_some) {
        Some(first) if d.matches('M').count() == 1 && d.contains('L') => {
            format!("{d}V130H{:.0}Z", first as f64 * step)
        }
        _ => String::new(),
    };
    let last = points.last().map(|p| p.value);
    let peak = points
        .iter()
        .map(|p| p.max.unwrap_or(p.value))
        .fold(f64::NAN, f64::max);
    html! {
        figure style="margin:0" {
            figcaption.meta {
                span { (title) }
                @if let Some(v) = last { span.m { "now " (format!("{v:.1}")) (unit) } }
                @if !peak.is_nan() { span.m { "max " (format!("{peak:.1}")) (unit) } }
            }
            svg.chart viewBox="0 0 480 140" preserveAspectRatio="none" role="img" aria-label=(title) {
                @if points.is_empty() {
                    text x="8" y="20" { "no data for this period" }
                } @else {
                    path.a d=(area) {}
                    path.l d=(d) {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(unix: i64, value: f64) -> SeriesPoint {
        SeriesPoint {
            time: String::new(),
            unix,
            value,
            rx: None,
            tx: None,
            min: None,
            max: None,
        }
    }

    #[test]
    fn gaps_break_the_line() {
        let pts = [p(0, 0.0), p(10, 100.0), p(35, 50.0)];
        let values = buckets(&pts, 0, 40, 4);
        assert_eq!(values, vec![Some(0.0), Some(100.0), None, Some(50.0)]);
        assert_eq!(line(&values, 30.0, 10.0, 100.0), "M0,10h0L10,0M30,5h0");
    }
}
