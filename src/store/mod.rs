//! The local SQLite store: opening it safely (WAL, busy timeout, foreign keys), telling a
//! corrupt or foreign file apart from ours, and bringing the schema up to date.
//!
//! Opening checks what is cheap on every run (the file header, our application id, the schema
//! being readable); `Store::check` runs SQLite's full `quick_check`, which reads every page and
//! so is left to `serve` start-up and `homelabcmd db check`. Corruption met later in a query
//! surfaces as the same `StoreError::Corrupt`, never as a panic or a silent reset.

pub(crate) mod actions;
pub(crate) mod alerts;
mod audit;
mod compliance;
mod machines;
pub(crate) mod metrics;
mod migrations;
mod scans;
pub(crate) mod series;
pub(crate) mod sync;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, ffi::ErrorCode};

pub(crate) use compliance::ComplianceRecord;
pub(crate) use machines::MachineRecord;
pub(crate) use scans::ScanRecord;

/// "HLCD": marks a database as homelabcmd's (`PRAGMA application_id`).
const APPLICATION_ID: i32 = 0x484c_4344;

#[derive(Debug, thiserror::Error)]
pub(crate) enum StoreError {
    #[error("{0} is not an SQLite database")]
    NotSqlite(PathBuf),
    #[error("{0} is an SQLite database of another program, not homelabcmd's")]
    Foreign(PathBuf),
    #[error("the database {path} is corrupt: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "the database {path} has schema version {found}, newer than this homelabcmd knows ({known})"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("cannot use the database {path}: {message}")]
    Io { path: PathBuf, message: String },
}

impl StoreError {
    pub(crate) fn hints(&self) -> Vec<String> {
        match self {
            Self::NotSqlite(_) | Self::Foreign(_) => vec![
                "point --db (or HOMELAB_CMD_DATABASE_URL) at homelabcmd's database, or at a path that does not exist yet".into(),
            ],
            Self::Corrupt { path, .. } => vec![
                format!("keep the file for inspection and restore a backup (e.g. `sqlite3 {} .recover`)", path.display()),
                "homelabcmd never resets a damaged database by itself".into(),
            ],
            Self::TooNew { .. } => vec!["upgrade homelabcmd; this database was written by a newer version".into()],
            Self::Io { .. } => vec![],
        }
    }
}

/// An open store.
#[derive(Debug)]
pub(crate) struct Store {
    conn: Connection,
    path: PathBuf,
    /// This store's place in `OPEN_HERE`, released on drop.
    held: Option<PathBuf>,
}

/// The database files this process has open, and how many times. Closing *any* descriptor of
/// a file drops every POSIX lock the process holds on it, SQLite's included: a header read
/// with a descriptor of our own while another connection of this process (the hub's writer)
/// has the file open would silently unlock that connection, and another process could then
/// take the database as unused and delete its WAL under it. So the header is read only by
/// the first opener.
static OPEN_HERE: std::sync::Mutex<Vec<(PathBuf, usize)>> = std::sync::Mutex::new(Vec::new());

/// Count one more opener of `path`; true when it is the first.
fn hold(path: &Path) -> (Option<PathBuf>, bool) {
    let Ok(key) = std::fs::canonicalize(path) else {
        return (None, true);
    };
    let mut open = OPEN_HERE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(entry) = open.iter_mut().find(|(p, _)| *p == key) {
        entry.1 += 1;
        return (Some(key), false);
    }
    open.push((key.clone(), 1));
    (Some(key), true)
}

