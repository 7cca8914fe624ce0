//! Decoding fleet.yaml's `alerts` (under `defaults` and under a machine): how alerts are
//! raised and cleared, field by field over the defaults. The thresholds they compare with are
//! `thresholds`, decoded beside it.

use std::time::Duration;

use super::decode::Decoder;
use super::diagnostic::Diagnostic;
use super::model::{ActionMode, AlertAction, AlertSettings, Fleet, ParamType};
use super::yaml::Node;
use crate::alerts::Severity;
use crate::alerts::model::Rule;

const ALERT_KEYS: &[&str] = &[
    "clear_margin",
    "raise_after",
    "clear_after",
    "cpu_window",
    "containers",
    "reminders",
    "actions",
];

const ACTION_KEYS: &[&str] = &["run", "mode"];

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
    if let Some(n) = f.get("actions") {
        actions(d, n, &mut out);
    }
    out
}

/// `actions: { service: { run: restart-service, mode: auto } }`, by rule; `off` removes one
/// set in the defaults. Whether the command is on the whitelist is checked later
/// ([`check_actions`]), once `commands:` is read.
fn actions(d: &mut Decoder<'_>, node: &Node, out: &mut AlertSettings) {
    let names: Vec<&str> = Rule::ALL.iter().map(|r| r.as_str()).collect();
    for (name, key, value) in d.entries(node, "`actions`").unwrap_or_default() {
        let Some(rule) = Rule::parse(name) else {
            let hint = super::diagnostic::suggest(name, "rules", &names);
            d.error(key, format!("`{name}` in `actions` is not a rule"))
                .hint = Some(hint);
            continue;
        };
        if value.as_scalar() == Some("off") {
            out.actions.remove(&rule);
            continue;
        }
        if matches!(rule, Rule::Offline | Rule::Drift) {
            d.error(key, format!("the `{name}` rule cannot have an action"))
                .hint = Some(
                "actions run when a heartbeat shows the problem: disk, ram, cpu, service, \
                 container or updates"
                    .into(),
            );
            continue;
        }
        let what = format!("the `{name}` action");
        let Some(f) = d.fields(value, &what, ACTION_KEYS) else {
            continue;
        };
        let Some(run) = d.require(&f, key, "run", &what, "run: restart-service") else {
            continue;
        };
        let Some(command) = d.string(run, "`run`") else {
            continue;
        };
        let mode = match f.get("mode") {
            None => ActionMode::Approve,
            Some(m) => match m.as_scalar().and_then(ActionMode::parse) {
                Some(mode) => mode,
                None => {
                    d.error(m, "`mode` must be `auto` or `approve`");
                    continue;
                }
            },
        };
        out.actions.insert(
            rule,
            AlertAction {
                command,
                mode,
                at: (run.pos, run.end),
            },
        );
    }
}

/// Every action names a command on the whitelist whose parameters the alert can fill: a
/// `unit` parameter from a service alert's unit, a `container` one from a container alert's
/// container. Each problem is reported once, where the action was written.
pub(crate) fn check_actions(d: &mut Decoder<'_>, fleet: &Fleet) {
    let list = crate::exec::whitelist(fleet);
    let mut reported = Vec::new();
    let settings =
        std::iter::once(&fleet.defaults.alerts).chain(fleet.machines.iter().map(|m| &m.alerts));
    for (rule, action) in settings.flat_map(|s| s.actions.iter()) {
        if reported.contains(&action.at.0) {
            continue;
        }
        let problem = match list.iter().find(|c| c.name == action.command) {
            None => Some((
                format!("`{}` is not on the command whitelist", action.command),
                "name a built-in command (`homelabcmd exec --list`) or one under `commands:`"
                    .to_string(),
            )),
            Some(spec) => spec
                .params
                .iter()
                .find(|(_, kind)| !fillable(*rule, kind))
                .map(|(param, _)| {
                    (
                        format!(
                            "`{}` needs `{param}`, which a {rule} alert cannot fill",
                            action.command
                        ),
                        "a service alert fills a `unit` parameter, a container alert a \
                         `container` one; other parameters cannot be filled"
                            .to_string(),
                    )
                }),
        };
        if let Some((message, hint)) = problem {
            reported.push(action.at.0);
            d.errors.push(
                Diagnostic::new(d.file, action.at.0, message)
                    .to(action.at.1)
                    .hint(hint),
            );
        }
    }
}

/// Whether an alert of `rule` can fill a parameter of type `kind` (from its subject).
pub(crate) fn fillable(rule: Rule, kind: &ParamType) -> bool {
    matches!(
        (rule, kind),
        (Rule::Service, ParamType::Unit) | (Rule::Container, ParamType::Container)
    )
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
