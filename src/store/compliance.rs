//! Compliance results: the newest check of each machine, kept so that `status` and
//! `compliance` answer without connecting.

use std::collections::HashMap;

use rusqlite::params;

use super::{Store, StoreError};

/// One machine's newest check.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ComplianceRecord {
    pub(crate) machine_id: String,
    pub(crate) checked_at: i64,
    pub(crate) fleet_commit: Option<String>,
    /// compliant, drift or not_checked.
    pub(crate) state: String,
    /// The mismatches as JSON (a list).
    pub(crate) mismatches: String,
    pub(crate) error: Option<String>,
}

impl Store {
    /// Replace the stored results of these machines, in one transaction.
    pub(crate) fn record_compliance(
        &mut self,
        records: &[ComplianceRecord],
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| super::classify(&path, &e);
        let tx = self.conn.transaction().map_err(err)?;
        for r in records {
            tx.execute(
                "INSERT OR REPLACE INTO compliance (machine_id, checked_at, fleet_commit, state, mismatches, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![r.machine_id, r.checked_at, r.fleet_commit, r.state, r.mismatches, r.error],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Every stored result, by machine.
    pub(crate) fn compliance(&self) -> Result<HashMap<String, ComplianceRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT machine_id, checked_at, fleet_commit, state, mismatches, error FROM compliance")
            .map_err(|e| self.error(&e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ComplianceRecord {
                    machine_id: r.get(0)?,
                    checked_at: r.get(1)?,
                    fleet_commit: r.get(2)?,
                    state: r.get(3)?,
                    mismatches: r.get(4)?,
                    error: r.get(5)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.error(&e))?;
        Ok(rows
            .into_iter()
            .map(|r| (r.machine_id.clone(), r))
            .collect())
    }
}
