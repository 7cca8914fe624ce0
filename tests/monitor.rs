//! The hub with real processes: `serve` on 127.0.0.1, heartbeats over HTTP, the SQLite file,
//! and `status`/`history` reading it back. (The agent's own end-to-end tests are in agent.rs.)

use serde_json::json;

use crate::common::{Hub, TestEnv, heartbeat, http_post_with, sample};

const NOW: &str = "2026-11-25T12:00:00Z";

fn fleet() -> TestEnv {
    TestEnv::with_files(&[(
        "fleet.yaml",
        "version: 1\nmachines:\n  web1:\n    address: web1.lan\n    services: [nginx]\n  desk:\n    type: workstation\n    address: desk.lan\n",
    )])
}

fn token(env: &TestEnv, machine: &str) -> String {
    let run = env.run(&["agent", "token", machine]);
    run.code(0);
    run.stdout.trim().to_string()
}

fn status_at(env: &TestEnv, now: &str) -> (serde_json::Value, String) {
    let mut cmd = env.cmd(&["status", "-o", "json"]);
    cmd.env("HOMELABCMD_NOW", now);
    let json = crate::common::run(cmd).json();
    let mut cmd = env.cmd(&["status"]);
    cmd.env("HOMELABCMD_NOW", now);
    let text = crate::common::run(cmd).stdout;
    (json, text)
}

#[test]
fn a_heartbeat_is_stored_once_and_shown() {
    let env = fleet();
    let hub = Hub::start(&env, Some(NOW), &[]);
    let tok = token(&env, "web1");
    let body = heartbeat(
        "web1",
        vec![
            sample("2026-11-25T11:59:00Z", 20.0),
            sample("2026-11-25T12:00:00Z", 30.0),
        ],
    );
    let (code, reply) = hub.post(Some(&tok), &body);
    assert_eq!(
        (
            code,
            serde_json::from_str::<serde_json::Value>(&reply).unwrap()
        ),
        (
            200,
            json!({"accepted": 2, "duplicates": 0, "services": ["nginx"], "interval_secs": 0})
        )
    );
    // The same samples again (an agent retrying): stored once.
    let (code, reply) = hub.post(Some(&tok), &body);
    assert_eq!(code, 200);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&reply).unwrap()["duplicates"],
        2
    );

    let (doc, text) = status_at(&env, NOW);
    let web1 = &doc["machines"][0];
    assert_eq!(
        (web1["id"].as_str(), web1["state"].as_str()),
        (Some("web1"), Some("online"))
    );
    assert_eq!(web1["cpu_percent"], 30.0);
    assert_eq!(web1["memory_percent"], 37.5);
    assert_eq!(
        web1["disk"],
        json!({"mount": "/", "percent": 40.0, "used": 40u64 << 30, "size": 100u64 << 30})
    );
    assert_eq!(web1["updates"]["security"], 1);
    assert!(
        text.contains(
            "web1     online  30%  38%  40% /  0.50  1d 0h   2 (1 security)  1 not reported  -           -\n"
        ),
        "{text}"
    );

    let mut cmd = env.cmd(&[
        "history", "web1", "--metric", "cpu", "--since", "1h", "-o", "json",
    ]);
    cmd.env("HOMELABCMD_NOW", NOW);
    let history = crate::common::run(cmd).json();
    assert_eq!(
        history["points"],
        json!([{"time": "2026-11-25T11:59:00Z", "value": 20.0}, {"time": "2026-11-25T12:00:00Z", "value": 30.0}])
    );
    drop(hub);
}

