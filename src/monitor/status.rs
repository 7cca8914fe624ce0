//! The fleet at a glance: each machine's state and latest numbers, the warnings they raise,
//! and the summary line. One shape, used by `status`, its JSON and (later) the page.

use std::collections::HashMap;

use homelabcmd_proto::{Sample, UpdatesStatus};
use serde::Serialize;

use super::state::{State, ago};
use crate::fleet::{Fleet, Machine, MachineType};
use crate::store::metrics::percent;
use crate::store::{ComplianceRecord, MachineRecord};

/// One machine's row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MachineStatus {
    pub(crate) id: String,
    pub(crate) name: String,
    #[serde(rename = "type")]
    pub(crate) kind: MachineType,
    pub(crate) state: State,
    pub(crate) paused: bool,
    /// When the hub last heard from it (RFC 3339), and how long ago in seconds.
    pub(crate) last_seen: Option<String>,
    pub(crate) last_seen_secs_ago: Option<i64>,
    pub(crate) agent_version: Option<String>,
    /// The time of the newest sample the numbers below come from.
    pub(crate) sample_time: Option<String>,
    pub(crate) cpu_percent: Option<f64>,
    pub(crate) memory_percent: Option<f64>,
    /// The fullest filesystem.
    pub(crate) disk: Option<DiskUse>,
    pub(crate) load: Option<[f64; 3]>,
    pub(crate) uptime_secs: Option<u64>,
    pub(crate) updates: Option<UpdatesSummary>,
    pub(crate) services: Services,
    pub(crate) containers: Option<Containers>,
    /// The newest `diff`/`apply` result, without connecting again.
    pub(crate) compliance: Option<Compliance>,
    pub(crate) warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Compliance {
    /// compliant, drift or not_checked
    pub(crate) state: String,
    pub(crate) mismatches: usize,
    pub(crate) checked_at: String,
    pub(crate) fleet_commit: Option<String>,
}

