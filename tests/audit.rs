//! The audit trail with the real binary and a real SQLite file: entries written through the
//! hidden `audit append`, listed, filtered and shown; and `audit verify` catching every kind of
//! tampering done to the file with python3's sqlite3 (an edited field, a deleted entry in the
//! middle, at the start or at the end, swapped ids, a forged entry with recomputed hashes),
//! and concurrent writers keeping one chain.

use std::path::PathBuf;

use serde_json::Value;

use crate::common::{Run, TestEnv};

/// Run a python3 sqlite3 script on the database; prints what the script prints.
fn python(db: &std::path::Path, script: &str) -> String {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import sqlite3, sys, hashlib, struct\nc = sqlite3.connect(sys.argv[1])\n{script}\nc.commit()"
        ))
        .arg(db)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The chain's hash, written independently of the Rust code: SHA-256 of the previous hash, a
/// tag, and every field length-prefixed in a fixed order. `rehash(c, first, last)`
/// recomputes the hashes of entries `first` to `last`, as a forger who knows the format would,
/// and returns the last one.
const REHASH: &str = r#"
def entry_hash(prev, r):
    m = hashlib.sha256(prev)
    def b(x):
        m.update(struct.pack('>Q', len(x))); m.update(x)
    def i(x):
        m.update(struct.pack('>q', x))
    def ob(x):
        if x is None: m.update(b'\0')
        else: m.update(b'\1'); b(x.encode())
    def oi(x):
        if x is None: m.update(b'\0')
        else: m.update(b'\1'); i(x)
    b(b'homelabcmd audit entry v1'); i(r[0]); i(r[1]); b(r[2].encode()); ob(r[3]); b(r[4].encode())
    b(r[5].encode()); b(r[6].encode()); oi(r[7]); oi(r[8]); b(r[9]); i(r[10]); ob(r[11])
    return m.digest()

def rehash(c, first, last):
    rows = c.execute('SELECT id, time, user, machine, action, name, command, exit_code, duration_ms, output, output_omitted, fleet_commit FROM audit_log WHERE id BETWEEN ? AND ? ORDER BY id', (first, last)).fetchall()
    prev = c.execute('SELECT hash FROM audit_log WHERE id = ?', (first - 1,)).fetchone()
    prev = prev[0] if prev else bytes(32)
    for r in rows:
        h = entry_hash(prev, r)
        c.execute('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?', (prev, h, r[0]))
        prev = h
    return prev
"#;

fn db(env: &TestEnv) -> PathBuf {
    env.path("data/homelab.db")
}

/// `audit append` as alice at `now`, with `args` separated by `|` (`--name=x|--exit=1`);
/// returns the new id.
fn append_at(env: &TestEnv, now: &str, args: &str) -> i64 {
    let mut cmd = env.cmd(&["audit", "append"]);
    cmd.args(args.split('|'))
        .env("HOMELABCMD_NOW", now)
        .env("USER", "alice");
    let run = crate::common::run(cmd);
    run.code(0);
    run.stdout.trim().parse().expect("append prints the id")
}

/// Four entries: exec, apply (failed), trust, secret, an hour or more apart.
fn four(env: &TestEnv) {
    let id = append_at(
        env,
        "2026-11-22T12:00:00Z",
        "--machine=web1|--action=exec|--name=restart-service|--command=sudo systemctl restart nginx|--exit=0|--duration-ms=1234|--out-text=restarted\n|--fleet-commit=0123456789abcdef0123456789abcdef01234567",
    );
    assert_eq!(id, 1);
    append_at(
        env,
        "2026-11-25T10:00:00Z",
        "--machine=db1|--action=apply|--name=base|--command=apt-get install -y curl|--exit=100|--duration-ms=65000|--out-text=E: Unable to locate package curl\n",
    );
    append_at(
        env,
        "2026-11-25T11:00:00Z",
        "--machine=web1|--action=trust|--name=host-key|--command=pin ssh-ed25519 SHA256:9Gz3",
    );
    append_at(
        env,
        "2026-11-25T12:00:00Z",
        "--action=secret|--name=db_password|--command=secrets set db_password|--duration-ms=5",
    );
}

/// A copy of the database's audit tables, to undo each tampering.
fn backup(env: &TestEnv) -> PathBuf {
    let path = env.home.join("backup.db");
    let _ = std::fs::remove_file(&path);
    python(
        &db(env),
        &format!("c.execute(\"VACUUM INTO '{}'\")", path.display()),
    );
    path
}

