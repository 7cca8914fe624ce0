//! `GET /metrics`: the fleet in the Prometheus text exposition format (version 0.0.4), read
//! from the store on each scrape. Named the Prometheus way: the `homelab_` prefix, base units
//! (`_bytes`, `_seconds`, ratios 0–1), `_total` for counters, one `_info` series for the
//! labels that describe a machine; filesystems labelled like node_exporter's (`mountpoint`,
//! `fstype`, `device`); the running cost (`homelab_machine_power_watts`,
//! `homelab_machine_cost_per_day`, `homelab_cost_per_day`); the latest `sync` of the fleet
//! repository, when one ran. A small encoder of the format, with its escaping, lives here too.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use homelabcmd_proto::{Sample, UpdatesStatus};

use super::Hub;
use super::read::read;
use crate::alerts::report as alert_report;
use crate::alerts::{Alert, Severity};
use crate::cost::{self, CostReport};
use crate::fleet::MachineType;
use crate::monitor::report;
use crate::monitor::state::State as MachineState;
use crate::monitor::status::{FleetStatus, MachineStatus};
use crate::store::Store;
use crate::store::sync::{AppliedCommit, SyncRecord};

const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

pub(crate) async fn get(State(hub): State<Arc<Hub>>) -> Response {
    let text = read(&hub, |store, cx| {
        let status = report::fleet(store, &cx.fleet, cx.now)?;
        let samples = latest(store)?;
        let alerts = alert_report::current_by_machine(store)?;
        let costs = cost::or_none(cost::report(store, &cx.fleet, cost::DEFAULT_SINCE, cx.now))?;
        let sync = store.map(Store::last_sync).transpose()?.flatten();
        let applied = store.map(Store::last_applied).transpose()?.flatten();
        let mut e = Exposition {
            out: encode(&status, &samples, &alerts),
        };
        if let Some(costs) = costs {
            e.out.push_str(&encode_cost(&costs));
        }
        sync_families(&mut e, sync.as_ref(), applied.as_ref());
        Ok(e.out)
    })
    .await;
    match text {
        Ok(text) => ([(header::CONTENT_TYPE, CONTENT_TYPE)], text).into_response(),
        Err(e) => e.into_response(),
    }
}

fn latest(store: Option<&Store>) -> Result<HashMap<String, Sample>, crate::store::StoreError> {
    let Some(store) = store else {
        return Ok(HashMap::new());
    };
    Ok(store
        .latest_samples()?
        .into_iter()
        .filter_map(|(id, (_, json))| Some((id, serde_json::from_str(&json).ok()?)))
        .collect())
}

