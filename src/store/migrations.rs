//! Schema versions: each migration runs once, in order, in its own transaction, and
//! `PRAGMA user_version` records how far a database has come.

use super::{Store, StoreError};

/// Append only: a released migration never changes.
const MIGRATIONS: &[&str] = &[
    // 1: what the hub knows of each machine at run time (fleet.yaml holds what it should be).
    "CREATE TABLE machine_state (
        machine_id    TEXT PRIMARY KEY NOT NULL,
        first_seen    INTEGER,            -- unix seconds of the first heartbeat
        last_seen     INTEGER,            -- unix seconds of the latest heartbeat
        agent_version TEXT,
        registered    INTEGER NOT NULL DEFAULT 1 CHECK (registered IN (0, 1)),
        paused        INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
        paused_at     INTEGER,
        paused_reason TEXT
    ) STRICT;",
    // 2: metrics. Samples live in one compact block per machine and hour (series.rs); after
    // 30 days a block becomes an hourly rollup (min/avg/max), kept for a year.
    "CREATE TABLE machine_keys (
        key        INTEGER PRIMARY KEY,
        machine_id TEXT NOT NULL UNIQUE
    ) STRICT;
    -- A rowid table on purpose: its leaf pages hold blobs of a few KiB inline, where a
    -- WITHOUT ROWID table would spill each block to an overflow page of its own (3x the size).
    CREATE TABLE metric_blocks (
        id   INTEGER PRIMARY KEY,
        key  INTEGER NOT NULL REFERENCES machine_keys (key),
        hour INTEGER NOT NULL,           -- unix seconds of the hour's start
        data BLOB NOT NULL,
        UNIQUE (key, hour)
    ) STRICT;
    CREATE TABLE metric_rollups (
        key  INTEGER NOT NULL REFERENCES machine_keys (key),
        hour INTEGER NOT NULL,
        data BLOB NOT NULL,               -- 88 bytes: count and min/avg/max of 7 metrics
        PRIMARY KEY (key, hour)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE machine_latest (
        machine_id TEXT PRIMARY KEY NOT NULL,
        time       INTEGER NOT NULL,     -- the newest sample's time
        sample     TEXT NOT NULL         -- that sample, as the agent sent it (JSON)
    ) STRICT;",
    // 3: the audit trail (src/audit/, store/audit.rs): one row per change, hash-chained; the
    // head (the last entry's id and hash) is written in the same transaction as each entry.
    "CREATE TABLE audit_log (
        id             INTEGER PRIMARY KEY,  -- 1, 2, 3, ... without gaps
        time           INTEGER NOT NULL,     -- unix seconds
        user           TEXT NOT NULL,        -- the local user
        machine        TEXT,                 -- null: the fleet as a whole
        action         TEXT NOT NULL,        -- exec | apply | trust | secret
        name           TEXT NOT NULL,
        command        TEXT NOT NULL,        -- as run, secrets redacted
        exit_code      INTEGER,
        duration_ms    INTEGER,
        output         BLOB NOT NULL,        -- stdout+stderr: at most 64 KiB and a marker line
        output_omitted INTEGER NOT NULL,     -- bytes left out of the middle of output
        fleet_commit   TEXT,
        prev_hash      BLOB NOT NULL,
        hash           BLOB NOT NULL         -- SHA-256 of prev_hash and the fields above
    ) STRICT;
    CREATE TABLE audit_head (
        one  INTEGER PRIMARY KEY CHECK (one = 1),
        id   INTEGER NOT NULL,
        hash BLOB NOT NULL
    ) STRICT;",
    // 4: the newest compliance result of each machine (diff, apply), so `status` and
    // `compliance` show it without connecting again.
    "CREATE TABLE compliance (
        machine_id   TEXT PRIMARY KEY NOT NULL,
        checked_at   INTEGER NOT NULL,
        fleet_commit TEXT,
        state        TEXT NOT NULL CHECK (state IN ('compliant', 'drift', 'not_checked')),
        mismatches   TEXT NOT NULL,          -- JSON list, as `diff -o json` shows them
        error        TEXT
    ) STRICT;",
    // 5: the notification outbox: one row per alert transition (src/alerts/event.rs), written
    // in the transaction that changes the alert; delivery state lives beside it.
    "CREATE TABLE notify_outbox (
        id         INTEGER PRIMARY KEY,
        key        TEXT NOT NULL UNIQUE,     -- the event's idempotency key
        created_at INTEGER NOT NULL,         -- unix seconds of the transition
        event      TEXT NOT NULL             -- the AlertEvent as JSON
    ) STRICT;",
    // 6: alerts (src/alerts/): at most one active (open, acknowledged or stale) alert per
    // machine, rule and subject; every change of state in alert_history; a pause may end by
    // itself (`pause --for`).
    "CREATE TABLE alerts (
        id               INTEGER PRIMARY KEY,
        machine_id       TEXT NOT NULL,
        rule             TEXT NOT NULL,      -- disk, ram, cpu, offline, service, container, updates, drift
        subject          TEXT NOT NULL,      -- the mount, unit or container; '' for none
        severity         TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        status           TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved', 'stale')),
        summary          TEXT NOT NULL,
        value            TEXT,
        threshold        TEXT,
        action           TEXT,
        opened_at        INTEGER NOT NULL,   -- unix seconds
        acknowledged_at  INTEGER,
        acknowledged_by  TEXT,
        resolved_at      INTEGER,
        resolved_by      TEXT,               -- 'hub' when the condition cleared, else a user
        last_notified_at INTEGER NOT NULL    -- the opening or the latest reminder
    ) STRICT;
    CREATE UNIQUE INDEX alerts_one_active ON alerts (machine_id, rule, subject)
        WHERE status != 'resolved';
    CREATE INDEX alerts_active ON alerts (machine_id) WHERE status != 'resolved';
    CREATE TABLE alert_history (
        id       INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL REFERENCES alerts (id),
        time     INTEGER NOT NULL,
        change   TEXT NOT NULL,              -- opened, acknowledged, resolved, stale, reopened, escalated, reminder
        actor    TEXT NOT NULL,              -- 'hub' or the user
        note     TEXT
    ) STRICT;
    CREATE INDEX alert_history_of ON alert_history (alert_id);
    ALTER TABLE machine_state ADD COLUMN paused_until INTEGER;",
    // 7: notification delivery (src/notify/delivery.rs): one row per (outbox row, target) that
    // wants it. `message_key` is fixed when the storm window closes: every retry of that
    // message carries the same key, also after a restart. The cursor is the last outbox row
    // whose deliveries were created.
    "CREATE TABLE notify_delivery (
        id              INTEGER PRIMARY KEY,
        outbox_id       INTEGER NOT NULL REFERENCES notify_outbox (id),
        target          TEXT NOT NULL,        -- the target's name (fleet.yaml `notify`)
        state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'config_error')),
        message_key     TEXT,                 -- the message it goes out in; null while gathering
        queued_at       INTEGER NOT NULL,     -- unix seconds (real time) it was taken up
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,     -- unix seconds (real time)
        last_status     INTEGER,              -- the receiver's last HTTP status, if any
        last_error      TEXT,
        delivered_at    INTEGER,
        UNIQUE (outbox_id, target)
    ) STRICT;
    CREATE INDEX notify_delivery_pending ON notify_delivery (target, state) WHERE state = 'pending';
    CREATE TABLE notify_cursor (
        one       INTEGER PRIMARY KEY CHECK (one = 1),
        outbox_id INTEGER NOT NULL
    ) STRICT;",
    // 8: remediation: the whitelisted command an alert brought, and how it went.
    "CREATE TABLE actions (
        id          INTEGER PRIMARY KEY,
        alert_id    INTEGER NOT NULL REFERENCES alerts (id),
        machine_id  TEXT NOT NULL,
        command     TEXT NOT NULL,      -- the whitelist name
        line        TEXT NOT NULL,      -- rendered when the alert opened
        sudo        INTEGER NOT NULL CHECK (sudo IN (0, 1)),
        mode        TEXT NOT NULL CHECK (mode IN ('auto', 'approve')),
        state       TEXT NOT NULL CHECK (state IN
                      ('pending', 'approved', 'running', 'completed', 'failed', 'rejected')),
        created_at  INTEGER NOT NULL,
        decided_at  INTEGER,            -- approved or rejected
        decided_by  TEXT,
        started_at  INTEGER,
        finished_at INTEGER,
        exit_code   INTEGER,
        error       TEXT,
        audit_id    INTEGER
    ) STRICT;
    CREATE INDEX actions_by_state ON actions (state, machine_id);",
    // 9: discovery scans (`discover ssh`, store/scans.rs): what one device answered, as JSON.
    "CREATE TABLE discover_scans (
        id     INTEGER PRIMARY KEY,
        time   INTEGER NOT NULL,          -- unix seconds
        host   TEXT NOT NULL,             -- as the operator named it
        result TEXT NOT NULL              -- the scan's facts and candidate (JSON)
    ) STRICT;",
    // 10: following the fleet repository's remote (src/ops/sync.rs, store/sync.rs). The newest
    // commit `apply` applied: `sync` moves the fleet only to that commit or a descendant, so a
    // stale or replayed branch cannot roll machines back. And how the latest sync went (cron's
    // or serve's), for the page and /metrics; `failures` only ever grows (a counter).
    "CREATE TABLE fleet_applied (
        one         INTEGER PRIMARY KEY CHECK (one = 1),
        commit_id   TEXT NOT NULL,          -- full hex
        commit_time INTEGER NOT NULL,       -- unix seconds, the commit's committer time
        applied_at  INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE fleet_sync (
        one             INTEGER PRIMARY KEY CHECK (one = 1),
        attempted_at    INTEGER NOT NULL,
        outcome         TEXT NOT NULL CHECK (outcome IN ('updated', 'up_to_date', 'refused', 'failed')),
        commit_id       TEXT,               -- HEAD after the attempt
        error           TEXT,
        last_success_at INTEGER,
        failures        INTEGER NOT NULL DEFAULT 0
    ) STRICT;",
];

/// Refuse a database written by a newer homelabcmd, before anything is written to it.
pub(super) fn check_version(store: &Store) -> Result<i64, StoreError> {
    let current: i64 = store
        .conn()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| store.error(&e))?;
    let known = MIGRATIONS.len() as i64;
    if current > known {
        return Err(StoreError::TooNew {
            path: store.path().to_path_buf(),
            found: current,
            known,
        });
    }
    Ok(current)
}

/// Run the migrations this database has not had yet.
pub(super) fn apply(store: &Store) -> Result<(), StoreError> {
    let conn = store.conn();
    let current = check_version(store)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = i as i64 + 1;
        // Another process may have migrated since `current` was read: look again inside the
        // write lock, so two commands opening a new database at once do not both migrate.
        let step = || -> rusqlite::Result<()> {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            let now: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if now < version {
                conn.execute_batch(&format!("{sql}\nPRAGMA user_version = {version};"))?;
            }
            conn.execute_batch("COMMIT")
        };
        step().map_err(|e| {
            let _ = conn.execute_batch("ROLLBACK");
            store.error(&e)
        })?;
    }
    Ok(())
}
