//! The hub's read side against the real hub: the JSON API equals the CLI's JSON for the same
//! database, `/metrics` passes `promtool check metrics`, and the status page — loaded by
//! headless Chromium from a hub fed by the real agent and by real heartbeats — shows the
//! fleet in fleet.yaml order with its states, filters through the query string, escapes
//! machine text, hides addresses when asked, never shows a token, and wants its read token
//! when one is set. Screenshots go to `CARGO_TARGET_TMPDIR/screenshots`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::agent::{start_agent, stop_agent, wait_for};
use crate::common::{Hub, TestEnv, heartbeat, sample};

/// Servers zeta, local, alpha, mid, then the workstation desk: not alphabetical, so that the
/// page's order can only come from fleet.yaml.
const FLEET: &str = "\
version: 1
machines:
  zeta:
    name: Zeta <b>&amp;</b>
    address: 10.77.0.1
    tags: [media]
    packs: [base]
  local:
    address: 10.77.0.2
    tags: [infra]
  alpha:
    address: alpha.tail9999.ts.net
    connect: tailscale
  mid:
    address: 10.77.0.4
  desk:
    type: workstation
    address: 10.77.0.5
";

const ADDRESSES: [&str; 5] = [
    "10.77.0.1",
    "10.77.0.2",
    "alpha.tail9999.ts.net",
    "10.77.0.4",
    "10.77.0.5",
];

fn env() -> TestEnv {
    TestEnv::with_files(&[
        ("fleet.yaml", FLEET),
        ("packs/base.yaml", crate::common::BASE_PACK),
        ("packs/files/bashrc", "# bashrc\n"),
    ])
}

fn token(env: &TestEnv, machine: &str) -> String {
    let run = env.run(&["agent", "token", machine]);
    run.code(0);
    run.stdout.trim().to_string()
}

/// A GET: (status, head, body).
fn get(port: u16, path: &str, headers: &[(&str, &str)]) -> (u16, String, String) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Connection: close\r\n\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

fn ok_body(port: u16, path: &str) -> String {
    let (status, head, body) = get(port, path, &[]);
    assert_eq!(status, 200, "GET {path}: {head}\n{body}");
    body
}

fn rfc3339(unix: i64) -> String {
    jiff::Timestamp::from_second(unix).unwrap().to_string()
}

fn unix(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>().unwrap().as_second()
}

fn post(hub: &Hub, env: &TestEnv, machine: &str, samples: Vec<serde_json::Value>) {
    let (status, body) = hub.post(Some(&token(env, machine)), &heartbeat(machine, samples));
    assert_eq!(status, 200, "{body}");
}

#[test]
fn the_api_returns_exactly_what_the_cli_prints() {
    let env = env();
    let hub = Hub::start_with(&env, Some(&env.now), &[], &[]);
    let now = unix(&env.now);
    let samples = |machine: &str| -> Vec<serde_json::Value> {
        (1..=5)
            .map(|i| {
                let mut s = sample(&rfc3339(now - 600 + i * 60), 10.0 * i as f64);
                s["os"]["hostname"] = serde_json::json!(machine);
                s
            })
            .collect()
    };
    post(&hub, &env, "zeta", samples("zeta"));
    post(&hub, &env, "local", samples("local"));
    for (api, cli) in [
        ("/api/v1/status", vec!["status", "-o", "json"]),
        (
            "/api/v1/machines/zeta",
            vec!["status", "zeta", "-o", "json"],
        ),
        (
            "/api/v1/machines/alpha",
            vec!["status", "alpha", "-o", "json"],
        ),
        (
            "/api/v1/machines/zeta/history?metric=cpu&since=1h",
            vec![
                "history", "zeta", "--metric", "cpu", "--since", "1h", "-o", "json",
            ],
        ),
        (
            "/api/v1/machines/local/history?metric=disk%3A%2F&since=7d",
            vec![
                "history", "local", "--metric", "disk:/", "--since", "7d", "-o", "json",
            ],
        ),
    ] {
        let from_api = ok_body(hub.port, api);
        let run = env.run(&cli);
        run.code(0);
        assert_eq!(
            from_api,
            run.stdout,
            "{api} differs from `{}`",
            cli.join(" ")
        );
    }
    // The documents carry the numbers that were sent.
    let doc: serde_json::Value = serde_json::from_str(&ok_body(
        hub.port,
        "/api/v1/machines/zeta/history?metric=cpu&since=1h",
    ))
    .unwrap();
    let values: Vec<f64> = doc["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values, [10.0, 20.0, 30.0, 40.0, 50.0]);

    // The machine view's charts read the same history.
    let page = ok_body(hub.port, "/m/zeta?range=7d");
    for caption in [
        "CPU %</span><span class=\"m\">now 50.0%</span><span class=\"m\">max 50.0%",
        "Memory %</span><span class=\"m\">now 37.5%",
    ] {
        assert!(page.contains(caption), "{caption} on the machine view");
    }
    let (status, _, body) = get(hub.port, "/api/v1/machines/nope", &[]);
    assert_eq!(
        (status, body.as_str()),
        (404, "{\"error\":\"no such machine in fleet.yaml\"}\n")
    );
    let (status, _, body) = get(hub.port, "/api/v1/machines/zeta/history?metric=gpu", &[]);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("use cpu, ram, disk"), "{body}");
    let (status, _, _) = get(hub.port, "/api/v1/machines/zeta/history?since=2y", &[]);
    assert_eq!(status, 400);
}

