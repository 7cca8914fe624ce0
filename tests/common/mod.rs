//! `TestEnv`: a temporary fleet repository (real git), its own HOME and database, a fixed
//! clock, and a cleared environment, so each test runs the binary hermetically.

#![allow(dead_code)]

pub(crate) mod receiver;
pub(crate) mod sshd;

use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_homelabcmd");

/// A minimal valid fleet: one server with the `base` pack.
pub(crate) const FLEET: &str = "\
version: 1
machines:
  web1:
    address: web1.lan
    packs: [base]
";

pub(crate) const BASE_PACK: &str = "\
description: the base pack
files:
  - { path: ~/.bashrc, source: files/bashrc, mode: \"0644\" }
packages:
  - curl: \">= 7.88\"
";

pub(crate) struct TestEnv {
    _tmp: tempfile::TempDir,
    pub(crate) repo: PathBuf,
    pub(crate) home: PathBuf,
    pub(crate) now: String,
}

/// What a run of the binary did.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// Assert the exit code, printing both streams when it differs.
    pub(crate) fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code, expected,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl TestEnv {
    /// An empty repository directory (not yet a git repository).
    pub(crate) fn empty() -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let repo = tmp.path().join("fleet");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&repo).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        Self {
            _tmp: tmp,
            repo,
            home,
            now: "2026-11-25T12:00:00Z".into(),
        }
    }

    /// A git repository holding `files`, committed.
    pub(crate) fn with_files(files: &[(&str, &str)]) -> Self {
        let env = Self::empty();
        env.git(&["init", "-q", "-b", "main"]);
        for (path, text) in files {
            env.write(path, text);
        }
        env.commit("initial fleet");
        env
    }

    /// The minimal valid fleet, committed.
    pub(crate) fn fleet() -> Self {
        Self::with_files(&[
            ("fleet.yaml", FLEET),
            ("packs/base.yaml", BASE_PACK),
            ("packs/files/bashrc", "# bashrc\n"),
        ])
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.repo.join(rel)
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub(crate) fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.repo.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Run the system's git in the repository; panics on failure.
    pub(crate) fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.invalid",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&self.repo)
            .env("HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Commit everything; returns the new commit id.
    /// `homelabcmd secrets set NAME` with `value` typed on its stdin (never in arguments).
    pub(crate) fn set_secret(&self, name: &str, value: &str) {
        use std::io::Write;
        let mut set = self.cmd(&["secrets", "set", name]);
        set.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = set.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(value.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "secrets set {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub(crate) fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// A command for the binary with a cleared environment, HOME and clock fixed, run from
    /// the repository.
    pub(crate) fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(&self.repo)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("HOMELABCMD_NOW", &self.now)
            .env("NO_COLOR", "1");
        cmd
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        run(self.cmd(args))
    }

    pub(crate) fn run_in(&self, dir: &Path, args: &[&str]) -> Run {
        let mut cmd = self.cmd(args);
        cmd.current_dir(dir);
        run(cmd)
    }
}

pub(crate) fn run(mut cmd: Command) -> Run {
    let out = cmd.output().expect("homelabcmd runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A running `homelabcmd serve` on 127.0.0.1, stopped (SIGTERM, then SIGKILL) when dropped.
pub(crate) struct Hub {
    pub(crate) child: std::process::Child,
    pub(crate) port: u16,
    pub(crate) stdout: std::sync::mpsc::Receiver<String>,
}

impl Hub {
    /// Start the hub from the env's repository; `now` fixes its clock (None: real time).
    pub(crate) fn start(env: &TestEnv, now: Option<&str>, args: &[&str]) -> Hub {
        Hub::start_with(env, now, args, &[])
    }

    /// [`Hub::start`] with extra environment variables (the read token).
    pub(crate) fn start_with(
        env: &TestEnv,
        now: Option<&str>,
        args: &[&str],
        vars: &[(&str, &str)],
    ) -> Hub {
        let mut cmd = env.cmd(&["serve", "--host", "127.0.0.1"]);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        cmd.args(args);
        if !args.contains(&"--port") {
            cmd.args(["--port", "0"]);
        }
        match now {
            Some(t) => cmd.env("HOMELABCMD_NOW", t),
            None => cmd.env_remove("HOMELABCMD_NOW"),
        };
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().expect("serve starts");
        let out = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let first = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("serve prints its address");
        let port = first
            .split("listening on 127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {first:?}"));
        Hub {
            child,
            port,
            stdout: rx,
        }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// POST a heartbeat body with a bearer token; (status, body).
    pub(crate) fn post(&self, token: Option<&str>, body: &[u8]) -> (u16, String) {
        http_post(self.port, "/api/v1/heartbeat", token, body)
    }

    /// Stop with SIGTERM and wait; panics if it does not stop within 10 s.
    pub(crate) fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..100 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("serve did not stop on SIGTERM");
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 POST over a fresh connection: (status, body).
pub(crate) fn http_post(port: u16, path: &str, token: Option<&str>, body: &[u8]) -> (u16, String) {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("Authorization", auth));
    }
    http_post_with(port, path, &headers, body)
}

/// A minimal HTTP/1.1 POST with these headers (and Host, Content-Length, Connection: close).
pub(crate) fn http_post_with(
    port: u16,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect to the hub");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let extra: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    // A server may answer (413) and close before reading a large body.
    let _ = stream.write_all(body);
    read_answer(&mut stream)
}

/// Read a whole HTTP/1.1 answer (the server closes): (status, body). Status 0: the connection
/// closed without one.
pub(crate) fn read_answer(stream: &mut std::net::TcpStream) -> (u16, String) {
    use std::io::Read;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// One plausible sample at `time` (RFC 3339) as JSON.
pub(crate) fn sample(time: &str, cpu: f64) -> serde_json::Value {
    serde_json::json!({
        "time": time,
        "cpu_percent": cpu,
        "memory": {"total": 8u64 << 30, "used": 3u64 << 30, "available": 5u64 << 30, "swap_total": 1u64 << 30, "swap_used": 0},
        "filesystems": [{"mount": "/", "fs_type": "ext4", "device": "/dev/sda1", "size": 100u64 << 30, "used": 40u64 << 30, "available": 60u64 << 30}],
        "network": [{"name": "eth0", "rx_bytes": 1_000_000, "tx_bytes": 200_000}],
        "load": {"one": 0.5, "five": 0.4, "fifteen": 0.3},
        "uptime_secs": 86_400,
        "os": {"distribution": "Debian GNU/Linux", "version": "12", "kernel": "6.1.0", "arch": "x86_64", "hostname": "h"},
        "updates": {"status": "ok", "manager": "apt", "pending": 2, "security": 1, "cache_age_secs": 600},
        "services": [],
        "docker": {"available": false}
    })
}

/// A heartbeat body for `machine` with `samples`.
pub(crate) fn heartbeat(machine: &str, samples: Vec<serde_json::Value>) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "machine_id": machine, "agent_version": "test", "seq": 1, "samples": samples
    }))
    .unwrap()
}

/// Set a moving clock file (`HOMELABCMD_NOW=@file`) to `unix`, atomically: a hub reading it
/// mid-write would otherwise see an empty file and fall back to the real time.
pub(crate) fn set_clock(file: &Path, unix: i64) {
    let tmp = file.with_extension("tmp");
    std::fs::write(&tmp, unix.to_string()).unwrap();
    std::fs::rename(&tmp, file).unwrap();
}
