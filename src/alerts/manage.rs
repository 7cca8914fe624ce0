//! What people do with alerts from the CLI: list them, read one with its history,
//! acknowledge (stops reminders), resolve by hand (told to the notifiers like any
//! resolution), and `check`: are alerts at or above a severity open?

use super::model::{Alert, AlertStatus, Change, HistoryEntry};
use super::{Severity, Transition};
use crate::store::alerts::{self as table, AlertFilter};
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub(crate) enum AlertError {
    #[error("there is no alert {0}")]
    NotFound(i64),
    #[error("alert {id} is already {status}")]
    Settled { id: i64, status: AlertStatus },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The alerts that pass `filter`, newest first.
pub(crate) fn list(store: &Store, filter: &AlertFilter<'_>) -> Result<Vec<Alert>, StoreError> {
    table::list(store.conn(), filter).map_err(|e| store.error(&e))
}

/// One alert and its history.
pub(crate) fn show(store: &Store, id: i64) -> Result<(Alert, Vec<HistoryEntry>), AlertError> {
    let alert = table::get(store.conn(), id)
        .map_err(|e| store.error(&e))?
        .ok_or(AlertError::NotFound(id))?;
    let history = table::history(store.conn(), id).map_err(|e| store.error(&e))?;
    Ok((alert, history))
}

/// Acknowledge an open (or stale) alert: someone is on it; no more reminders.
pub(crate) fn acknowledge(
    store: &mut Store,
    id: i64,
    user: &str,
    now: i64,
) -> Result<Alert, AlertError> {
    change(store, id, |conn, alert| {
        if matches!(
            alert.status,
            AlertStatus::Acknowledged | AlertStatus::Resolved
        ) {
            return Ok(Err(AlertError::Settled {
                id,
                status: alert.status,
            }));
        }
        table::set_status(
            conn,
            id,
            AlertStatus::Acknowledged,
            Change::Acknowledged,
            user,
            now,
        )?;
        Ok(Ok(()))
    })
}

/// Resolve an alert by hand; the notifiers are told, as when its condition clears. If the
/// condition is still there, the hub opens a new alert.
pub(crate) fn resolve(
    store: &mut Store,
    id: i64,
    user: &str,
    machine_name: &str,
    now: i64,
) -> Result<Alert, AlertError> {
    change(store, id, |conn, alert| {
        if alert.status == AlertStatus::Resolved {
            return Ok(Err(AlertError::Settled {
                id,
                status: alert.status,
            }));
        }
        table::set_status(conn, id, AlertStatus::Resolved, Change::Resolved, user, now)?;
        let event = alert.event(machine_name, Transition::Resolved, now);
        crate::notify::outbox::enqueue(conn, &event)?;
        Ok(Ok(()))
    })
}

/// Read the alert, apply `f` in one transaction, and return the alert as it is after.
fn change(
    store: &mut Store,
    id: i64,
    f: impl FnOnce(&rusqlite::Connection, &Alert) -> rusqlite::Result<Result<(), AlertError>>,
) -> Result<Alert, AlertError> {
    let path = store.path().to_path_buf();
    let err = |e: rusqlite::Error| AlertError::Store(crate::store::classify(&path, &e));
    let tx = store
        .conn_mut()
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(err)?;
    let alert = table::get(&tx, id)
        .map_err(err)?
        .ok_or(AlertError::NotFound(id))?;
    f(&tx, &alert).map_err(err)??;
    let after = table::get(&tx, id)
        .map_err(err)?
        .ok_or(AlertError::NotFound(id))?;
    tx.commit().map_err(err)?;
    Ok(after)
}

/// The open or acknowledged alerts at or above `fail_on` (stale ones are not: their
/// workstation is away). `check` fails when there are any.
pub(crate) fn failing(store: Option<&Store>, fail_on: Severity) -> Result<Vec<Alert>, StoreError> {
    let Some(store) = store else {
        return Ok(Vec::new());
    };
    let filter = AlertFilter {
        all: false,
        machine: None,
        min_severity: Some(fail_on),
    };
    Ok(list(store, &filter)?
        .into_iter()
        .filter(|a| a.status != AlertStatus::Stale)
        .collect())
}
