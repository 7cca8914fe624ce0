//! `homelabcmd status [MACHINE]`: the fleet at a glance, or everything known about one machine.

use homelabcmd_proto::{Sample, UpdatesStatus};

use super::Context;
use crate::error::Error;
use crate::fleet::MachineType;
use crate::monitor::report;
use crate::monitor::state::{State, ago};
use crate::monitor::status::{self, FleetStatus, MachineStatus};
use crate::output::{self, Color, Table};

/// Show the fleet's health: one row per machine, and a summary line.
///
/// Servers are `offline` when no heartbeat came within their offline threshold; workstations
/// are never offline, they show when they were last seen. With MACHINE, everything known about
/// that machine: filesystems, network, services, containers, OS and agent.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// One machine's details
    machine: Option<String>,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (_, fleet) = cx.fleet()?;
    let store = cx.existing_store()?;
    let now = cx.now();
    if let Some(id) = &args.machine {
        let m = super::machine(&fleet, id)?;
        let doc = report::machine(store.as_ref(), &fleet, m, now)?;
        if cx.out.is_json() {
            return cx
                .out
                .print(&report::json(&doc).map_err(super::history::json_error)?);
        }
        let rates = doc
            .network_rate
            .map(|r| (r.rx_bytes_per_sec, r.tx_bytes_per_sec));
        return detail(cx, &doc.status, doc.sample.as_ref(), rates);
    }
    let fleet_status = report::fleet(store.as_ref(), &fleet, now)?;
    if cx.out.is_json() {
        return cx
            .out
            .print(&report::json(&fleet_status).map_err(super::history::json_error)?);
    }
    cx.out.print(&render(cx, &fleet_status))
}

fn render(cx: &Context, s: &FleetStatus) -> String {
    let mut text = String::new();
    for (title, kind) in [
        ("SERVERS", MachineType::Server),
        ("WORKSTATIONS", MachineType::Workstation),
    ] {
        let rows: Vec<&MachineStatus> = s.machines.iter().filter(|m| m.kind == kind).collect();
        if rows.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&cx.out.paint(title, Color::Bold));
        text.push('\n');
        let mut table = Table::new(&[
            "MACHINE",
            "STATE",
            "CPU",
            "RAM",
            "DISK",
            "LOAD",
            "UPTIME",
            "UPDATES",
            "SERVICES",
            "CONTAINERS",
            "PACKS",
        ]);
        for m in rows {
            table.styled_row(row(m));
        }
        text.push_str(&table.render(&cx.out));
    }
    for u in &s.unregistered {
        let seen = u
            .last_seen_secs_ago
            .map(ago)
            .unwrap_or_else(|| "never".into());
        text.push_str(&cx.out.paint(
            &format!(
                "unregistered: {} sends heartbeats (last {seen}) but is not in fleet.yaml\n",
                u.id
            ),
            Color::Yellow,
        ));
    }
    text.push('\n');
    text.push_str(&status::summary_line(s));
    text.push('\n');
    text
}

