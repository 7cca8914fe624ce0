//! Shared by the benchmarks: a generated fleet repository, timing helpers, a keep-alive HTTP
//! client.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_homelabcmd");

/// Write `files` into `dir` and commit them with the system git.
pub(crate) fn commit_repo(dir: &Path, files: &[(String, String)]) {
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &["commit", "-qm", "generated fleet"],
    ] {
        let ok = Command::new("git")
            .args([
                "-c",
                "user.name=bench",
                "-c",
                "user.email=bench@example.invalid",
            ])
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    }
}

/// A fleet of `n` servers `host-000`… with two services each.
pub(crate) fn small_fleet(n: usize) -> String {
    let mut fleet = String::from("version: 1\nmachines:\n");
    for i in 0..n {
        fleet.push_str(&format!(
            "  host-{i:03}:\n    address: host-{i:03}.lan\n    services: [ssh, cron]\n"
        ));
    }
    fleet
}

/// Whether `program` is on the PATH (a peer that is not installed is skipped).
pub(crate) fn which(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Run `f` 5 times to warm up, then `runs` times; the samples, sorted.
pub(crate) fn time(runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    for _ in 0..5 {
        f();
    }
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    samples.sort();
    samples
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

pub(crate) fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// An HTTP/1.1 connection kept alive across requests.
pub(crate) struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    pub(crate) fn connect(port: u16) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_nodelay(true).unwrap();
        Self {
            writer: stream.try_clone().unwrap(),
            reader: BufReader::new(stream),
        }
    }

    /// POST and read the whole response; the status code.
    pub(crate) fn post(&mut self, path: &str, token: &str, body: &[u8]) -> u16 {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        self.writer.write_all(head.as_bytes()).unwrap();
        self.writer.write_all(body).unwrap();
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).unwrap();
        status
    }
}

/// Start `homelabcmd serve` on 127.0.0.1 and a free port for the fleet in `repo` and the
/// database `db`, with `args` added; the child and the port it announced.
pub(crate) fn start_serve(repo: &Path, db: &Path, args: &[&str]) -> (std::process::Child, u16) {
    let mut serve = Command::new(BIN)
        .args([
            "--db",
            db.to_str().unwrap(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
        ])
        .args(args)
        .current_dir(repo)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(serve.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let port = first
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .expect("serve announces its address");
    (serve, port)
}