/// Put the audit tables back as `backup` holds them; the chain verifies again.
fn restore(env: &TestEnv, backup: &std::path::Path) {
    python(
        &db(env),
        &format!(
            "c.execute(\"ATTACH '{}' AS b\")\n\
             c.execute('DELETE FROM audit_log')\n\
             c.execute('INSERT INTO audit_log SELECT * FROM b.audit_log')\n\
             c.execute('DELETE FROM audit_head')\n\
             c.execute('INSERT INTO audit_head SELECT * FROM b.audit_head')",
            backup.display()
        ),
    );
    verify(env, &[]).code(0);
}

fn verify(env: &TestEnv, extra: &[&str]) -> Run {
    let mut args = vec!["audit", "verify"];
    args.extend_from_slice(extra);
    env.run(&args)
}

/// Verify fails with exit 1, stdout empty; returns stderr.
fn broken(env: &TestEnv) -> String {
    let run = verify(env, &[]);
    run.code(1);
    assert_eq!(run.stdout, "");
    run.stderr
}

fn head(env: &TestEnv) -> String {
    let run = verify(env, &["-o", "json"]);
    run.code(0);
    run.json()["head"]["hash"].as_str().unwrap().to_string()
}

#[test]
fn an_empty_log_lists_nothing_and_verifies_without_creating_a_database() {
    let env = TestEnv::empty();
    let run = env.run(&["audit"]);
    run.code(0);
    assert_eq!(run.stdout, "no audit entries yet\n");
    assert_eq!(
        verify(&env, &[]).code(0).stdout,
        "ok: 0 entries, chain intact\n"
    );
    assert_eq!(
        env.run(&["audit", "-o", "json"]).code(0).json(),
        serde_json::json!({"entries": [], "total": 0})
    );
    assert!(!env.path("data").exists());
    let run = env.run(&["audit", "show", "1"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: there is no audit entry 1\nhint: `homelabcmd audit` lists the entries with their ids\n"
    );
}

#[test]
fn list_filters_newest_first() {
    let env = TestEnv::empty();
    four(&env);
    let run = env.run(&["audit"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        "\
ID  TIME                  USER   MACHINE  ACTION  NAME             EXIT  DURATION  COMMAND
4   2026-11-25T12:00:00Z  alice  -        secret  db_password      -     5ms       secrets set db_password
3   2026-11-25T11:00:00Z  alice  web1     trust   host-key         -     -         pin ssh-ed25519 SHA256:9Gz3
2   2026-11-25T10:00:00Z  alice  db1      apply   base             100   1m        apt-get install -y curl
1   2026-11-22T12:00:00Z  alice  web1     exec    restart-service  0     1.2s      sudo systemctl restart nginx
"
    );
    let ids = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["audit", "-o", "json"];
        all.extend_from_slice(args);
        env.run(&all).code(0).json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&["--machine", "web1"]), [3, 1]);
    assert_eq!(ids(&["--action", "apply"]), [2]);
    assert_eq!(ids(&["--since", "24h"]), [4, 3, 2]);
    assert_eq!(ids(&["--since", "90m", "--machine", "web1"]), [3]);
    assert_eq!(ids(&["--machine", "nosuch"]), Vec::<i64>::new());

    let run = env.run(&["audit", "--limit", "2"]);
    run.code(0);
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
    assert!(
        run.stdout
            .ends_with("\n2 newest of 4 entries; --limit N for more\n")
    );
    assert_eq!(
        env.run(&["audit", "--action", "apply", "--machine", "web1"])
            .stdout,
        "no audit entries match\n"
    );
    env.run(&["audit", "--action", "reboot"]).code(2);
    env.run(&["audit", "--limit", "0"]).code(2);
}

#[test]
fn show_prints_one_entry_in_full() {
    let env = TestEnv::empty();
    four(&env);
    let run = env.run(&["audit", "show", "1"]);
    run.code(0);
    let hash = run.stdout.lines().find(|l| l.starts_with("hash ")).unwrap();
    let hash = hash.split_whitespace().nth(1).unwrap();
    assert_eq!(hash.len(), 64);
    assert_eq!(
        run.stdout,
        format!(
            "\
entry 1: exec restart-service on web1
time          2026-11-22T12:00:00Z
user          alice
machine       web1
action        exec
name          restart-service
command       sudo systemctl restart nginx
exit code     0
duration      1.2s
fleet commit  0123456789abcdef0123456789abcdef01234567
hash          {hash}
prev hash     {}
output:
restarted
",
            "0".repeat(64)
        )
    );
    let run = env.run(&["audit", "show", "4"]);
    assert!(
        run.stdout.starts_with("entry 4: secret db_password\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\nmachine       -\n"));
    assert!(run.stdout.contains("\nexit code     none\n"));
    assert!(run.stdout.ends_with("\noutput        none\n"));
}

