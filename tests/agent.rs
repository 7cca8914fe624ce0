//! The real agent against the real hub: its numbers checked against the machine itself
//! (/proc, df), and its buffer across a hub that is down and an agent that restarts.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Hub, TestEnv};

/// The agent binary, built beside homelabcmd by `cargo test --workspace`.
pub(crate) fn agent_bin() -> PathBuf {
    let path = Path::new(crate::common::BIN).with_file_name("homelabcmd-agent");
    assert!(
        path.is_file(),
        "{} is missing: run `cargo test --workspace`",
        path.display()
    );
    path
}

fn fleet() -> TestEnv {
    TestEnv::with_files(&[(
        "fleet.yaml",
        "version: 1\nmachines:\n  local:\n    address: 127.0.0.1\n",
    )])
}

/// The agent's log: its stderr, appended to `STATE.log` across restarts.
fn agent_log(state: &Path) -> String {
    std::fs::read_to_string(state.with_extension("log")).unwrap_or_default()
}

pub(crate) fn start_agent(env: &TestEnv, hub_url: &str, token: &str, state: &Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(state.with_extension("log"))
        .expect("the agent's log file");
    Command::new(agent_bin())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOMELAB_AGENT_HUB_URL", hub_url)
        .env("HOMELAB_AGENT_API_KEY", token)
        .env("HOMELAB_AGENT_SERVER_ID", "local")
        .env("HOMELAB_AGENT_HEARTBEAT_INTERVAL", "1")
        .env("HOMELAB_AGENT_RETRY_DELAY_SECS", "1")
        .env("HOMELAB_AGENT_STATE_DIR", state)
        .current_dir(&env.home)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the agent starts")
}

pub(crate) fn stop_agent(mut agent: Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &agent.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = agent.try_wait() {
            assert!(status.success(), "the agent exits 0 on SIGTERM: {status}");
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = agent.kill();
    panic!("the agent did not stop on SIGTERM");
}

fn token(env: &TestEnv) -> String {
    env.run(&["agent", "token", "local"])
        .stdout
        .trim()
        .to_string()
}

/// `status local -o json` with the real clock.
pub(crate) fn status(env: &TestEnv) -> serde_json::Value {
    let mut cmd = env.cmd(&["status", "local", "-o", "json"]);
    cmd.env_remove("HOMELABCMD_NOW");
    crate::common::run(cmd).json()
}

fn history_times(env: &TestEnv) -> Vec<String> {
    let mut cmd = env.cmd(&["history", "local", "--since", "1h", "-o", "json"]);
    cmd.env_remove("HOMELABCMD_NOW");
    crate::common::run(cmd).json()["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["time"].as_str().unwrap().to_string())
        .collect()
}

pub(crate) fn wait_for(what: &str, secs: u64, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("timed out waiting for {what}");
}

fn meminfo(key: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/meminfo").unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{key}:")))
        .unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<u64>()
        .unwrap()
        * 1024
}