/// The exposition of the fleet: each family once, its samples together.
pub(crate) fn encode(
    status: &FleetStatus,
    samples: &HashMap<String, Sample>,
    alerts: &HashMap<String, Vec<Alert>>,
) -> String {
    let mut e = Exposition::default();
    let all = &status.machines;
    let online: Vec<&MachineStatus> = all
        .iter()
        .filter(|m| m.state == MachineState::Online)
        .collect();
    let sample_of = |m: &MachineStatus| samples.get(&m.id);

    e.family(
        "homelab_machine_info",
        "gauge",
        "A machine of the fleet; its labels describe it (OS from the newest sample).",
    );
    for m in all {
        let s = sample_of(m);
        let os = s.map(|s| format!("{} {}", s.os.distribution, s.os.version));
        e.sample(
            "homelab_machine_info",
            &[
                ("machine", &m.id),
                ("name", &m.name),
                ("type", kind(m.kind)),
                ("os", os.as_deref().unwrap_or("")),
                ("kernel", s.map_or("", |s| s.os.kernel.as_str())),
                ("arch", s.map_or("", |s| s.os.arch.as_str())),
                ("agent_version", m.agent_version.as_deref().unwrap_or("")),
            ],
            1.0,
        );
    }
    e.family(
        "homelab_machine_state",
        "gauge",
        "1 for the machine's state (online, offline, away, unknown), 0 for the others.",
    );
    for m in all {
        for state in ["online", "offline", "away", "unknown"] {
            let value = f64::from(u8::from(state_name(m.state) == state));
            e.sample(
                "homelab_machine_state",
                &[("machine", &m.id), ("state", state)],
                value,
            );
        }
    }
    e.family(
        "homelab_machine_paused",
        "gauge",
        "1 while the machine is in maintenance mode.",
    );
    for m in all {
        e.sample(
            "homelab_machine_paused",
            &[("machine", &m.id)],
            f64::from(u8::from(m.paused)),
        );
    }
    e.family(
        "homelab_machine_last_seen_age_seconds",
        "gauge",
        "Seconds since the machine's last heartbeat (absent: never heard from).",
    );
    for m in all {
        if let Some(age) = m.last_seen_secs_ago {
            e.sample(
                "homelab_machine_last_seen_age_seconds",
                &[("machine", &m.id)],
                age as f64,
            );
        }
    }
    per_machine(
        &mut e,
        &online,
        "homelab_cpu_usage_ratio",
        "CPU busy, 0 to 1, in the newest sample.",
        |m| m.cpu_percent.map(|c| c / 100.0),
    );
    machine_samples(&mut e, all, samples);
    per_machine(
        &mut e,
        &online,
        "homelab_updates_pending",
        "Package updates pending.",
        |m| updates(m).map(|(p, _)| p),
    );
    per_machine(
        &mut e,
        &online,
        "homelab_updates_security_pending",
        "Security updates pending.",
        |m| updates(m).map(|(_, s)| s),
    );
    per_machine(
        &mut e,
        &online,
        "homelab_services_failing",
        "Expected systemd services that are not active.",
        |m| Some(m.services.failing.len() as f64),
    );
    per_machine(
        &mut e,
        &online,
        "homelab_containers",
        "Docker containers (where Docker is present).",
        |m| m.containers.as_ref().map(|c| c.total as f64),
    );
    per_machine(
        &mut e,
        &online,
        "homelab_containers_running",
        "Docker containers running.",
        |m| m.containers.as_ref().map(|c| c.running as f64),
    );
    per_machine(
        &mut e,
        &all.iter().collect::<Vec<_>>(),
        "homelab_compliance_compliant",
        "1 when the newest compliance check found the machine as its packs say, 0 when it found drift.",
        |m| {
            m.compliance
                .as_ref()
                .filter(|c| c.state != "not_checked")
                .map(|c| f64::from(u8::from(c.state == "compliant")))
        },
    );
    per_machine(
        &mut e,
        &all.iter().collect::<Vec<_>>(),
        "homelab_compliance_mismatches",
        "Mismatches found by the newest compliance check.",
        |m| {
            m.compliance
                .as_ref()
                .filter(|c| c.state != "not_checked")
                .map(|c| c.mismatches as f64)
        },
    );
    let ids: Vec<&str> = all.iter().map(|m| m.id.as_str()).collect();
    alerts_open(&mut e, &ids, alerts);
    e.out
}

/// The running cost (`cost`): each machine's rated watts, and what each machine and the
/// fleet (by type, and all) cost a day in the fleet's currency, workstations as measured over
/// 30 days. Machines that cannot be costed have no cost series.
pub(crate) fn encode_cost(r: &CostReport) -> String {
    let mut e = Exposition::default();
    let currency = r.currency.as_str();
    e.family(
        "homelab_machine_power_watts",
        "gauge",
        "The machine's rated power draw (fleet.yaml tdp_w).",
    );
    for m in &r.machines {
        if let Some(w) = m.tdp_w {
            e.sample(
                "homelab_machine_power_watts",
                &[("machine", &m.id)],
                f64::from(w),
            );
        }
    }
    e.family(
        "homelab_machine_cost_per_day",
        "gauge",
        "What the machine costs to run a day: watts, hours on (24 for a server, measured for a workstation), price.",
    );
    for m in &r.machines {
        if let Some(c) = m.cost_per_day {
            let labels = [("machine", m.id.as_str()), ("currency", currency)];
            e.sample("homelab_machine_cost_per_day", &labels, c.number());
        }
    }
    e.family(
        "homelab_cost_per_day",
        "gauge",
        "What the fleet costs to run a day, by machine type and all, without machines that cannot be costed.",
    );
    for (kind, t) in [
        ("server", &r.servers),
        ("workstation", &r.workstations),
        ("all", &r.all),
    ] {
        let labels = [("type", kind), ("currency", currency)];
        e.sample("homelab_cost_per_day", &labels, t.cost_per_day.number());
    }
    e.out
}

/// `homelab_alerts_open{machine,severity}`: the current (open or acknowledged) alerts of each
/// machine by severity. Every machine of the fleet has a series for each of the four
/// severities, 0 when it has none of it (Prometheus' advice for labels with known values: a
/// series that appears only when something goes wrong is hard to query and to alert on). A
/// machine no longer in fleet.yaml with alerts still current gets series for those.
fn alerts_open(e: &mut Exposition, fleet: &[&str], alerts: &HashMap<String, Vec<Alert>>) {
    const NAME: &str = "homelab_alerts_open";
    e.family(
        NAME,
        "gauge",
        "Alerts open or acknowledged (not stale, not resolved), by severity.",
    );
    let mut gone: Vec<&str> = alerts
        .keys()
        .map(String::as_str)
        .filter(|id| !fleet.contains(id))
        .collect();
    gone.sort_unstable();
    for id in fleet.iter().copied().chain(gone) {
        let of = alerts.get(id).map_or(&[][..], Vec::as_slice);
        for severity in Severity::ALL.into_iter().rev() {
            let n = of.iter().filter(|a| a.severity == severity).count();
            e.sample(
                NAME,
                &[("machine", id), ("severity", severity.as_str())],
                n as f64,
            );
        }
    }
}

