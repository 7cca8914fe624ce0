//! Benchmarks of the hub's read side (`cargo bench --bench page`), for BENCHMARKS.md: 50
//! machines with 30 days of history at a 60 s interval (`debug-fill`), then against `serve`
//! on loopback: the time to answer the fleet page, a machine page with 30-day charts,
//! `/metrics` and `/api/v1/status` (each a fresh connection, as a browser's first load), the
//! fleet page's weight beside the API's JSON for the same fleet, headless Chromium's time to
//! load the fleet page beside an empty page, and the hub's resident memory.

#[path = "common/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{BIN, commit_repo, ms, pct, small_fleet, time};

const MACHINES: usize = 50;

fn get(port: u16, path: &str) -> (u16, usize) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or(0, |(_, b)| b.len());
    (status, body)
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn chromium_ms(url: &str) -> Vec<std::time::Duration> {
    let profile =
        std::env::temp_dir().join(format!("homelabcmd-bench-chromium-{}", std::process::id()));
    time(5, || {
        let _ = std::fs::remove_dir_all(&profile);
        let out = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--dump-dom",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(url)
            .stderr(Stdio::null())
            .output()
            .expect("chromium");
        assert!(out.status.success());
    })
}

fn main() {
    let root = std::env::temp_dir().join(format!("homelabcmd-bench-page-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let repo = root.join("fleet");
    commit_repo(&repo, &[("fleet.yaml".into(), small_fleet(MACHINES))]);
    let db = root.join("page.db");
    let t = Instant::now();
    let fill = Command::new(BIN)
        .args([
            "debug-fill",
            "--db",
            db.to_str().unwrap(),
            "--machines",
            &MACHINES.to_string(),
            "--days",
            "30",
            "--interval",
            "60",
        ])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert!(
        fill.status.success(),
        "{}",
        String::from_utf8_lossy(&fill.stderr)
    );
    println!(
        "## status page, API and /metrics\n{MACHINES} machines x 30 days at 60 s ({} samples) filled in {:.0} s",
        MACHINES * 43_200,
        t.elapsed().as_secs_f64()
    );

    // The fill took a while: a last hour so that every machine is online when the hub starts.
    let top_up = Command::new(BIN)
        .args([
            "debug-fill",
            "--db",
            db.to_str().unwrap(),
            "--machines",
            &MACHINES.to_string(),
            "--days",
            "1",
            "--interval",
            "60",
            "--seed",
            "2",
        ])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert!(top_up.status.success());
    let (mut hub, port) = common::start_serve(&repo, &db, &[]);
    let idle = rss_kib(hub.id());

    println!("\n| request | p50 | p95 | body |\n|---|---|---|---|");
    for path in [
        "/",
        "/m/host-000?range=24h",
        "/m/host-000?range=30d",
        "/compliance",
        "/metrics",
        "/api/v1/status",
    ] {
        let (status, size) = get(port, path);
        assert_eq!(status, 200, "{path}");
        let samples = time(30, || {
            get(port, path);
        });
        println!(
            "| `GET {path}` | {} | {} | {:.1} KB |",
            ms(pct(&samples, 0.5)),
            ms(pct(&samples, 0.95)),
            size as f64 / 1000.0
        );
    }
    let busy = rss_kib(hub.id());
    let page = chromium_ms(&format!("http://127.0.0.1:{port}/"));
    let blank = chromium_ms("about:blank");
    println!(
        "\nheadless Chromium, whole process (start, load, dump the DOM): fleet page p50 {}, about:blank p50 {} (peer: the difference is the page's share)",
        ms(pct(&page, 0.5)),
        ms(pct(&blank, 0.5))
    );
    println!(
        "hub resident memory: {:.1} MiB idle after start, {:.1} MiB after the requests above",
        idle as f64 / 1024.0,
        busy as f64 / 1024.0
    );
    let _ = hub.kill();
    let _ = hub.wait();
    let _ = std::fs::remove_dir_all(&root);
}
