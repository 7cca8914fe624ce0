//! When a workstation comes back after being away, check it against its packs (over SSH, as
//! `diff` would) and keep the result, so drift on machines that are rarely on is caught
//! without anyone remembering to run `diff`.

use std::sync::Arc;

use crate::compliance::check::{self, CheckState};
use crate::fleet::{self, Snapshot};
use crate::remote::known_hosts::KnownHosts;
use crate::store::Store;

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
            Ok(state) => {
                tracing::info!(machine = %machine, state = %state, "compliance: a workstation came back")
            }
            Err(e) => {
                tracing::warn!(machine = %machine, error = %e, "compliance: checking a workstation failed")
            }
        }
        if let Ok(mut running) = hub.checking.lock() {
            running.remove(&machine);
        }
    });
}

/// Why a returning workstation could not be checked at all.
#[derive(Debug, thiserror::Error)]
enum RecheckError {
    #[error(transparent)]
    Source(#[from] crate::fleet::source::SourceError),
    #[error(transparent)]
    Fleet(#[from] crate::fleet::LoadError),
    #[error("it is no longer in fleet.yaml")]
    Gone,
    #[error(transparent)]
    Check(#[from] check::CheckError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Check one machine as `diff` would and record the result; a line saying how it went.
fn run(hub: &Hub, id: &str) -> Result<String, RecheckError> {
    let snapshot = Snapshot::open(&hub.source, &hub.cwd)?;
    let fleet = fleet::load(&snapshot)?;
    let machine = fleet.machine(id).ok_or(RecheckError::Gone)?;
    let (known, _) = KnownHosts::from_snapshot(&snapshot);
    let secrets = std::cell::OnceCell::new();
    let secret = |name: &str| crate::secrets::for_ssh(&secrets, &snapshot, name);
    let reach = check::Reach {
        snapshot: &snapshot,
        fleet: &fleet,
        known: &known,
        secret: &secret,
    };
    let checked =
        tokio::runtime::Handle::current().block_on(check::check(&reach, &[machine], 1))?;
    let mut store = Store::open(&hub.db)?;
    check::record(
        &mut store,
        &checked,
        snapshot.commit_id(),
        crate::clock::now().as_second(),
    )?;
    Ok(match checked.first() {
        None => "nothing to check".into(),
        Some(c) if c.state == CheckState::Drift => {
            format!("drift ({} mismatches)", c.mismatches.len())
        }
        Some(c) => match &c.error {
            Some(e) => format!("{}: {e}", c.state),
            None => c.state.to_string(),
        },
    })
}
