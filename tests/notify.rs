//! Notification delivery, end to end: a real `serve` delivers rows of a real outbox (inserted
//! with python3's sqlite3, as the alert rules will insert them) to loopback receivers that
//! answer as Slack, webhooks and ntfy do; `notify test`; target validation.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::receiver::{Answer, Receiver};
use crate::common::{BASE_PACK, TestEnv};

/// A fleet of one server whose `defaults.notify` is `notify` (YAML list items, indented 4).
pub(crate) fn fleet_with(notify: &str) -> TestEnv {
    let fleet = format!(
        "version: 1\ndefaults:\n  notify:\n{notify}machines:\n  web1:\n    address: web1.lan\n    packs: [base]\n"
    );
    TestEnv::with_files(&[
        ("fleet.yaml", &fleet),
        ("packs/base.yaml", BASE_PACK),
        ("packs/files/bashrc", "# bashrc\n"),
    ])
}

/// `homelabcmd serve` with stderr kept in a file (to check what it logs).
pub(crate) struct Serve {
    pub(crate) child: Child,
    log: PathBuf,
    pub(crate) port: u16,
}

impl Serve {
    pub(crate) fn start(env: &TestEnv, args: &[&str]) -> Serve {
        Serve::start_with(env, args, &[])
    }

    /// [`Serve::start`] with extra environment variables (`RUST_LOG`).
    pub(crate) fn start_with(env: &TestEnv, args: &[&str], vars: &[(&str, &str)]) -> Serve {
        let log = env.home.join(format!("serve-{}.log", std::process::id()));
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let mut cmd = env.cmd(&["serve", "--host", "127.0.0.1", "--port", "0"]);
        cmd.envs(vars.iter().copied());
        cmd.args(args)
            .env_remove("HOMELABCMD_NOW")
            .stdout(Stdio::piped())
            .stderr(log_file);
        let mut child = cmd.spawn().expect("serve starts");
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        std::io::BufRead::read_line(&mut out, &mut first).unwrap();
        let port = first
            .split("listening on 127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {first:?}"));
        // Keep draining stdout, and keep it for the secret check.
        let stdout_copy = log.with_extension("stdout");
        std::fs::write(&stdout_copy, &first).unwrap();
        std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = std::io::Read::read_to_string(&mut out, &mut rest);
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(stdout_copy)
                .unwrap();
            let _ = f.write_all(rest.as_bytes());
        });
        Serve { child, log, port }
    }

    /// SIGTERM, and wait until it has stopped (at most 10 s).
    pub(crate) fn terminate(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..100 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("serve did not stop on SIGTERM");
    }

    /// kill -9: no chance to record anything.
    fn kill_hard(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// What it wrote on stderr: its log.
    pub(crate) fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Everything it wrote (stderr, then stdout).
    pub(crate) fn output(&self) -> String {
        let err = std::fs::read_to_string(&self.log).unwrap_or_default();
        let out = std::fs::read_to_string(self.log.with_extension("stdout")).unwrap_or_default();
        format!("{err}{out}")
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn db(env: &TestEnv) -> PathBuf {
    env.repo.join("data/homelab.db")
}

/// An alert event as the alert rules write it (src/alerts/event.rs).
pub(crate) fn event(id: i64, machine: &str, rule: &str, transition: &str) -> serde_json::Value {
    serde_json::json!({
        "alert_id": id, "transition": transition, "at": 1_764_000_000 + id,
        "machine_id": machine, "machine_name": machine.to_uppercase(),
        "rule": rule, "subject": null, "severity": "critical",
        "summary": if rule == "offline" { "offline".to_string() } else { format!("{rule} failed") },
        "value": null, "threshold": null, "action": null
    })
}

/// Insert events into the outbox of `db` (in one transaction), as `outbox::enqueue` does.
pub(crate) fn enqueue(db: &Path, events: &[serde_json::Value]) {
    let lines: String = events.iter().map(|e| format!("{e}\n")).collect();
    let script = "import sqlite3, sys, json\n\
        c = sqlite3.connect(sys.argv[1], timeout=30)\n\
        for line in sys.stdin:\n\
        \x20   e = json.loads(line)\n\
        \x20   key = 'alert-%d-%s' % (e['alert_id'], e['transition'])\n\
        \x20   c.execute('INSERT OR IGNORE INTO notify_outbox (key, created_at, event) VALUES (?, ?, ?)', (key, e['at'], line.strip()))\n\
        c.commit()\n";
    let mut child = Command::new("python3")
        .args(["-c", script, db.to_str().unwrap()])
        .stdin(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

/// One query's rows, as python prints them.
fn query(db: &Path, sql: &str) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sqlite3, sys\nprint(sqlite3.connect(sys.argv[1], timeout=30).execute(sys.argv[2]).fetchall())",
            db.to_str().unwrap(),
            sql,
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn keys(requests: &[crate::common::receiver::Received]) -> Vec<String> {
    requests.iter().map(|r| r.key()).collect()
}

#[test]
fn a_refusing_then_rate_limiting_receiver_gets_each_message_exactly_once() {
    let receiver = Receiver::start(vec![
        Answer::status(500, "rollup_error"),
        Answer::rate_limited(3),
    ]);
    let env = fleet_with(&format!("    - webhook: {}\n", receiver.url("/hook")));
    let serve = Serve::start(&env, &["--storm-window", "0"]);
    enqueue(&db(&env), &[event(1, "web1", "service", "opened")]);
    let seen = receiver.wait_until(60, |r| r.iter().any(|r| r.answered == 200));
    enqueue(&db(&env), &[event(2, "web1", "disk", "opened")]);
    receiver.wait_until(60, |r| r.iter().filter(|r| r.answered == 200).count() == 2);
    std::thread::sleep(Duration::from_secs(3)); // room for a wrong repeat to show up
    let all = receiver.requests();
    let answered: Vec<u16> = all.iter().map(|r| r.answered).collect();
    assert_eq!(answered, [500, 429, 200, 200]);
    assert_eq!(
        keys(&all),
        [
            "alert-1-opened",
            "alert-1-opened",
            "alert-1-opened",
            "alert-2-opened"
        ]
    );
    // Retry-After: 3 was honoured (the backoff alone would have waited 2 s).
    assert!(seen[2].at - seen[1].at >= Duration::from_millis(2500));
    let body = all[3].json();
    assert_eq!(body["idempotency_key"], "alert-2-opened");
    assert_eq!(body["kind"], "alert");
    assert_eq!(body["transition"], "opened");
    assert_eq!(body["title"], "🔴 Critical: disk failed on WEB1");
    assert_eq!(body["events"][0]["alert_id"], 2);
    assert_eq!(all[3].path, "/hook");
    assert_eq!(
        query(
            &db(&env),
            "SELECT state, attempts, last_status FROM notify_delivery ORDER BY id"
        ),
        "[('delivered', 3, 200), ('delivered', 1, 200)]"
    );
    drop(serve);
}

#[test]
fn a_receiver_that_does_not_answer_is_timed_out_and_tried_again() {
    let receiver = Receiver::start(vec![Answer::hanging(25)]);
    let env = fleet_with(&format!("    - webhook: {}\n", receiver.url("/hook")));
    let serve = Serve::start(&env, &["--storm-window", "0"]);
    enqueue(&db(&env), &[event(1, "web1", "service", "opened")]);
    // The second attempt is answered at once; the first (hanging) one was given up on.
    receiver.wait_until(60, |r| r.iter().any(|r| r.key() == "alert-1-opened"));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let rows = query(&db(&env), "SELECT state, attempts FROM notify_delivery");
        if rows == "[('delivered', 2)]" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{rows}\n{}",
            serve.output()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        serve
            .output()
            .contains("alert-1-opened to webhook: timed out"),
        "{}",
        serve.output()
    );
}

#[test]
fn a_400_is_a_configuration_error_and_is_not_retried() {
    let receiver = Receiver::start(vec![Answer::status(400, "invalid_payload")]);
    let env = fleet_with(&format!("    - slack: {}\n", receiver.url("/services/x")));
    let serve = Serve::start(&env, &["--storm-window", "0"]);
    enqueue(&db(&env), &[event(1, "web1", "service", "opened")]);
    receiver.wait_until(60, |r| !r.is_empty());
    enqueue(&db(&env), &[event(2, "web1", "service", "resolved")]);
    receiver.wait_until(60, |r| r.len() == 2);
    std::thread::sleep(Duration::from_secs(3));
    let all = receiver.requests();
    assert_eq!(keys(&all), ["alert-1-opened", "alert-2-resolved"]);
    assert_eq!(
        query(
            &db(&env),
            "SELECT state, attempts, last_status, last_error FROM notify_delivery ORDER BY id"
        ),
        "[('config_error', 1, 400, 'HTTP 400: invalid_payload'), ('delivered', 1, 200, None)]"
    );
    assert!(
        serve.output().contains("alert-1-opened to slack: refused, HTTP 400: invalid_payload: a configuration error, not retried"),
        "{}",
        serve.output()
    );
}

#[test]
fn ten_machines_offline_together_are_one_message_and_so_is_their_return() {
    let receiver = Receiver::start(vec![]);
    let env = fleet_with(&format!("    - slack: {}\n", receiver.url("/services/x")));
    let _serve = Serve::start(&env, &["--storm-window", "2"]);
    let down: Vec<_> = (1..=10)
        .map(|i| event(i, &format!("srv{i:02}"), "offline", "opened"))
        .collect();
    // Two batches a moment apart, both inside the window.
    enqueue(&db(&env), &down[..4]);
    std::thread::sleep(Duration::from_millis(500));
    enqueue(&db(&env), &down[4..]);
    receiver.wait_until(60, |r| !r.is_empty());
    std::thread::sleep(Duration::from_secs(4));
    let all = receiver.requests();
    assert_eq!(all.len(), 1, "{:#?}", keys(&all));
    let body = all[0].json();
    assert_eq!(
        body["text"],
        "🔴 10 machines offline: SRV01, SRV02, SRV03, SRV04, SRV05 and 5 more"
    );
    let section = body["blocks"][0]["text"]["text"].as_str().unwrap();
    assert_eq!(section.lines().count(), 11, "{section}");
    assert!(
        section.contains("• 🔴 Critical: offline on SRV10"),
        "{section}"
    );
    assert_eq!(all[0].key(), "storm-1-opened");

    let up: Vec<_> = (1..=10)
        .map(|i| event(i, &format!("srv{i:02}"), "offline", "resolved"))
        .collect();
    enqueue(&db(&env), &up);
    receiver.wait_until(60, |r| r.len() == 2);
    std::thread::sleep(Duration::from_secs(4));
    let all = receiver.requests();
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[1].json()["text"],
        "✅ 10 machines back online: SRV01, SRV02, SRV03, SRV04, SRV05 and 5 more"
    );
}

#[test]
fn an_ntfy_resolve_replaces_the_notification_it_resolves() {
    let receiver = Receiver::start(vec![]);
    let env = fleet_with(&format!(
        "    - ntfy: {}\n      min_severity: high\n",
        receiver.url("/homelab-alerts")
    ));
    let mut low = event(9, "web1", "updates", "opened");
    low["severity"] = "low".into();
    let _serve = Serve::start(&env, &["--storm-window", "0"]);
    enqueue(&db(&env), &[low, event(5, "web1", "service", "opened")]);
    receiver.wait_until(60, |r| !r.is_empty());
    enqueue(&db(&env), &[event(5, "web1", "service", "resolved")]);
    let all = receiver.wait_until(60, |r| r.len() == 2);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        receiver.requests().len(),
        2,
        "the low alert is below min_severity"
    );
    let (open, resolve) = (&all[0], &all[1]);
    assert_eq!(open.method, "POST");
    assert_eq!(open.path, "/homelab-alerts");
    assert_eq!(open.header("X-Sequence-ID"), Some("alert-5-opened"));
    assert_eq!(resolve.header("X-Sequence-ID"), Some("alert-5-opened"));
    assert_eq!(resolve.key(), "alert-5-resolved");
    assert_eq!(open.header("Priority"), Some("5"));
    assert_eq!(open.header("Tags"), Some("rotating_light,homelabcmd"));
    assert_eq!(resolve.header("Tags"), Some("white_check_mark,homelabcmd"));
    // "🔴 Critical: service failed on WEB1" as an RFC 2047 encoded word.
    assert_eq!(
        open.header("Title"),
        Some("=?UTF-8?B?8J+UtCBDcml0aWNhbDogc2VydmljZSBmYWlsZWQgb24gV0VCMQ==?=")
    );
    assert_eq!(resolve.text(), "✅ Resolved: service failed on WEB1");
}

#[test]
fn every_message_arrives_across_a_kill_9_of_the_hub() {
    let receiver = Receiver::start(vec![]);
    receiver.set_delay(Duration::from_millis(300));
    let env = fleet_with(&format!("    - webhook: {}\n", receiver.url("/hook")));
    let first = Serve::start(&env, &["--storm-window", "0"]);
    let events: Vec<_> = (1..=12)
        .map(|i| event(i, "web1", &format!("svc{i}"), "opened"))
        .collect();
    enqueue(&db(&env), &events);
    receiver.wait_until(60, |r| r.len() >= 3);
    first.kill_hard();
    let _second = Serve::start(&env, &["--storm-window", "0"]);
    let all = receiver.wait_until(120, |r| {
        let got: std::collections::BTreeSet<String> = r.iter().map(|r| r.key()).collect();
        got.len() == 12
    });
    // At least once, in order, and a repeat carries the same key (the receiver can drop it).
    let mut distinct = keys(&all);
    distinct.dedup();
    let expected: Vec<String> = (1..=12).map(|i| format!("alert-{i}-opened")).collect();
    assert_eq!(distinct, expected);
    for r in &all {
        assert_eq!(r.json()["idempotency_key"], r.key().as_str());
    }
}

/// A fleet whose one target is Slack at `url`, kept as the age-encrypted secret
/// `slack_webhook` (set over stdin, committed).
pub(crate) fn secret_slack_fleet(url: &str) -> TestEnv {
    let env = fleet_with("    - slack: secret:slack_webhook\n");
    env.run(&["secrets", "init", "--name", "me"]).code(0);
    env.set_secret("slack_webhook", url);
    env.commit("the webhook as a secret");
    env
}

#[test]
fn a_secret_url_is_resolved_and_never_shown() {
    let receiver = Receiver::start(vec![Answer::status(503, "busy")]);
    let env = secret_slack_fleet(&receiver.url("/services/T000/B000/SEKRITtoken"));

    let serve = Serve::start(&env, &["--storm-window", "0"]);
    enqueue(&db(&env), &[event(1, "web1", "service", "opened")]);
    let all = receiver.wait_until(60, |r| r.iter().any(|r| r.answered == 200));
    assert_eq!(all[0].path, "/services/T000/B000/SEKRITtoken");
    let test = env.run(&["notify", "test"]);
    test.code(0);
    assert!(
        test.stdout.contains("slack   slack  delivered  200"),
        "{}",
        test.stdout
    );
    let logged = serve.output();
    assert!(
        logged.contains("alert-1-opened to slack: HTTP 503: busy (pending)"),
        "{logged}"
    );
    for text in [&logged, &test.stdout, &test.stderr] {
        assert!(
            !text.contains("SEKRIT"),
            "the secret URL was shown:\n{text}"
        );
    }
}

#[test]
fn notify_test_reports_each_answer() {
    let ok = Receiver::start(vec![]);
    let refusing = Receiver::start(vec![Answer::status(403, "invalid_token")]);
    let env = fleet_with(&format!(
        "    - webhook: {}\n    - {{ ntfy: {}, name: phone }}\n",
        ok.url("/hook"),
        refusing.url("/topic")
    ));
    let run = env.run(&["notify", "test"]);
    run.code(3);
    assert_eq!(
        run.stdout,
        "TARGET   KIND     RESULT     HTTP  DETAIL\n\
         webhook  webhook  delivered  200\n\
         phone    ntfy     refused    403   HTTP 403: invalid_token\n"
    );
    assert!(
        run.stderr
            .contains("1 of 2 targets did not accept the test message"),
        "{}",
        run.stderr
    );
    // The receiver records a request just after answering it: wait for the record.
    let body = ok.wait_until(10, |r| !r.is_empty())[0].json();
    assert_eq!(body["kind"], "test");
    assert_eq!(body["title"], "🔔 Test from homelabcmd");

    env.run(&["notify", "test", "webhook"]).code(0);
    ok.wait_until(10, |r| r.len() == 2);
    assert_eq!(refusing.requests().len(), 1, "only the named target");
    let unknown = env.run(&["notify", "test", "phnoe"]);
    unknown.code(2);
    assert!(
        unknown
            .stderr
            .contains("unknown notification target `phnoe`"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn bad_targets_are_reported_with_file_line_and_column() {
    let env = fleet_with(
        "    - { slack: https://hooks.example/x, min_severity: urgent }\n    - { webhook: https://hooks.example/y }\n    - { ntfy: https://ntfy.example/t, name: webhook }\n",
    );
    let run = env.run(&["validate"]);
    run.code(2);
    assert!(
        run.stderr
            .contains("fleet.yaml:4:55: `urgent` is not a severity"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("hint: use one of low, medium, high, critical (lowest first)")
    );
    assert!(
        run.stderr
            .contains("fleet.yaml:6:45: two `notify` targets are called `webhook`"),
        "{}",
        run.stderr
    );
}

#[test]
fn slack_webhook_url_is_a_target_of_its_own() {
    let receiver = Receiver::start(vec![]);
    let env = TestEnv::fleet();
    let mut cmd = env.cmd(&["notify", "test", "-o", "json"]);
    cmd.env("SLACK_WEBHOOK_URL", receiver.url("/services/ENVtoken"));
    let run = crate::common::run(cmd);
    run.code(0);
    assert_eq!(
        run.json(),
        serde_json::json!([{"target": "env-slack", "kind": "slack", "result": "delivered",
                            "http_status": 200, "detail": null}])
    );
    let got = receiver.requests();
    assert_eq!(got[0].path, "/services/ENVtoken");
    assert_eq!(got[0].json()["text"], "🔔 Test from homelabcmd");
    assert!(!run.stdout.contains("ENVtoken") && !run.stderr.contains("ENVtoken"));
    // Without it, and without defaults.notify, there is nothing to test.
    let none = env.run(&["notify", "test"]);
    none.code(2);
    assert!(
        none.stderr.contains("no notification targets"),
        "{}",
        none.stderr
    );
}