#[test]
fn json_shape() {
    let env = TestEnv::empty();
    four(&env);
    let doc = env
        .run(&["audit", "-o", "json", "--limit", "1"])
        .code(0)
        .json();
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&doc), ["entries", "total"]);
    assert_eq!(doc["total"], 4);
    let entry_keys = [
        "action",
        "command",
        "duration_ms",
        "exit_code",
        "fleet_commit",
        "hash",
        "id",
        "machine",
        "name",
        "output_omitted_bytes",
        "output_truncated",
        "prev_hash",
        "time",
        "user",
    ];
    let e = &doc["entries"][0];
    assert_eq!(keys(e), entry_keys);
    let one = env
        .run(&["audit", "show", "1", "-o", "json"])
        .code(0)
        .json();
    let mut with_output: Vec<&str> = entry_keys.to_vec();
    with_output.push("output");
    with_output.sort();
    assert_eq!(keys(&one), with_output);
    let hash = one["hash"].as_str().unwrap().to_string();
    assert_eq!(
        one,
        serde_json::json!({
            "id": 1, "time": "2026-11-22T12:00:00Z", "user": "alice", "machine": "web1",
            "action": "exec", "name": "restart-service", "command": "sudo systemctl restart nginx",
            "exit_code": 0, "duration_ms": 1234, "output_truncated": false, "output_omitted_bytes": 0,
            "fleet_commit": "0123456789abcdef0123456789abcdef01234567",
            "prev_hash": "0".repeat(64), "hash": hash, "output": "restarted\n"
        })
    );
    assert_eq!(
        (
            e["id"].as_i64(),
            &e["machine"],
            &e["exit_code"],
            &e["fleet_commit"]
        ),
        (Some(4), &Value::Null, &Value::Null, &Value::Null)
    );
    // The list's entry 2 links to show's entry 1.
    let two = env
        .run(&["audit", "show", "2", "-o", "json"])
        .code(0)
        .json();
    assert_eq!(two["prev_hash"], one["hash"]);

    let v = verify(&env, &["-o", "json"]).code(0).json();
    assert_eq!(
        keys(&v),
        ["entries", "expected_head", "head", "ok", "problem"]
    );
    let head = env.run(&["audit", "show", "4", "-o", "json"]).json()["hash"].clone();
    assert_eq!(
        v,
        serde_json::json!({"ok": true, "entries": 4, "head": {"id": 4, "hash": head},
                           "expected_head": null, "problem": null})
    );
    python(
        &db(&env),
        "c.execute(\"UPDATE audit_log SET user = 'mallory' WHERE id = 3\")",
    );
    let run = verify(&env, &["-o", "json"]);
    run.code(1);
    assert_eq!(
        run.json()["problem"],
        serde_json::json!({"entry": 3, "kind": "edited",
                           "message": "entry 3 was edited (its fields do not match its hash)"})
    );
    assert_eq!(run.json()["ok"], false);
}

