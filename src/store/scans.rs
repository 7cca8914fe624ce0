//! Discovery scans (`discover ssh`): one row per scan, the result kept as the JSON the scan
//! produced, so `discover history` and `discover show` answer without connecting again.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

/// One stored scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScanRecord {
    pub(crate) id: i64,
    /// Unix seconds.
    pub(crate) time: i64,
    /// The host as the operator named it (a machine id, a name or an address).
    pub(crate) host: String,
    /// The scan's result (JSON).
    pub(crate) result: String,
}

impl Store {
    /// Keep a scan; its id.
    pub(crate) fn record_scan(
        &self,
        time: i64,
        host: &str,
        result: &str,
    ) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO discover_scans (time, host, result) VALUES (?1, ?2, ?3)",
                params![time, host, result],
            )
            .map_err(|e| self.error(&e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The newest `limit` scans, newest first.
    pub(crate) fn scans(&self, limit: u32) -> Result<Vec<ScanRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, time, host, result FROM discover_scans ORDER BY id DESC LIMIT ?1",
            )
            .map_err(|e| self.error(&e))?;
        stmt.query_map([limit], row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.error(&e))
    }

    /// One scan by id.
    pub(crate) fn scan(&self, id: i64) -> Result<Option<ScanRecord>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, time, host, result FROM discover_scans WHERE id = ?1",
                [id],
                row,
            )
            .optional()
            .map_err(|e| self.error(&e))
    }
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ScanRecord> {
    Ok(ScanRecord {
        id: r.get(0)?,
        time: r.get(1)?,
        host: r.get(2)?,
        result: r.get(3)?,
    })
}
