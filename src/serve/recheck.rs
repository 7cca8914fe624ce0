//! When a workstation comes back after being away, check it against its packs (over SSH, as
//! `diff` would) and keep the result, so drift on machines that are rarely on is caught
//! without anyone remembering to run `diff`.

use std::sync::Arc;

use crate::compliance::check;
use crate::fleet::{self, Snapshot};
use crate::remote::fanout;
use crate::remote::known_hosts::KnownHosts;
use crate::store::{ComplianceRecord, Store};

use super::Hub;

/// Check `machine` in the background; at most one check per machine at a time.
pub(crate) fn spawn(hub: &Arc<Hub>, machine: String) {
    {
        let Ok(mut running) = hub.checking.lock() else {
            return;
        };
        if !running.insert(machine.clone()) {
            return;
        }
    }
    let hub = Arc::clone(hub);
    tokio::task::spawn_blocking(move || {
        let result = run(&hub, &machine);
        match &result {
            Ok(state) => eprintln!("{} compliance: {machine} came back: {state}", super::now()),
            Err(e) => eprintln!(
                "{} compliance: checking {machine} failed: {e}",
                super::now()
            ),
        }
        if let Ok(mut running) = hub.checking.lock() {
            running.remove(&machine);
        }
    });
}

fn run(hub: &Hub, id: &str) -> Result<String, String> {
    let snapshot = Snapshot::open(&hub.source, &hub.cwd).map_err(|e| e.to_string())?;
    let fleet = fleet::load(&snapshot).map_err(|e| e.to_string())?;
    let machine = fleet.machine(id).ok_or("no longer in fleet.yaml")?;
    let (known, _) = KnownHosts::from_snapshot(&snapshot);
    let secrets = std::cell::OnceCell::new();
    let secret = |name: &str| crate::secrets::for_ssh(&secrets, &snapshot, name);
    let prepared = check::prepare(&snapshot, &fleet, &[machine], &known, &secret)?;
    let (jobs, pending) = prepared.split();
    let done = tokio::runtime::Handle::current().block_on(fanout::run(jobs, 1, |_, _| {}));
    let checked = pending.finish(done);
    let c = checked.first().ok_or("nothing was checked")?;
    let record = ComplianceRecord {
        machine_id: c.id.clone(),
        checked_at: crate::clock::now().as_second(),
        fleet_commit: snapshot.commit_id(),
        state: c.state.to_string(),
        mismatches: serde_json::to_string(&c.mismatches).unwrap_or_else(|_| "[]".into()),
        error: c.error.clone(),
    };
    let mut store = Store::open(&hub.db).map_err(|e| e.to_string())?;
    store
        .record_compliance(&[record])
        .map_err(|e| e.to_string())?;
    Ok(match c.state {
        "drift" => format!("drift ({} mismatches)", c.mismatches.len()),
        other => match &c.error {
            Some(e) => format!("{other}: {e}"),
            None => other.to_string(),
        },
    })
}