#[test]
fn bad_input_is_refused_with_its_status_and_stores_nothing() {
    let env = fleet();
    let hub = Hub::start(&env, Some(NOW), &[]);
    let web1 = token(&env, "web1");
    let desk = token(&env, "desk");
    let good = || sample(NOW, 10.0);
    let with = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut s = good();
        f(&mut s);
        heartbeat("web1", vec![s])
    };
    let wrong = "ab".repeat(32);
    // (what, token, body, status, error)
    type Case<'a> = (&'a str, Option<&'a str>, Vec<u8>, u16, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            "no token",
            None,
            heartbeat("web1", vec![good()]),
            401,
            "missing `Authorization: Bearer <machine token>`",
        ),
        (
            "wrong token",
            Some(&wrong),
            heartbeat("web1", vec![good()]),
            401,
            "the token is not valid: it is not the token of a machine in fleet.yaml, nor of the machine named in X-Homelab-Machine",
        ),
        (
            "another machine's token",
            Some(&desk),
            heartbeat("web1", vec![good()]),
            403,
            "this token belongs to machine `desk`, not `web1`",
        ),
        (
            "malformed JSON",
            Some(&web1),
            b"{\"machine_id\": \"web1\", ".to_vec(),
            400,
            "malformed JSON: EOF while parsing a value at line 1 column 23",
        ),
        (
            "oversized body",
            Some(&web1),
            vec![b' '; 5 << 20],
            413,
            "the body is larger than 4194304 bytes",
        ),
        (
            "CPU over 100",
            Some(&web1),
            with(&|s| s["cpu_percent"] = json!(101.5)),
            422,
            "samples[0]: cpu_percent 101.5 is not between 0 and 100",
        ),
        (
            "negative size",
            Some(&web1),
            with(&|s| s["filesystems"][0]["size"] = json!(-1)),
            422,
            "impossible heartbeat: invalid value: integer `-1`, expected u64 at line 1 column 203",
        ),
        (
            "used beyond size",
            Some(&web1),
            with(&|s| s["filesystems"][0]["used"] = json!(200u64 << 30)),
            422,
            "samples[0]: filesystem /: used 214748364800 / available 64424509440 exceed the size 107374182400",
        ),
        (
            "future time",
            Some(&web1),
            with(&|s| s["time"] = json!("2026-11-25T13:00:00Z")),
            422,
            "samples[0]: time 2026-11-25T13:00:00Z is in the future (hub time 2026-11-25T12:00:00Z): is the machine's clock ahead?",
        ),
        (
            "not a time",
            Some(&web1),
            with(&|s| s["time"] = json!("yesterday")),
            422,
            "samples[0]: time `yesterday` is not an RFC 3339 time",
        ),
        (
            "no samples",
            Some(&web1),
            heartbeat("web1", vec![]),
            422,
            "the heartbeat has no samples",
        ),
    ];
    for (what, tok, body, status, error) in cases {
        let (code, reply) = hub.post(tok, &body);
        let reply: serde_json::Value =
            serde_json::from_str(&reply).unwrap_or_else(|_| panic!("{what}: {reply}"));
        assert_eq!(
            (code, reply["error"].as_str().unwrap_or_default()),
            (status, error),
            "{what}"
        );
    }
    let (doc, _) = status_at(&env, NOW);
    assert_eq!(doc["machines"][0]["state"], "unknown", "nothing was stored");
    assert_eq!(doc["machines"][0]["sample_time"], serde_json::Value::Null);
    // Unknown fields are tolerated (forward compatibility).
    let mut s = good();
    s["temperature_c"] = json!(51);
    let (code, _) = hub.post(Some(&web1), &heartbeat("web1", vec![s]));
    assert_eq!(code, 200);
}

