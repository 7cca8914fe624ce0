//! Alerts with real processes: `serve` on 127.0.0.1 fed real heartbeats over HTTP, its clock
//! moved by the test (`HOMELABCMD_NOW=@file`), the SQLite file read back with the CLI and
//! python3's sqlite3. Every rule fires once, dedups and resolves; the outbox holds exactly one
//! `opened` and one `resolved` event per alert.
//!
//! The evaluator runs behind the heartbeat's reply, so the tests synchronise through a probe
//! machine: its heartbeat toggles an alert, and once that toggle is visible every earlier
//! heartbeat has been judged (jobs are handled in order).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{Hub, TestEnv, heartbeat, sample};

const T0: i64 = 1_795_000_000; // 2026-11-18T...Z; any fixed time works

const FLEET: &str = "\
version: 1
defaults:
  offline_after: 60s
  alerts: { raise_after: 2, clear_after: 2, cpu_window: 2m, reminders: { critical: 5m } }
machines:
  web1:
    name: Web One
    address: web1.lan
    services: [nginx]
    alerts: { containers: true }
  desk:
    type: workstation
    address: desk.lan
  nas:
    address: nas.lan
    thresholds: { disk: [70, 95] }
  probe:
    address: probe.lan
    offline_after: 1h
    alerts: { raise_after: 1, clear_after: 1 }
";

/// A hub with a clock the test moves, and its fleet (also used by `web`'s alert test).
pub(crate) struct Lab {
    pub(crate) env: TestEnv,
    pub(crate) hub: Hub,
    clock: PathBuf,
    now: i64,
    probes: u32,
    /// The time of the probe's newest sample (each must be new, or it is a duplicate).
    probed: i64,
}

