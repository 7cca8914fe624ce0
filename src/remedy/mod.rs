//! Remediation: when an alert whose rule names an action (fleet.yaml `alerts.actions`) opens,
//! an action is created in the same transaction, its command rendered from the whitelist
//! with the alert's subject. `auto` actions are run by the hub (`run::run_due`), `approve`
//! ones wait for `actions approve`, which runs them from the CLI; `actions reject` ends them.
//! Each runs through the exec core, so it is audited like `exec`, under a name that says
//! which alert brought it.

pub(crate) mod model;
pub(crate) mod run;

use rusqlite::Connection;

use crate::alerts::Alert;
use crate::alerts::rules::MachineRules;
use crate::store::actions::{self as table, NewAction};
use crate::store::{Store, StoreError};
use model::{Action, ActionState};

/// Create the action `alert` brings, if its rule names one: pending, in the caller's
/// transaction. A subject that does not fit the parameter's type (a unit name the whitelist
/// would refuse) brings none, and says so in the hub's log.
pub(crate) fn create(
    conn: &Connection,
    rules: &MachineRules,
    alert: &Alert,
    now: i64,
) -> rusqlite::Result<Option<i64>> {
    let Some(planned) = rules.actions.get(&alert.rule) else {
        return Ok(None);
    };
    let subject = alert.subject.as_deref().unwrap_or_default();
    let rendered = match crate::exec::render_filled(&planned.spec, subject) {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(alert = alert.id, command = %planned.spec.name, error = %e, "actions: the alert does not fill the command");
            return Ok(None);
        }
    };
    let new = NewAction {
        alert_id: alert.id,
        machine_id: &alert.machine_id,
        command: &rendered.name,
        line: &rendered.line,
        sudo: rendered.sudo,
        mode: planned.mode,
    };
    table::insert(conn, &new, now).map(Some)
}

/// Why an action could not be approved, rejected or run.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RemedyError {
    #[error("there is no action {0}")]
    NotFound(i64),
    #[error("action {id} is {state}; only a pending or failed action can be {wanted}")]
    Settled {
        id: i64,
        state: ActionState,
        wanted: &'static str,
    },
    #[error(
        "{machine} is in staggered group `{group}`, whose member {other} ran an action \
         {ago}s ago; the stagger is {stagger}s"
    )]
    Stagger {
        machine: String,
        group: String,
        other: String,
        ago: i64,
        stagger: u64,
    },
    #[error("machine `{0}` is no longer in fleet.yaml")]
    Gone(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The actions, newest first; completed and rejected ones only with `all`.
pub(crate) fn list(store: &Store, all: bool) -> Result<Vec<Action>, StoreError> {
    table::list(store.conn(), all).map_err(|e| store.error(&e))
}

pub(crate) fn get(store: &Store, id: i64) -> Result<Action, RemedyError> {
    table::get(store.conn(), id)
        .map_err(|e| store.error(&e))?
        .ok_or(RemedyError::NotFound(id))
}

/// Reject a pending or failed action: it will not run.
pub(crate) fn reject(store: &Store, id: i64, by: &str, now: i64) -> Result<Action, RemedyError> {
    decide(store, id, ActionState::Rejected, "rejected", by, now)
}

/// Approve a pending or failed action (a failed one runs once more); the caller runs it.
pub(crate) fn approve(store: &Store, id: i64, by: &str, now: i64) -> Result<Action, RemedyError> {
    decide(store, id, ActionState::Approved, "approved", by, now)
}

fn decide(
    store: &Store,
    id: i64,
    to: ActionState,
    wanted: &'static str,
    by: &str,
    now: i64,
) -> Result<Action, RemedyError> {
    let from = [ActionState::Pending, ActionState::Failed];
    let changed =
        table::decide(store.conn(), id, &from, to, by, now).map_err(|e| store.error(&e))?;
    let action = get(store, id)?;
    if !changed {
        return Err(RemedyError::Settled {
            id,
            state: action.state,
            wanted,
        });
    }
    Ok(action)
}
