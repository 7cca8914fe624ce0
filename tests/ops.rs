//! Running unattended: the systemd units (checked by `systemd-analyze verify`, the agent run
//! under its hardened unit where systemd is PID 1), the hub's log (quiet by default, `-v` for
//! more, never a secret), `healthcheck`, and the hub in the Docker image's environment.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::agent::{agent_bin, status};
use crate::common::receiver::Receiver;
use crate::common::{BIN, Hub, TestEnv, heartbeat, sample};
use crate::notify::{Serve, db, enqueue, event, secret_slack_fleet};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every unit file we ship, relative to the repository.
const UNITS: &[&str] = &[
    "dist/systemd/homelabcmd.service",
    "dist/systemd/homelabcmd-drift.service",
    "dist/systemd/homelabcmd-drift.timer",
    "dist/systemd/homelabcmd-gitops.service",
    "dist/systemd/homelabcmd-gitops.timer",
    "agent/homelabcmd-agent.service",
];

/// A unit's text with only its binaries' installed paths replaced by the built ones, so that
/// `systemd-analyze verify` finds them.
fn with_built_binaries(text: &str) -> String {
    text.replace(
        "/usr/local/bin/homelabcmd-agent",
        agent_bin().to_str().unwrap(),
    )
    .replace("/usr/local/bin/homelabcmd ", &format!("{BIN} "))
}

#[test]
fn every_unit_passes_systemd_analyze_verify() {
    let dir = tempfile::tempdir().unwrap();
    for unit in UNITS {
        let text = std::fs::read_to_string(Path::new(ROOT).join(unit)).unwrap();
        let name = Path::new(unit).file_name().unwrap();
        std::fs::write(dir.path().join(name), with_built_binaries(&text)).unwrap();
        // Its Documentation= man pages are ours, and exist.
        for page in text
            .lines()
            .filter_map(|l| l.strip_prefix("Documentation=man:"))
        {
            let page = page.replace("(1)", ".1");
            assert!(
                Path::new(ROOT).join("man").join(&page).is_file(),
                "{unit}: man/{page} does not exist"
            );
        }
    }
    for unit in UNITS {
        let path = dir.path().join(Path::new(unit).file_name().unwrap());
        // --man=no: the man pages are checked above, against the repository's man/.
        let out = Command::new("systemd-analyze")
            .args(["verify", "--man=no"])
            .arg(&path)
            .output()
            .expect("systemd-analyze runs (the `systemd` package; .ci/run installs it)");
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Unknown or misspelt keys are only warned about: any output is a failure.
        assert!(
            out.status.success() && stderr.is_empty() && out.stdout.is_empty(),
            "{unit}: systemd-analyze verify:\n{stderr}"
        );
        // And stays sandboxed: systemd's exposure score at most 3.0 of 10 ("OK"; the agent's
        // unit before hardening scored 7.4, "MEDIUM").
        if unit.ends_with(".service") {
            let out = Command::new("systemd-analyze")
                .args(["security", "--offline=yes", "--threshold=30"])
                .arg(&path)
                .output()
                .unwrap();
            let report = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{unit}: exposure above 3.0:\n{}",
                report.lines().last().unwrap_or_default()
            );
        }
    }
}

#[test]
fn the_timers_run_the_documented_commands() {
    let exec = |unit: &str| -> Vec<String> {
        std::fs::read_to_string(Path::new(ROOT).join(unit))
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("ExecStart="))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        exec("dist/systemd/homelabcmd-drift.service"),
        ["/usr/local/bin/homelabcmd diff --all -q"]
    );
    assert_eq!(
        exec("dist/systemd/homelabcmd-gitops.service"),
        [
            "/usr/local/bin/homelabcmd sync",
            "/usr/local/bin/homelabcmd apply --all --yes"
        ]
    );
    assert_eq!(
        exec("dist/systemd/homelabcmd.service"),
        ["/usr/local/bin/homelabcmd serve"]
    );
    // The README gives the same schedules as cron lines.
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    for line in [
        "0 * * * *     homelabcmd diff --all -q",
        "*/15 * * * *  homelabcmd sync && homelabcmd apply --all --yes",
    ] {
        assert!(
            readme.contains(line),
            "README.md lacks the cron line `{line}`"
        );
    }
}