/// A fleet with every state: desk (away) and mid (offline) heard from 3 h ago by a hub whose
/// clock says so, zeta fed heartbeats now (with hostile text in them), local by the real
/// agent, alpha never; zeta's compliance recorded with a drifted file whose diff must not
/// show. Returns the live hub and the agent.
fn live_fleet(env: &TestEnv) -> (Hub, Agent) {
    let now = jiff::Timestamp::now().as_second();
    let earlier = rfc3339(now - 3 * 3600);
    let past = Hub::start_with(env, Some(&earlier), &[], &[]);
    post(
        &past,
        env,
        "mid",
        vec![sample(&rfc3339(now - 3 * 3600 - 30), 5.0)],
    );
    post(
        &past,
        env,
        "desk",
        vec![sample(&rfc3339(now - 3 * 3600 - 30), 5.0)],
    );
    past.stop();

    let hub = Hub::start_with(env, None, &[], &[]);
    let mut hostile = sample(&rfc3339(now - 20), 42.0);
    hostile["os"]["hostname"] = serde_json::json!("<script>alert(1)</script>");
    hostile["filesystems"][0]["mount"] = serde_json::json!("/mnt/we\"ird\\path");
    post(
        &hub,
        env,
        "zeta",
        vec![sample(&rfc3339(now - 80), 30.0), hostile],
    );
    let state = env.home.join("agent-state");
    let agent = Agent(Some(start_agent(
        env,
        &hub.url(),
        &token(env, "local"),
        &state,
    )));
    wait_for("the agent's first samples", 60, || {
        let doc: serde_json::Value =
            serde_json::from_str(&ok_body(hub.port, "/api/v1/machines/local")).unwrap();
        doc["sample"].is_object() && doc["network_rate"].is_object()
    });
    let db = env.repo.join("data/homelab.db");
    let mismatches = r#"[{"kind":"content_differs","path":"~/.bashrc","diff":"-old\n+SECRET-DIFF-TEXT"},{"kind":"package_missing","name":"curl","constraint":null}]"#;
    let script = "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT OR REPLACE INTO compliance (machine_id, checked_at, fleet_commit, state, mismatches, error) VALUES ('zeta', ?, NULL, 'drift', ?, NULL)\", (int(sys.argv[2]), sys.argv[3])); c.commit()";
    let ok = Command::new("python3")
        .args([
            "-c",
            script,
            db.to_str().unwrap(),
            &now.to_string(),
            mismatches,
        ])
        .status()
        .unwrap();
    assert!(ok.success());
    (hub, agent)
}

/// The real agent, stopped when dropped (also when a test fails half way).
struct Agent(Option<std::process::Child>);