#[test]
fn workstations_are_never_offline_servers_are() {
    let env = fleet();
    let hub = Hub::start(&env, Some(NOW), &[]);
    for m in ["web1", "desk"] {
        let (code, _) = hub.post(Some(&token(&env, m)), &heartbeat(m, vec![sample(NOW, 5.0)]));
        assert_eq!(code, 200);
    }
    let states = |now: &str| {
        let (doc, text) = status_at(&env, now);
        let states: Vec<String> = doc["machines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                format!(
                    "{}={}",
                    m["id"].as_str().unwrap(),
                    m["state"].as_str().unwrap()
                )
            })
            .collect();
        (states, text.lines().last().unwrap_or_default().to_string())
    };
    assert_eq!(
        states("2026-11-25T12:02:00Z"),
        (
            vec!["web1=online".into(), "desk=online".into()],
            "1 online · 0 offline · 0 warnings · workstations: 1 online".into()
        )
    );
    // Past the 180 s threshold: the server is offline, the workstation only "last seen".
    assert_eq!(
        states("2026-11-25T12:03:01Z"),
        (
            vec!["web1=offline".into(), "desk=away".into()],
            "0 online · 1 offline · 0 warnings · workstations: 0 online, 1 last seen 3m ago".into()
        )
    );
    let (_, text) = status_at(&env, "2026-11-25T15:00:00Z");
    assert!(text.contains("desk     last seen 3h ago"), "{text}");
    assert!(text.contains("web1     offline 3h ago"), "{text}");
    assert!(
        text.ends_with(
            "0 online · 1 offline · 0 warnings · workstations: 0 online, 1 last seen 3h ago\n"
        ),
        "{text}"
    );
}

#[test]
fn a_machine_not_in_the_fleet_is_shown_as_unregistered_not_added() {
    let env = fleet();
    let hub = Hub::start(&env, Some(NOW), &[]);
    let run = env.run(&["agent", "token", "ghost"]);
    run.code(0);
    assert!(
        run.stderr
            .starts_with("warning: `ghost` is not in fleet.yaml"),
        "{}",
        run.stderr
    );
    let body = heartbeat("ghost", vec![sample(NOW, 1.0)]);
    let (code, _) = hub.post(Some(run.stdout.trim()), &body);
    assert_eq!(
        code, 401,
        "outside the fleet, a token needs the machine's name beside it"
    );
    let (code, reply) = http_post_with(
        hub.port,
        "/api/v1/heartbeat",
        &[
            ("Authorization", &format!("Bearer {}", run.stdout.trim())),
            ("X-Homelab-Machine", "ghost"),
        ],
        &body,
    );
    assert_eq!(
        (
            code,
            serde_json::from_str::<serde_json::Value>(&reply).unwrap()["services"].clone()
        ),
        (200, json!([]))
    );
    let (doc, text) = status_at(&env, NOW);
    assert_eq!(
        doc["unregistered"],
        json!([{"id": "ghost", "last_seen": NOW, "last_seen_secs_ago": 0}])
    );
    assert_eq!(
        doc["machines"].as_array().unwrap().len(),
        2,
        "fleet.yaml stays the source of truth"
    );
    assert!(
        text.contains(
            "unregistered: ghost sends heartbeats (last 0s ago) but is not in fleet.yaml\n"
        ),
        "{text}"
    );
    env.run(&["agent", "token", "Not_An_Id"]).code(2);
}

