//! `agent status`: each machine's agent against this build. By default from the store alone
//! (the last heartbeat and the agent version it carried: no connection is made, so a
//! machine whose agent never reported is "unknown", not "absent"); with a probe, from the
//! machine itself over SSH (installed or not, its version, whether it runs).

use std::collections::HashMap;
use std::sync::Arc;

use super::layout::Layout;
use super::machine;
use super::script::Probe;
use super::{OpsError, VERSION};
use crate::exec::targets::{self, Timeouts};
use crate::fleet::{Fleet, Machine};
use crate::remote::RemoteError;
use crate::remote::fanout;
use crate::remote::known_hosts::KnownHosts;
use crate::store::{Store, StoreError};

/// One machine's agent.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct AgentStatus {
    pub(crate) machine: String,
    /// Some(true/false) when probed; None when only the store was asked.
    pub(crate) installed: Option<bool>,
    /// The version the probe found, else the one the last heartbeat carried (remote text).
    pub(crate) version: Option<String>,
    /// `version` is this build's.
    pub(crate) current: bool,
    /// The last heartbeat's time (unix seconds).
    pub(crate) last_heartbeat: Option<i64>,
    /// When probed: `systemd`, `process`, or None when not running.
    pub(crate) running: Option<String>,
    /// Why the probe failed.
    pub(crate) error: Option<String>,
}

/// How to probe, when asked to.
pub(crate) struct ProbeWith<'a> {
    pub(crate) known: &'a KnownHosts,
    pub(crate) timeouts: Timeouts,
    pub(crate) concurrency: usize,
    pub(crate) secret: &'a dyn Fn(&str) -> Result<Arc<String>, RemoteError>,
    /// As `agent install --root` was given.
    pub(crate) root: &'a str,
}

/// The status of each of `machines`, in their order.
pub(crate) async fn status(
    fleet: &Fleet,
    machines: &[&Machine],
    store: Option<&Store>,
    probe: Option<ProbeWith<'_>>,
) -> Result<Vec<AgentStatus>, StoreError> {
    let records = match store {
        Some(s) => s.machine_records()?,
        None => HashMap::new(),
    };
    let mut rows: Vec<AgentStatus> = machines
        .iter()
        .map(|m| {
            let r = records.get(&m.id);
            let version = r.and_then(|r| r.agent_version.clone());
            AgentStatus {
                machine: m.id.clone(),
                installed: None,
                current: version.as_deref() == Some(VERSION),
                version,
                last_heartbeat: r.and_then(|r| r.last_seen),
                running: None,
                error: None,
            }
        })
        .collect();
    if let Some(with) = probe {
        let probed = probe_all(fleet, machines, &with).await;
        for row in &mut rows {
            match probed.get(&row.machine) {
                Some(Ok(p)) => apply(row, p),
                Some(Err(e)) => row.error = Some(e.to_string()),
                None => {}
            }
        }
    }
    Ok(rows)
}

fn apply(row: &mut AgentStatus, p: &Probe) {
    row.installed = Some(p.bin.is_some());
    row.version = p.version();
    row.current = row.version.as_deref() == Some(VERSION);
    row.running = p.running.clone();
}

async fn probe_all(
    fleet: &Fleet,
    machines: &[&Machine],
    with: &ProbeWith<'_>,
) -> HashMap<String, Result<Probe, OpsError>> {
    let mut out = HashMap::new();
    let mut tasks = Vec::new();
    for m in machines {
        let target = targets::target(fleet, m, with.known, with.timeouts, with.secret)
            .map_err(OpsError::from)
            .and_then(|t| Ok((t, Layout::for_machine(with.root, &m.id)?)));
        match target {
            Ok((t, layout)) => tasks.push((m.id.clone(), machine::look(t, layout))),
            Err(e) => {
                out.insert(m.id.clone(), Err(e));
            }
        }
    }
    fanout::each_bounded(tasks, with.concurrency, |id, r| {
        let r = r.unwrap_or_else(|why| Err(OpsError::Remote(RemoteError::Ssh(why))));
        out.insert(id, r);
    })
    .await;
    out
}
