//! The actions table: remediation actions and their states. Functions take a `Connection` so
//! that an action is created in the same transaction as the alert that brought it.

use rusqlite::{Connection, OptionalExtension, params};

use crate::fleet::model::ActionMode;
use crate::remedy::model::{Action, ActionState};

const COLUMNS: &str = "id, alert_id, machine_id, command, line, sudo, mode, state, created_at, \
     decided_at, decided_by, started_at, finished_at, exit_code, error, audit_id";

fn bad(column: usize, what: &str, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("unknown {what} `{text}`").into(),
    )
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Action> {
    let mode: String = r.get(6)?;
    let state: String = r.get(7)?;
    Ok(Action {
        id: r.get(0)?,
        alert_id: r.get(1)?,
        machine_id: r.get(2)?,
        command: r.get(3)?,
        line: r.get(4)?,
        sudo: r.get(5)?,
        mode: ActionMode::parse(&mode).ok_or_else(|| bad(6, "mode", &mode))?,
        state: ActionState::parse(&state).ok_or_else(|| bad(7, "state", &state))?,
        created_at: r.get(8)?,
        decided_at: r.get(9)?,
        decided_by: r.get(10)?,
        started_at: r.get(11)?,
        finished_at: r.get(12)?,
        exit_code: r.get(13)?,
        error: r.get(14)?,
        audit_id: r.get(15)?,
    })
}

/// What a new action says.
#[derive(Debug, Clone)]
pub(crate) struct NewAction<'a> {
    pub(crate) alert_id: i64,
    pub(crate) machine_id: &'a str,
    pub(crate) command: &'a str,
    pub(crate) line: &'a str,
    pub(crate) sudo: bool,
    pub(crate) mode: ActionMode,
}

/// Create a pending action at `now`; returns its id.
pub(crate) fn insert(conn: &Connection, new: &NewAction<'_>, now: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO actions (alert_id, machine_id, command, line, sudo, mode, state, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7)",
    )?
    .execute(params![
        new.alert_id,
        new.machine_id,
        new.command,
        new.line,
        new.sudo,
        new.mode.as_str(),
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The actions, newest first; finished ones (completed, rejected) only with `all`.
pub(crate) fn list(conn: &Connection, all: bool) -> rusqlite::Result<Vec<Action>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM actions
         WHERE ?1 OR state NOT IN ('completed', 'rejected') ORDER BY id DESC"
    ))?;
    stmt.query_map([all], from_row)?.collect()
}

pub(crate) fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<Action>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM actions WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
}

/// Actions the hub may run by itself: `auto`, still pending, oldest first.
pub(crate) fn due(conn: &Connection) -> rusqlite::Result<Vec<Action>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM actions WHERE mode = 'auto' AND state = 'pending' ORDER BY id"
    ))?;
    stmt.query_map([], from_row)?.collect()
}

/// When any of `machines` last started an action (unix seconds).
pub(crate) fn last_started(
    conn: &Connection,
    machines: &[String],
) -> rusqlite::Result<Option<i64>> {
    let mut latest = None;
    let mut stmt = conn.prepare_cached(
        "SELECT max(started_at) FROM actions WHERE machine_id = ?1 AND started_at IS NOT NULL",
    )?;
    for m in machines {
        let t: Option<i64> = stmt.query_row([m], |r| r.get(0))?;
        latest = latest.max(t);
    }
    Ok(latest)
}

/// Move an action from one of `from` to `to`, recording who decided; false when it was in
/// none of them (someone else got there first).
pub(crate) fn decide(
    conn: &Connection,
    id: i64,
    from: &[ActionState],
    to: ActionState,
    by: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    let mut changed = 0;
    for state in from {
        changed += conn.execute(
            "UPDATE actions SET state = ?2, decided_at = ?3, decided_by = ?4
             WHERE id = ?1 AND state = ?5",
            params![id, to.as_str(), now, by, state.as_str()],
        )?;
    }
    Ok(changed == 1)
}

/// Claim an action to run it: from `from` to running, at `now`; false when it was not in
/// `from` (another process claimed it).
pub(crate) fn start(
    conn: &Connection,
    id: i64,
    from: ActionState,
    now: i64,
) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE actions SET state = 'running', started_at = ?3, finished_at = NULL,
           exit_code = NULL, error = NULL
         WHERE id = ?1 AND state = ?2",
        params![id, from.as_str(), now],
    )?;
    Ok(changed == 1)
}

/// How a run ended.
#[derive(Debug, Clone)]
pub(crate) struct Finished {
    pub(crate) state: ActionState,
    pub(crate) exit_code: Option<i64>,
    pub(crate) error: Option<String>,
    pub(crate) audit_id: Option<i64>,
}

pub(crate) fn finish(conn: &Connection, id: i64, f: &Finished, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE actions SET state = ?2, finished_at = ?3, exit_code = ?4, error = ?5, audit_id = ?6
         WHERE id = ?1",
        params![id, f.state.as_str(), now, f.exit_code, f.error, f.audit_id],
    )?;
    Ok(())
}

/// The newest exec audit entry of `machine` named `name`.
pub(crate) fn audit_entry_of(
    conn: &Connection,
    machine: &str,
    name: &str,
) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT max(id) FROM audit_log WHERE machine = ?1 AND name = ?2 AND action = 'exec'",
        params![machine, name],
        |r| r.get(0),
    )
}
