//! Decoding fleet.yaml's `alerts` (under `defaults` and under a machine): how alerts are
//! raised and cleared, field by field over the defaults. The thresholds they compare with are
//! `thresholds`, decoded beside it.

use std::time::Duration;

use super::decode::Decoder;
use super::model::AlertSettings;
use super::yaml::Node;
use crate::alerts::Severity;

const ALERT_KEYS: &[&str] = &[
    "clear_margin",
    "raise_after",
    "clear_after",
    "cpu_window",
    "containers",
    "reminders",
];

/// `alerts:` over `base` (the defaults, or built-in values for `defaults.alerts` itself).
pub(crate) fn alert_settings(
    d: &mut Decoder<'_>,
    node: &Node,
    base: &AlertSettings,
) -> AlertSettings {
    let mut out = base.clone();
    let Some(f) = d.fields(node, "`alerts`", ALERT_KEYS) else {
        return out;
    };
    if let Some(n) = f.get("clear_margin") {
        let v = d.int(n, "`clear_margin` (percentage points)", 0, 50);
        out.clear_margin = v.map_or(out.clear_margin, |v| v as u8);
    }
    if let Some(n) = f.get("raise_after") {
        let v = d.int(n, "`raise_after` (evaluations)", 1, 1000);
        out.raise_after = v.map_or(out.raise_after, |v| v as u32);
    }
    if let Some(n) = f.get("clear_after") {
        let v = d.int(n, "`clear_after` (evaluations)", 1, 1000);
        out.clear_after = v.map_or(out.clear_after, |v| v as u32);
    }
    if let Some(n) = f.get("cpu_window") {
        let v = d.duration(
            n,
            "`cpu_window`",
            Duration::ZERO,
            Duration::from_secs(86_400),
        );
        out.cpu_window = v.unwrap_or(out.cpu_window);
    }
    if let Some(n) = f.get("containers") {
        out.containers = d.bool(n, "`containers`").unwrap_or(out.containers);
    }
    if let Some(n) = f.get("reminders") {
        reminders(d, n, &mut out);
    }
    out
}

/// `reminders: { critical: 4h, high: 1d }`: a severity's interval; `off` removes one set in
/// the defaults.
fn reminders(d: &mut Decoder<'_>, node: &Node, out: &mut AlertSettings) {
    let names: Vec<&str> = Severity::ALL.iter().map(|s| s.as_str()).collect();
    for (name, key, value) in d.entries(node, "`reminders`").unwrap_or_default() {
        let Some(severity) = Severity::parse(name) else {
            let hint = super::diagnostic::suggest(name, "severities", &names);
            d.error(key, format!("`{name}` in `reminders` is not a severity"))
                .hint = Some(hint);
            continue;
        };
        if value.as_scalar() == Some("off") {
            out.reminders.remove(&severity);
            continue;
        }
        let what = format!("the `{name}` reminder interval");
        if let Some(every) = d.duration(
            value,
            &what,
            Duration::from_secs(60),
            Duration::from_secs(30 * 86_400),
        ) {
            out.reminders.insert(severity, every);
        }
    }
}
