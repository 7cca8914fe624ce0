//! Running an action through the exec core: claim it (so two processes never run it twice),
//! run its rendered line over SSH, audited under a name that says which alert brought it,
//! and record how it went. The hub runs `auto` actions ([`run_due`]); `actions approve` runs
//! one ([`approve_and_run`]). A disruptive action (through sudo) waits out its staggered
//! groups: no two members run one within the stagger of each other.

use std::sync::Arc;

use super::RemedyError;
use super::model::{Action, ActionState};
use crate::exec::Rendered;
use crate::exec::targets::Timeouts;
use crate::fleet::Fleet;
use crate::remote::RemoteError;
use crate::remote::known_hosts::KnownHosts;
use crate::store::Store;
use crate::store::actions::{self as table, Finished};

/// What running needs of the fleet.
pub(crate) struct Reach<'a> {
    pub(crate) fleet: &'a Fleet,
    pub(crate) known: &'a KnownHosts,
    pub(crate) secret: &'a dyn Fn(&str) -> Result<Arc<String>, RemoteError>,
    pub(crate) fleet_commit: Option<String>,
}

/// The audit entry's name: the command and the alert that brought it.
pub(crate) fn audit_name(action: &Action) -> String {
    format!("{} (alert {})", action.command, action.alert_id)
}

/// Run every `auto` action still pending whose machine is not paused and whose staggered
/// groups allow it; a paused machine's action waits. Returns the ids run.
pub(crate) async fn run_due(
    store: &Store,
    reach: &Reach<'_>,
    now: i64,
) -> Result<Vec<i64>, RemedyError> {
    let due = table::due(store.conn()).map_err(|e| store.error(&e))?;
    let mut ran = Vec::new();
    for action in due {
        let paused = store
            .machine_record(&action.machine_id)?
            .is_some_and(|r| r.is_paused(now));
        if paused || stagger_wait(store, reach.fleet, &action, now)?.is_some() {
            continue;
        }
        if run_one(store, reach, &action, ActionState::Pending).await? {
            ran.push(action.id);
        }
    }
    Ok(ran)
}

/// Approve a pending or failed action and run it now, unless a staggered group holds it back
/// (then nothing changes). Returns the action as it ended.
pub(crate) async fn approve_and_run(
    store: &Store,
    reach: &Reach<'_>,
    id: i64,
    by: &str,
) -> Result<Action, RemedyError> {
    let now = crate::clock::now().as_second();
    let action = super::get(store, id)?;
    if matches!(action.state, ActionState::Pending | ActionState::Failed)
        && let Some(wait) = stagger_wait(store, reach.fleet, &action, now)?
    {
        return Err(wait);
    }
    let approved = super::approve(store, id, by, now)?;
    run_one(store, reach, &approved, ActionState::Approved).await?;
    super::get(store, id)
}

/// Claim `action` (from `from` to running) and run it; false when another process claimed it.
async fn run_one(
    store: &Store,
    reach: &Reach<'_>,
    action: &Action,
    from: ActionState,
) -> Result<bool, RemedyError> {
    let err = |e: rusqlite::Error| RemedyError::Store(store.error(&e));
    let now = crate::clock::now().as_second();
    if !table::start(store.conn(), action.id, from, now).map_err(err)? {
        return Ok(false);
    }
    let finished = match reach.fleet.machine(&action.machine_id) {
        None => Finished {
            state: ActionState::Failed,
            exit_code: None,
            error: Some(RemedyError::Gone(action.machine_id.clone()).to_string()),
            audit_id: None,
        },
        Some(machine) => execute(store, reach, action, machine).await?,
    };
    let now = crate::clock::now().as_second();
    table::finish(store.conn(), action.id, &finished, now).map_err(err)?;
    tracing::info!(
        action = action.id,
        command = %action.command,
        machine = %action.machine_id,
        alert = action.alert_id,
        state = %finished.state,
        "actions: ran"
    );
    Ok(true)
}

/// Run the stored line on `machine` through the exec core.
async fn execute(
    store: &Store,
    reach: &Reach<'_>,
    action: &Action,
    machine: &crate::fleet::Machine,
) -> Result<Finished, RemedyError> {
    let timeout = crate::exec::whitelist(reach.fleet)
        .into_iter()
        .find(|c| c.name == action.command)
        .and_then(|c| c.timeout);
    let name = audit_name(action);
    let command = Rendered {
        name: name.clone(),
        line: action.line.clone(),
        sudo: action.sudo,
        timeout,
    };
    let machines = [machine];
    let req = crate::exec::Request {
        fleet: reach.fleet,
        machines: &machines,
        command: &command,
        known: reach.known,
        timeouts: Timeouts::default(),
        concurrency: 1,
        secret: reach.secret,
        fleet_commit: reach.fleet_commit.clone(),
    };
    let ran = crate::exec::run(&req, store, &mut |_, _| {}).await?;
    let audit_id = table::audit_entry_of(store.conn(), &action.machine_id, &name)
        .map_err(|e| store.error(&e))?;
    let (state, exit_code, error) = match ran.results.first().map(|d| &d.result) {
        Some(Ok(out)) if out.exit == Some(0) => (ActionState::Completed, Some(0), None),
        Some(Ok(out)) => (
            ActionState::Failed,
            out.exit.map(i64::from),
            Some(crate::text::escape_line(&String::from_utf8_lossy(
                &out.stderr,
            ))),
        ),
        Some(Err(e)) => (ActionState::Failed, None, Some(e.to_string())),
        None => (ActionState::Failed, None, Some("it did not run".into())),
    };
    let error = error.or(ran.audit_failure.map(|e| format!("audit: {e}")));
    Ok(Finished {
        state,
        exit_code,
        error,
        audit_id,
    })
}

/// Why a disruptive action must wait now: another member of one of its machine's staggered
/// groups started an action less than the stagger ago.
fn stagger_wait(
    store: &Store,
    fleet: &Fleet,
    action: &Action,
    now: i64,
) -> Result<Option<RemedyError>, RemedyError> {
    if !action.sudo {
        return Ok(None);
    }
    for group in &fleet.groups {
        let Some(stagger) = group.stagger else {
            continue;
        };
        if !group.machines.contains(&action.machine_id) {
            continue;
        }
        for other in group.machines.iter().filter(|m| **m != action.machine_id) {
            let last = table::last_started(store.conn(), std::slice::from_ref(other))
                .map_err(|e| store.error(&e))?;
            if let Some(t) = last
                && now - t < stagger.as_secs() as i64
            {
                return Ok(Some(RemedyError::Stagger {
                    machine: action.machine_id.clone(),
                    group: group.name.clone(),
                    other: other.clone(),
                    ago: now - t,
                    stagger: stagger.as_secs(),
                }));
            }
        }
    }
    Ok(None)
}
