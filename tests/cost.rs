//! `homelabcmd cost` and the running cost elsewhere (`machines`, the page, `/api/v1/cost`,
//! `/metrics`): this repository's own fleet.yaml against the PRD's Appendix A to the penny,
//! and a workstation's hours measured from real heartbeats sent through a real hub.

use std::path::Path;

use serde_json::json;

use crate::common::{Hub, TestEnv, heartbeat, sample};
use crate::web::{get, ok_body, promtool_check};

/// This repository's fleet.yaml, secrets.yaml (the names its secrets refer to) and packs/,
/// committed in a fresh repository.
fn repo_fleet() -> TestEnv {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<(String, String)> = ["fleet.yaml", "secrets.yaml"]
        .iter()
        .map(|f| {
            (
                f.to_string(),
                std::fs::read_to_string(root.join(f)).unwrap(),
            )
        })
        .collect();
    let mut dirs = vec![root.join("packs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string();
                files.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    TestEnv::with_files(&borrowed)
}

#[test]
fn the_repositorys_fleet_costs_what_the_prd_says_to_the_penny() {
    let env = repo_fleet();
    let run = env.run(&["cost"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        "\
electricity 0.24 GBP/kWh · servers on 24 h a day · no heartbeat history yet · a month is 30 days
MACHINE             TYPE         WATTS  HOURS/DAY  KWH/DAY  KWH/MONTH  COST/DAY  COST/MONTH  NOTE
omv-homeserver      server       50 W   24.0       1.20     36.00      £0.29     £8.64
omv-backupserver    server       40 W   24.0       0.96     28.80      £0.23     £6.91
omv-documentserver  server       40 W   24.0       0.96     28.80      £0.23     £6.91
omv-mediaserver     server       65 W   24.0       1.56     46.80      £0.37     £11.23
omv-cloudserver1    server       50 W   24.0       1.20     36.00      £0.29     £8.64
omv-webserver1      server       45 W   24.0       1.08     32.40      £0.26     £7.78
omv-webserver2      server       45 W   24.0       1.08     32.40      £0.26     £7.78
omv-homeautoserver  server       50 W   24.0       1.20     36.00      £0.29     £8.64
omv-aiserver1       server       100 W  24.0       2.40     72.00      £0.58     £17.28
pihole-master       server       5 W    24.0       0.12     3.60       £0.03     £0.86
pihole-backup       server       5 W    24.0       0.12     3.60       £0.03     £0.86
studypc             workstation  100 W  -          -        -          -         -           not enough history
laptoppro           workstation  45 W   -          -        -          -         -           not enough history

TOTAL         MACHINES  WATTS  KWH/DAY  KWH/MONTH  COST/DAY  COST/MONTH  EXCLUDED
servers       11        495 W  11.88    356.40     £2.85     £85.54      -
workstations  0         0 W    0.00     0.00       £0.00     £0.00       studypc (not enough history), laptoppro (not enough history)
all           11        495 W  11.88    356.40     £2.85     £85.54      studypc (not enough history), laptoppro (not enough history)
",
        "{}",
        run.stderr
    );
    let doc = env.run(&["cost", "-o", "json"]).code(0).json();
    assert_eq!(
        doc["totals"]["servers"],
        json!({
            "machines": 11, "watts": 495, "kwh_per_day": 11.88, "kwh_per_month": 356.4,
            "cost_per_day": 2.85, "cost_per_month": 85.54, "excluded": []
        })
    );
}

/// nas, a server, all day; desk, a workstation, on 09:00–17:00; laptop never heard from;
/// switch without tdp_w.
const FLEET: &str = "\
version: 1
defaults:
  electricity: { price_per_kwh: 0.24, currency: GBP }
machines:
  nas: { address: nas.lan, tdp_w: 40 }
  desk: { type: workstation, address: desk.lan, tdp_w: 100 }
  laptop: { type: workstation, address: laptop.lan, tdp_w: 45 }
  switch: { address: switch.lan }
";

/// Three days of history ending now (midnight).
const NOW: &str = "2026-11-25T00:00:00Z";
const START: i64 = 1_795_305_600; // 2026-11-22T00:00:00Z

fn rfc3339(unix: i64) -> String {
    jiff::Timestamp::from_second(unix).unwrap().to_string()
}

fn token(env: &TestEnv, machine: &str) -> String {
    env.run(&["agent", "token", machine])
        .code(0)
        .stdout
        .trim()
        .to_string()
}

/// Send `times` as heartbeats of `machine`, 500 samples a request (as the agent sends its
/// buffer).
fn send(hub: &Hub, env: &TestEnv, machine: &str, times: &[i64]) {
    let tok = token(env, machine);
    for chunk in times.chunks(500) {
        let samples = chunk.iter().map(|&t| sample(&rfc3339(t), 5.0)).collect();
        let (status, body) = hub.post(Some(&tok), &heartbeat(machine, samples));
        assert_eq!(status, 200, "{body}");
        let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(reply["accepted"], chunk.len(), "{body}");
    }
}

/// A hub at `NOW` fed nas every 5 minutes from `from` to now, and desk every minute from
/// 09:00 to 16:59 on each day of `desk_days` from `START`.
fn fed(nas_from: i64, desk_days: std::ops::Range<i64>, desk_hours: (i64, i64)) -> (TestEnv, Hub) {
    let mut env = TestEnv::with_files(&[("fleet.yaml", FLEET)]);
    env.now = NOW.into();
    let hub = Hub::start(&env, Some(NOW), &[]);
    let now = START + 3 * 86_400;
    let nas: Vec<i64> = (nas_from..now).step_by(300).collect();
    send(&hub, &env, "nas", &nas);
    let mut desk = Vec::new();
    for day in desk_days {
        let base = START + day * 86_400;
        desk.extend((base + desk_hours.0 * 3600..base + desk_hours.1 * 3600).step_by(60));
    }
    send(&hub, &env, "desk", &desk);
    (env, hub)
}

#[test]
fn a_workstation_counts_the_hours_its_heartbeats_cover() {
    let (env, hub) = fed(START, 0..3, (9, 17));
    let run = env.run(&["cost"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        "\
electricity 0.24 GBP/kWh · servers on 24 h a day · workstations measured over 3.0 days of history (--since 30d) · a month is 30 days
MACHINE  TYPE         WATTS  HOURS/DAY  KWH/DAY  KWH/MONTH  COST/DAY  COST/MONTH  NOTE
nas      server       40 W   24.0       0.96     28.80      £0.23     £6.91
desk     workstation  100 W  8.0        0.80     24.00      £0.19     £5.76
laptop   workstation  45 W   -          -        -          -         -           not enough history
switch   server       -      24.0       -        -          -         -           no tdp_w

TOTAL         MACHINES  WATTS  KWH/DAY  KWH/MONTH  COST/DAY  COST/MONTH  EXCLUDED
servers       1         40 W   0.96     28.80      £0.23     £6.91       switch (no tdp_w)
workstations  1         100 W  0.80     24.00      £0.19     £5.76       laptop (not enough history)
all           2         140 W  1.76     52.80      £0.42     £12.67      laptop (not enough history), switch (no tdp_w)
"
    );
    let doc = env.run(&["cost", "-o", "json"]).code(0).json();
    let machine = |id: &str,
                   kind: &str,
                   state: &str,
                   tdp: Option<u32>,
                   figures: [Option<f64>; 5],
                   excluded: Option<&str>| {
        json!({
            "id": id, "name": id, "type": kind, "state": state, "tdp_w": tdp,
            "hours_per_day": figures[0], "kwh_per_day": figures[1], "kwh_per_month": figures[2],
            "cost_per_day": figures[3], "cost_per_month": figures[4], "excluded": excluded
        })
    };
    let excluded = |list: &[(&str, &str)]| {
        list.iter()
            .map(|(id, reason)| json!({"id": id, "reason": reason}))
            .collect::<Vec<_>>()
    };
    let expected = json!({
        "currency": "GBP",
        "price_per_kwh": 0.24,
        "month_days": 30,
        "since": "30d",
        "measured_from": "2026-11-22T00:00:00Z",
        "to": NOW,
        "history_days": 3.0,
        "machines": [
            machine("nas", "server", "online", Some(40), [Some(24.0), Some(0.96), Some(28.8), Some(0.23), Some(6.91)], None),
            machine("desk", "workstation", "online", Some(100), [Some(8.0), Some(0.8), Some(24.0), Some(0.19), Some(5.76)], None),
            machine("laptop", "workstation", "unknown", Some(45), [None; 5], Some("not_enough_history")),
            machine("switch", "server", "unknown", None, [Some(24.0), None, None, None, None], Some("no_tdp_w")),
        ],
        "totals": {
            "servers": {"machines": 1, "watts": 40, "kwh_per_day": 0.96, "kwh_per_month": 28.8,
                        "cost_per_day": 0.23, "cost_per_month": 6.91, "excluded": excluded(&[("switch", "no_tdp_w")])},
            "workstations": {"machines": 1, "watts": 100, "kwh_per_day": 0.8, "kwh_per_month": 24.0,
                        "cost_per_day": 0.19, "cost_per_month": 5.76, "excluded": excluded(&[("laptop", "not_enough_history")])},
            "all": {"machines": 2, "watts": 140, "kwh_per_day": 1.76, "kwh_per_month": 52.8,
                    "cost_per_day": 0.42, "cost_per_month": 12.67,
                    "excluded": excluded(&[("laptop", "not_enough_history"), ("switch", "no_tdp_w")])}
        }
    });
    assert_eq!(doc, expected);

    // The hub serves the same document, and the figures on its page and in /metrics.
    let api: serde_json::Value =
        serde_json::from_str(&ok_body(hub.port, "/api/v1/cost?since=30d")).unwrap();
    assert_eq!(api, expected);
    let (status, _, body) = get(hub.port, "/api/v1/cost?since=2y", &[]);
    assert_eq!(
        (status, body.as_str()),
        (400, "{\"error\":\"since: write it like 24h, 7d or 30d\"}\n")
    );
    let page = ok_body(hub.port, "/");
    assert!(
        page.contains(">£0.42/day · £12.67/month (2 not counted)</span>"),
        "{page}"
    );
    let desk = ok_body(hub.port, "/m/desk");
    assert!(
        desk.contains("<span class=\"m\">100 W</span><span class=\"m\">8.0 h a day</span><span class=\"m\">0.80 kWh a day</span><span class=\"m\">£0.19 a day</span><span class=\"m\">£5.76 a month</span>"),
        "{desk}"
    );
    assert!(ok_body(hub.port, "/m/switch").contains("no tdp_w in fleet.yaml"));
    let metrics = ok_body(hub.port, "/metrics");
    promtool_check(&metrics);
    for line in [
        "homelab_machine_power_watts{machine=\"desk\"} 100\n",
        "homelab_machine_cost_per_day{machine=\"desk\",currency=\"GBP\"} 0.19\n",
        "homelab_cost_per_day{type=\"all\",currency=\"GBP\"} 0.42\n",
    ] {
        assert!(metrics.contains(line), "missing {line}");
    }
    assert!(!metrics.contains("homelab_machine_cost_per_day{machine=\"laptop\""));
    hub.stop();

    // `machines` shows each machine's month.
    let machines = env.run(&["machines", "-o", "json"]).code(0).json();
    let months: Vec<&serde_json::Value> = machines["machines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["cost_per_month"])
        .collect();
    assert_eq!(
        months,
        [&json!(6.91), &json!(5.76), &json!(null), &json!(null)]
    );
    let table = env.run(&["machines"]).code(0).stdout.clone();
    let column: Vec<&str> = table
        .lines()
        .map(|l| l.split_whitespace().nth(6).unwrap_or(""))
        .collect();
    assert_eq!(
        column,
        ["COST/MONTH", "£6.91", "£5.76", "no", "-"],
        "{table}"
    );
}

#[test]
fn less_than_a_day_of_hub_history_is_not_enough_to_tell() {
    // The hub's history begins 12 hours ago; desk was on for four of them.
    let (env, hub) = fed(START + 2 * 86_400 + 12 * 3600, 2..3, (14, 18));
    hub.stop();
    let run = env.run(&["cost", "--since", "7d"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        "\
electricity 0.24 GBP/kWh · servers on 24 h a day · workstations measured over 0.5 days of history (--since 7d) · a month is 30 days
MACHINE  TYPE         WATTS  HOURS/DAY  KWH/DAY  KWH/MONTH  COST/DAY  COST/MONTH  NOTE
nas      server       40 W   24.0       0.96     28.80      £0.23     £6.91
desk     workstation  100 W  -          -        -          -         -           not enough history
laptop   workstation  45 W   -          -        -          -         -           not enough history
switch   server       -      24.0       -        -          -         -           no tdp_w

TOTAL         MACHINES  WATTS  KWH/DAY  KWH/MONTH  COST/DAY  COST/MONTH  EXCLUDED
servers       1         40 W   0.96     28.80      £0.23     £6.91       switch (no tdp_w)
workstations  0         0 W    0.00     0.00       £0.00     £0.00       desk (not enough history), laptop (not enough history)
all           1         40 W   0.96     28.80      £0.23     £6.91       desk (not enough history), laptop (not enough history), switch (no tdp_w)
"
    );
    let bad = env.run(&["cost", "--since", "2y"]);
    bad.code(2);
    assert!(
        bad.stderr.contains("write it like 24h, 7d or 30d"),
        "{}",
        bad.stderr
    );
}