fn rfc(t: i64) -> String {
    jiff::Timestamp::from_second(t)
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

impl Lab {
    fn start() -> Lab {
        Lab::with(FLEET, &[])
    }

    /// A lab on `fleet`, which must have the `probe` machine of [`FLEET`] for `sync`.
    pub(crate) fn with_fleet(fleet: &str) -> Lab {
        Lab::with(fleet, &[])
    }

    /// A hub for `fleet` on the moving clock, with `args` added to `serve`.
    fn with(fleet: &str, args: &[&str]) -> Lab {
        let env = TestEnv::with_files(&[("fleet.yaml", fleet)]);
        let clock = env.home.join("clock");
        crate::common::set_clock(&clock, T0);
        let at = format!("@{}", clock.display());
        let mut all = vec!["--alert-every", "1"];
        all.extend(args);
        let hub = Hub::start(&env, Some(&at), &all);
        Lab {
            env,
            hub,
            clock,
            now: T0,
            probes: 0,
            probed: 0,
        }
    }

    /// Move the hub's clock (and the CLI's) to T0 + `secs`.
    pub(crate) fn at(&mut self, secs: i64) {
        self.now = T0 + secs;
        crate::common::set_clock(&self.clock, self.now);
    }

    pub(crate) fn cli(&self, args: &[&str]) -> crate::common::Run {
        let mut cmd = self.env.cmd(args);
        cmd.env("HOMELABCMD_NOW", self.now.to_string());
        crate::common::run(cmd)
    }

    /// POST one sample, changed by `f`, for `machine` at the current time.
    pub(crate) fn beat(&self, machine: &str, f: impl FnOnce(&mut Value)) {
        let token = self.cli(&["agent", "token", machine]);
        let mut s = sample(&rfc(self.now), 10.0);
        s["updates"]["security"] = json!(0);
        f(&mut s);
        let (code, body) = self
            .hub
            .post(Some(token.stdout.trim()), &heartbeat(machine, vec![s]));
        assert_eq!(code, 200, "{body}");
    }

    /// Wait until every heartbeat posted so far has been judged.
    pub(crate) fn sync(&mut self) {
        self.probes += 1;
        let open = self.probes % 2 == 1;
        // A second past the previous probe when the clock has not moved (the hub takes
        // samples up to 5 minutes ahead of its clock).
        self.probed = self.now.max(self.probed + 1);
        let time = rfc(self.probed);
        self.beat("probe", |s| {
            s["time"] = json!(time);
            s["updates"]["security"] = json!(u32::from(open));
        });
        let want = if open { 1 } else { 0 };
        wait(|| self.active("probe").len() == want, "the probe's toggle");
    }

    /// The machine's alerts (all of them, newest first), as `alerts --all -o json` shows them.
    pub(crate) fn alerts(&self, machine: &str) -> Vec<Value> {
        let run = self.cli(&["alerts", "--all", "--machine", machine, "-o", "json"]);
        run.code(0);
        run.json()["alerts"].as_array().unwrap().clone()
    }

    pub(crate) fn active(&self, machine: &str) -> Vec<Value> {
        self.alerts(machine)
            .into_iter()
            .filter(|a| a["status"] != "resolved")
            .collect()
    }

    /// (alert id, transition) of the machine's outbox events, in order.
    fn outbox(&self, machine: &str) -> Vec<(i64, String)> {
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print(r[0]) for r in c.execute('SELECT event FROM notify_outbox ORDER BY id')]",
            ])
            .arg(self.env.path("data/homelab.db"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|e| e["machine_id"] == machine)
            .map(|e| {
                (
                    e["alert_id"].as_i64().unwrap(),
                    e["transition"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

pub(crate) fn wait(mut done: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub(crate) fn disk(pct: u64) -> impl FnOnce(&mut Value) {
    move |s: &mut Value| {
        s["filesystems"][0]["used"] = json!(pct << 30);
        s["filesystems"][0]["available"] = json!((100 - pct) << 30);
    }
}

fn summary(alerts: &[Value]) -> Vec<(String, String, String, String)> {
    alerts
        .iter()
        .map(|a| {
            let text = |k: &str| a[k].as_str().unwrap_or("-").to_string();
            (
                text("rule"),
                text("subject"),
                text("severity"),
                text("status"),
            )
        })
        .collect()
}

fn row(
    rule: &str,
    subject: &str,
    severity: &str,
    status: &str,
) -> (String, String, String, String) {
    (rule.into(), subject.into(), severity.into(), status.into())
}

#[test]
fn a_disk_hovering_at_its_threshold_gives_one_alert_and_check_fails_until_it_resolves() {
    let mut lab = Lab::start();
    lab.env.run(&["check"]).code(0);
    // 85 % (bad), 79 % (above the clear level 75 %: changes nothing), 81 % (bad: the second).
    for (i, pct) in [85, 79, 81, 78, 80, 79, 76].into_iter().enumerate() {
        lab.at(60 * i as i64);
        lab.beat("web1", disk(pct));
        lab.sync();
        let expected = if i < 2 {
            vec![]
        } else {
            vec![row("disk", "/", "high", "open")]
        };
        assert_eq!(summary(&lab.alerts("web1")), expected, "after {pct} %");
    }
    let id = lab.alerts("web1")[0]["id"].as_i64().unwrap();
    // The value is the last reading at or above the threshold.
    assert_eq!(lab.alerts("web1")[0]["value"], "80 %");
    assert_eq!(lab.alerts("web1")[0]["threshold"], "80 %");
    // `check`: exit 1 at medium and high; 0 when only critical counts. (The probe's own
    // alert is low.)
    let run = lab.cli(&["check", "--fail-on", "medium"]);
    run.code(1);
    assert_eq!(run.stderr, "error: 1 open alert at or above medium\n");
    lab.cli(&["check", "--fail-on", "high"]).code(1);
    lab.cli(&["check", "--fail-on", "critical", "-o", "json"])
        .code(0);
    // Past the critical threshold: the same alert, escalated (no second alert).
    lab.at(600);
    lab.beat("web1", disk(93));
    lab.sync();
    assert_eq!(
        summary(&lab.alerts("web1")),
        vec![row("disk", "/", "critical", "open")]
    );
    lab.cli(&["check", "--fail-on", "critical"]).code(1);
    // Two readings below 75 %: resolved.
    for (i, pct) in [74, 70].into_iter().enumerate() {
        lab.at(660 + 60 * i as i64);
        lab.beat("web1", disk(pct));
        lab.sync();
    }
    assert_eq!(
        summary(&lab.alerts("web1")),
        vec![row("disk", "/", "critical", "resolved")]
    );
    // One message when it opened, one when it got worse, one when it resolved: the
    // hovering around 80 % sent nothing more.
    assert_eq!(
        lab.outbox("web1"),
        vec![
            (id, "opened".to_string()),
            (id, "escalated".to_string()),
            (id, "resolved".to_string())
        ]
    );
    lab.cli(&["check", "--fail-on", "medium"]).code(0);
    let shown = lab
        .cli(&["alerts", "show", &id.to_string(), "-o", "json"])
        .json();
    let changes: Vec<&str> = shown["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["opened", "escalated", "resolved"]);
    assert_eq!(shown["resolved_by"], "hub");
}

#[test]
fn every_sample_rule_fires_once_and_resolves() {
    let mut lab = Lab::start();
    let bad = |s: &mut Value| {
        s["cpu_percent"] = json!(97.0);
        s["memory"]["used"] = json!(7u64 << 30);
        s["memory"]["available"] = json!(1u64 << 30);
        s["services"] =
            json!([{"name": "nginx.service", "active_state": "failed", "sub_state": "failed"}]);
        s["docker"] = json!({"available": true, "containers": [{"name": "db", "image": "postgres", "state": "exited", "status": "Exited (1)"}]});
        s["updates"]["security"] = json!(3);
    };
    // CPU must stay high for the 2-minute window; the others need two bad readings.
    for i in 0..3 {
        lab.at(60 * i);
        lab.beat("web1", bad);
        lab.sync();
    }
    let mut got = summary(&lab.active("web1"));
    got.sort();
    assert_eq!(
        got,
        vec![
            row("container", "db", "medium", "open"),
            row("cpu", "-", "medium", "open"),
            row("ram", "-", "high", "open"),
            row("service", "nginx", "high", "open"),
            row("updates", "-", "low", "open"),
        ]
    );
    let service = lab
        .active("web1")
        .into_iter()
        .find(|a| a["rule"] == "service")
        .unwrap();
    assert_eq!(service["summary"], "nginx stopped (failed/failed)");
    assert_eq!(service["action"], "restart-service");
    // More of the same: nothing new.
    lab.at(180);
    lab.beat("web1", bad);
    lab.sync();
    assert_eq!(lab.alerts("web1").len(), 5);
    // All well twice: all resolved.
    for i in 4..6 {
        lab.at(60 * i);
        lab.beat("web1", |s| {
            s["services"] = json!([{"name": "nginx", "active_state": "active", "sub_state": "running"}]);
            s["docker"] = json!({"available": true, "containers": [{"name": "db", "image": "postgres", "state": "running", "status": "Up"}]});
        });
        lab.sync();
    }
    assert_eq!(lab.active("web1"), Vec::<Value>::new());
    let events = lab.outbox("web1");
    for a in lab.alerts("web1") {
        let id = a["id"].as_i64().unwrap();
        let mine: Vec<&str> = events
            .iter()
            .filter(|(i, _)| *i == id)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(mine, ["opened", "resolved"], "{a}");
    }
    assert_eq!(events.len(), 10);
}

#[test]
fn an_offline_server_raises_only_its_offline_alert_and_a_silent_workstation_nothing() {
    let mut lab = Lab::start();
    // nginx fails once (one short of raising), the desk's disk is full (raised).
    lab.beat("web1", |s| {
        s["services"] = json!([{"name": "nginx", "active_state": "failed", "sub_state": "failed"}]);
    });
    for i in 0..2 {
        lab.at(10 * i);
        lab.beat("desk", disk(95));
    }
    lab.sync();
    assert_eq!(
        summary(&lab.active("desk")),
        vec![row("disk", "/", "critical", "open")]
    );
    // Both fall silent past their offline_after (60 s).
    lab.at(200);
    wait(|| !lab.active("web1").is_empty(), "web1's offline alert");
    assert_eq!(
        summary(&lab.active("web1")),
        vec![row("offline", "-", "critical", "open")]
    );
    // The same tick left the workstation's alert stale, with no message, and raised nothing.
    assert_eq!(
        summary(&lab.alerts("desk")),
        vec![row("disk", "/", "critical", "stale")]
    );
    let desk_alert = lab.alerts("desk")[0]["id"].as_i64().unwrap();
    assert_eq!(lab.outbox("desk"), vec![(desk_alert, "opened".to_string())]);
    let stale = lab.cli(&["check"]);
    stale.code(1); // web1 offline; the stale desk alert alone would not fail it
    assert!(stale.stdout.contains("offline"), "{}", stale.stdout);
    assert!(!stale.stdout.contains("desk"), "{}", stale.stdout);
    // A reminder for the critical offline alert after 5 minutes; none for the stale one.
    let offline = lab.active("web1")[0]["id"].as_i64().unwrap();
    lab.at(200 + 301);
    wait(|| lab.outbox("web1").len() == 2, "the reminder");
    assert_eq!(lab.outbox("web1")[1], (offline, "reminder".to_string()));
    // web1 returns with nginx running: offline resolved, no service alert ever.
    lab.at(600);
    lab.beat("web1", |s| {
        s["services"] =
            json!([{"name": "nginx", "active_state": "active", "sub_state": "running"}]);
    });
    // The desk returns still full: the same alert, live again, without a second message.
    lab.beat("desk", disk(95));
    lab.sync();
    assert_eq!(
        summary(&lab.alerts("web1")),
        vec![row("offline", "-", "critical", "resolved")]
    );
    assert_eq!(
        summary(&lab.alerts("desk")),
        vec![row("disk", "/", "critical", "open")]
    );
    assert_eq!(
        lab.outbox("web1"),
        vec![
            (offline, "opened".into()),
            (offline, "reminder".into()),
            (offline, "resolved".into())
        ]
    );
    assert_eq!(lab.outbox("desk"), vec![(desk_alert, "opened".to_string())]);
    let history = lab
        .cli(&["alerts", "show", &desk_alert.to_string(), "-o", "json"])
        .json();
    let changes: Vec<&str> = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["opened", "stale", "reopened"]);
}

#[test]
fn a_paused_machine_raises_nothing_and_is_not_renotified_when_it_resumes() {
    let mut lab = Lab::start();
    for i in 0..2 {
        lab.at(10 * i);
        lab.beat("web1", disk(85));
    }
    lab.sync();
    let disk_alert = lab.active("web1")[0]["id"].as_i64().unwrap();
    lab.cli(&["pause", "web1", "--for", "10m", "--reason", "disk swap"])
        .code(0);
    // Paused: a failing service, a cleared disk and silence change nothing.
    for i in 0..3 {
        lab.at(20 + 10 * i);
        lab.beat("web1", |s| {
            disk(50)(s);
            s["services"] =
                json!([{"name": "nginx", "active_state": "failed", "sub_state": "failed"}]);
        });
    }
    lab.sync();
    crate::common::set_clock(&lab.clock, T0 + 300 + 3601);
    lab.now = T0 + 300 + 3601; // the pause (10 minutes) has expired by now
    wait(
        || lab.active("probe").iter().any(|a| a["rule"] == "offline"),
        "the probe's offline alert",
    );
    // The pause expired before this tick: web1 is offline now, and only that is raised.
    let got = summary(&lab.active("web1"));
    assert!(
        got.contains(&row("offline", "-", "critical", "open")),
        "{got:?}"
    );
    assert!(!got.iter().any(|r| r.0 == "service"), "{got:?}");
    // The disk alert opened before the pause is still the one alert, notified once.
    assert_eq!(
        lab.outbox("web1")
            .iter()
            .filter(|(i, _)| *i == disk_alert)
            .count(),
        1
    );
}

#[test]
fn a_paused_machine_is_skipped_by_the_clock_too() {
    let mut lab = Lab::start();
    lab.beat("web1", |_| {});
    lab.sync();
    lab.cli(&["pause", "web1"]).code(0);
    lab.at(3601 + 60);
    wait(
        || lab.active("probe").iter().any(|a| a["rule"] == "offline"),
        "the probe's offline alert",
    );
    assert_eq!(lab.alerts("web1"), Vec::<Value>::new());
    lab.cli(&["resume", "web1"]).code(0);
    wait(
        || !lab.active("web1").is_empty(),
        "web1's offline alert after resume",
    );
}

#[test]
fn ack_and_resolve_by_hand() {
    let mut lab = Lab::start();
    for i in 0..2 {
        lab.at(10 * i);
        lab.beat("web1", disk(95));
    }
    lab.sync();
    let id = lab.active("web1")[0]["id"].as_i64().unwrap().to_string();
    let mut cmd = lab.env.cmd(&["alerts", "ack", &id, "-o", "json"]);
    cmd.env("USER", "alice")
        .env("HOMELABCMD_NOW", lab.now.to_string());
    let acked = crate::common::run(cmd);
    acked.code(0);
    let doc = acked.json();
    assert_eq!(
        (doc["status"].as_str(), doc["acknowledged_by"].as_str()),
        (Some("acknowledged"), Some("alice"))
    );
    assert_eq!(doc["acknowledged_at"], rfc(lab.now));
    let again = lab.cli(&["alerts", "ack", &id]);
    again.code(2);
    assert_eq!(
        again.stderr,
        format!("error: alert {id} is already acknowledged\n")
    );
    let missing = lab.cli(&["alerts", "show", "999"]);
    missing.code(2);
    assert!(
        missing.stderr.starts_with("error: there is no alert 999\n"),
        "{}",
        missing.stderr
    );
    let resolved = lab.cli(&["alerts", "resolve", &id]);
    resolved.code(0);
    assert_eq!(
        resolved.stdout,
        format!("alert {id} resolved: disk / at 95 % on web1\n")
    );
    let id: i64 = id.parse().unwrap();
    assert_eq!(
        lab.outbox("web1"),
        vec![(id, "opened".to_string()), (id, "resolved".to_string())]
    );
    // The disk is still full: the hub opens a new alert (after raise_after readings).
    for i in 2..4 {
        lab.at(10 * i);
        lab.beat("web1", disk(95));
    }
    lab.sync();
    let table = lab.cli(&["alerts"]);
    assert!(
        table
            .stdout
            .starts_with("ID  SEVERITY  STATUS  MACHINE  RULE  SUBJECT  SUMMARY"),
        "{}",
        table.stdout
    );
    assert_eq!(lab.active("web1").len(), 1);
    assert_ne!(lab.active("web1")[0]["id"].as_i64(), Some(id));
}

#[test]
fn machine_thresholds_feed_the_disk_rule_and_recorded_drift_opens_and_clears_its_alert() {
    let mut lab = Lab::start();
    for i in 0..2 {
        lab.at(10 * i);
        lab.beat("nas", disk(72));
    }
    lab.sync();
    let got = lab.active("nas");
    assert_eq!(summary(&got), vec![row("disk", "/", "high", "open")]);
    assert_eq!(got[0]["threshold"], "70 %");
    // `diff` records drift in the store; the clock's rule opens a low alert from it.
    let record = |state: &str| {
        let sql = format!(
            "INSERT OR REPLACE INTO compliance (machine_id, checked_at, state, mismatches) VALUES ('nas', {}, '{state}', '[{{}}, {{}}]')",
            lab.now
        );
        let out = std::process::Command::new("python3")
            .args(["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()"])
            .arg(lab.env.path("data/homelab.db"))
            .arg(sql)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    record("drift");
    wait(|| lab.active("nas").len() == 2, "the drift alert");
    let drift = lab
        .active("nas")
        .into_iter()
        .find(|a| a["rule"] == "drift")
        .unwrap();
    assert_eq!(
        (drift["severity"].as_str(), drift["summary"].as_str()),
        (Some("low"), Some("drifts from its packs (2 mismatches)"))
    );
    record("compliant");
    wait(
        || lab.active("nas").len() == 1,
        "the drift alert to resolve",
    );
    let id = drift["id"].as_i64().unwrap();
    let events: Vec<_> = lab
        .outbox("nas")
        .into_iter()
        .filter(|(i, _)| *i == id)
        .collect();
    assert_eq!(
        events,
        vec![(id, "opened".to_string()), (id, "resolved".to_string())]
    );
}

#[test]
fn a_pause_for_a_while_ends_by_itself() {
    let env = TestEnv::with_files(&[("fleet.yaml", FLEET)]);
    let at = |now: &str, args: &[&str]| {
        let mut cmd = env.cmd(args);
        cmd.env("HOMELABCMD_NOW", now);
        crate::common::run(cmd)
    };
    let run = at(
        "2026-11-25T12:00:00Z",
        &["pause", "web1", "--for", "2h", "--reason", "disk swap"],
    );
    run.code(0);
    assert_eq!(run.stdout, "web1 paused until 2026-11-25T14:00:00Z\n");
    let paused = |now: &str| {
        let doc = at(now, &["machines", "-o", "json"]).json();
        doc["machines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == "web1")
            .unwrap()["paused"]
            .clone()
    };
    assert_eq!(paused("2026-11-25T13:59:59Z"), json!(true));
    assert_eq!(paused("2026-11-25T14:00:00Z"), json!(false));
    // After it ended, a new pause is a change again.
    let again = at("2026-11-25T15:00:00Z", &["pause", "web1", "-o", "json"]);
    assert_eq!(
        again.json(),
        json!({"id": "web1", "paused": true, "changed": true, "until": null})
    );
    let bad = env.run(&["pause", "web1", "--for", "soon"]);
    bad.code(2);
    assert!(
        bad.stderr
            .contains("write it like `90s`, `30m`, `2h` or `1d`"),
        "{}",
        bad.stderr
    );
}

#[test]
fn a_heartbeat_over_a_threshold_reaches_a_webhook_once_and_so_does_its_resolve() {
    use crate::common::receiver::Receiver;
    // The whole path: heartbeat -> rules -> alert and outbox in one transaction -> delivery.
    let receiver = Receiver::start(Vec::new());
    let fleet = FLEET.replace(
        "defaults:\n",
        &format!(
            "defaults:\n  notify:\n    - {{ webhook: {}, min_severity: high }}\n",
            receiver.url("/hook")
        ),
    );
    let mut lab = Lab::with(&fleet, &["--storm-window", "0"]);
    for step in 0..2 {
        lab.at(step * 60);
        lab.beat("nas", disk(97));
        lab.sync();
    }
    let open = lab.active("nas");
    assert_eq!(summary(&open), [row("disk", "/", "critical", "open")]);
    let id = open[0]["id"].as_i64().unwrap();
    let delivered = receiver.wait_until(60, |r| r.iter().any(|r| r.answered == 200));
    let first = &delivered[0];
    assert_eq!(first.path, "/hook");
    assert_eq!(
        first.header("Idempotency-Key"),
        Some(format!("alert-{id}-opened").as_str())
    );
    let body = first.json();
    assert_eq!(body["transition"], "opened");
    assert_eq!(body["events"][0]["machine_id"], "nas");
    assert_eq!(body["events"][0]["rule"], "disk");
    // The probe's `updates` alerts are low: below the target's minimum, never sent.
    for step in 2..4 {
        lab.at(step * 60);
        lab.beat("nas", disk(40));
        lab.sync();
    }
    assert!(lab.active("nas").is_empty());
    let all = receiver.wait_until(60, |r| r.iter().filter(|r| r.answered == 200).count() >= 2);
    std::thread::sleep(Duration::from_secs(2)); // room for a wrong repeat to show up
    let keys: Vec<String> = receiver
        .requests()
        .iter()
        .map(|r| r.header("Idempotency-Key").unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        keys,
        [format!("alert-{id}-opened"), format!("alert-{id}-resolved")]
    );
    assert_eq!(all[1].json()["transition"], "resolved");
    // `alerts` tells how the messages fared (the hub records a delivery just after the 200).
    let shown = |id: i64| {
        lab.cli(&["alerts", "show", &id.to_string(), "-o", "json"])
            .json()
    };
    wait(
        || {
            shown(id)["deliveries"]
                .as_array()
                .is_some_and(|d| d.len() == 2 && d.iter().all(|d| d["state"] == "delivered"))
        },
        "both deliveries recorded",
    );
    let deliveries = shown(id)["deliveries"].clone();
    assert_eq!(deliveries[0]["transition"], "opened");
    assert_eq!(deliveries[1]["transition"], "resolved");
    assert_eq!(deliveries[1]["target"], "webhook");
    assert_eq!(deliveries[1]["last_status"], 200);
    let table = lab.cli(&["alerts", "--all", "--machine", "nas"]);
    table.code(0);
    assert!(
        table.stdout.lines().next().unwrap().ends_with("NOTIFIED")
            && table
                .stdout
                .lines()
                .nth(1)
                .unwrap()
                .ends_with("resolved delivered"),
        "{}",
        table.stdout
    );
    let text = lab.cli(&["alerts", "show", &id.to_string()]);
    assert!(
        text.stdout
            .contains("notifications:\n  opened to webhook: delivered after 1 attempt: HTTP 200\n"),
        "{}",
        text.stdout
    );
}
