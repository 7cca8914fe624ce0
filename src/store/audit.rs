//! The audit log's rows: appending an entry to the hash chain in one IMMEDIATE transaction
//! (so two processes never fork it), listing and reading entries, and the raw reads
//! `audit::verify` walks. What the hashes mean is `audit::chain`'s business.

use std::ops::ControlFlow;

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::{Store, StoreError};
use crate::audit::chain::{self, Fields, GENESIS};
use crate::audit::{AuditEntry, AuditFilter, AuditRecord};

/// Every column but `output`, in `from_row`'s order.
const COLUMNS: &str = "id, time, user, machine, action, name, command, exit_code, duration_ms, \
                       output_omitted, fleet_commit, prev_hash, hash";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        time: r.get(1)?,
        user: r.get(2)?,
        machine: r.get(3)?,
        action: r.get(4)?,
        name: r.get(5)?,
        command: r.get(6)?,
        exit_code: r.get(7)?,
        duration_ms: r.get(8)?,
        output_omitted: r.get(9)?,
        fleet_commit: r.get(10)?,
        prev_hash: r.get(11)?,
        hash: r.get(12)?,
    })
}

/// The filter's WHERE clause: ?1 machine, ?2 action, ?3 oldest time.
const WHERE: &str =
    "(?1 IS NULL OR machine = ?1) AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR time >= ?3)";

impl Store {
    /// Record a change: the next entry of the chain, and the head moved to it, in one
    /// transaction that takes the write lock first, so concurrent writers (other processes
    /// included) queue rather than fork the chain. `time` is unix seconds, `user` the local
    /// user (`audit::local_user()`). Returns the new entry's id.
    ///
    /// The output is stored bounded (`CapturedOutput`). The new entry follows the head, not
    /// whatever row is last, so tampering with the tail stays visible to `audit verify`.
    pub(crate) fn audit_append(
        &self,
        record: &AuditRecord,
        time: i64,
        user: &str,
    ) -> Result<i64, StoreError> {
        let (output, omitted) = record.output.stored();
        let duration_ms = record
            .duration
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let tx = Transaction::new_unchecked(self.conn(), TransactionBehavior::Immediate)
            .map_err(|e| self.error(&e))?;
        let head: Option<(i64, Vec<u8>)> = tx
            .query_row("SELECT id, hash FROM audit_head WHERE one = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(|e| self.error(&e))?;
        let max_id: i64 = tx
            .query_row("SELECT coalesce(max(id), 0) FROM audit_log", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.error(&e))?;
        let (head_id, prev) = head.unwrap_or((0, GENESIS.to_vec()));
        // Rows beyond the head were not written here; never collide with them.
        let id = head_id.max(max_id) + 1;
        let fields = Fields {
            id,
            time,
            user,
            machine: record.machine.as_deref(),
            action: record.action.as_str(),
            name: &record.name,
            command: record.command.as_str(),
            exit_code: record.exit_code.map(i64::from),
            duration_ms,
            output: &output,
            output_omitted: i64::try_from(omitted).unwrap_or(i64::MAX),
            fleet_commit: record.fleet_commit.as_deref(),
        };
        let hash = chain::entry_hash(&prev, &fields);
        tx.execute(
            "INSERT INTO audit_log (id, time, user, machine, action, name, command, exit_code,
               duration_ms, output, output_omitted, fleet_commit, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                id,
                time,
                user,
                fields.machine,
                fields.action,
                fields.name,
                fields.command,
                fields.exit_code,
                fields.duration_ms,
                fields.output,
                fields.output_omitted,
                fields.fleet_commit,
                prev,
                &hash[..],
            ],
        )
        .map_err(|e| self.error(&e))?;
        tx.execute(
            "INSERT INTO audit_head (one, id, hash) VALUES (1, ?1, ?2)
             ON CONFLICT (one) DO UPDATE SET id = excluded.id, hash = excluded.hash",
            params![id, &hash[..]],
        )
        .map_err(|e| self.error(&e))?;
        tx.commit().map_err(|e| self.error(&e))?;
        Ok(id)
    }

    /// The entries matching `filter`, newest first, at most `filter.limit`, and how many
    /// match in all.
    pub(crate) fn audit_list(
        &self,
        filter: &AuditFilter,
    ) -> Result<(Vec<AuditEntry>, u64), StoreError> {
        let action = filter.action.map(|a| a.as_str());
        let total: i64 = self
            .conn()
            .query_row(
                &format!("SELECT count(*) FROM audit_log WHERE {WHERE}"),
                params![filter.machine, action, filter.since],
                |r| r.get(0),
            )
            .map_err(|e| self.error(&e))?;
        let mut stmt = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM audit_log WHERE {WHERE} ORDER BY id DESC LIMIT ?4"
            ))
            .map_err(|e| self.error(&e))?;
        let entries = stmt
            .query_map(
                params![filter.machine, action, filter.since, filter.limit],
                from_row,
            )
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.error(&e))?;
        Ok((entries, total as u64))
    }

    /// One entry and its stored output.
    pub(crate) fn audit_entry(&self, id: i64) -> Result<Option<(AuditEntry, Vec<u8>)>, StoreError> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS}, output FROM audit_log WHERE id = ?1"),
                [id],
                |r| Ok((from_row(r)?, r.get(13)?)),
            )
            .optional()
            .map_err(|e| self.error(&e))
    }

    /// Run `f` in one read transaction: every read inside sees the same state.
    pub(crate) fn audit_read<T>(
        &self,
        f: impl FnOnce(&Self) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let tx = self
            .conn()
            .unchecked_transaction()
            .map_err(|e| self.error(&e))?;
        let result = f(self);
        drop(tx); // read only: rolling back changes nothing
        result
    }

    /// Every entry's id and stored hash, in id order.
    pub(crate) fn audit_hashes(&self) -> Result<Vec<(i64, Vec<u8>)>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, hash FROM audit_log ORDER BY id")
            .map_err(|e| self.error(&e))?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(&e))
    }

    /// The head: the id and hash of the last entry appended, as recorded with it.
    pub(crate) fn audit_head(&self) -> Result<Option<(i64, Vec<u8>)>, StoreError> {
        self.conn()
            .query_row("SELECT id, hash FROM audit_head WHERE one = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(|e| self.error(&e))
    }

    /// Call `f` with each entry and its output in id order, one row in memory at a time,
    /// until it breaks.
    pub(crate) fn audit_walk(
        &self,
        mut f: impl FnMut(&AuditEntry, &[u8]) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn()
            .prepare(&format!(
                "SELECT {COLUMNS}, output FROM audit_log ORDER BY id"
            ))
            .map_err(|e| self.error(&e))?;
        let mut rows = stmt.query([]).map_err(|e| self.error(&e))?;
        while let Some(row) = rows.next().map_err(|e| self.error(&e))? {
            let entry = from_row(row).map_err(|e| self.error(&e))?;
            let output: Vec<u8> = row.get(13).map_err(|e| self.error(&e))?;
            if f(&entry, &output).is_break() {
                break;
            }
        }
        Ok(())
    }
}