fn row(m: &MachineStatus) -> Vec<(String, Option<Color>)> {
    let dash = || ("-".to_string(), None);
    let (state, color) = match m.state {
        State::Online => ("online".to_string(), Some(Color::Green)),
        State::Offline => (
            format!(
                "offline {}",
                m.last_seen_secs_ago.map(ago).unwrap_or_default()
            ),
            Some(Color::Red),
        ),
        State::Away => (
            format!(
                "last seen {}",
                m.last_seen_secs_ago.map(ago).unwrap_or_default()
            ),
            Some(Color::Dim),
        ),
        State::Unknown => ("never seen".to_string(), Some(Color::Dim)),
    };
    let state = if m.paused {
        format!("{state} (paused)")
    } else {
        state
    };
    let packs = match &m.compliance {
        None => ("-".to_string(), None),
        Some(c) if c.state == "compliant" => ("✓".to_string(), Some(Color::Green)),
        Some(c) if c.state == "drift" => (format!("⚠ {}", c.mismatches), Some(Color::Yellow)),
        Some(_) => ("not checked".to_string(), Some(Color::Dim)),
    };
    if m.state != State::Online {
        let mut cells = vec![(m.id.clone(), None), (state, color)];
        cells.extend(std::iter::repeat_with(dash).take(8));
        cells.push(packs);
        return cells;
    }
    let warn = |hit: bool| if hit { Some(Color::Yellow) } else { None };
    let has = |word: &str| m.warnings.iter().any(|w| w.starts_with(word));
    let disk = m
        .disk
        .as_ref()
        .map(|d| format!("{:.0}% {}", d.percent, d.mount))
        .unwrap_or_else(|| "-".into());
    let updates = match &m.updates {
        Some(u) if u.status == UpdatesStatus::Ok => match (u.pending, u.security) {
            (Some(0), _) => "0".to_string(),
            (Some(p), Some(s)) if s > 0 => format!("{p} ({s} security)"),
            (Some(p), _) => p.to_string(),
            _ => "-".into(),
        },
        Some(u) if u.status == UpdatesStatus::Unsupported => "n/a".into(),
        Some(_) => "error".into(),
        None => "-".into(),
    };
    let services = if m.services.expected.is_empty() {
        "-".to_string()
    } else if !m.services.failing.is_empty() {
        format!("{} failing", m.services.failing.len())
    } else if !m.services.not_reported.is_empty() {
        format!("{} not reported", m.services.not_reported.len())
    } else {
        format!("{} ok", m.services.expected.len())
    };
    let containers = match &m.containers {
        None => "-".to_string(),
        Some(c) => format!("{}/{} up", c.running, c.total),
    };
    vec![
        (m.id.clone(), None),
        (state, color),
        (
            m.cpu_percent.map_or("-".into(), |c| format!("{c:.0}%")),
            warn(has("CPU")),
        ),
        (
            m.memory_percent.map_or("-".into(), |c| format!("{c:.0}%")),
            warn(has("RAM")),
        ),
        (disk, warn(has("disk"))),
        (m.load.map_or("-".into(), |l| format!("{:.2}", l[0])), None),
        (m.uptime_secs.map_or("-".into(), output::duration), None),
        (updates, None),
        (services, warn(!m.services.failing.is_empty())),
        (
            containers,
            warn(m.containers.as_ref().is_some_and(|c| c.running < c.total)),
        ),
        packs,
    ]
}