#[test]
fn output_is_bounded_and_secrets_are_redacted() {
    let env = TestEnv::empty();
    let big: String = (0..200_000)
        .map(|i| (b'a' + (i % 26) as u8) as char)
        .collect();
    std::fs::write(env.home.join("big.txt"), &big).unwrap();
    let file = env.home.join("big.txt");
    append_at(
        &env,
        &env.now,
        &format!(
            "--machine=web1|--action=exec|--name=journal|--command=journalctl -n 100000|--out-file={}",
            file.display()
        ),
    );
    let one = env
        .run(&["audit", "show", "1", "-o", "json"])
        .code(0)
        .json();
    let omitted = 200_000 - 64 * 1024;
    assert_eq!(one["output_truncated"], true);
    assert_eq!(one["output_omitted_bytes"], omitted);
    let output = one["output"].as_str().unwrap();
    let marker = format!("\n[homelabcmd: {omitted} bytes of output omitted]\n");
    assert_eq!(output.len(), 64 * 1024 + marker.len());
    assert!(output.starts_with(&big[..16 * 1024]));
    assert!(output.ends_with(&big[big.len() - 48 * 1024..]));
    assert!(output.contains(&marker));
    let stored: String = python(
        &db(&env),
        "print(c.execute('SELECT length(output), output_omitted FROM audit_log').fetchall())",
    );
    assert_eq!(
        stored,
        format!("[({}, {omitted})]", 64 * 1024 + marker.len())
    );
    let run = env.run(&["audit", "show", "1"]);
    assert!(
        run.stdout.contains(&format!(
            "output ({omitted} bytes omitted from the middle):\n"
        )),
        "{}",
        &run.stdout[..400]
    );

    append_at(
        &env,
        &env.now,
        "--machine=db1|--action=exec|--name=mysql|--command=mysql -uroot -pHUNTER2 -e 'SHOW DATABASES'|--secret=HUNTER2|--out-text=\x1b[2Jcleared\tscreen\n",
    );
    let stored = python(
        &db(&env),
        "print(c.execute('SELECT command FROM audit_log WHERE id = 2').fetchall())",
    );
    assert_eq!(stored, "[(\"mysql -uroot -p*** -e 'SHOW DATABASES'\",)]");
    // Control characters from a machine's output are shown escaped, never sent to the terminal.
    let run = env.run(&["audit", "show", "2"]);
    assert!(
        run.stdout.ends_with("output:\n\\u{1b}[2Jcleared\tscreen\n"),
        "{}",
        run.stdout
    );
    verify(&env, &[]).code(0);
}