impl Compliance {
    pub(crate) fn of(r: &ComplianceRecord) -> Self {
        let mismatches =
            serde_json::from_str::<Vec<serde_json::Value>>(&r.mismatches).map_or(0, |v| v.len());
        Self {
            state: r.state.clone(),
            mismatches,
            checked_at: crate::clock::rfc3339(r.checked_at),
            fleet_commit: r.fleet_commit.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DiskUse {
    pub(crate) mount: String,
    pub(crate) percent: f64,
    pub(crate) used: u64,
    pub(crate) size: u64,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct UpdatesSummary {
    pub(crate) status: UpdatesStatus,
    pub(crate) pending: Option<u32>,
    pub(crate) security: Option<u32>,
    pub(crate) cache_age_secs: Option<u64>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Services {
    /// fleet.yaml's `services` for the machine.
    pub(crate) expected: Vec<String>,
    /// Expected units the agent reported as not active, with their state.
    pub(crate) failing: Vec<String>,
    /// Expected units the agent has not reported (it learns the list from the hub's reply).
    pub(crate) not_reported: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Containers {
    pub(crate) total: usize,
    pub(crate) running: usize,
    pub(crate) stopped: Vec<String>,
}

/// A machine that sends heartbeats but is not in fleet.yaml.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Unregistered {
    pub(crate) id: String,
    pub(crate) last_seen: Option<String>,
    pub(crate) last_seen_secs_ago: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Summary {
    pub(crate) online: usize,
    pub(crate) offline: usize,
    pub(crate) unknown: usize,
    /// Machines with at least one warning.
    pub(crate) warnings: usize,
    pub(crate) paused: usize,
    pub(crate) workstations_online: usize,
    pub(crate) workstations_away: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FleetStatus {
    pub(crate) time: String,
    pub(crate) summary: Summary,
    pub(crate) machines: Vec<MachineStatus>,
    pub(crate) unregistered: Vec<Unregistered>,
}

/// Everything the store knows, joined with the fleet.
pub(crate) fn fleet_status(
    fleet: &Fleet,
    records: &HashMap<String, MachineRecord>,
    latest: &HashMap<String, (i64, String)>,
    compliance: &HashMap<String, ComplianceRecord>,
    now: i64,
) -> FleetStatus {
    let mut machines: Vec<MachineStatus> = fleet
        .machines
        .iter()
        .map(|m| {
            let sample = latest
                .get(&m.id)
                .and_then(|(_, json)| serde_json::from_str::<Sample>(json).ok());
            let mut status = machine_status(fleet, m, records.get(&m.id), sample.as_ref(), now);
            status.compliance = compliance.get(&m.id).map(Compliance::of);
            status
        })
        .collect();
    // Servers first, then workstations, each in fleet.yaml order.
    machines.sort_by_key(|m| m.kind == MachineType::Workstation);
    let mut summary = Summary::default();
    for m in &machines {
        match (m.kind, m.state) {
            (MachineType::Workstation, State::Online) => summary.workstations_online += 1,
            (MachineType::Workstation, State::Away) => summary.workstations_away += 1,
            (MachineType::Workstation, _) => {}
            (_, State::Online) => summary.online += 1,
            (_, State::Offline) => summary.offline += 1,
            (_, _) => summary.unknown += 1,
        }
        summary.warnings += usize::from(!m.warnings.is_empty());
        summary.paused += usize::from(m.paused);
    }
    let mut unregistered: Vec<Unregistered> = records
        .values()
        .filter(|r| !r.registered && fleet.machine(&r.machine_id).is_none())
        .map(|r| Unregistered {
            id: r.machine_id.clone(),
            last_seen: r.last_seen.map(crate::clock::rfc3339),
            last_seen_secs_ago: r.last_seen.map(|t| now - t),
        })
        .collect();
    unregistered.sort_by(|a, b| a.id.cmp(&b.id));
    FleetStatus {
        time: crate::clock::rfc3339(now),
        summary,
        machines,
        unregistered,
    }
}

/// One machine's status from its record and newest sample.
pub(crate) fn machine_status(
    fleet: &Fleet,
    m: &Machine,
    record: Option<&MachineRecord>,
    sample: Option<&Sample>,
    now: i64,
) -> MachineStatus {
    let last_seen = record.and_then(|r| r.last_seen);
    let state = State::of(m.kind, last_seen, fleet.offline_after(m), now);
    let mut status = MachineStatus {
        id: m.id.clone(),
        name: m.name.clone(),
        kind: m.kind,
        state,
        paused: record.is_some_and(|r| r.is_paused(now)),
        last_seen: last_seen.map(crate::clock::rfc3339),
        last_seen_secs_ago: last_seen.map(|t| now - t),
        agent_version: record.and_then(|r| r.agent_version.clone()),
        sample_time: None,
        cpu_percent: None,
        memory_percent: None,
        disk: None,
        load: None,
        uptime_secs: None,
        updates: None,
        services: Services {
            expected: m.services.clone(),
            failing: Vec::new(),
            not_reported: m.services.clone(),
        },
        containers: None,
        compliance: None,
        warnings: Vec::new(),
    };
    let Some(s) = sample else {
        return status;
    };
    status.sample_time = Some(s.time.clone());
    status.cpu_percent = Some(round1(s.cpu_percent));
    status.memory_percent = Some(round1(percent(s.memory.used, s.memory.total)));
    status.disk = s
        .filesystems
        .iter()
        .filter(|f| f.responsive && f.size > 0)
        .map(|f| DiskUse {
            mount: f.mount.clone(),
            percent: round1(percent(f.used, f.size)),
            used: f.used,
            size: f.size,
        })
        .max_by(|a, b| a.percent.total_cmp(&b.percent));
    status.load = Some([s.load.one, s.load.five, s.load.fifteen]);
    status.uptime_secs = Some(s.uptime_secs);
    status.updates = Some(UpdatesSummary {
        status: s.updates.status,
        pending: s.updates.pending,
        security: s.updates.security,
        cache_age_secs: s.updates.cache_age_secs,
    });
    status.services.not_reported.clear();
    for unit in &m.services {
        let reported = s
            .services
            .iter()
            .find(|r| r.name == *unit || r.name.strip_suffix(".service") == Some(unit.as_str()));
        match reported {
            // No systemd to ask (a container): as good as not reported.
            Some(r) if r.active_state == "unknown" => {
                status.services.not_reported.push(unit.clone())
            }
            Some(r) if r.active_state != "active" => {
                status
                    .services
                    .failing
                    .push(format!("{unit} ({})", r.active_state));
            }
            Some(_) => {}
            None => status.services.not_reported.push(unit.clone()),
        }
    }
    if s.docker.available {
        let running = s
            .docker
            .containers
            .iter()
            .filter(|c| c.state == "running")
            .count();
        status.containers = Some(Containers {
            total: s.docker.containers.len(),
            running,
            stopped: s
                .docker
                .containers
                .iter()
                .filter(|c| c.state != "running")
                .map(|c| c.name.clone())
                .collect(),
        });
    }
    if state == State::Online {
        status.warnings = warnings(m, &status);
    }
    status
}

/// What needs a look on a machine that is online: thresholds crossed, expected services down.
fn warnings(m: &Machine, s: &MachineStatus) -> Vec<String> {
    let t = &m.thresholds;
    let mut out = Vec::new();
    if let Some(d) = &s.disk {
        if d.percent >= f64::from(t.disk_critical) {
            out.push(format!(
                "disk {} at {:.0}% (critical {}%)",
                d.mount, d.percent, t.disk_critical
            ));
        } else if d.percent >= f64::from(t.disk_warning) {
            out.push(format!(
                "disk {} at {:.0}% (warning {}%)",
                d.mount, d.percent, t.disk_warning
            ));
        }
    }
    if let Some(ram) = s.memory_percent
        && ram >= f64::from(t.ram)
    {
        out.push(format!("RAM at {ram:.0}% (threshold {}%)", t.ram));
    }
    if let Some(cpu) = s.cpu_percent
        && cpu >= f64::from(t.cpu)
    {
        out.push(format!("CPU at {cpu:.0}% (threshold {}%)", t.cpu));
    }
    for failing in &s.services.failing {
        out.push(format!("service {failing}"));
    }
    out
}

/// `9 online · 1 offline · 2 warnings · workstations: 1 online, 1 last seen 3h ago`.
pub(crate) fn summary_line(s: &FleetStatus) -> String {
    let n = &s.summary;
    let mut parts = vec![
        format!("{} online", n.online),
        format!("{} offline", n.offline),
    ];
    if n.unknown > 0 {
        parts.push(format!("{} never seen", n.unknown));
    }
    parts.push(format!(
        "{} warning{}",
        n.warnings,
        if n.warnings == 1 { "" } else { "s" }
    ));
    if n.paused > 0 {
        parts.push(format!("{} paused", n.paused));
    }
    let workstations: Vec<&MachineStatus> = s
        .machines
        .iter()
        .filter(|m| m.kind == MachineType::Workstation)
        .collect();
    if !workstations.is_empty() {
        let mut w = vec![format!("{} online", n.workstations_online)];
        let mut away: Vec<&MachineStatus> = workstations
            .iter()
            .copied()
            .filter(|m| m.state == State::Away)
            .collect();
        away.sort_by_key(|m| m.last_seen_secs_ago);
        match away.as_slice() {
            [] => {}
            [one] => w.push(format!(
                "1 last seen {}",
                one.last_seen_secs_ago.map(ago).unwrap_or_default()
            )),
            [first, ..] => w.push(format!(
                "{} away (latest seen {})",
                away.len(),
                first.last_seen_secs_ago.map(ago).unwrap_or_default()
            )),
        }
        let never = workstations
            .iter()
            .filter(|m| m.state == State::Unknown)
            .count();
        if never > 0 {
            w.push(format!("{never} never seen"));
        }
        parts.push(format!("workstations: {}", w.join(", ")));
    }
    parts.join(" · ")
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