fn detail(
    cx: &Context,
    m: &MachineStatus,
    sample: Option<&Sample>,
    rates: Option<(f64, f64)>,
) -> Result<(), Error> {
    let mut t = String::new();
    let state = match m.state {
        State::Online => "online".to_string(),
        State::Offline => "offline".to_string(),
        State::Away => "away".to_string(),
        State::Unknown => "never seen".to_string(),
    };
    t.push_str(&format!(
        "{} ({}) — {}, {state}{}\n",
        cx.out.paint(&m.id, Color::Bold),
        m.name,
        if m.kind == MachineType::Server {
            "server"
        } else {
            "workstation"
        },
        if m.paused { ", paused" } else { "" }
    ));
    match (&m.last_seen, m.last_seen_secs_ago) {
        (Some(at), Some(ago_secs)) => t.push_str(&format!(
            "last heartbeat {at} ({}), agent {}\n",
            ago(ago_secs),
            m.agent_version.as_deref().unwrap_or("?")
        )),
        _ => t.push_str(
            "no heartbeat yet: install homelabcmd-agent on it (see `homelabcmd agent token`)\n",
        ),
    }
    for w in &m.warnings {
        t.push_str(&cx.out.paint(&format!("warning: {w}\n"), Color::Yellow));
    }
    let Some(s) = sample else {
        return cx.out.print(&t);
    };
    t.push_str(&format!("sample    {}\n", s.time));
    t.push_str(&format!(
        "os        {} {}, kernel {}, {}, host {}\n",
        s.os.distribution, s.os.version, s.os.kernel, s.os.arch, s.os.hostname
    ));
    t.push_str(&format!("uptime    {}\n", output::duration(s.uptime_secs)));
    t.push_str(&format!(
        "cpu       {:.1}%   load {:.2} {:.2} {:.2}\n",
        s.cpu_percent, s.load.one, s.load.five, s.load.fifteen
    ));
    t.push_str(&format!(
        "memory    {} of {} ({:.0}%)   swap {} of {}\n",
        output::bytes(s.memory.used),
        output::bytes(s.memory.total),
        crate::store::metrics::percent(s.memory.used, s.memory.total),
        output::bytes(s.memory.swap_used),
        output::bytes(s.memory.swap_total)
    ));
    let u = &s.updates;
    let updates = match u.status {
        UpdatesStatus::Ok => format!(
            "{} pending, {} security{}",
            u.pending.unwrap_or(0),
            u.security.unwrap_or(0),
            u.cache_age_secs
                .map(|a| format!(" (package lists refreshed {} ago)", output::duration(a)))
                .unwrap_or_default()
        ),
        UpdatesStatus::Unsupported => match &u.manager {
            Some(m) => format!("not supported for {m} (only apt is read)"),
            None => "no supported package manager".into(),
        },
        UpdatesStatus::Error => format!("error: {}", u.message.as_deref().unwrap_or("unknown")),
    };
    t.push_str(&format!("updates   {updates}\n"));
    if let Some((rx, tx)) = rates {
        t.push_str(&format!(
            "network   rx {}/s  tx {}/s\n",
            output::bytes(rx as u64),
            output::bytes(tx as u64)
        ));
    }

    let mut fs = Table::new(&["MOUNT", "TYPE", "DEVICE", "SIZE", "USED", "AVAIL", "USE%"]);
    for f in &s.filesystems {
        let pct = crate::store::metrics::percent(f.used, f.size);
        if f.responsive {
            fs.row(vec![
                f.mount.clone(),
                f.fs_type.clone(),
                f.device.clone(),
                output::bytes(f.size),
                output::bytes(f.used),
                output::bytes(f.available),
                format!("{pct:.0}%"),
            ]);
        } else {
            fs.row(vec![
                f.mount.clone(),
                f.fs_type.clone(),
                f.device.clone(),
                "not responding".into(),
                "-".into(),
                "-".into(),
                "-".into(),
            ]);
        }
    }
    t.push_str(&format!("\nfilesystems ({}):\n", s.filesystems.len()));
    t.push_str(&indent(&fs.render(&cx.out)));

    let mut net = Table::new(&["INTERFACE", "RECEIVED", "SENT"]);
    for i in &s.network {
        net.row(vec![
            i.name.clone(),
            output::bytes(i.rx_bytes),
            output::bytes(i.tx_bytes),
        ]);
    }
    t.push_str(&format!(
        "\nnetwork interfaces ({}), totals since boot:\n",
        s.network.len()
    ));
    t.push_str(&indent(&net.render(&cx.out)));

    if !m.services.expected.is_empty() {
        let mut svc = Table::new(&["SERVICE", "STATE"]);
        for unit in &m.services.expected {
            let state = s
                .services
                .iter()
                .find(|r| r.name == *unit || r.name.strip_suffix(".service") == Some(unit.as_str()))
                .map(|r| format!("{} ({})", r.active_state, r.sub_state))
                .unwrap_or_else(|| "not reported yet".into());
            svc.row(vec![unit.clone(), state]);
        }
        t.push_str("\nservices:\n");
        t.push_str(&indent(&svc.render(&cx.out)));
    }
    if s.docker.available {
        t.push_str(&format!("\ncontainers ({}):\n", s.docker.containers.len()));
        if let Some(e) = &s.docker.error {
            t.push_str(&format!("  docker error: {e}\n"));
        }
        let mut c = Table::new(&["NAME", "IMAGE", "STATE", "STATUS"]);
        for k in &s.docker.containers {
            c.row(vec![
                k.name.clone(),
                k.image.clone(),
                k.state.clone(),
                k.status.clone(),
            ]);
        }
        if !s.docker.containers.is_empty() {
            t.push_str(&indent(&c.render(&cx.out)));
        }
    } else {
        t.push_str("\ncontainers: no Docker on this machine\n");
    }
    cx.out.print(&t)
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}