/// One gauge with one series per machine that has a value.
fn per_machine(
    e: &mut Exposition,
    machines: &[&MachineStatus],
    name: &str,
    help: &str,
    value: impl Fn(&MachineStatus) -> Option<f64>,
) {
    e.family(name, "gauge", help);
    for m in machines {
        if let Some(v) = value(m) {
            e.sample(name, &[("machine", &m.id)], v);
        }
    }
}

/// The families read from the newest sample of each online machine.
fn machine_samples(e: &mut Exposition, all: &[MachineStatus], samples: &HashMap<String, Sample>) {
    let online: Vec<(&str, &Sample)> = all
        .iter()
        .filter(|m| m.state == MachineState::Online)
        .filter_map(|m| Some((m.id.as_str(), samples.get(&m.id)?)))
        .collect();
    type Get = fn(&Sample) -> f64;
    let simple: [(&str, &str, Get); 8] = [
        ("homelab_memory_total_bytes", "Physical memory.", |s| {
            s.memory.total as f64
        }),
        (
            "homelab_memory_used_bytes",
            "Memory in use (total minus available).",
            |s| s.memory.used as f64,
        ),
        ("homelab_swap_total_bytes", "Swap space.", |s| {
            s.memory.swap_total as f64
        }),
        ("homelab_swap_used_bytes", "Swap in use.", |s| {
            s.memory.swap_used as f64
        }),
        ("homelab_load1", "1-minute load average.", |s| s.load.one),
        ("homelab_load5", "5-minute load average.", |s| s.load.five),
        ("homelab_load15", "15-minute load average.", |s| {
            s.load.fifteen
        }),
        (
            "homelab_uptime_seconds",
            "Seconds since the machine booted.",
            |s| s.uptime_secs as f64,
        ),
    ];
    for (name, help, get) in simple {
        e.family(name, "gauge", help);
        for (id, s) in &online {
            e.sample(name, &[("machine", id)], get(s));
        }
    }
    type FsGet = fn(&homelabcmd_proto::Filesystem) -> f64;
    let fs: [(&str, &str, FsGet); 4] = [
        ("homelab_filesystem_size_bytes", "Filesystem size.", |f| {
            f.size as f64
        }),
        (
            "homelab_filesystem_free_bytes",
            "Filesystem free space (size minus used).",
            |f| f.size.saturating_sub(f.used) as f64,
        ),
        (
            "homelab_filesystem_avail_bytes",
            "Filesystem space available to non-root users.",
            |f| f.available as f64,
        ),
        (
            "homelab_filesystem_device_error",
            "1 when the filesystem did not answer in time (a dead network mount).",
            |f| f64::from(u8::from(!f.responsive)),
        ),
    ];
    for (name, help, get) in fs {
        e.family(name, "gauge", help);
        for (id, s) in &online {
            for f in &s.filesystems {
                let labels = [
                    ("machine", *id),
                    ("device", f.device.as_str()),
                    ("fstype", f.fs_type.as_str()),
                    ("mountpoint", f.mount.as_str()),
                ];
                e.sample(name, &labels, get(f));
            }
        }
    }
    for (name, help, rx) in [
        (
            "homelab_network_receive_bytes_total",
            "Bytes received by the interface since boot.",
            true,
        ),
        (
            "homelab_network_transmit_bytes_total",
            "Bytes sent by the interface since boot.",
            false,
        ),
    ] {
        e.family(name, "counter", help);
        for (id, s) in &online {
            for i in &s.network {
                let v = if rx { i.rx_bytes } else { i.tx_bytes };
                e.sample(
                    name,
                    &[("machine", id), ("device", i.name.as_str())],
                    v as f64,
                );
            }
        }
    }
}

fn updates(m: &MachineStatus) -> Option<(f64, f64)> {
    let u = m
        .updates
        .as_ref()
        .filter(|u| u.status == UpdatesStatus::Ok)?;
    Some((f64::from(u.pending?), f64::from(u.security.unwrap_or(0))))
}

fn kind(k: MachineType) -> &'static str {
    match k {
        MachineType::Server => "server",
        MachineType::Workstation => "workstation",
    }
}

fn state_name(s: MachineState) -> &'static str {
    match s {
        MachineState::Online => "online",
        MachineState::Offline => "offline",
        MachineState::Away => "away",
        MachineState::Unknown => "unknown",
    }
}