/// The agent under its real, hardened unit, reporting to a real hub: only where systemd runs
/// the machine (PID 1), as root. Elsewhere the unit file is still verified (above).
#[test]
fn the_agent_runs_under_its_hardened_unit() {
    if !Path::new("/run/systemd/system").is_dir() {
        eprintln!(
            "skipped: systemd is not PID 1 here (no /run/systemd/system), so the hardened agent \
             unit cannot be started; every_unit_passes_systemd_analyze_verify checks its file"
        );
        return;
    }
    if !is_root() {
        eprintln!("skipped: starting a system unit needs root");
        return;
    }
    let env = TestEnv::with_files(&[(
        "fleet.yaml",
        "version: 1\nmachines:\n  local:\n    address: 127.0.0.1\n",
    )]);
    let hub = Hub::start(&env, None, &[]);
    let token = env
        .run(&["agent", "token", "local"])
        .stdout
        .trim()
        .to_string();
    let name = format!("homelabcmd-agent-test-{}", std::process::id());
    let unit = PathBuf::from(format!("/run/systemd/system/{name}.service"));
    let conf = PathBuf::from(format!("/run/{name}.conf"));
    let text = std::fs::read_to_string(Path::new(ROOT).join("agent/homelabcmd-agent.service"))
        .unwrap()
        .replace(
            "/usr/local/bin/homelabcmd-agent",
            agent_bin().to_str().unwrap(),
        )
        .replace("/etc/homelabcmd/agent.conf", conf.to_str().unwrap())
        // Its own state, not a real agent's spool.
        .replace(
            "StateDirectory=homelabcmd-agent",
            &format!("StateDirectory={name}"),
        )
        .replace("/var/lib/homelabcmd-agent", &format!("/var/lib/{name}"));
    std::fs::write(
        &conf,
        format!(
            "HOMELAB_AGENT_HUB_URL={}\nHOMELAB_AGENT_API_KEY={token}\nHOMELAB_AGENT_SERVER_ID=local\nHOMELAB_AGENT_HEARTBEAT_INTERVAL=1\nHOMELAB_AGENT_STATE_DIR=/var/lib/{name}\n",
            hub.url()
        ),
    )
    .unwrap();
    std::fs::write(&unit, text).unwrap();
    let systemctl = |args: &[&str]| {
        Command::new("systemctl")
            .args(args)
            .status()
            .is_ok_and(|s| s.success())
    };
    assert!(systemctl(&["daemon-reload"]));
    assert!(systemctl(&["start", &name]));
    let mut seen = serde_json::Value::Null;
    for _ in 0..300 {
        seen = status(&env);
        if seen["state"] == "online" {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    systemctl(&["stop", &name]);
    let _ = std::fs::remove_dir_all(format!("/var/lib/{name}"));
    let _ = std::fs::remove_file(&unit);
    let _ = std::fs::remove_file(&conf);
    systemctl(&["daemon-reload"]);
    assert_eq!(
        seen["state"], "online",
        "no heartbeat from the agent under its unit: {seen}"
    );
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n")
}

/// POST one sample of now from `machine` with its token, and expect it stored.
fn post_heartbeat(env: &TestEnv, port: u16, machine: &str) -> String {
    let token = env
        .run(&["agent", "token", machine])
        .stdout
        .trim()
        .to_string();
    let now = jiff::Timestamp::now().to_string();
    let (status, body) = crate::common::http_post(
        port,
        "/api/v1/heartbeat",
        Some(&token),
        &heartbeat(machine, vec![sample(&now, 12.5)]),
    );
    assert_eq!(status, 200, "{body}");
    token
}

/// The log's lines without their timestamps: "LEVEL message fields".
fn events(log: &str) -> Vec<String> {
    log.lines()
        .map(|l| {
            let (_, rest) = l
                .split_once(' ')
                .unwrap_or_else(|| panic!("no timestamp: {l}"));
            rest.trim_start().to_string()
        })
        .collect()
}

#[test]
fn serve_logs_nothing_by_default() {
    let env = TestEnv::fleet();
    let mut serve = Serve::start(&env, &[]);
    post_heartbeat(&env, serve.port, "web1");
    serve.terminate();
    assert_eq!(serve.stderr(), "", "serve logged without -v or RUST_LOG");
}

#[test]
fn serve_v_logs_each_heartbeat_at_info_and_rust_log_says_more() {
    let env = TestEnv::fleet();
    let mut serve = Serve::start(&env, &["-v"]);
    post_heartbeat(&env, serve.port, "web1");
    serve.terminate();
    assert_eq!(
        events(&serve.stderr()),
        [
            "INFO heartbeat stored machine=web1 accepted=1 duplicates=0 refused=0",
            "INFO homelabcmd serve: stopped"
        ]
    );

    // RUST_LOG alone (no -v) chooses the same.
    let env = TestEnv::fleet();
    let mut serve = Serve::start_with(&env, &[], &[("RUST_LOG", "homelabcmd=info")]);
    post_heartbeat(&env, serve.port, "web1");
    serve.terminate();
    assert_eq!(
        events(&serve.stderr()),
        [
            "INFO heartbeat stored machine=web1 accepted=1 duplicates=0 refused=0",
            "INFO homelabcmd serve: stopped"
        ]
    );
}

/// With -vv the hub logs its debug events — the delivery to Slack among them — and still
/// none of its secrets: the webhook URL (an age-encrypted secret), the machine token, the
/// hub's key, the age identity.
#[test]
fn no_secret_reaches_the_debug_log() {
    let receiver = Receiver::start(vec![]);
    let env = secret_slack_fleet(&receiver.url("/services/T000/B000/SEKRITtoken"));
    let mut serve = Serve::start(&env, &["-vv", "--storm-window", "0"]);
    let token = post_heartbeat(&env, serve.port, "web1");
    enqueue(&db(&env), &[event(1, "web1", "service", "opened")]);
    receiver.wait_until(60, |r| r.iter().any(|r| r.answered == 200));
    // The delivery is recorded before it is logged: wait for the line.
    for _ in 0..100 {
        if serve.stderr().contains("delivered") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    serve.terminate();
    let log = serve.stderr();
    let events = events(&log);
    assert!(
        events.contains(&"DEBUG notify: alert-1-opened to slack: delivered".to_string()),
        "{log}"
    );
    assert!(
        events.contains(
            &"INFO heartbeat stored machine=web1 accepted=1 duplicates=0 refused=0".to_string()
        ),
        "{log}"
    );
    let hub_key = std::fs::read(env.repo.join("data/hub.key")).unwrap();
    let identity =
        std::fs::read_to_string(env.home.join(".config/homelabcmd/identity.txt")).unwrap();
    let age_key = identity
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .expect("an identity");
    for (what, secret) in [
        ("the webhook URL", "SEKRIT".to_string()),
        ("the machine token", token),
        ("the age identity", age_key.to_string()),
        (
            "the hub key",
            String::from_utf8_lossy(&hub_key).trim().to_string(),
        ),
    ] {
        assert!(!secret.is_empty());
        assert!(!log.contains(&secret), "{what} was logged:\n{log}");
    }
}

/// `healthcheck` against a real hub (by --url, and by serve's variables), a wrong path, a
/// closed port, and a port that never answers.
#[test]
fn healthcheck_says_whether_the_hub_answers() {
    let env = TestEnv::fleet();
    let hub = Hub::start(&env, None, &[]);
    let run = env.run(&["healthcheck", "--url", &format!("{}/healthz", hub.url())]);
    run.code(0);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    let port = hub.port.to_string();
    let mut cmd = env.cmd(&["healthcheck"]);
    cmd.env("HOMELAB_CMD_HOST", "0.0.0.0")
        .env("HOMELAB_CMD_PORT", &port);
    crate::common::run(cmd).code(0);

    let run = env.run(&["healthcheck", "--url", &format!("{}/nope", hub.url())]);
    run.code(1);
    assert_eq!(
        run.stderr,
        format!("error: unhealthy: 127.0.0.1:{port} answered 404 ``, not 200 `ok`\n")
    );

    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let run = env.run(&[
        "healthcheck",
        "--url",
        &format!("http://127.0.0.1:{closed}/healthz"),
    ]);
    run.code(1);
    assert_eq!(
        run.stderr,
        format!(
            "error: unhealthy: cannot connect to 127.0.0.1:{closed}: Connection refused (os error 111)\n"
        )
    );

    // Accepts, never answers: cut off at --timeout.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    let run = env.run(&[
        "healthcheck",
        "--timeout",
        "1",
        "--url",
        &format!("http://127.0.0.1:{silent_port}/healthz"),
    ]);
    run.code(1);
    assert_eq!(
        run.stderr,
        format!("error: unhealthy: no answer from 127.0.0.1:{silent_port} within 1s\n")
    );
    drop(silent);

    let run = env.run(&["healthcheck", "--url", "https://hub.lan/healthz"]);
    run.code(1);
    assert_eq!(
        run.stderr,
        "error: unhealthy: `https://hub.lan/healthz` is not an http://HOST[:PORT][/PATH] URL\n"
    );
}

/// The hub as the image runs it: the Dockerfile's ENV (its /fleet and /data pointed at
/// temporary directories), started from another directory, then its HEALTHCHECK command.
#[test]
fn the_hub_runs_with_the_images_environment() {
    let env = TestEnv::fleet();
    let data = tempfile::tempdir().unwrap();
    let dockerfile = std::fs::read_to_string(Path::new(ROOT).join("Dockerfile")).unwrap();
    let vars = image_env(&dockerfile);
    let names: Vec<&str> = vars.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "HOMELABCMD_REPO",
            "HOMELAB_CMD_DATABASE_URL",
            "HOMELAB_CMD_HOST",
            "HOMELAB_CMD_PORT",
            "HOME",
            "XDG_CONFIG_HOME",
            "SSL_CERT_FILE"
        ]
    );
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port().to_string()
    };
    let place = |v: &str| {
        v.replace("/fleet", env.repo.to_str().unwrap())
            .replace("/data", data.path().to_str().unwrap())
            .replace("/config", data.path().to_str().unwrap())
            .replace("8080", &port)
    };
    let command = |args: &[&str]| {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env_clear()
            .current_dir(data.path())
            .envs(vars.iter().map(|(k, v)| (k, place(v))));
        cmd
    };
    assert!(dockerfile.contains("ENTRYPOINT [\"/homelabcmd\", \"serve\"]"));
    assert!(dockerfile.contains("CMD [\"/homelabcmd\", \"healthcheck\"]"));
    let mut serve = command(&["serve"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(serve.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    assert!(
        first.starts_with(&format!(
            "homelabcmd serve: listening on 0.0.0.0:{port} (1 machines"
        )),
        "{first}"
    );
    let health = crate::common::run(command(&["healthcheck"]));
    let _ = serve.kill();
    let _ = serve.wait();
    health.code(0);
    assert!(data.path().join("homelab.db").is_file());
}

/// KEY=VALUE pairs of the Dockerfile's ENV instruction.
fn image_env(dockerfile: &str) -> Vec<(String, String)> {
    let start = dockerfile.find("\nENV ").expect("an ENV instruction") + 5;
    let mut pairs = Vec::new();
    for line in dockerfile[start..].lines() {
        for word in line.split_whitespace() {
            if let Some((k, v)) = word.split_once('=') {
                pairs.push((k.to_string(), v.to_string()));
            }
        }
        if !line.trim_end().ends_with('\\') {
            break;
        }
    }
    pairs
}