fn release(key: &Path) {
    let mut open = OPEN_HERE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(i) = open.iter().position(|(p, _)| p == key) {
        open[i].1 -= 1;
        if open[i].1 == 0 {
            open.swap_remove(i);
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(key) = self.held.take() {
            release(&key);
        }
    }
}

impl Store {
    /// Open the database at `path`, creating it (and its directory) if missing.
    pub(crate) fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        }
        Self::open_with(path, OpenFlags::SQLITE_OPEN_CREATE)
    }

    /// Open the database only if it exists (read-only commands must not create one).
    pub(crate) fn open_existing(path: &Path) -> Result<Option<Self>, StoreError> {
        if !path.exists() {
            return Ok(None);
        }
        Self::open_with(path, OpenFlags::empty()).map(Some)
    }

    fn open_with(path: &Path, extra: OpenFlags) -> Result<Self, StoreError> {
        let (held, first) = hold(path);
        let release_on_error = |e| {
            if let Some(key) = &held {
                release(key);
            }
            e
        };
        if first {
            check_header(path).map_err(release_on_error)?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | extra;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| release_on_error(classify(path, &e)))?;
        // A new file (created just now) is counted from here on.
        let held = held.or_else(|| hold(path).0);
        let store = Self {
            conn,
            path: path.to_path_buf(),
            held,
        };
        // Read-only checks first: a file that is not ours must be left exactly as it was.
        store.claim()?;
        migrations::check_version(&store)?;
        store.configure()?;
        migrations::apply(&store)?;
        Ok(store)
    }

    fn configure(&self) -> Result<(), StoreError> {
        let mode: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))
            .map_err(|e| self.error(&e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Io {
                path: self.path.clone(),
                message: format!("cannot switch to WAL journaling (got `{mode}`)"),
            });
        }
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(|e| self.error(&e))
    }

    /// Make sure the file is ours: a new database gets our application id; an SQLite file
    /// with tables but another id belongs to someone else (and is not written to).
    fn claim(&self) -> Result<(), StoreError> {
        self.conn
            .busy_timeout(Duration::from_secs(5))
            .map_err(|e| self.error(&e))?;
        let id: i32 = self
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| self.error(&e))?;
        if id == APPLICATION_ID {
            return Ok(());
        }
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(|e| self.error(&e))?;
        if id != 0 || tables > 0 {
            return Err(StoreError::Foreign(self.path.clone()));
        }
        self.conn
            .pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(|e| self.error(&e))
    }

    /// Make every commit durable on disk before it returns (`synchronous = FULL`), not only
    /// safe from a crash of this process. The hub's writer uses it: a 2xx means on disk.
    pub(crate) fn set_durable(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("PRAGMA synchronous = FULL;")
            .map_err(|e| self.error(&e))
    }

    /// SQLite's `quick_check`: reads every page. Ok(()) when the database is sound.
    pub(crate) fn check(&self) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA quick_check(5)")
            .map_err(|e| self.error(&e))?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(&e))?;
        if rows == ["ok"] {
            Ok(())
        } else {
            Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: rows.join("; "),
            })
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// For a caller that runs its own transaction (alerts: the change and its outbox row).
    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Turn a SQLite error into a `StoreError` that says what it means.
    pub(crate) fn error(&self, e: &rusqlite::Error) -> StoreError {
        classify(&self.path, e)
    }
}

pub(crate) fn classify(path: &Path, e: &rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotSqlite(path.to_path_buf()),
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => StoreError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
    }
}

/// A non-empty file must start with SQLite's magic string.
fn check_header(path: &Path) -> Result<(), StoreError> {
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(()); // missing: SQLite creates it, or reports why it cannot
    };
    let mut header = [0u8; 16];
    match file.read(&mut header) {
        Ok(0) => Ok(()),
        Ok(n) if n == 16 && &header == b"SQLite format 3\0" => Ok(()),
        Ok(_) => Err(StoreError::NotSqlite(path.to_path_buf())),
        Err(e) => Err(StoreError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What another process sees of `db` (python3's sqlite3: its own library and locks).
    fn outside(db: &Path, sql: &str) -> String {
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(c.execute(sys.argv[2]).fetchall())\nc.close()",
                db.to_str().unwrap(),
                sql,
            ])
            .output()
            .expect("python3 runs");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    #[test]
    fn a_second_store_in_the_process_keeps_the_first_ones_locks() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("h.db");
        let first = Store::open(&db).unwrap();
        let second = Store::open(&db).unwrap();
        first
            .conn()
            .execute_batch("CREATE TABLE t (x INTEGER)")
            .unwrap();
        // Another process comes and goes. Had the second open dropped the process's locks,
        // it would find the database unused on closing, and delete the WAL under us.
        assert_eq!(outside(&db, "SELECT count(*) FROM t"), "[(0,)]");
        assert!(
            db.with_extension("db-wal").exists(),
            "the WAL was deleted under the hub"
        );
        second
            .conn()
            .execute("INSERT INTO t VALUES (1)", [])
            .unwrap();
        assert_eq!(outside(&db, "SELECT x FROM t"), "[(1,)]");
        drop(second);
        first
            .conn()
            .execute("INSERT INTO t VALUES (2)", [])
            .unwrap();
        assert_eq!(outside(&db, "SELECT x FROM t ORDER BY x"), "[(1,), (2,)]");
    }
}