/// The commit last applied, and the latest sync — each when there is one.
fn sync_families(e: &mut Exposition, sync: Option<&SyncRecord>, applied: Option<&AppliedCommit>) {
    if let Some(a) = applied {
        e.family(
            "homelab_fleet_applied_commit_info",
            "gauge",
            "The newest fleet commit apply made changes from; sync never moves the fleet behind it.",
        );
        e.sample(
            "homelab_fleet_applied_commit_info",
            &[("commit", &a.commit)],
            1.0,
        );
        e.family(
            "homelab_fleet_applied_timestamp_seconds",
            "gauge",
            "When that commit was applied (unix seconds).",
        );
        e.sample(
            "homelab_fleet_applied_timestamp_seconds",
            &[],
            a.applied_at as f64,
        );
    }
    let Some(s) = sync else {
        return;
    };
    e.family(
        "homelab_sync_ok",
        "gauge",
        "1 when the latest sync of the fleet repository succeeded (updated or up to date).",
    );
    e.sample(
        "homelab_sync_ok",
        &[],
        f64::from(u8::from(s.outcome.is_success())),
    );
    e.family(
        "homelab_sync_last_attempt_timestamp_seconds",
        "gauge",
        "When the fleet repository was last synced with its remote (unix seconds).",
    );
    e.sample(
        "homelab_sync_last_attempt_timestamp_seconds",
        &[],
        s.attempted_at as f64,
    );
    if let Some(t) = s.last_success_at {
        e.family(
            "homelab_sync_last_success_timestamp_seconds",
            "gauge",
            "When a sync last succeeded (unix seconds).",
        );
        e.sample("homelab_sync_last_success_timestamp_seconds", &[], t as f64);
    }
    e.family(
        "homelab_sync_failures_total",
        "counter",
        "Syncs that were refused or failed.",
    );
    e.sample("homelab_sync_failures_total", &[], s.failures as f64);
    if let Some(commit) = &s.commit {
        e.family(
            "homelab_sync_commit_info",
            "gauge",
            "The fleet repository's commit after the latest sync.",
        );
        e.sample(
            "homelab_sync_commit_info",
            &[("commit", commit), ("outcome", s.outcome.as_str())],
            1.0,
        );
    }
}

/// The text format, written family by family.
#[derive(Default)]
struct Exposition {
    out: String,
}

impl Exposition {
    fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.out, "# HELP {name} {}", escape(help, false));
        let _ = writeln!(self.out, "# TYPE {name} {kind}");
    }

    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.out.push_str(name);
        if !labels.is_empty() {
            self.out.push('{');
            for (i, (k, v)) in labels.iter().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                let _ = write!(self.out, "{k}=\"{}\"", escape(v, true));
            }
            self.out.push('}');
        }
        let _ = writeln!(self.out, " {}", number(value));
    }
}

/// Label values escape `\`, `"` and newlines; HELP text `\` and newlines.
fn escape(text: &str, quote: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '"' if quote => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        let mut e = Exposition::default();
        e.sample("m", &[("mountpoint", "/mnt/a \"b\"\\c\nd")], 1.5);
        assert_eq!(e.out, "m{mountpoint=\"/mnt/a \\\"b\\\"\\\\c\\nd\"} 1.5\n");
        assert_eq!(number(f64::INFINITY), "+Inf");
        assert_eq!(number(3.0), "3");
    }

    #[test]
    fn open_alerts_count_by_machine_and_severity_with_zeros() {
        use crate::alerts::model::{AlertStatus, Rule};
        let alert = |machine: &str, severity| Alert {
            id: 1,
            machine_id: machine.into(),
            rule: Rule::Disk,
            subject: None,
            severity,
            status: AlertStatus::Open,
            summary: String::new(),
            value: None,
            threshold: None,
            action: None,
            opened_at: 0,
            acknowledged_at: None,
            acknowledged_by: None,
            resolved_at: None,
            resolved_by: None,
            last_notified_at: 0,
        };
        let alerts = HashMap::from([
            (
                "b".to_string(),
                vec![alert("b", Severity::High), alert("b", Severity::High)],
            ),
            ("old".to_string(), vec![alert("old", Severity::Low)]),
        ]);
        let mut e = Exposition::default();
        alerts_open(&mut e, &["a", "b"], &alerts);
        let series: Vec<&str> = e.out.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(series.len(), 12, "four severities for a, b and old");
        for line in [
            "homelab_alerts_open{machine=\"a\",severity=\"critical\"} 0",
            "homelab_alerts_open{machine=\"b\",severity=\"high\"} 2",
            "homelab_alerts_open{machine=\"b\",severity=\"low\"} 0",
            "homelab_alerts_open{machine=\"old\",severity=\"low\"} 1",
        ] {
            assert!(series.contains(&line), "{line} in {series:#?}");
        }
    }
}
