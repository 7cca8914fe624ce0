//! The SQLite store: created on first write, WAL, a version it can migrate, and every kind
//! of bad file (not SQLite, another program's, corrupt, from a newer version) refused with a
//! clear error and exit 2, the file left as it was.

use crate::common::TestEnv;

fn sqlite(db: &std::path::Path, sql: &str) -> String {
    let out = std::process::Command::new("python3")
        .args(["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchall(); c.commit(); print(r)"])
        .arg(db)
        .arg(sql)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn read_only_commands_do_not_create_a_database() {
    let env = TestEnv::fleet();
    env.run(&["machines"]).code(0);
    assert!(!env.path("data").exists());
}

#[test]
fn pause_creates_a_wal_database_and_machines_shows_it() {
    let env = TestEnv::fleet();
    let run = env.run(&["pause", "web1", "--reason", "disk swap"]);
    run.code(0);
    assert_eq!(run.stdout, "web1 paused\n");
    let db = env.path("data/homelab.db");
    assert_eq!(sqlite(&db, "PRAGMA journal_mode"), "[('wal',)]");
    assert_eq!(sqlite(&db, "PRAGMA user_version"), "[(10,)]");
    assert_eq!(
        sqlite(
            &db,
            "SELECT machine_id, paused, paused_at, paused_reason FROM machine_state"
        ),
        "[('web1', 1, 1795608000, 'disk swap')]"
    );
    assert_eq!(
        env.run(&["pause", "web1"]).stdout,
        "web1 was already paused\n"
    );
    let run = env.run(&["machines"]);
    assert_eq!(
        run.stdout
            .lines()
            .nth(1)
            .unwrap()
            .split("  ")
            .filter(|s| !s.is_empty())
            .nth(3),
        Some("unknown (paused)")
    );
    assert_eq!(env.run(&["resume", "web1"]).stdout, "web1 resumed\n");
    assert_eq!(
        env.run(&["machines", "-o", "json"]).json()["machines"][0]["paused"],
        false
    );

    let run = env.run(&["pause", "web9"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: unknown machine `web9`\nhint: did you mean `web1`? valid machines: web1\n"
    );
}

#[test]
fn db_flag_env_and_sqlite_urls() {
    let env = TestEnv::fleet();
    let path = env.home.join("state/a.db");
    env.run(&["pause", "web1", "--db", path.to_str().unwrap()])
        .code(0);
    assert!(path.is_file());
    let url = format!("sqlite:///{}", env.home.join("b.db").display());
    let mut cmd = env.cmd(&["pause", "web1"]);
    cmd.env("HOMELAB_CMD_DATABASE_URL", &url);
    crate::common::run(cmd).code(0);
    assert!(env.home.join("b.db").is_file());
}

/// Run `machines` against a database file holding `bytes`; exit 2, stderr as expected, the
/// file unchanged.
fn refused(env: &TestEnv, bytes: &[u8]) -> String {
    let db = env.path("data/homelab.db");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    std::fs::write(&db, bytes).unwrap();
    let run = env.run(&["machines"]);
    run.code(2);
    assert_eq!(run.stdout, "");
    assert!(
        std::fs::read(&db).unwrap() == bytes,
        "the file must be left as it was"
    );
    run.stderr.replace("./data/homelab.db", "DB")
}

#[test]
fn a_file_that_is_not_sqlite_is_refused() {
    let env = TestEnv::fleet();
    assert_eq!(
        refused(&env, b"this is a text file, not a database\n"),
        "error: DB is not an SQLite database\n\
         hint: point --db (or HOMELAB_CMD_DATABASE_URL) at homelabcmd's database, or at a path that does not exist yet\n"
    );
    assert_eq!(refused(&env, b"SQLite"), refused(&env, b"garbage!"));
}

#[test]
fn a_corrupt_database_is_refused_not_reset() {
    let env = TestEnv::fleet();
    env.run(&["pause", "web1"]).code(0);
    let db = env.path("data/homelab.db");
    // Checkpoint the WAL into the main file, then smash the schema page.
    sqlite(&db, "PRAGMA wal_checkpoint(TRUNCATE)");
    let mut bytes = std::fs::read(&db).unwrap();
    for b in &mut bytes[100..1000] {
        *b = 0xA5;
    }
    let stderr = refused(&env, &bytes);
    assert!(
        stderr.starts_with("error: the database DB is corrupt: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("\nhint: keep the file for inspection and restore a backup"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("hint: homelabcmd never resets a damaged database by itself\n"),
        "{stderr}"
    );
}

#[test]
fn another_programs_database_and_a_newer_schema_are_refused() {
    let env = TestEnv::fleet();
    let db = env.path("data/homelab.db");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    sqlite(&db, "CREATE TABLE photos (id INTEGER PRIMARY KEY)");
    let bytes = std::fs::read(&db).unwrap();
    assert_eq!(
        refused(&env, &bytes),
        "error: DB is an SQLite database of another program, not homelabcmd's\n\
         hint: point --db (or HOMELAB_CMD_DATABASE_URL) at homelabcmd's database, or at a path that does not exist yet\n"
    );

    std::fs::remove_file(&db).unwrap();
    env.run(&["pause", "web1"]).code(0);
    sqlite(&db, "PRAGMA user_version = 99");
    sqlite(&db, "PRAGMA wal_checkpoint(TRUNCATE)");
    let bytes = std::fs::read(&db).unwrap();
    assert_eq!(
        refused(&env, &bytes),
        "error: the database DB has schema version 99, newer than this homelabcmd knows (10)\n\
         hint: upgrade homelabcmd; this database was written by a newer version\n"
    );
}

#[test]
fn db_check_reads_every_page() {
    let env = TestEnv::fleet();
    let run = env.run(&["db", "check"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: there is no database yet\nhint: it is created by the first command that records something (e.g. `homelabcmd serve`)\n"
    );
    env.run(&["pause", "web1"]).code(0);
    let run = env.run(&["db", "check"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        "ok: ./data/homelab.db passed the integrity check\n"
    );

    // Damage a data page (not the schema): opening still works, the full check finds it.
    let db = env.path("data/homelab.db");
    sqlite(&db, "CREATE TABLE filler (x TEXT)");
    sqlite(
        &db,
        "INSERT INTO filler SELECT hex(randomblob(500)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 200) SELECT i FROM n)",
    );
    sqlite(&db, "PRAGMA wal_checkpoint(TRUNCATE)");
    let mut bytes = std::fs::read(&db).unwrap();
    let page = 4096;
    let last = bytes.len() / page - 1;
    for b in &mut bytes[last * page..last * page + 64] {
        *b = 0xFF;
    }
    std::fs::write(&db, &bytes).unwrap();
    let run = env.run(&["db", "check"]);
    run.code(2);
    assert!(
        run.stderr
            .starts_with("error: the database ./data/homelab.db is corrupt: "),
        "{}",
        run.stderr
    );
}