#[test]
fn the_local_user_is_recorded() {
    let env = TestEnv::empty();
    let user = |vars: &[(&str, &str)]| -> String {
        let mut cmd = env.cmd(&[
            "audit",
            "append",
            "--action",
            "exec",
            "--name",
            "x",
            "--command",
            "true",
        ]);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        crate::common::run(cmd).code(0);
        env.run(&["audit", "-o", "json", "--limit", "1"]).json()["entries"][0]["user"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(user(&[("USER", "alice"), ("LOGNAME", "bob")]), "alice");
    assert_eq!(user(&[("LOGNAME", "bob")]), "bob");
    assert_eq!(
        user(&[("USER", "root"), ("SUDO_USER", "carol")]),
        "root (sudo from carol)"
    );
    // Neither variable: the name of the process's uid.
    let me = std::process::Command::new("python3")
        .args([
            "-c",
            "import os, pwd; print(pwd.getpwuid(os.getuid()).pw_name)",
        ])
        .output()
        .unwrap();
    assert_eq!(user(&[]), String::from_utf8_lossy(&me.stdout).trim());
}

#[test]
fn verify_prints_the_head_and_checks_an_expected_one() {
    let env = TestEnv::empty();
    four(&env);
    let recorded = head(&env);
    let run = verify(&env, &[]);
    run.code(0);
    assert_eq!(
        run.stdout,
        format!("ok: 4 entries, chain intact\nhead: {recorded} (entry 4)\n")
    );
    // Later entries keep an earlier head valid.
    append_at(&env, &env.now, "--action=exec|--name=x|--command=true");
    let run = verify(&env, &["--expect-head", &recorded]);
    run.code(0);
    assert!(
        run.stdout
            .starts_with("ok: 5 entries, chain intact\nhead: ")
    );
    assert!(run.stdout.ends_with("\nexpected head: entry 4\n"));
    verify(&env, &["--expect-head", "abc"]).code(2);
}

#[test]
fn verify_catches_an_edited_field_and_nothing_else() {
    let env = TestEnv::empty();
    four(&env);
    let db = db(&env);
    for (column, value) in [
        ("command", "'sudo systemctl restart apache2'"),
        ("exit_code", "0"),
        ("time", "time + 1"),
        ("machine", "NULL"),
        ("output", "x'00'"),
        ("fleet_commit", "'ffff'"),
    ] {
        let old = python(
            &db,
            &format!(
                "print(repr(c.execute('SELECT {column} FROM audit_log WHERE id = 2').fetchone()[0]))"
            ),
        );
        python(
            &db,
            &format!("c.execute(\"UPDATE audit_log SET {column} = {value} WHERE id = 2\")"),
        );
        assert_eq!(
            broken(&env),
            "error: audit chain broken: entry 2 was edited (its fields do not match its hash)\n\
             hint: the entries before entry 2 are intact\n",
            "{column}"
        );
        python(
            &db,
            &format!("c.execute('UPDATE audit_log SET {column} = ? WHERE id = 2', ({old},))"),
        );
        verify(&env, &[]).code(0);
    }
    // The first entry: no hint about earlier ones.
    python(
        &db,
        "c.execute(\"UPDATE audit_log SET user = 'root' WHERE id = 1\")",
    );
    assert_eq!(
        broken(&env),
        "error: audit chain broken: entry 1 was edited (its fields do not match its hash)\n"
    );
}

#[test]
fn verify_catches_deleted_entries() {
    let env = TestEnv::empty();
    four(&env);
    let db = db(&env);
    let saved = backup(&env);
    let undo = || restore(&env, &saved);

    python(&db, "c.execute('DELETE FROM audit_log WHERE id = 2')");
    assert_eq!(
        broken(&env),
        "error: audit chain broken: entry 2 is missing (deleted): the log goes from entry 1 to entry 3\n\
         hint: the entries before entry 2 are intact\n"
    );
    undo();

    python(&db, "c.execute('DELETE FROM audit_log WHERE id IN (2, 3)')");
    assert_eq!(
        broken(&env),
        "error: audit chain broken: entries 2 to 3 are missing (deleted): the log goes from entry 1 to entry 4\n\
         hint: the entries before entry 2 are intact\n"
    );
    undo();

    python(&db, "c.execute('DELETE FROM audit_log WHERE id = 1')");
    assert_eq!(
        broken(&env),
        "error: audit chain broken: entry 1 is missing (deleted): the log starts at entry 2\n"
    );
    undo();

    // The last entry: only the head knows it existed.
    python(&db, "c.execute('DELETE FROM audit_log WHERE id = 4')");
    assert_eq!(
        broken(&env),
        "error: audit chain broken: entry 4 is missing (deleted): the log ends at entry 3 but the head records entry 4\n\
         hint: the entries before entry 4 are intact\n"
    );
    // A later append follows the head, so the hole stays visible.
    let id = append_at(&env, &env.now, "--action=exec|--name=x|--command=true");
    assert_eq!(id, 5);
    assert_eq!(
        broken(&env),
        "error: audit chain broken: entry 4 is missing (deleted): the log goes from entry 3 to entry 5\n\
         hint: the entries before entry 4 are intact\n"
    );
    undo();

    python(&db, "c.execute('DELETE FROM audit_log')");
    assert_eq!(
        broken(&env),
        "error: audit chain broken: entries 1 to 4 are missing (deleted): the log is empty but the head records entry 4\n"
    );
    undo();

    python(&db, "c.execute('DELETE FROM audit_head')");
    assert_eq!(
        broken(&env),
        "error: audit chain broken: the head is missing (deleted): nothing records which of the 4 entries is the last\n"
    );
}

#[test]
fn verify_catches_reordered_entries() {
    let env = TestEnv::empty();
    four(&env);
    let db = db(&env);
    let swap = |a: i64, b: i64| {
        python(
            &db,
            &format!(
                "c.execute('UPDATE audit_log SET id = -1 WHERE id = {a}')\nc.execute('UPDATE audit_log SET id = {a} WHERE id = {b}')\nc.execute('UPDATE audit_log SET id = {b} WHERE id = -1')"
            ),
        );
    };
    swap(2, 3);
    assert_eq!(
        broken(&env),
        "error: audit chain broken: entry 2 is out of order (it was written after entry 3, not after entry 1)\n\
         hint: the entries before entry 2 are intact\n"
    );
    swap(2, 3);
    verify(&env, &[]).code(0);
    swap(1, 4);
    assert_eq!(
        broken(&env),
        "error: audit chain broken: entry 1 is out of order (it was written after entry 3, not after the start of the log)\n"
    );
    swap(1, 4);
    // Swapping every field but the id is the same as swapping ids.
    python(
        &db,
        "cols = 'time, user, machine, action, name, command, exit_code, duration_ms, output, output_omitted, fleet_commit, prev_hash, hash'\n\
         a = c.execute(f'SELECT {cols} FROM audit_log WHERE id = 3').fetchone()\n\
         b = c.execute(f'SELECT {cols} FROM audit_log WHERE id = 4').fetchone()\n\
         sets = ', '.join(f'{n.strip()} = ?' for n in cols.split(','))\n\
         c.execute(f'UPDATE audit_log SET {sets} WHERE id = 3', b)\n\
         c.execute(f'UPDATE audit_log SET {sets} WHERE id = 4', a)",
    );
    assert_eq!(
        broken(&env),
        "error: audit chain broken: entry 3 is out of order (it was written after entry 4, not after entry 2)\n\
         hint: the entries before entry 3 are intact\n"
    );
}

#[test]
fn forged_entries_with_recomputed_hashes() {
    let env = TestEnv::empty();
    four(&env);
    let db = db(&env);
    let recorded = head(&env);
    let saved = backup(&env);
    let forge = |script: &str| python(&db, &format!("{REHASH}\n{script}"));
    // The test's hash function agrees with the binary's: rehashing everything changes nothing.
    forge("rehash(c, 1, 4)");
    verify(&env, &["--expect-head", &recorded]).code(0);

    // Entry 2 rewritten and its hash recomputed: entry 3 still links to the original.
    forge("c.execute('UPDATE audit_log SET exit_code = 0 WHERE id = 2')\nrehash(c, 2, 2)");
    assert_eq!(
        broken(&env),
        "error: audit chain broken: entry 3 does not follow entry 2 (entry 2 was replaced and its hash recomputed, or entry 3 was forged)\n\
         hint: the entries before entry 3 are intact\n"
    );
    restore(&env, &saved);

    // The last entry rewritten: the head still has the original hash.
    forge(
        "c.execute(\"UPDATE audit_log SET command = 'secrets get db_password' WHERE id = 4\")\nrehash(c, 4, 4)",
    );
    assert_eq!(
        broken(&env),
        "error: audit chain broken: entry 4 was replaced (its hash was recomputed, but the head records the original)\n\
         hint: the entries before entry 4 are intact\n"
    );
    restore(&env, &saved);

    // An entry added by hand after the head.
    forge(
        "c.execute('INSERT INTO audit_log SELECT 5, time, user, machine, action, name, command, exit_code, duration_ms, output, output_omitted, fleet_commit, prev_hash, hash FROM audit_log WHERE id = 4')\nrehash(c, 5, 5)",
    );
    assert_eq!(
        broken(&env),
        "error: audit chain broken: entry 5 was added outside homelabcmd (the head records entry 4 as the last)\n\
         hint: the entries before entry 5 are intact\n"
    );
    restore(&env, &saved);

    // A forger who rewrites every later hash and the head too is not caught by the database
    // alone; a head recorded elsewhere catches it.
    forge(
        "c.execute('UPDATE audit_log SET exit_code = 0 WHERE id = 2')\nlast = rehash(c, 2, 4)\nc.execute('UPDATE audit_head SET hash = ?', (last,))",
    );
    verify(&env, &[]).code(0);
    let run = verify(&env, &["--expect-head", &recorded]);
    run.code(1);
    assert_eq!(
        run.stderr,
        format!(
            "error: audit chain broken: the expected head {recorded} is not in the log (an entry up to it was rewritten or deleted)\n"
        )
    );
    restore(&env, &saved);

    // Likewise a deleted tail with the head moved back.
    forge(
        "c.execute('DELETE FROM audit_log WHERE id = 4')\nc.execute('UPDATE audit_head SET id = 3, hash = (SELECT hash FROM audit_log WHERE id = 3)')",
    );
    verify(&env, &[]).code(0);
    verify(&env, &["--expect-head", &recorded]).code(1);
}

#[test]
fn concurrent_writers_keep_one_chain() {
    let env = TestEnv::empty();
    // The database exists before the writers race: several processes creating a brand-new
    // database at once collide in the schema migrations (store/migrations.rs), not here.
    append_at(&env, &env.now, "--action=exec|--name=first|--command=true");
    let writers: Vec<std::process::Child> = (0..12)
        .map(|i| {
            let mut cmd = env.cmd(&[
                "audit",
                "append",
                "--machine",
                &format!("m{i}"),
                "--action",
                "exec",
                "--name",
                &format!("w{i}"),
                "--command",
                "true",
                "--out-text",
                &"x".repeat(5000),
            ]);
            cmd.stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            cmd.spawn().expect("append starts")
        })
        .collect();
    // Verifying while they write sees a consistent snapshot: never a false alarm.
    for _ in 0..3 {
        verify(&env, &[]).code(0);
    }
    let mut ids = Vec::new();
    for child in writers {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        ids.push(
            String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse::<i64>()
                .unwrap(),
        );
    }
    ids.sort();
    assert_eq!(ids, (2..=13).collect::<Vec<_>>());
    let run = verify(&env, &[]);
    run.code(0);
    assert!(
        run.stdout.starts_with("ok: 13 entries, chain intact\n"),
        "{}",
        run.stdout
    );
}
