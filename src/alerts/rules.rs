//! The rules: each machine's settings (thresholds, hysteresis, expected services) taken from
//! the fleet, and what one heartbeat sample says about each rule and subject — bad (with a
//! severity and the words for people), good (clearly below the clear level), or neither.
//!
//! Default severities: offline critical; disk critical at its critical threshold and high at
//! its warning one; RAM high; expected service stopped high; CPU and container medium;
//! security updates and compliance drift low.

use std::collections::HashMap;
use std::time::Duration;

use homelabcmd_proto::Sample;

use super::Severity;
use super::model::Rule;
use crate::fleet::model::{ActionMode, AlertSettings, CommandSpec, Thresholds};
use crate::fleet::{Fleet, MachineType};

/// What the rules need of one machine.
#[derive(Debug, Clone)]
pub(crate) struct MachineRules {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) kind: MachineType,
    pub(crate) offline_after: Duration,
    pub(crate) services: Vec<String>,
    pub(crate) thresholds: Thresholds,
    pub(crate) settings: AlertSettings,
    /// The remediation each rule's alert brings, its command taken from the whitelist.
    pub(crate) actions: HashMap<Rule, Planned>,
}

/// Every machine's rules, by id (rebuilt when the fleet is reloaded).
#[derive(Debug, Clone, Default)]
pub(crate) struct FleetRules {
    pub(crate) machines: HashMap<String, MachineRules>,
}

impl FleetRules {
    pub(crate) fn of(fleet: &Fleet) -> Self {
        let whitelist = crate::exec::whitelist(fleet);
        let machines = fleet
            .machines
            .iter()
            .map(|m| {
                let rules = MachineRules {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    kind: m.kind,
                    offline_after: fleet.offline_after(m),
                    services: m.services.clone(),
                    thresholds: m.thresholds,
                    settings: m.alerts.clone(),
                    actions: planned(&whitelist, &m.alerts),
                };
                (m.id.clone(), rules)
            })
            .collect();
        Self { machines }
    }
}

/// What a rule found wrong, in words for people.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    pub(crate) severity: Severity,
    pub(crate) summary: String,
    pub(crate) value: Option<String>,
    pub(crate) threshold: Option<String>,
    pub(crate) action: Option<String>,
}

/// One evaluation of one rule and subject.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reading {
    Bad(Finding),
    /// Between the clear level and the threshold, or not known: changes nothing.
    Neither,
    Good,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Observation {
    pub(crate) rule: Rule,
    pub(crate) subject: Option<String>,
    pub(crate) reading: Reading,
}

/// Since when (sample time) CPU has been at or above its threshold without a break.
pub(crate) type CpuRun = Option<i64>;

/// What `sample` (taken at `time`) says about each sample rule of the machine.
pub(crate) fn observe(
    rules: &MachineRules,
    sample: &Sample,
    time: i64,
    cpu_run: &mut CpuRun,
) -> Vec<Observation> {
    let t = &rules.thresholds;
    let margin = f64::from(rules.settings.clear_margin);
    let mut out = Vec::new();
    for fs in sample
        .filesystems
        .iter()
        .filter(|f| f.responsive && f.size > 0)
    {
        let pct = fs.used as f64 * 100.0 / fs.size as f64;
        let level = if pct >= f64::from(t.disk_critical) {
            Some((Severity::Critical, t.disk_critical))
        } else if pct >= f64::from(t.disk_warning) {
            Some((Severity::High, t.disk_warning))
        } else {
            None
        };
        let reading = match level {
            Some((severity, limit)) => Reading::Bad(Finding {
                severity,
                summary: format!("disk {} at {}", fs.mount, percent(pct)),
                value: Some(percent(pct)),
                threshold: Some(format!("{limit} %")),
                action: Some("free space: docker-prune-images or clear old logs".into()),
            }),
            None => value_reading(pct, t.disk_warning, margin),
        };
        out.push(observation(Rule::Disk, Some(&fs.mount), reading));
    }
    if sample.memory.total > 0 {
        let pct = sample.memory.used as f64 * 100.0 / sample.memory.total as f64;
        let reading = if pct >= f64::from(t.ram) {
            Reading::Bad(Finding {
                severity: Severity::High,
                summary: format!("memory at {}", percent(pct)),
                value: Some(percent(pct)),
                threshold: Some(format!("{} %", t.ram)),
                action: Some("find the process using it (`exec MACHINE top`)".into()),
            })
        } else {
            value_reading(pct, t.ram, margin)
        };
        out.push(observation(Rule::Ram, None, reading));
    }
    out.push(observation(
        Rule::Cpu,
        None,
        cpu(rules, sample.cpu_percent, time, cpu_run),
    ));
    for unit in &rules.services {
        out.push(observation(
            Rule::Service,
            Some(unit),
            service(sample, unit),
        ));
    }
    if rules.settings.containers && sample.docker.available {
        for c in &sample.docker.containers {
            let reading = if c.state == "running" {
                Reading::Good
            } else {
                Reading::Bad(Finding {
                    severity: Severity::Medium,
                    summary: format!("container {} {}", c.name, c.state),
                    value: Some(c.state.clone()),
                    threshold: None,
                    action: Some("docker-start".into()),
                })
            };
            out.push(observation(Rule::Container, Some(&c.name), reading));
        }
    }
    out.push(observation(Rule::Updates, None, updates(sample)));
    out
}

