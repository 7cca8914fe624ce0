//! The agent's footprint beside Prometheus' node_exporter (Debian's prometheus-node-exporter)
//! on the same machine in the same run: resident memory, CPU over a measured period, binary
//! size. Run: `cargo bench -p homelabcmd-agent --bench footprint` (PERIOD_SECS, INTERVAL_SECS
//! in the environment change the defaults of 60 and 5).
//!
//! Both do the same work at the same rate: the agent takes a sample every INTERVAL seconds and
//! posts it to a stand-in hub (a loopback listener answering 200, so only the agent's cost is
//! measured); node_exporter is scraped every INTERVAL seconds, as Prometheus would.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NODE_EXPORTER: &str = "/usr/bin/prometheus-node-exporter";

fn main() {
    let period: u64 = env_or("PERIOD_SECS", 60);
    let interval: u64 = env_or("INTERVAL_SECS", 5);
    let agent_bin = env!("CARGO_BIN_EXE_homelabcmd-agent");
    if !std::path::Path::new(NODE_EXPORTER).exists() {
        eprintln!("{NODE_EXPORTER} is missing: apt-get install prometheus-node-exporter");
        std::process::exit(1);
    }

    // The stand-in hub.
    let hub = TcpListener::bind("127.0.0.1:0").unwrap();
    let hub_port = hub.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in hub.incoming().flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });

    let state = std::env::temp_dir().join(format!("footprint-agent-{}", std::process::id()));
    let agent = Command::new(agent_bin)
        .env(
            "HOMELAB_AGENT_HUB_URL",
            format!("http://127.0.0.1:{hub_port}"),
        )
        .env("HOMELAB_AGENT_API_KEY", "x".repeat(64))
        .env("HOMELAB_AGENT_SERVER_ID", "bench")
        .env("HOMELAB_AGENT_HEARTBEAT_INTERVAL", interval.to_string())
        .env("HOMELAB_AGENT_STATE_DIR", &state)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ne_port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let exporter = Command::new(NODE_EXPORTER)
        .arg(format!("--web.listen-address=127.0.0.1:{ne_port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

    // Warm up: the agent's first sample reads the apt cache (a child process), node_exporter
    // its first scrape.
    std::thread::sleep(Duration::from_secs(3));
    scrape(ne_port);
    std::thread::sleep(Duration::from_secs(interval));
    let (a0, e0) = (cpu(&agent), cpu(&exporter));
    let start = Instant::now();
    let mut scrapes = 0;
    let mut bytes = 0;
    while start.elapsed() < Duration::from_secs(period) {
        bytes += scrape(ne_port);
        scrapes += 1;
        std::thread::sleep(Duration::from_secs(interval));
    }
    let secs = start.elapsed().as_secs_f64();
    let (a1, e1) = (cpu(&agent), cpu(&exporter));
    let (a_rss, e_rss) = (rss(&agent), rss(&exporter));
    for mut c in [agent, exporter] {
        let _ = c.kill();
        let _ = c.wait();
    }
    let _ = std::fs::remove_dir_all(&state);

    let size = |p: &str| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let version = Command::new(NODE_EXPORTER)
        .arg("--version")
        .output()
        .unwrap();
    let version = String::from_utf8_lossy(if version.stdout.is_empty() {
        &version.stderr
    } else {
        &version.stdout
    });
    let version = version.lines().next().unwrap_or("").to_string();
    println!(
        "period {secs:.0} s, one sample / scrape every {interval} s ({scrapes} scrapes, {} KiB each)",
        bytes / scrapes.max(1) / 1024
    );
    println!("node_exporter: {version}");
    println!("| | homelabcmd-agent | node_exporter |\n|---|---|---|");
    println!(
        "| resident memory (VmRSS, end) | {:.1} MiB | {:.1} MiB |",
        a_rss.0 as f64 / 1024.0,
        e_rss.0 as f64 / 1024.0
    );
    println!(
        "| peak resident memory (VmHWM) | {:.1} MiB | {:.1} MiB |",
        a_rss.1 as f64 / 1024.0,
        e_rss.1 as f64 / 1024.0
    );
    println!(
        "| CPU time in the period (own) | {:.0} ms ({:.3} % of a core) | {:.0} ms ({:.3} % of a core) |",
        a1.0 - a0.0,
        (a1.0 - a0.0) / secs / 10.0,
        e1.0 - e0.0,
        (e1.0 - e0.0) / secs / 10.0
    );
    println!(
        "| CPU time of child processes (apt-get, systemctl) | {:.0} ms | {:.0} ms |",
        a1.1 - a0.1,
        e1.1 - e0.1
    );
    println!(
        "| binary size | {:.1} MiB | {:.1} MiB |",
        size(agent_bin) as f64 / 1048576.0,
        size(NODE_EXPORTER) as f64 / 1048576.0
    );
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Read one HTTP request and answer it like the hub.
fn answer(stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let reply = r#"{"accepted":1,"duplicates":0,"services":[],"interval_secs":0}"#;
        let _ = write!(
            writer,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{reply}",
            reply.len()
        );
    }
}

/// GET /metrics; the bytes received.
fn scrape(port: u16) -> usize {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    buf.len()
}

/// (own CPU ms, children's CPU ms) from /proc/PID/stat.
fn cpu(child: &Child) -> (f64, f64) {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", child.id())).unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // Fields 14-17 of stat (utime, stime, cutime, cstime) are 11-14 after the state field.
    let tick = 10.0; // ms per clock tick (USER_HZ = 100)
    ((f[11] + f[12]) * tick, (f[13] + f[14]) * tick)
}

/// (VmRSS, VmHWM) in KiB.
fn rss(child: &Child) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let get = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (get("VmRSS:"), get("VmHWM:"))
}
