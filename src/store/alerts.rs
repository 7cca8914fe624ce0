//! The alerts tables: alerts (at most one active per machine, rule and subject, enforced by a
//! partial unique index) and their history. Functions take a `Connection` so that the
//! caller's transaction covers the alert change and its outbox row together.

use rusqlite::{Connection, OptionalExtension, params};

use crate::alerts::Severity;
use crate::alerts::model::{Alert, AlertStatus, Change, HistoryEntry, Rule};

const COLUMNS: &str = "id, machine_id, rule, subject, severity, status, summary, value, threshold, \
     action, opened_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, last_notified_at";

fn bad(column: usize, what: &str, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("unknown {what} `{text}`").into(),
    )
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Alert> {
    let rule: String = r.get(2)?;
    let subject: String = r.get(3)?;
    let severity: String = r.get(4)?;
    let status: String = r.get(5)?;
    Ok(Alert {
        id: r.get(0)?,
        machine_id: r.get(1)?,
        rule: Rule::parse(&rule).ok_or_else(|| bad(2, "rule", &rule))?,
        subject: (!subject.is_empty()).then_some(subject),
        severity: Severity::parse(&severity).ok_or_else(|| bad(4, "severity", &severity))?,
        status: AlertStatus::parse(&status).ok_or_else(|| bad(5, "status", &status))?,
        summary: r.get(6)?,
        value: r.get(7)?,
        threshold: r.get(8)?,
        action: r.get(9)?,
        opened_at: r.get(10)?,
        acknowledged_at: r.get(11)?,
        acknowledged_by: r.get(12)?,
        resolved_at: r.get(13)?,
        resolved_by: r.get(14)?,
        last_notified_at: r.get(15)?,
    })
}

/// Which alerts to list.
#[derive(Debug, Clone, Default)]
pub(crate) struct AlertFilter<'a> {
    /// Resolved ones too.
    pub(crate) all: bool,
    pub(crate) machine: Option<&'a str>,
    /// At or above this severity.
    pub(crate) min_severity: Option<Severity>,
}

/// The alerts that pass `filter`, newest first.
pub(crate) fn list(conn: &Connection, filter: &AlertFilter<'_>) -> rusqlite::Result<Vec<Alert>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM alerts
         WHERE (?1 OR status != 'resolved') AND (?2 IS NULL OR machine_id = ?2)
         ORDER BY opened_at DESC, id DESC"
    ))?;
    let rows = stmt.query_map(params![filter.all, filter.machine], from_row)?;
    let mut out = Vec::new();
    for alert in rows {
        let alert = alert?;
        if filter.min_severity.is_none_or(|s| alert.severity >= s) {
            out.push(alert);
        }
    }
    Ok(out)
}

/// A machine's active alerts (open, acknowledged or stale).
pub(crate) fn active_of(conn: &Connection, machine: &str) -> rusqlite::Result<Vec<Alert>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM alerts WHERE machine_id = ?1 AND status != 'resolved'"
    ))?;
    stmt.query_map([machine], from_row)?.collect()
}

/// Every active alert.
pub(crate) fn active(conn: &Connection) -> rusqlite::Result<Vec<Alert>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM alerts WHERE status != 'resolved'"
    ))?;
    stmt.query_map([], from_row)?.collect()
}

/// A machine's `limit` most recently resolved alerts, newest first.
pub(crate) fn resolved_of(
    conn: &Connection,
    machine: &str,
    limit: usize,
) -> rusqlite::Result<Vec<Alert>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM alerts WHERE machine_id = ?1 AND status = 'resolved'
         ORDER BY resolved_at DESC, id DESC LIMIT ?2"
    ))?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    stmt.query_map(params![machine, limit], from_row)?.collect()
}

pub(crate) fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<Alert>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM alerts WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
}

/// What a new alert says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewAlert {
    pub(crate) machine_id: String,
    pub(crate) rule: Rule,
    pub(crate) subject: Option<String>,
    pub(crate) severity: Severity,
    pub(crate) summary: String,
    pub(crate) value: Option<String>,
    pub(crate) threshold: Option<String>,
    pub(crate) action: Option<String>,
}

/// Open an alert at `now`, with its history entry; returns it as stored.
pub(crate) fn insert(conn: &Connection, new: &NewAlert, now: i64) -> rusqlite::Result<Alert> {
    conn.prepare_cached(
        "INSERT INTO alerts (machine_id, rule, subject, severity, status, summary, value,
           threshold, action, opened_at, last_notified_at)
         VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6, ?7, ?8, ?9, ?9)",
    )?
    .execute(params![
        new.machine_id,
        new.rule.as_str(),
        new.subject.as_deref().unwrap_or(""),
        new.severity.as_str(),
        new.summary,
        new.value,
        new.threshold,
        new.action,
        now
    ])?;
    let id = conn.last_insert_rowid();
    record(
        conn,
        id,
        now,
        Change::Opened,
        crate::alerts::model::HUB,
        None,
    )?;
    get(conn, id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)
}

/// Set an alert's status, recording who and when (acknowledged, resolved) and the history.
pub(crate) fn set_status(
    conn: &Connection,
    id: i64,
    status: AlertStatus,
    change: Change,
    actor: &str,
    now: i64,
) -> rusqlite::Result<()> {
    match status {
        AlertStatus::Acknowledged if change == Change::Acknowledged => conn
            .prepare_cached(
                "UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?2, acknowledged_by = ?3 WHERE id = ?1",
            )?
            .execute(params![id, now, actor])?,
        AlertStatus::Resolved => conn
            .prepare_cached(
                "UPDATE alerts SET status = 'resolved', resolved_at = ?2, resolved_by = ?3 WHERE id = ?1",
            )?
            .execute(params![id, now, actor])?,
        _ => conn
            .prepare_cached("UPDATE alerts SET status = ?2 WHERE id = ?1")?
            .execute(params![id, status.as_str()])?,
    };
    record(conn, id, now, change, actor, None)
}

/// A new value (and maybe a higher severity) for an open alert; no history unless escalated.
pub(crate) fn update_reading(
    conn: &Connection,
    id: i64,
    severity: Severity,
    summary: &str,
    value: Option<&str>,
    threshold: Option<&str>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE alerts SET severity = ?2, summary = ?3, value = ?4, threshold = ?5 WHERE id = ?1",
    )?
    .execute(params![id, severity.as_str(), summary, value, threshold])?;
    Ok(())
}

/// A reminder went out at `now`.
pub(crate) fn reminded(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE alerts SET last_notified_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    record(
        conn,
        id,
        now,
        Change::Reminder,
        crate::alerts::model::HUB,
        None,
    )
}

/// Add a history entry.
pub(crate) fn record(
    conn: &Connection,
    id: i64,
    now: i64,
    change: Change,
    actor: &str,
    note: Option<&str>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO alert_history (alert_id, time, change, actor, note) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, now, change.as_str(), actor, note])?;
    Ok(())
}

/// An alert's history, oldest first.
pub(crate) fn history(conn: &Connection, id: i64) -> rusqlite::Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT time, change, actor, note FROM alert_history WHERE alert_id = ?1 ORDER BY id",
    )?;
    stmt.query_map([id], |r| {
        let change: String = r.get(1)?;
        Ok(HistoryEntry {
            time: r.get(0)?,
            change: Change::parse(&change).ok_or_else(|| bad(1, "change", &change))?,
            actor: r.get(2)?,
            note: r.get(3)?,
        })
    })?
    .collect()
}
