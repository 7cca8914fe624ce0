//! Machine run-time state: first and last heartbeat, agent version, maintenance pause.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

/// What the store knows of one machine.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct MachineRecord {
    pub(crate) machine_id: String,
    /// Unix seconds.
    pub(crate) first_seen: Option<i64>,
    pub(crate) last_seen: Option<i64>,
    pub(crate) agent_version: Option<String>,
    /// False for a machine that sent heartbeats but is not in fleet.yaml.
    pub(crate) registered: bool,
    pub(crate) paused: bool,
    pub(crate) paused_at: Option<i64>,
    pub(crate) paused_reason: Option<String>,
    /// When a pause given `--for` ends by itself (unix seconds).
    pub(crate) paused_until: Option<i64>,
}

impl MachineRecord {
    /// In maintenance mode at `now`: paused, and not past the end of a pause with a term.
    pub(crate) fn is_paused(&self, now: i64) -> bool {
        self.paused && self.paused_until.is_none_or(|until| now < until)
    }
}

const COLUMNS: &str = "machine_id, first_seen, last_seen, agent_version, registered, paused, paused_at, paused_reason, paused_until";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MachineRecord> {
    Ok(MachineRecord {
        machine_id: r.get(0)?,
        first_seen: r.get(1)?,
        last_seen: r.get(2)?,
        agent_version: r.get(3)?,
        registered: r.get(4)?,
        paused: r.get(5)?,
        paused_at: r.get(6)?,
        paused_reason: r.get(7)?,
        paused_until: r.get(8)?,
    })
}

impl Store {
    /// Every machine the store knows, by id.
    pub(crate) fn machine_records(&self) -> Result<HashMap<String, MachineRecord>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM machine_state"))
            .map_err(|e| self.error(&e))?;
        let rows = stmt
            .query_map([], from_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.error(&e))?;
        Ok(rows
            .into_iter()
            .map(|r| (r.machine_id.clone(), r))
            .collect())
    }

    pub(crate) fn machine_record(&self, id: &str) -> Result<Option<MachineRecord>, StoreError> {
        // Cached: the alerts evaluator asks for every heartbeat.
        self.conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM machine_state WHERE machine_id = ?1"
            ))
            .and_then(|mut stmt| stmt.query_row([id], from_row).optional())
            .map_err(|e| self.error(&e))
    }

    /// Put a machine in or out of maintenance mode, until `until` (unix seconds) if given.
    /// Returns whether it was in the other mode before (a pause that expired counts as none).
    /// Pausing a paused machine again sets the new reason and term.
    pub(crate) fn set_paused(
        &self,
        id: &str,
        paused: bool,
        reason: Option<&str>,
        until: Option<i64>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let before = self.machine_record(id)?.is_some_and(|r| r.is_paused(now));
        if before == paused && !paused {
            return Ok(false);
        }
        let (at, reason, until) = if paused {
            (Some(now), reason, until)
        } else {
            (None, None, None)
        };
        self.conn()
            .execute(
                "INSERT INTO machine_state (machine_id, paused, paused_at, paused_reason, paused_until)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (machine_id) DO UPDATE SET
                   paused = excluded.paused,
                   paused_at = CASE WHEN machine_state.paused = 1 AND excluded.paused = 1
                     AND (machine_state.paused_until IS NULL OR machine_state.paused_until > ?6)
                     THEN machine_state.paused_at ELSE excluded.paused_at END,
                   paused_reason = excluded.paused_reason, paused_until = excluded.paused_until",
                params![id, paused, at, reason, until, now],
            )
            .map_err(|e| self.error(&e))?;
        Ok(before != paused)
    }
}