#[test]
fn the_agent_reports_what_the_machine_says() {
    let env = fleet();
    let hub = Hub::start(&env, None, &[]);
    let state = env.home.join("agent-state");
    let agent = start_agent(&env, &hub.url(), &token(&env), &state);
    wait_for("two samples from the agent", 30, || {
        history_times(&env).len() >= 2
    });
    stop_agent(agent);

    let doc = status(&env);
    assert_eq!(doc["state"], "online");
    let sample = &doc["sample"];
    // Memory: the total is exact; what is used moves, so within 10 % of the total.
    let total = meminfo("MemTotal");
    assert_eq!(sample["memory"]["total"], total);
    let used_now = total - meminfo("MemAvailable");
    let used = sample["memory"]["used"].as_u64().unwrap();
    assert!(
        used.abs_diff(used_now) < total / 10,
        "used {used} vs /proc/meminfo {used_now}"
    );
    // The root filesystem: the size is exact, used within 1 % of it (df -B1).
    let df = Command::new("df")
        .args(["-B1", "--output=size,used", "/"])
        .output()
        .unwrap();
    let df = String::from_utf8_lossy(&df.stdout);
    let nums: Vec<u64> = df
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    let root = sample["filesystems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["mount"] == "/")
        .expect("/ is reported");
    assert_eq!(root["size"], nums[0]);
    assert!(
        root["used"].as_u64().unwrap().abs_diff(nums[1]) < nums[0] / 100,
        "{root} vs df {nums:?}"
    );
    // Load: within 1.5 of /proc/loadavg now.
    let loadavg: f64 = std::fs::read_to_string("/proc/loadavg")
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((sample["load"]["one"].as_f64().unwrap() - loadavg).abs() < 1.5);
    // OS and the rest are there.
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
    assert_eq!(sample["os"]["kernel"], kernel.trim());
    assert!((0.0..=100.0).contains(&sample["cpu_percent"].as_f64().unwrap()));
    assert_eq!(doc["agent_version"], env!("CARGO_PKG_VERSION"));
    // Everything acknowledged left the buffer.
    assert_eq!(std::fs::read_dir(state.join("spool")).unwrap().count(), 0);
}

/// The times of the samples in the agent's spool, oldest first.
fn spooled(state: &Path) -> Vec<String> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(state.join("spool"))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .map(|s| s["time"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn with_the_hub_down_samples_wait_on_disk_across_a_restart_and_all_arrive_once() {
    let env = fleet();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let tok = token(&env);
    let state = env.home.join("agent-state");
    // No hub: the agent buffers. Then it is restarted, still without a hub.
    let agent = start_agent(&env, &url, &tok, &state);
    wait_for("three buffered samples", 30, || spooled(&state).len() >= 3);
    stop_agent(agent);
    let before_restart = spooled(&state);
    // Not within the same second: the hub keeps one sample per second, and two samples of one
    // second would count as one sent twice below.
    std::thread::sleep(Duration::from_millis(1100));
    let agent = start_agent(&env, &url, &tok, &state);
    wait_for("more buffered samples after the restart", 30, || {
        spooled(&state).len() >= before_restart.len() + 2
    });
    let buffered = spooled(&state);
    assert!(
        buffered.starts_with(&before_restart),
        "a restart keeps the buffer, oldest first"
    );

    // The hub comes up on that port: everything is delivered, oldest first, once.
    let _hub = Hub::start(&env, None, &["--port", &port.to_string()]);
    wait_for("the buffer to drain", 60, || {
        let stored = history_times(&env);
        buffered.iter().all(|t| stored.contains(t))
    });
    stop_agent(agent);
    let stored = history_times(&env);
    assert!(buffered.iter().all(|t| stored.contains(t)));
    // The store keeps one sample per second whatever arrives, so count at the hub's door: its
    // reply says how many samples of a request it already had, and the agent logs them.
    let log = agent_log(&state);
    assert!(log.contains("sent "), "the buffer went as a batch:\n{log}");
    assert!(
        !log.contains("hub already had"),
        "no sample sent twice:\n{log}"
    );
}

/// Samples written to the agent's spool as if it had buffered them, oldest first.
fn seed_spool(state: &Path, samples: &[serde_json::Value]) {
    let dir = state.join("spool");
    std::fs::create_dir_all(&dir).unwrap();
    for (i, s) in samples.iter().enumerate() {
        std::fs::write(dir.join(format!("{i:020}.json")), s.to_string()).unwrap();
    }
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn a_bad_sample_in_the_buffer_is_dropped_alone_and_logged() {
    let env = fleet();
    let hub = Hub::start(&env, None, &[]);
    let state = env.home.join("agent-state");
    let now = unix_now();
    let times: Vec<String> = (0..4)
        .map(|i| homelabcmd_proto::time::format_rfc3339(now - 60 + i))
        .collect();
    let mut samples: Vec<serde_json::Value> = times
        .iter()
        .map(|t| crate::common::sample(t, 10.0))
        .collect();
    samples[2]["cpu_percent"] = serde_json::json!(300.0);
    seed_spool(&state, &samples);
    let agent = start_agent(&env, &hub.url(), &token(&env), &state);
    let good = [&times[0], &times[1], &times[3]];
    wait_for("the good buffered samples at the hub", 30, || {
        let stored = history_times(&env);
        good.iter().all(|t| stored.contains(t))
    });
    // The agent logs the refusal once it has read the hub's answer, a moment after the hub
    // stored the rest: wait for the line before stopping it.
    let refused = format!(
        "hub refused the sample of {}: samples[2]: cpu_percent 300 is not between 0 and 100; dropped",
        times[2]
    );
    let logged = std::time::Instant::now();
    while !agent_log(&state).contains(&refused) && logged.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(100));
    }
    stop_agent(agent);
    assert!(!history_times(&env).contains(&times[2]));
    let log = agent_log(&state);
    assert!(log.contains(&refused), "{log}");
}

#[test]
fn sampling_keeps_its_interval_while_the_hub_is_away() {
    let env = fleet();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let state = env.home.join("agent-state");
    let count = || {
        std::fs::read_dir(state.join("spool"))
            .map(|d| {
                d.flatten()
                    .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                    .count()
            })
            .unwrap_or(0)
    };
    let agent = start_agent(
        &env,
        &format!("http://127.0.0.1:{port}"),
        &token(&env),
        &state,
    );
    wait_for("the first buffered sample", 30, || count() >= 1);
    let first = count();
    std::thread::sleep(Duration::from_secs(15));
    let taken = count() - first;
    stop_agent(agent);
    // One a second: 15, less a few when a busy machine (CI, parallel tests) delays the
    // collector's threads; an agent that waits on each delivery (three tries a second apart)
    // keeps about 7.
    assert!(taken >= 11, "{taken} samples in 15 s at a 1 s interval");
}

#[test]
fn an_agent_whose_clock_is_ahead_keeps_its_samples_until_the_hub_takes_them() {
    let env = fleet();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // The hub's clock an hour behind: every sample of the agent is from its future.
    let behind = homelabcmd_proto::time::format_rfc3339(unix_now() - 3600);
    let hub = Hub::start(&env, Some(&behind), &["--port", &port.to_string()]);
    let state = env.home.join("agent-state");
    let agent = start_agent(&env, &hub.url(), &token(&env), &state);
    wait_for("three samples kept for later", 30, || {
        spooled(&state).len() >= 3 && agent_log(&state).contains("hub will take")
    });
    assert!(history_times(&env).is_empty());
    let kept = spooled(&state);
    // The clocks agree again: everything kept arrives.
    drop(hub);
    let _hub = Hub::start(&env, None, &["--port", &port.to_string()]);
    wait_for("the kept samples at the hub", 30, || {
        let stored = history_times(&env);
        kept.iter().all(|t| stored.contains(t))
    });
    stop_agent(agent);
}