impl Agent {
    fn stop(mut self) {
        if let Some(child) = self.0.take() {
            stop_agent(child);
        }
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn metrics_pass_promtool_and_carry_the_agents_numbers() {
    let env = env();
    let (hub, agent) = live_fleet(&env);
    let text = ok_body(hub.port, "/metrics");
    agent.stop();
    promtool_check(&text);
    // The hostile mount is escaped the exposition's way, and parsed back by promtool above.
    assert!(
        text.contains(r#"mountpoint="/mnt/we\"ird\\path""#),
        "{text}"
    );
    let detail: serde_json::Value =
        serde_json::from_str(&ok_body(hub.port, "/api/v1/machines/local")).unwrap();
    let root = detail["sample"]["filesystems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["mount"] == "/")
        .expect("/ reported");
    let line = format!(
        "homelab_filesystem_size_bytes{{machine=\"local\",device=\"{}\",fstype=\"{}\",mountpoint=\"/\"}} {}\n",
        root["device"].as_str().unwrap(),
        root["fs_type"].as_str().unwrap(),
        root["size"]
    );
    assert!(text.contains(&line), "missing {line}");
    for expected in [
        "homelab_machine_state{machine=\"mid\",state=\"offline\"} 1\n",
        "homelab_machine_state{machine=\"desk\",state=\"away\"} 1\n",
        "homelab_machine_state{machine=\"alpha\",state=\"unknown\"} 1\n",
        "homelab_cpu_usage_ratio{machine=\"zeta\"} 0.42\n",
        "homelab_compliance_compliant{machine=\"zeta\"} 0\n",
        "homelab_compliance_mismatches{machine=\"zeta\"} 2\n",
        "# TYPE homelab_network_receive_bytes_total counter\n",
    ] {
        assert!(text.contains(expected), "missing {expected}");
    }
}

/// `promtool check metrics` finds nothing to say about `text`.
pub(crate) fn promtool_check(text: &str) {
    let mut check = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool (Debian's prometheus package) is installed");
    check
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = check.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && said.trim().is_empty(),
        "promtool: {said}\n{text}"
    );
}

/// Headless Chromium, isolated: its own profile, no network but 127.0.0.1.
fn chromium(args: &[&str], url: &str) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("timeout")
        .arg("120")
        .arg("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .expect("chromium (Debian's chromium package) is installed");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "chromium failed: {stderr}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// The DOM as Chromium built it; no console message (a failed load included).
fn dom(url: &str) -> String {
    let (dom, log) = chromium(&["--dump-dom"], url);
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Failed to load"))
        .collect();
    assert!(
        console.is_empty(),
        "console messages on {url}: {console:#?}"
    );
    assert!(dom.contains("</html>"), "no document from {url}: {dom}");
    // Nothing is fetched from elsewhere (the resolver rules above would also make it fail).
    for external in ["=\"http:", "=\"https:", "=\"//", "url(", "@import"] {
        assert!(
            !dom.contains(external),
            "{url} refers to something outside: {external}"
        );
    }
    dom
}

fn screenshot(url: &str, name: &str, width: u32, height: u32) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{width}.png"));
    let _ = std::fs::remove_file(&path);
    chromium(
        &[
            &format!("--screenshot={}", path.display()),
            &format!("--window-size={width},{height}"),
        ],
        url,
    );
    let png = std::fs::read(&path).unwrap_or_default();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 5000,
        "no screenshot at {}",
        path.display()
    );
    path
}

/// The cards in DOM order: (machine, state).
fn cards(dom: &str) -> Vec<(String, String)> {
    dom.split("<a class=\"card")
        .skip(1)
        .map(|card| {
            let attr = |name: &str| {
                card.split(&format!("{name}=\""))
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .unwrap_or("")
                    .to_string()
            };
            let href = attr("href");
            (
                href.strip_prefix("/m/").unwrap_or(&href).to_string(),
                attr("data-state"),
            )
        })
        .collect()
}

fn ids(cards: &[(String, String)]) -> Vec<&str> {
    cards.iter().map(|(id, _)| id.as_str()).collect()
}

#[test]
fn chromium_shows_the_live_fleet_in_fleet_order_and_filters_it() {
    let env = env();
    let (hub, agent) = live_fleet(&env);
    let url = hub.url();
    let fleet = dom(&format!("{url}/"));
    let expected: Vec<(String, String)> = [
        ("zeta", "online"),
        ("local", "online"),
        ("alpha", "unknown"),
        ("mid", "offline"),
        ("desk", "away"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(cards(&fleet), expected);
    assert!(
        fleet.contains("2 online · 1 offline · 1 never seen"),
        "summary bar"
    );
    assert!(
        fleet.contains("workstations: 0 online, 1 last seen 3h ago"),
        "summary bar"
    );
    assert!(
        fleet.contains("Zeta &lt;b&gt;&amp;amp;&lt;/b&gt;"),
        "the fleet's text is escaped"
    );
    for (query, want) in [
        ("state=offline", vec!["mid"]),
        ("type=workstation", vec!["desk"]),
        ("tag=infra", vec!["local"]),
        ("q=ZET", vec!["zeta"]),
        ("type=server&state=online", vec!["zeta", "local"]),
    ] {
        let filtered = dom(&format!("{url}/?{query}"));
        assert_eq!(ids(&cards(&filtered)), want, "?{query}");
    }

    let machine = dom(&format!("{url}/m/zeta"));
    assert!(
        machine.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the agent's text is escaped"
    );
    assert!(!machine.contains("<script"), "no script element");
    assert!(
        machine.contains("~/.bashrc") && machine.contains("package missing"),
        "mismatches by name"
    );
    assert!(
        !machine.contains("SECRET-DIFF-TEXT"),
        "no file content on the page"
    );
    assert!(
        machine.contains("10.77.0.1"),
        "the address, without --hide-addresses"
    );
    let local = dom(&format!("{url}/m/local"));
    for section in [
        "Filesystems",
        "Network",
        "System",
        "Availability, 30 days",
        "CPU %",
    ] {
        assert!(local.contains(section), "{section} on the machine view");
    }
    // Every machine's view renders, in every range, whatever its state.
    for id in ["zeta", "local", "alpha", "mid", "desk"] {
        for range in ["24h", "7d", "30d"] {
            let page = ok_body(hub.port, &format!("/m/{id}?range={range}"));
            assert!(
                page.contains("Availability, 30 days"),
                "/m/{id}?range={range}"
            );
        }
    }
    assert_eq!(get(hub.port, "/m/nope", &[]).0, 404);
    let compliance = dom(&format!("{url}/compliance"));
    assert!(compliance.contains("data-compliance=\"drift\"") && compliance.contains("~/.bashrc"));
    assert!(!compliance.contains("SECRET-DIFF-TEXT"));

    for (path, name) in [
        ("/", "fleet"),
        ("/m/local", "machine"),
        ("/compliance", "compliance"),
    ] {
        screenshot(&format!("{url}{path}"), name, 390, 844);
        screenshot(&format!("{url}{path}"), name, 1440, 900);
    }
    agent.stop();
    // Nothing secret anywhere: no machine token, no hub key.
    let key = std::fs::read_to_string(env.repo.join("data/hub.key")).unwrap_or_default();
    for page in [&fleet, &machine, &local, &compliance] {
        for id in ["zeta", "local", "alpha", "mid", "desk"] {
            assert!(!page.contains(&token(&env, id)), "a token on the page");
        }
        assert!(key.trim().is_empty() || !page.contains(key.trim()));
    }
}

#[test]
fn the_read_token_guards_every_read_route_and_addresses_can_be_hidden() {
    let env = env();
    let secret = "read-token-0123456789abcdef";
    let hub = Hub::start_with(
        &env,
        Some(&env.now),
        &["--hide-addresses"],
        &[("HOMELAB_CMD_READ_TOKEN", secret)],
    );
    let now = unix(&env.now);
    post(&hub, &env, "zeta", vec![sample(&rfc3339(now - 30), 12.0)]);
    for path in [
        "/",
        "/m/zeta",
        "/compliance",
        "/metrics",
        "/api/v1/status",
        "/api/v1/alerts",
        "/api/v1/machines/zeta",
        "/api/v1/machines/zeta/history",
    ] {
        let (status, _, _) = get(hub.port, path, &[]);
        assert_eq!(status, 401, "{path} without the token");
        let (status, _, _) = get(
            hub.port,
            path,
            &[("Authorization", "Bearer wrong-token-0123456789")],
        );
        assert_eq!(status, 401, "{path} with a wrong token");
        let (status, _, body) = get(
            hub.port,
            path,
            &[("Authorization", &format!("Bearer {secret}"))],
        );
        assert_eq!(status, 200, "{path} with the token");
        assert!(!body.contains(secret), "{path} shows the token");
        if !path.starts_with("/metrics") {
            for address in ADDRESSES {
                assert!(
                    !body.contains(address),
                    "{path} shows {address} despite --hide-addresses"
                );
            }
        }
    }
    assert_eq!(get(hub.port, "/healthz", &[]).0, 200, "health stays open");
    // ?token= sets a cookie and sends the browser on without the token in the address.
    let (status, head, _) = get(hub.port, &format!("/m/zeta?range=7d&token={secret}"), &[]);
    assert_eq!(status, 303, "{head}");
    let lower = head.to_lowercase();
    assert!(
        lower.contains("\r\nlocation: /m/zeta?range=7d\r\n"),
        "{head}"
    );
    let cookie = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .expect("a cookie")
        .to_string();
    assert!(head.contains("HttpOnly"), "{head}");
    let (status, _, body) = get(hub.port, "/m/zeta?range=7d", &[("Cookie", &cookie)]);
    assert_eq!(status, 200);
    assert!(
        body.contains("aria-current=\"page\">7d"),
        "the range survived the redirect"
    );
    let (status, _, _) = get(hub.port, "/", &[("Cookie", "homelabcmd_read=not-it")]);
    assert_eq!(status, 401);
    // Chromium follows the same path: the token once, then the page.
    let page = dom(&format!("{}/?token={secret}", hub.url()));
    assert_eq!(ids(&cards(&page)).first().copied(), Some("zeta"));
    assert!(!page.contains(secret));
}

/// A running demo, sent Ctrl-C (so that it stops its agent) when dropped.
struct Demo(std::process::Child);

impl Drop for Demo {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = Command::new("kill")
                .args(["-INT", &self.0.id().to_string()])
                .status();
            for _ in 0..100 {
                if let Ok(Some(_)) = self.0.try_wait() {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
fn demo_shows_a_live_fleet_and_leaves_nothing_behind_on_ctrl_c() {
    let env = env();
    let tmp = env.home.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut cmd = env.cmd(&["demo", "--port", "0", "--days", "2"]);
    cmd.env_remove("HOMELABCMD_NOW")
        .env("TMPDIR", &tmp)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut demo = Demo(cmd.spawn().expect("demo starts"));
    let child = &mut demo.0;
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut printed = Vec::new();
    let port: u16 = loop {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("no address from demo: {printed:#?}"));
        if let Some(rest) = line.strip_prefix("demo: open http://127.0.0.1:") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
        printed.push(line);
    };
    let table = printed.join("\n");
    assert!(
        table.contains("WORKSTATIONS") && table.contains("desk"),
        "a status table: {table}"
    );
    let status: serde_json::Value = serde_json::from_str(&ok_body(port, "/api/v1/status")).unwrap();
    let machine = |id: &str| {
        status["machines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap()
            .clone()
    };
    let desk = machine("desk");
    assert_eq!(
        desk["state"], "online",
        "this machine, by the real agent: {desk}"
    );
    assert_eq!(desk["agent_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(machine("zeta")["state"], "online");
    assert_eq!(machine("mid")["state"], "offline", "one server fell silent");
    let history: serde_json::Value =
        serde_json::from_str(&ok_body(port, "/api/v1/machines/zeta/history?since=2d")).unwrap();
    assert!(
        history["points"].as_array().unwrap().len() > 500,
        "two days of simulated history"
    );
    assert!(ok_body(port, "/").contains("href=\"/m/desk\""));

    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "demo did not stop on Ctrl-C"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(status.success(), "{status}");
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert!(left.is_empty(), "left behind in TMPDIR: {left:?}");
    // No process (the agent) still runs in the removed directory.
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cwd) = std::fs::read_link(entry.path().join("cwd")) {
            assert!(
                !cwd.starts_with(&tmp),
                "process {:?} still runs in {}",
                entry.file_name(),
                cwd.display()
            );
        }
    }
}

#[test]
fn the_fleet_page_of_fifty_machines_with_a_day_of_history_and_alerts_weighs_under_50_kb() {
    let mut fleet = String::from("version: 1\nmachines:\n");
    for i in 0..50 {
        fleet.push_str(&format!(
            "  host-{i:03}:\n    name: Host number {i}\n    address: host-{i:03}.lan\n    services: [ssh, cron]\n    tags: [rack-a]\n"
        ));
    }
    let env = TestEnv::with_files(&[("fleet.yaml", &fleet)]);
    // A day at 60 s for every machine, through the real ingest path.
    env.run(&["debug-fill", "--machines", "50", "--days", "1"])
        .code(0);
    // Security updates pending everywhere (a low alert on every card), and on every tenth
    // machine a full disk and a stopped service too (two shown, one counted).
    let db = env.repo.join("data/homelab.db");
    let script = "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); t=int(sys.argv[2])
for i in range(50):
    m='host-%03d' % i
    rows=[('updates','','low','12 security updates pending','12','0')]
    if i % 10 == 0:
        rows += [('disk','/var/lib/docker','critical','disk /var/lib/docker at 97 %','97 %','90 %'),
                 ('service','nginx','high','nginx stopped (failed/failed)','failed','active')]
    for r in rows:
        c.execute(\"INSERT INTO alerts (machine_id, rule, subject, severity, status, summary, value, threshold, action, opened_at, last_notified_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, NULL, ?, ?)\", (m,)+r+(t,t))
c.commit()";
    let ok = Command::new("python3")
        .args(["-c", script, db.to_str().unwrap()])
        .arg((unix(&env.now) - 3600).to_string())
        .status()
        .unwrap();
    assert!(ok.success());
    let hub = Hub::start_with(&env, Some(&env.now), &[], &[]);
    let page = ok_body(hub.port, "/");
    let shown = cards(&page);
    assert_eq!(shown.len(), 50);
    assert_eq!(
        page.matches("<ul class=\"al\">").count(),
        50,
        "an alert on each card"
    );
    assert_eq!(page.matches("and 1 more</li>").count(), 5);
    assert!(
        page.contains("60 open alerts</a>"),
        "the summary bar counts them"
    );
    assert!(
        shown.iter().all(|(_, state)| state == "online"),
        "every card is a full one"
    );
    assert_eq!(
        page.matches("<svg class=\"spark\"").count(),
        50,
        "with its sparkline"
    );
    assert!(
        page.len() < 50_000,
        "the fleet page weighs {} bytes",
        page.len()
    );
}

/// web1 fills a disk whose mount holds markup; nas stays healthy; desk, a workstation, goes
/// away with an alert open; probe is the alert tests' synchronisation machine (see
/// `alerts::Lab::sync`).
const ALERT_FLEET: &str = "\
version: 1
defaults:
  offline_after: 1h
  alerts: { raise_after: 2, clear_after: 2 }
machines:
  web1:
    name: Web One
    address: web1.lan
  nas:
    address: nas.lan
  desk:
    type: workstation
    address: desk.lan
    offline_after: 2m
  probe:
    address: probe.lan
    alerts: { raise_after: 1, clear_after: 1 }
";

/// The markup of the card for machine `id`.
fn card_of<'a>(page: &'a str, id: &str) -> &'a str {
    page.split("<a class=\"card")
        .skip(1)
        .find(|card| card.contains(&format!("href=\"/m/{id}\"")))
        .and_then(|card| card.split("</a>").next())
        .unwrap_or_else(|| panic!("no card for {id}"))
}

/// The API's alerts equal the CLI's, byte for byte, for each filter.
fn assert_api_alerts_equal_cli(lab: &crate::alerts::Lab) {
    for (query, args) in [
        ("", vec![]),
        ("?all=true", vec!["--all"]),
        ("?all", vec!["--all"]),
        (
            "?all=1&machine=web1&severity=high",
            vec!["--all", "--machine", "web1", "--severity", "high"],
        ),
        ("?severity=critical", vec!["--severity", "critical"]),
        ("?machine=nas", vec!["--machine", "nas"]),
    ] {
        let from_api = ok_body(lab.hub.port, &format!("/api/v1/alerts{query}"));
        let mut cli = vec!["alerts", "-o", "json"];
        cli.extend(args);
        let run = lab.cli(&cli);
        run.code(0);
        assert_eq!(from_api, run.stdout, "/api/v1/alerts{query} differs");
    }
}

#[test]
fn an_alert_shows_on_its_card_its_page_the_api_and_metrics_until_it_resolves() {
    use crate::alerts::{Lab, disk};
    let mut lab = Lab::with_fleet(ALERT_FLEET);
    let port = lab.hub.port;
    let mount = "/srv/<i>x</i>&";
    let full = |pct: u64| {
        move |s: &mut serde_json::Value| {
            disk(pct)(s);
            s["filesystems"][0]["mount"] = serde_json::json!(mount);
        }
    };
    // Two readings at 93 % (raise_after: 2) open a critical disk alert on web1. (Two syncs:
    // the probe's own alert is closed again.)
    for i in 0..2 {
        lab.at(60 * i);
        lab.beat("web1", full(93));
        lab.beat("nas", |_| {});
        lab.sync();
    }
    let active = lab.active("web1");
    assert_eq!(active.len(), 1, "{active:#?}");
    let alert = &active[0];
    assert_eq!(
        (&alert["rule"], &alert["severity"], &alert["status"]),
        (&"disk".into(), &"critical".into(), &"open".into())
    );
    assert!(lab.active("nas").is_empty() && lab.active("probe").is_empty());
    let id = alert["id"].as_i64().unwrap();
    let escaped = "disk /srv/&lt;i&gt;x&lt;/i&gt;&amp; at 93 %";

    // The fleet page: on web1's card, with its severity by shape and name; counted.
    let fleet = ok_body(port, "/");
    let badge = format!("<li><b class=\"sev critical\">critical</b>: {escaped}</li>");
    assert!(card_of(&fleet, "web1").contains(&badge), "{fleet}");
    assert!(!card_of(&fleet, "nas").contains("class=\"al\""), "{fleet}");
    assert!(
        !card_of(&fleet, "probe").contains("class=\"al\""),
        "{fleet}"
    );
    assert!(!fleet.contains("<i>x</i>"), "the alert's text is escaped");
    assert!(
        fleet.contains("<a class=\"sev critical\" href=\"/?state=alerting\">1 open alert</a>"),
        "the summary bar counts it"
    );
    assert_eq!(ids(&cards(&ok_body(port, "/?state=alerting"))), ["web1"]);
    // Chromium builds the same card.
    let dom = dom(&format!("{}/", lab.hub.url()));
    assert!(card_of(&dom, "web1").contains(&badge), "{dom}");

    // Its machine page: severity, summary, value and threshold, since when (two minutes on).
    lab.at(180);
    let page = ok_body(port, "/m/web1");
    let row = format!("<tr data-alert=\"{id}\" data-status=\"open\">");
    assert!(page.contains(&row), "{page}");
    let after = page.split(&row).nth(1).unwrap();
    for part in [
        "<b class=\"sev critical\">critical</b>",
        escaped,
        "93 %<span class=\"dim\"> / 90 %</span>",
        "2m ago",
        "<td>open</td>",
    ] {
        assert!(after.contains(part), "{part} on the machine page: {after}");
    }
    assert!(!page.contains("<i>x</i>"));
    assert!(ok_body(port, "/m/nas").contains("no open alerts"));
    screenshot(&format!("{}/", lab.hub.url()), "fleet-alert", 390, 844);
    screenshot(
        &format!("{}/m/web1", lab.hub.url()),
        "machine-alert",
        1440,
        900,
    );

    // The API is the CLI's JSON; /metrics has the gauge and passes promtool.
    assert_api_alerts_equal_cli(&lab);
    let api: serde_json::Value = serde_json::from_str(&ok_body(port, "/api/v1/alerts")).unwrap();
    assert_eq!(api["alerts"][0]["id"], id, "{api}");
    let (status, _, body) = get(port, "/api/v1/alerts?severity=urgent", &[]);
    assert_eq!(
        (status, body.contains("low, medium, high or critical")),
        (400, true)
    );
    let metrics = ok_body(port, "/metrics");
    promtool_check(&metrics);
    for line in [
        "# TYPE homelab_alerts_open gauge\n",
        "homelab_alerts_open{machine=\"web1\",severity=\"critical\"} 1\n",
        "homelab_alerts_open{machine=\"web1\",severity=\"high\"} 0\n",
        "homelab_alerts_open{machine=\"nas\",severity=\"critical\"} 0\n",
        "homelab_alerts_open{machine=\"probe\",severity=\"low\"} 0\n",
    ] {
        assert!(metrics.contains(line), "missing {line}");
    }

    // Acknowledged: still on the card and counted, said so, and by whom on its page.
    lab.cli(&["alerts", "ack", &id.to_string()]).code(0);
    let by = lab.active("web1")[0]["acknowledged_by"]
        .as_str()
        .unwrap()
        .to_string();
    let fleet = ok_body(port, "/");
    assert!(card_of(&fleet, "web1").contains("acknowledged"), "{fleet}");
    assert!(
        fleet.contains("1 open alert</a> (1 acknowledged)"),
        "{fleet}"
    );
    let page = ok_body(port, "/m/web1");
    assert!(
        page.contains(&format!("acknowledged by {by} <time")),
        "{page}"
    );
    assert!(
        ok_body(port, "/metrics")
            .contains("homelab_alerts_open{machine=\"web1\",severity=\"critical\"} 1\n")
    );

    // Two readings at 50 % resolve it: gone from the card, the count, the filter and the
    // gauge; on the machine page among the recently resolved.
    for i in 4..6 {
        lab.at(60 * i);
        lab.beat("web1", full(50));
        lab.beat("nas", |_| {});
        lab.sync();
    }
    assert_eq!(lab.alerts("web1")[0]["status"], "resolved");
    let fleet = ok_body(port, "/");
    assert!(!card_of(&fleet, "web1").contains("class=\"al\""), "{fleet}");
    assert!(fleet.contains(" · no open alerts</div>"), "{fleet}");
    assert!(cards(&ok_body(port, "/?state=alerting")).is_empty());
    let page = ok_body(port, "/m/web1");
    assert!(page.contains("no open alerts"), "{page}");
    let resolved = format!("<tr data-alert=\"{id}\" data-status=\"resolved\">");
    let after = page.split(&resolved).nth(1).expect("among the resolved");
    assert!(
        after.contains(escaped) && after.contains(" by hub</td>"),
        "{after}"
    );
    let metrics = ok_body(port, "/metrics");
    promtool_check(&metrics);
    assert!(metrics.contains("homelab_alerts_open{machine=\"web1\",severity=\"critical\"} 0\n"));
    assert_api_alerts_equal_cli(&lab);

    // A workstation's alert goes stale when it goes away: off its card and out of the count
    // and the gauge, on its page as stale.
    for i in 6..8 {
        lab.at(60 * i);
        lab.beat("desk", full(93));
        lab.sync();
    }
    assert!(card_of(&ok_body(port, "/"), "desk").contains("class=\"al\""));
    lab.at(60 * 8 + 180);
    crate::alerts::wait(
        || {
            lab.active("desk")
                .first()
                .is_some_and(|a| a["status"] == "stale")
        },
        "desk's alert to go stale",
    );
    let fleet = ok_body(port, "/");
    assert!(!card_of(&fleet, "desk").contains("class=\"al\""), "{fleet}");
    assert!(fleet.contains(" · no open alerts</div>"), "{fleet}");
    assert!(ok_body(port, "/m/desk").contains("data-status=\"stale\">"));
    assert!(
        ok_body(port, "/metrics")
            .contains("homelab_alerts_open{machine=\"desk\",severity=\"critical\"} 0\n")
    );
    assert_api_alerts_equal_cli(&lab);
}