#[test]
fn kill_9_during_a_burst_keeps_every_acknowledged_heartbeat() {
    let env = fleet();
    let hub = Hub::start(&env, Some(NOW), &[]);
    let tok = token(&env, "web1");
    let port = hub.port;
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut senders = Vec::new();
    for thread in 0..4i64 {
        let (tok, acknowledged) = (tok.clone(), std::sync::Arc::clone(&acknowledged));
        senders.push(std::thread::spawn(move || {
            for i in 0..400i64 {
                // Distinct seconds in the hour before NOW.
                let t = 1_795_608_000 - 3600 + thread * 900 + i;
                let time = format!("2026-11-25T{:02}:{:02}:{:02}Z", 11, (t % 3600) / 60, t % 60);
                let body = heartbeat("web1", vec![sample(&time, 1.0)]);
                let (code, _) = std::panic::catch_unwind(|| {
                    crate::common::http_post(port, "/api/v1/heartbeat", Some(&tok), &body)
                })
                .unwrap_or((0, String::new()));
                if code == 200 {
                    acknowledged.lock().unwrap().push(time);
                } else if code == 0 {
                    return; // the hub is gone
                }
            }
        }));
    }
    std::thread::sleep(std::time::Duration::from_millis(700));
    drop(hub); // SIGKILL, mid-burst
    for s in senders {
        let _ = s.join();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 50,
        "the burst was too short to mean anything: {}",
        acknowledged.len()
    );

    let mut cmd = env.cmd(&["history", "web1", "--since", "2h", "-o", "json"]);
    cmd.env("HOMELABCMD_NOW", NOW);
    let stored: std::collections::HashSet<String> = crate::common::run(cmd).json()["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["time"].as_str().unwrap().to_string())
        .collect();
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|t| !stored.contains(*t))
        .collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged heartbeats lost: {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
    let integrity = std::process::Command::new("python3")
        .args(["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])"])
        .arg(env.path("data/homelab.db"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&integrity.stdout), "ok\n");
    env.run(&["db", "check"]).code(0);
}

#[test]
fn serve_stops_cleanly_on_sigterm_and_refuses_the_placeholder_key() {
    let env = fleet();
    let hub = Hub::start(&env, None, &[]);
    assert!(hub.stop().success());
    let mut cmd = env.cmd(&["serve", "--port", "0"]);
    cmd.env("HOMELAB_CMD_API_KEY", "dev-key-change-me");
    let run = crate::common::run(cmd);
    run.code(2);
    assert!(run.stderr.starts_with("error: HOMELAB_CMD_API_KEY is the placeholder `dev-key-change-me`\nhint: set HOMELAB_CMD_API_KEY to at least 32 random characters"), "{}", run.stderr);
}

#[test]
fn failing_services_stopped_containers_and_thresholds_are_warnings() {
    let env = fleet();
    let hub = Hub::start(&env, Some(NOW), &[]);
    let tok = token(&env, "web1");
    let mut s = sample(NOW, 95.0);
    s["services"] =
        json!([{"name": "nginx.service", "active_state": "failed", "sub_state": "failed"}]);
    s["filesystems"][0]["used"] = json!(91u64 << 30);
    s["filesystems"][0]["available"] = json!(9u64 << 30);
    s["docker"] = json!({"available": true, "containers": [
        {"name": "plex", "image": "plexinc/pms-docker", "state": "running", "status": "Up 12 days"},
        {"name": "radarr", "image": "linuxserver/radarr", "state": "exited", "status": "Exited (0) 3 hours ago"}
    ]});
    assert_eq!(hub.post(Some(&tok), &heartbeat("web1", vec![s])).0, 200);
    let (doc, text) = status_at(&env, NOW);
    let web1 = &doc["machines"][0];
    assert_eq!(
        web1["services"],
        json!({"expected": ["nginx"], "failing": ["nginx (failed)"], "not_reported": []})
    );
    assert_eq!(
        web1["containers"],
        json!({"total": 2, "running": 1, "stopped": ["radarr"]})
    );
    assert_eq!(
        web1["warnings"],
        json!([
            "disk / at 91% (critical 90%)",
            "CPU at 95% (threshold 90%)",
            "service nginx (failed)"
        ])
    );
    assert!(
        text.contains(
            "web1     online  95%  38%  91% /  0.50  1d 0h   2 (1 security)  1 failing  1/2 up      -\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("1 online · 0 offline · 1 warning · workstations: 0 online, 1 never seen\n"),
        "{text}"
    );

    let mut cmd = env.cmd(&["status", "web1"]);
    cmd.env("HOMELABCMD_NOW", NOW);
    let detail = crate::common::run(cmd).stdout;
    for line in [
        "web1 (web1) — server, online\n",
        "warning: service nginx (failed)\n",
        "  nginx    failed (failed)\n",
        "  radarr  linuxserver/radarr  exited   Exited (0) 3 hours ago\n",
    ] {
        assert!(detail.contains(line), "{line:?} not in\n{detail}");
    }
}

/// The times `history web1` has stored in the hour before NOW.
fn stored_times(env: &TestEnv) -> Vec<String> {
    let mut cmd = env.cmd(&["history", "web1", "--since", "1h", "-o", "json"]);
    cmd.env("HOMELABCMD_NOW", NOW);
    crate::common::run(cmd).json()["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["time"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn one_bad_sample_is_refused_alone_and_the_others_are_stored() {
    let env = fleet();
    let hub = Hub::start(&env, Some(NOW), &[]);
    let tok = token(&env, "web1");
    let mut bad = sample("2026-11-25T11:58:00Z", 10.0);
    bad["cpu_percent"] = json!(300.0);
    let mut ahead = sample("2026-11-25T12:30:00Z", 10.0);
    ahead["cpu_percent"] = json!(5.0);
    let body = heartbeat(
        "web1",
        vec![
            sample("2026-11-25T11:57:00Z", 10.0),
            bad,
            sample("2026-11-25T11:59:00Z", 10.0),
            ahead,
        ],
    );
    let (code, reply) = hub.post(Some(&tok), &body);
    let reply: serde_json::Value = serde_json::from_str(&reply).unwrap();
    assert_eq!(code, 200, "{reply}");
    assert_eq!(reply["accepted"], 2);
    assert_eq!(
        reply["refused"],
        json!([
            {"index": 1, "time": "2026-11-25T11:58:00Z", "retry_later": false,
             "reason": "samples[1]: cpu_percent 300 is not between 0 and 100"},
            {"index": 3, "time": "2026-11-25T12:30:00Z", "retry_later": true,
             "reason": "samples[3]: time 2026-11-25T12:30:00Z is in the future (hub time 2026-11-25T12:00:00Z): is the machine's clock ahead?"},
        ])
    );
    assert_eq!(
        stored_times(&env),
        ["2026-11-25T11:57:00Z", "2026-11-25T11:59:00Z"]
    );
    // Nothing acceptable: 422, each sample listed, nothing stored.
    let mut worse = sample("2026-11-25T11:50:00Z", 10.0);
    worse["memory"]["used"] = json!(1u64 << 40);
    let (code, reply) = hub.post(Some(&tok), &heartbeat("web1", vec![worse]));
    let reply: serde_json::Value = serde_json::from_str(&reply).unwrap();
    assert_eq!(code, 422, "{reply}");
    assert_eq!(reply["refused"][0]["index"], 0);
    assert_eq!(stored_times(&env).len(), 2);
}

#[test]
fn control_characters_in_names_are_refused_and_nothing_is_stored() {
    let env = fleet();
    let hub = Hub::start(&env, Some(NOW), &[]);
    let tok = token(&env, "web1");
    let mut s = sample("2026-11-25T11:58:00Z", 10.0);
    s["os"]["hostname"] = json!("web1\u{0}evil");
    let (code, reply) = hub.post(Some(&tok), &heartbeat("web1", vec![s]));
    assert_eq!(code, 422, "{reply}");
    assert!(
        reply.contains("os.hostname contains the control character U+0000"),
        "{reply}"
    );
    assert!(stored_times(&env).is_empty());
    let (doc, _) = status_at(&env, NOW);
    assert_eq!(doc["machines"][0]["sample_time"], serde_json::Value::Null);
}

#[test]
fn a_machine_added_to_the_fleet_is_known_by_its_token_after_the_reload() {
    let env = fleet();
    let hub = Hub::start(&env, Some(NOW), &["--fleet-poll", "1"]);
    let body = heartbeat("new1", vec![sample(NOW, 1.0)]);
    let tok = {
        let run = env.run(&["agent", "token", "new1"]);
        run.stdout.trim().to_string()
    };
    let (code, _) = hub.post(Some(&tok), &body);
    assert_eq!(code, 401, "not in the fleet yet, and not named");
    env.write(
        "fleet.yaml",
        "version: 1\nmachines:\n  web1:\n    address: web1.lan\n    services: [nginx]\n  desk:\n    type: workstation\n    address: desk.lan\n  new1:\n    address: new1.lan\n",
    );
    env.commit("add new1");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (code, reply) = hub.post(Some(&tok), &body);
        if code == 200 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{code} {reply}");
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let (doc, _) = status_at(&env, NOW);
    let new1 = doc["machines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "new1")
        .cloned()
        .unwrap();
    assert_eq!(new1["state"], "online");
}
