//! The agent binary as an operator runs it: `--version`, `--print` checked against `/proc`
//! and `df`, configuration errors (exit 2), `--once` against a loopback hub and against no
//! hub (exit 1, sample kept), and a clean stop on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use homelabcmd_proto::{Heartbeat, Sample};

const BIN: &str = env!("CARGO_BIN_EXE_homelabcmd-agent");

/// A temporary state directory and config file, removed on drop.
struct Env {
    dir: PathBuf,
}

impl Env {
    fn new(label: &str) -> Env {
        let dir = std::env::temp_dir().join(format!(
            "homelabcmd-agent-cli-{label}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Env { dir }
    }

    fn state(&self) -> PathBuf {
        self.dir.join("state")
    }

    /// A config file naming the hub; returns its path.
    fn config(&self, hub_url: &str) -> PathBuf {
        let path = self.dir.join("agent.conf");
        std::fs::write(
            &path,
            format!(
                "# test\nHOMELAB_AGENT_HUB_URL={hub_url}\nHOMELAB_AGENT_API_KEY=tok\n\
                 HOMELAB_AGENT_SERVER_ID=testbox\nHOMELAB_AGENT_STATE_DIR={}\n\
                 HOMELAB_AGENT_RETRY_DELAY_SECS=0\n\
                 HOMELAB_AGENT_DOCKER_SOCKET={}/none.sock\n",
                self.state().display(),
                self.dir.display()
            ),
        )
        .unwrap();
        path
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .stdin(Stdio::null());
        cmd
    }

    fn spooled(&self) -> usize {
        std::fs::read_dir(self.state().join("spool")).map_or(0, Iterator::count)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A loopback hub that answers every heartbeat with 200 and keeps their bodies.
fn fake_hub() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&bodies);
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let mut reader = BufReader::new(conn);
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            kept.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&body).into_owned());
            let reply = r#"{"accepted":1,"duplicates":0,"services":["ssh"],"interval_secs":60}"#;
            let _ = write!(
                reader.into_inner(),
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (url, bodies)
}

#[test]
fn version_and_usage_errors() {
    let env = Env::new("version");
    let out = env.command(&["--version"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(&format!("homelabcmd-agent {}", env!("CARGO_PKG_VERSION"))));
    let out = env.command(&["--frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--frobnicate"));
}

fn meminfo_kib(key: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/meminfo").unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{key}:")))
        .unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn print_matches_proc_and_df() {
    let env = Env::new("print");
    let conf = env.config("http://127.0.0.1:9");
    let out = env
        .command(&["--print", "--config", conf.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let sample: Sample = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sample.memory.total, meminfo_kib("MemTotal") * 1024);
    assert_eq!(sample.memory.swap_total, meminfo_kib("SwapTotal") * 1024);
    assert!(sample.memory.used + sample.memory.available == sample.memory.total);
    assert!((0.0..=100.0).contains(&sample.cpu_percent));
    assert_eq!(sample.os.arch, std::env::consts::ARCH);
    assert!(sample.network.iter().all(|i| i.name != "lo"));
    assert!(!sample.docker.available);
    assert_eq!(env.spooled(), 0, "--print writes nothing");
    // The root filesystem, as df sees it (when it is a real one, not overlay).
    if let Some(root) = sample.filesystems.iter().find(|f| f.mount == "/") {
        let df = Command::new("df")
            .args(["-B1", "--output=size,avail", "/"])
            .output()
            .unwrap();
        let df = String::from_utf8(df.stdout).unwrap();
        let nums: Vec<u64> = df
            .lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        assert_eq!(root.size, nums[0]);
        let diff = root.available.abs_diff(nums[1]);
        assert!(
            diff < 256 * 1024 * 1024,
            "available {} vs df {}",
            root.available,
            nums[1]
        );
    }
}

#[test]
fn configuration_errors_exit_2_naming_the_variable() {
    let env = Env::new("badconf");
    let conf = env.config("http://127.0.0.1:9");
    let out = env
        .command(&["--once", "--config", conf.to_str().unwrap()])
        .env("HOMELAB_AGENT_HEARTBEAT_INTERVAL", "0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("HOMELAB_AGENT_HEARTBEAT_INTERVAL=0"),
        "{}",
        stderr(&out)
    );
    let empty = env.dir.join("empty.conf");
    std::fs::write(&empty, "").unwrap();
    let out = env
        .command(&["--once", "--config", empty.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("HOMELAB_AGENT_HUB_URL is not set"),
        "{}",
        stderr(&out)
    );
    let out = env
        .command(&["--once", "--config", "/nonexistent/agent.conf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn once_pushes_to_the_hub() {
    let env = Env::new("once");
    let (url, bodies) = fake_hub();
    let conf = env.config(&url);
    let out = env
        .command(&["--once", "--config", conf.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bodies = bodies.lock().unwrap();
    assert_eq!(bodies.len(), 1);
    let hb: Heartbeat = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(
        (hb.machine_id.as_str(), hb.seq, hb.samples.len()),
        ("testbox", 1, 1)
    );
    assert_eq!(env.spooled(), 0);
    let state = std::fs::read_to_string(env.state().join("state.json")).unwrap();
    assert!(state.contains("\"ssh\""), "{state}");
}

#[test]
fn once_without_hub_keeps_the_sample() {
    let env = Env::new("nohub");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let conf = env.config(&format!("http://127.0.0.1:{port}"));
    for round in 1..=2 {
        let out = env
            .command(&["--once", "--config", conf.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains("hub unreachable"), "{}", stderr(&out));
        assert_eq!(env.spooled(), round);
    }
    // The hub is back: both buffered samples and the new one go, oldest first.
    let (url, bodies) = fake_hub();
    let conf = env.config(&url);
    let out = env
        .command(&["--once", "--config", conf.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let hb: Heartbeat = serde_json::from_str(&bodies.lock().unwrap()[0]).unwrap();
    assert_eq!(hb.samples.len(), 3);
    assert_eq!(hb.seq, 7, "three tries per failed run, then one");
    assert!(hb.samples.windows(2).all(|w| w[0].time <= w[1].time));
    assert_eq!(env.spooled(), 0);
}

#[test]
fn sigterm_stops_cleanly() {
    let env = Env::new("sigterm");
    let (url, bodies) = fake_hub();
    let conf = env.config(&url);
    let mut child = env
        .command(&["--config", conf.to_str().unwrap()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while bodies.lock().unwrap().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !bodies.lock().unwrap().is_empty(),
        "no heartbeat within 30 s"
    );
    let signalled = Instant::now();
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert!(
        signalled.elapsed() < Duration::from_secs(2),
        "{:?}",
        signalled.elapsed()
    );
    assert_eq!(status.code(), Some(0));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let last = err.lines().last().unwrap_or_default();
    assert!(last.contains("received SIGTERM: stopping"), "{err}");
    // Log lines start with an RFC 3339 time.
    assert!(
        homelabcmd_proto::time::parse_rfc3339(&last[..20]).is_some(),
        "{last}"
    );
    assert!(Path::new(&env.state().join("state.json")).is_file());
}