fn observation(rule: Rule, subject: Option<&str>, reading: Reading) -> Observation {
    Observation {
        rule,
        subject: subject.map(str::to_string),
        reading,
    }
}

/// Below the threshold: good only once below it by the clear margin.
fn value_reading(pct: f64, threshold: u8, margin: f64) -> Reading {
    if pct < f64::from(threshold) - margin {
        Reading::Good
    } else {
        Reading::Neither
    }
}

fn percent(pct: f64) -> String {
    format!("{} %", pct.round() as i64)
}

/// Bad once CPU has stayed at or above the threshold for the window.
fn cpu(rules: &MachineRules, cpu: f64, time: i64, run: &mut CpuRun) -> Reading {
    let threshold = rules.thresholds.cpu;
    if cpu < f64::from(threshold) {
        *run = None;
        return value_reading(cpu, threshold, f64::from(rules.settings.clear_margin));
    }
    let since = *run.get_or_insert(time);
    let window = rules.settings.cpu_window;
    if time - since < window.as_secs() as i64 {
        return Reading::Neither;
    }
    Reading::Bad(Finding {
        severity: Severity::Medium,
        summary: format!(
            "CPU at or above {threshold} % for {}",
            crate::fleet::fmt_duration(window)
        ),
        value: Some(percent(cpu)),
        threshold: Some(format!("{threshold} %")),
        action: Some("find the busy process (`exec MACHINE top`)".into()),
    })
}

/// An expected unit: active is good; (de)activating or not reported is not known yet.
fn service(sample: &Sample, unit: &str) -> Reading {
    let found = sample
        .services
        .iter()
        .find(|s| s.name == unit || s.name.strip_suffix(".service") == Some(unit));
    let Some(state) = found else {
        return Reading::Neither;
    };
    match state.active_state.as_str() {
        "active" => Reading::Good,
        "activating" | "deactivating" | "reloading" => Reading::Neither,
        other => Reading::Bad(Finding {
            severity: Severity::High,
            summary: format!("{unit} stopped ({other}/{})", state.sub_state),
            value: Some(other.to_string()),
            threshold: Some("active".into()),
            action: Some("restart-service".into()),
        }),
    }
}

fn updates(sample: &Sample) -> Reading {
    match sample.updates.security {
        Some(0) => Reading::Good,
        Some(n) => Reading::Bad(Finding {
            severity: Severity::Low,
            summary: format!(
                "{n} security update{} pending",
                if n == 1 { "" } else { "s" }
            ),
            value: Some(n.to_string()),
            threshold: Some("0".into()),
            action: Some("install them (`apt upgrade`)".into()),
        }),
        None => Reading::Neither,
    }
}

/// A rule's action with its command found on the whitelist.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    pub(crate) spec: CommandSpec,
    pub(crate) mode: ActionMode,
}

/// The actions of one machine's settings (fleet validation made sure each command exists).
pub(crate) fn planned(
    whitelist: &[CommandSpec],
    settings: &AlertSettings,
) -> HashMap<Rule, Planned> {
    settings
        .actions
        .iter()
        .filter_map(|(rule, a)| {
            let spec = whitelist.iter().find(|c| c.name == a.command)?;
            Some((
                *rule,
                Planned {
                    spec: spec.clone(),
                    mode: a.mode,
                },
            ))
        })
        .collect()
}
