//! Following the fleet's remote: the newest commit `apply` applied (what `sync` may not go
//! back behind) and how the latest `sync` went (for the page and /metrics). One row each.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

/// The newest commit an apply made changes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AppliedCommit {
    /// Full hex.
    pub(crate) commit: String,
    /// The commit's committer time, unix seconds.
    pub(crate) commit_time: i64,
    pub(crate) applied_at: i64,
}

/// How a sync ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SyncOutcome {
    /// New commits arrived and HEAD moved.
    Updated,
    /// Nothing new.
    UpToDate,
    /// Not allowed: diverged, older than the applied commit, a dirty work tree.
    Refused,
    /// git failed (the remote unreachable, a timeout, …).
    Failed,
}

impl SyncOutcome {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Updated => "updated",
            Self::UpToDate => "up_to_date",
            Self::Refused => "refused",
            Self::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "updated" => Self::Updated,
            "up_to_date" => Self::UpToDate,
            "refused" => Self::Refused,
            _ => Self::Failed,
        }
    }

    pub(crate) fn is_success(self) -> bool {
        matches!(self, Self::Updated | Self::UpToDate)
    }
}

impl std::fmt::Display for SyncOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The latest sync, and the totals kept across them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyncRecord {
    pub(crate) attempted_at: i64,
    pub(crate) outcome: SyncOutcome,
    /// HEAD after the attempt.
    pub(crate) commit: Option<String>,
    pub(crate) error: Option<String>,
    pub(crate) last_success_at: Option<i64>,
    /// Syncs that were refused or failed, ever.
    pub(crate) failures: i64,
}

impl Store {
    /// Remember the commit an apply made changes from.
    pub(crate) fn record_applied(&self, applied: &AppliedCommit) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "INSERT OR REPLACE INTO fleet_applied (one, commit_id, commit_time, applied_at)
                 VALUES (1, ?1, ?2, ?3)",
                params![applied.commit, applied.commit_time, applied.applied_at],
            )
            .map(drop)
            .map_err(|e| self.error(&e))
    }

    /// The newest commit an apply made changes from, if any.
    pub(crate) fn last_applied(&self) -> Result<Option<AppliedCommit>, StoreError> {
        self.conn()
            .query_row(
                "SELECT commit_id, commit_time, applied_at FROM fleet_applied WHERE one = 1",
                [],
                |r| {
                    Ok(AppliedCommit {
                        commit: r.get(0)?,
                        commit_time: r.get(1)?,
                        applied_at: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.error(&e))
    }

    /// Record a sync's end: a success moves `last_success_at`, anything else counts a failure.
    pub(crate) fn record_sync(
        &self,
        at: i64,
        outcome: SyncOutcome,
        commit: Option<&str>,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let ok = outcome.is_success();
        self.conn()
            .execute(
                "INSERT INTO fleet_sync (one, attempted_at, outcome, commit_id, error, last_success_at, failures)
                 VALUES (1, ?1, ?2, ?3, ?4, CASE WHEN ?5 THEN ?1 END, CASE WHEN ?5 THEN 0 ELSE 1 END)
                 ON CONFLICT (one) DO UPDATE SET
                   attempted_at = excluded.attempted_at, outcome = excluded.outcome,
                   commit_id = excluded.commit_id, error = excluded.error,
                   last_success_at = CASE WHEN ?5 THEN ?1 ELSE last_success_at END,
                   failures = failures + CASE WHEN ?5 THEN 0 ELSE 1 END",
                params![at, outcome.as_str(), commit, error, ok],
            )
            .map(drop)
            .map_err(|e| self.error(&e))
    }

    /// The latest sync, if one ever ran.
    pub(crate) fn last_sync(&self) -> Result<Option<SyncRecord>, StoreError> {
        self.conn()
            .query_row(
                "SELECT attempted_at, outcome, commit_id, error, last_success_at, failures
                 FROM fleet_sync WHERE one = 1",
                [],
                |r| {
                    Ok(SyncRecord {
                        attempted_at: r.get(0)?,
                        outcome: SyncOutcome::parse(&r.get::<_, String>(1)?),
                        commit: r.get(2)?,
                        error: r.get(3)?,
                        last_success_at: r.get(4)?,
                        failures: r.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.error(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_records_count_failures_and_keep_the_last_success() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("db")).expect("open");
        assert_eq!(store.last_sync().expect("read"), None);
        store
            .record_sync(100, SyncOutcome::Updated, Some("abc"), None)
            .expect("write");
        store
            .record_sync(200, SyncOutcome::Failed, Some("abc"), Some("no route"))
            .expect("write");
        store
            .record_sync(300, SyncOutcome::Refused, Some("abc"), Some("diverged"))
            .expect("write");
        assert_eq!(
            store.last_sync().expect("read"),
            Some(SyncRecord {
                attempted_at: 300,
                outcome: SyncOutcome::Refused,
                commit: Some("abc".into()),
                error: Some("diverged".into()),
                last_success_at: Some(100),
                failures: 2,
            })
        );
        let applied = AppliedCommit {
            commit: "abc".into(),
            commit_time: 50,
            applied_at: 60,
        };
        store.record_applied(&applied).expect("write");
        assert_eq!(store.last_applied().expect("read"), Some(applied));
    }
}
