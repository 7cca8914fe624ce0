//! The outbox: alert events waiting to be delivered, one row each, kept in SQLite so that
//! neither an unreachable endpoint nor a restart of the hub loses a message.

use rusqlite::{Connection, params};

use crate::alerts::AlertEvent;

/// Queue `event` for delivery. Call it on the connection whose transaction changes the
/// alert, so both happen or neither. An event already queued (same idempotency key) is kept
/// once.
pub(crate) fn enqueue(conn: &Connection, event: &AlertEvent) -> rusqlite::Result<()> {
    let json = serde_json::to_string(event)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.execute(
        "INSERT OR IGNORE INTO notify_outbox (key, created_at, event) VALUES (?1, ?2, ?3)",
        params![event.idempotency_key(), event.at, json],
    )?;
    Ok(())
}
