//! Alerts end to end (`cargo bench --bench alerts`, for BENCHMARKS.md): the real `serve` on
//! loopback with 50 machines and a webhook target served by this bench. Measured:
//! - threshold latency: from the moment a heartbeat that crosses a threshold is answered to
//!   the moment the webhook receives the alert (raise_after 1, storm window 0);
//! - offline detection: from a server's last heartbeat to the webhook receiving its offline
//!   alert, against the target of `offline_after` + 10 s.

#[path = "common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{BIN, Client, commit_repo, ms, pct, small_fleet};

const MACHINES: usize = 50;
const OFFLINE_AFTER: u64 = 20;

/// What the webhook received: when, for which machine, which rule and transition.
type Seen = Arc<Mutex<Vec<(Instant, String, String, String)>>>;

/// A webhook on 127.0.0.1 that answers 200 and notes each alert it receives.
fn receiver() -> (u16, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: Seen = Arc::default();
    let notes = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0usize;
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let at = Instant::now();
            let _ = (&stream)
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let Ok(doc) = serde_json::from_slice::<serde_json::Value>(&body) else {
                continue;
            };
            let transition = doc["transition"].as_str().unwrap_or("").to_string();
            for e in doc["events"].as_array().into_iter().flatten() {
                let text = |k: &str| e[k].as_str().unwrap_or("").to_string();
                notes.lock().unwrap().push((
                    at,
                    text("machine_id"),
                    text("rule"),
                    transition.clone(),
                ));
            }
        }
    });
    (port, seen)
}

fn heartbeat(machine: &str, time: i64, disk_percent: u64) -> Vec<u8> {
    let t = homelabcmd_proto::time::format_rfc3339(time);
    let size: u64 = 107_374_182_400;
    let used = size / 100 * disk_percent;
    format!(
        r#"{{"machine_id":"{machine}","agent_version":"0.1.0","seq":{time},"samples":[{{"time":"{t}","cpu_percent":12.5,"memory":{{"total":16777216000,"used":4000000000,"available":12000000000,"swap_total":0,"swap_used":0}},"filesystems":[{{"mount":"/","fs_type":"ext4","device":"/dev/sda1","size":{size},"used":{used},"available":{}}}],"network":[{{"name":"eth0","rx_bytes":1000,"tx_bytes":1000}}],"load":{{"one":0.5,"five":0.4,"fifteen":0.3}},"uptime_secs":1234567,"os":{{"distribution":"Debian GNU/Linux","version":"12","kernel":"6.1.0-26-amd64","arch":"x86_64","hostname":"{machine}"}},"updates":{{"status":"ok","manager":"apt","pending":0,"security":0,"cache_age_secs":7200}},"services":[{{"name":"ssh.service","active_state":"active","sub_state":"running"}},{{"name":"cron.service","active_state":"active","sub_state":"running"}}],"docker":{{"available":false}}}}]}}"#,
        size - used,
    )
    .into_bytes()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Wait until `f` holds, for at most `secs`.
fn wait(secs: u64, mut f: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

fn main() {
    let (hook, seen) = receiver();
    let root = std::env::temp_dir().join(format!("homelabcmd-bench-alerts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let repo = root.join("fleet");
    let fleet = small_fleet(MACHINES).replace(
        "version: 1\n",
        &format!(
            "version: 1\ndefaults:\n  offline_after: {OFFLINE_AFTER}s\n  alerts: {{ raise_after: 1, clear_after: 1 }}\n  notify:\n    - webhook: http://127.0.0.1:{hook}/hook\n"
        ),
    );
    commit_repo(&repo, &[("fleet.yaml".into(), fleet)]);
    let db = root.join("alerts.db");
    let (mut serve, port) =
        common::start_serve(&repo, &db, &["--storm-window", "0", "--alert-every", "1"]);
    let tokens: Vec<String> = (0..MACHINES)
        .map(|i| {
            let out = Command::new(BIN)
                .args([
                    "agent",
                    "token",
                    &format!("host-{i:03}"),
                    "--db",
                    db.to_str().unwrap(),
                ])
                .current_dir(&repo)
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        })
        .collect();
    let mut client = Client::connect(port);
    let t0 = now();
    for (i, token) in tokens.iter().enumerate() {
        let body = heartbeat(&format!("host-{i:03}"), t0, 40);
        assert_eq!(client.post("/api/v1/heartbeat", token, &body), 200);
    }

    // Threshold latency: one machine at a time crosses its disk threshold.
    let mut latencies = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let id = format!("host-{i:03}");
        let body = heartbeat(&id, t0 + 1, 95);
        assert_eq!(client.post("/api/v1/heartbeat", token, &body), 200);
        let answered = Instant::now();
        let arrived = wait(30, || {
            seen.lock()
                .unwrap()
                .iter()
                .any(|(_, m, r, _)| *m == id && r == "disk")
        });
        assert!(arrived, "no disk alert for {id} within 30 s");
        let at = seen
            .lock()
            .unwrap()
            .iter()
            .find(|(_, m, r, _)| *m == id && r == "disk")
            .map(|(at, ..)| *at)
            .unwrap();
        latencies.push(at.saturating_duration_since(answered));
    }
    let last_heartbeat = Instant::now();
    latencies.sort();

    // Offline detection: every machine is now silent.
    let all_offline = wait(OFFLINE_AFTER + 60, || {
        seen.lock()
            .unwrap()
            .iter()
            .filter(|(_, _, r, t)| r == "offline" && t == "opened")
            .count()
            >= MACHINES
    });
    let offline: Vec<Duration> = {
        let mut v: Vec<Duration> = seen
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, _, r, t)| r == "offline" && t == "opened")
            .map(|(at, ..)| at.saturating_duration_since(last_heartbeat))
            .collect();
        v.sort();
        v
    };
    let _ = Command::new("kill")
        .args(["-TERM", &serve.id().to_string()])
        .status();
    let _ = serve.wait();
    let _ = std::fs::remove_dir_all(&root);

    println!("## alerts: 50 machines, a webhook on loopback, raise_after 1, storm window 0");
    println!("| what | p50 | p95 | max | target |\n|---|---|---|---|---|");
    println!(
        "| heartbeat over a threshold answered → webhook received ({} alerts) | {} | {} | {} | p95 < 1 s |",
        latencies.len(),
        ms(pct(&latencies, 0.5)),
        ms(pct(&latencies, 0.95)),
        ms(*latencies.last().unwrap())
    );
    if all_offline {
        println!(
            "| last heartbeat → offline alert received ({} servers, offline_after {OFFLINE_AFTER} s) | {} | {} | {} | < {} s |",
            offline.len(),
            ms(pct(&offline, 0.5)),
            ms(pct(&offline, 0.95)),
            ms(*offline.last().unwrap()),
            OFFLINE_AFTER + 10
        );
    } else {
        println!(
            "| offline alerts | only {} of {MACHINES} arrived within {} s | | | |",
            offline.len(),
            OFFLINE_AFTER + 60
        );
    }
}
