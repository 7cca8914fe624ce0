//! Benchmarks of the hub (`cargo bench --bench hub`), printed for BENCHMARKS.md:
//! - storage: bytes per machine-month at a 60 s interval (a simulated month, stored one
//!   heartbeat at a time through the real ingest path);
//! - `homelabcmd status` for 50 machines with 30 days of data, whole process;
//! - ingest: heartbeats/s and latency from a loopback load generator against `serve`, beside
//!   the floor: the same rows inserted with rusqlite directly by as many threads, group
//!   committed by one writer thread the way `serve`'s writer does.

#[path = "common/mod.rs"]
mod common;

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{BIN, Client, commit_repo, ms, pct, small_fleet, time};

const MACHINES: usize = 50;
const CLIENTS: usize = 16;
const LOAD_SECS: u64 = 10;

fn main() {
    let root = std::env::temp_dir().join(format!("homelabcmd-bench-hub-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let repo = root.join("fleet");
    commit_repo(&repo, &[("fleet.yaml".into(), small_fleet(MACHINES))]);
    let hl = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(args)
            .current_dir(&repo)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };

    // Storage.
    let db = root.join("storage.db");
    let t = Instant::now();
    hl(&[
        "debug-fill",
        "--db",
        db.to_str().unwrap(),
        "--machines",
        "1",
        "--days",
        "30",
        "--one-by-one",
    ]);
    let fill = t.elapsed();
    let size = std::fs::metadata(&db).unwrap().len()
        + std::fs::metadata(root.join("storage.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!(
        "## storage\n43,200 samples (30 days at 60 s), stored one heartbeat per transaction in {:.1} s",
        fill.as_secs_f64()
    );
    println!(
        "bytes per machine-month: {size} ({:.2} MB, {:.1} bytes per sample)\n",
        size as f64 / 1e6,
        size as f64 / 43_200.0
    );

    // Status over 50 machines with 30 days of data.
    let db = root.join("status.db");
    hl(&[
        "debug-fill",
        "--db",
        db.to_str().unwrap(),
        "--machines",
        &MACHINES.to_string(),
        "--days",
        "30",
    ]);
    let db_size = std::fs::metadata(&db).unwrap().len();
    let status = |args: &[&str]| {
        time(30, || {
            let ok = Command::new(BIN)
                .args(args)
                .args(["--db", db.to_str().unwrap()])
                .current_dir(&repo)
                .stdout(Stdio::null())
                .status()
                .unwrap()
                .success();
            assert!(ok);
        })
    };
    let table = status(&["status"]);
    let json = status(&["status", "-o", "json"]);
    let history = status(&["history", "host-000", "--since", "30d"]);
    println!(
        "## status: {MACHINES} machines, 30 days of data ({:.1} MB database), 30 runs",
        db_size as f64 / 1e6
    );
    println!("| command | min | median | p90 |\n|---|---|---|---|");
    for (what, s) in [
        ("`homelabcmd status`", &table),
        ("`homelabcmd status -o json`", &json),
        (
            "`homelabcmd history host-000 --since 30d` (43,200 points)",
            &history,
        ),
    ] {
        println!(
            "| {what} | {} | {} | {} |",
            ms(s[0]),
            ms(pct(s, 0.5)),
            ms(pct(s, 0.9))
        );
    }
    println!();

    // Ingest under load.
    let db = root.join("ingest.db");
    let (mut serve, port) = common::start_serve(&repo, &db, &[]);
    let tokens: Vec<String> = (0..MACHINES)
        .map(|i| {
            hl(&[
                "agent",
                "token",
                &format!("host-{i:03}"),
                "--db",
                db.to_str().unwrap(),
            ])
            .trim()
            .to_string()
        })
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(LOAD_SECS);
    let workers: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let tokens = tokens.clone();
            let latencies = Arc::clone(&latencies);
            std::thread::spawn(move || {
                let mut client = Client::connect(port);
                let mut mine = Vec::new();
                let mut i = 0i64;
                while Instant::now() < deadline {
                    let m = (c + CLIENTS * (i as usize % (MACHINES / CLIENTS + 1))) % MACHINES;
                    let t = now - 20_000 + i;
                    let body = heartbeat(&format!("host-{m:03}"), t);
                    let sent = Instant::now();
                    let status = client.post("/api/v1/heartbeat", &tokens[m], &body);
                    mine.push(sent.elapsed());
                    assert_eq!(status, 200);
                    i += 1;
                }
                latencies.lock().unwrap().extend(mine);
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let elapsed = started.elapsed();
    let _ = Command::new("kill")
        .args(["-TERM", &serve.id().to_string()])
        .status();
    let _ = serve.wait();
    let mut lat = latencies.lock().unwrap().clone();
    lat.sort();
    let rate = lat.len() as f64 / elapsed.as_secs_f64();
    println!(
        "## ingest: {CLIENTS} keep-alive clients, {MACHINES} machines, one sample per heartbeat, {LOAD_SECS} s"
    );
    println!("| what | heartbeats/s | p50 | p99 |\n|---|---|---|---|");
    println!(
        "| `homelabcmd serve` | {rate:.0} | {} | {} |",
        ms(pct(&lat, 0.5)),
        ms(pct(&lat, 0.99))
    );

    // The floor: the same rows into SQLite directly, by the same 16 clients, each waiting for
    // its commit, through one writer thread that groups what arrives together into one
    // transaction exactly as the hub's writer does (take one, then up to 255 more waiting).
    for sync in ["NORMAL", "FULL"] {
        let (rate, lat) = floor(&root.join(format!("floor-{sync}.db")), sync, now);
        println!(
            "| floor: rusqlite, {CLIENTS} threads, group commit as the hub's writer, synchronous={sync} | {rate:.0} | {} | {} |",
            ms(pct(&lat, 0.5)),
            ms(pct(&lat, 0.99))
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// A row to store and where to say it is committed.
type Job = (String, i64, String, std::sync::mpsc::Sender<()>);

/// The floor: `CLIENTS` threads for `LOAD_SECS` each send (machine, time, JSON) rows to one
/// writer thread and wait for the commit; the writer groups like `serve`'s (src/serve/writer.rs).
/// Heartbeats/s and the sorted latencies as the clients saw them.
fn floor(path: &std::path::Path, sync: &str, now: i64) -> (f64, Vec<Duration>) {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = {sync};
         CREATE TABLE samples (machine TEXT, time INTEGER, sample TEXT, PRIMARY KEY (machine, time));"
    ))
    .unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let writer = std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            let mut batch = vec![first];
            while batch.len() < 256 {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            let t = conn.transaction().unwrap();
            for (m, time, body, _) in &batch {
                t.prepare_cached("INSERT OR IGNORE INTO samples VALUES (?1, ?2, ?3)")
                    .unwrap()
                    .execute(rusqlite::params![m, time, body])
                    .unwrap();
            }
            t.commit().unwrap();
            for (.., done) in batch {
                let _ = done.send(());
            }
        }
    });
    let started = Instant::now();
    let deadline = started + Duration::from_secs(LOAD_SECS);
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                let mut i = 0i64;
                while Instant::now() < deadline {
                    let m = (c + CLIENTS * (i as usize % (MACHINES / CLIENTS + 1))) % MACHINES;
                    let machine = format!("host-{m:03}");
                    let t = now - 20_000 + i;
                    let body = String::from_utf8(heartbeat(&machine, t)).unwrap();
                    let sent = Instant::now();
                    let (done, committed) = std::sync::mpsc::channel();
                    tx.send((machine, t, body, done)).unwrap();
                    committed.recv().unwrap();
                    mine.push(sent.elapsed());
                    i += 1;
                }
                mine
            })
        })
        .collect();
    drop(tx);
    let mut lat: Vec<Duration> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    let elapsed = started.elapsed();
    writer.join().unwrap();
    lat.sort();
    (lat.len() as f64 / elapsed.as_secs_f64(), lat)
}

/// A heartbeat the size of a real agent's (two filesystems, two interfaces, services).
fn heartbeat(machine: &str, time: i64) -> Vec<u8> {
    let t = homelabcmd_proto::time::format_rfc3339(time);
    format!(
        r#"{{"machine_id":"{machine}","agent_version":"0.1.0","seq":{time},"samples":[{{"time":"{t}","cpu_percent":{cpu},"memory":{{"total":16777216000,"used":{used},"available":8000000000,"swap_total":2147483648,"swap_used":0}},"filesystems":[{{"mount":"/","fs_type":"ext4","device":"/dev/sda1","size":107374182400,"used":{du},"available":50000000000}},{{"mount":"/srv","fs_type":"xfs","device":"/dev/sdb1","size":4398046511104,"used":3000000000000,"available":1398046511104}}],"network":[{{"name":"eth0","rx_bytes":{rx},"tx_bytes":{tx}}},{{"name":"tailscale0","rx_bytes":123456,"tx_bytes":654321}}],"load":{{"one":0.52,"five":0.40,"fifteen":0.33}},"uptime_secs":1234567,"os":{{"distribution":"Debian GNU/Linux","version":"12","kernel":"6.1.0-26-amd64","arch":"x86_64","hostname":"{machine}"}},"updates":{{"status":"ok","manager":"apt","pending":3,"security":1,"cache_age_secs":7200}},"services":[{{"name":"ssh.service","active_state":"active","sub_state":"running"}},{{"name":"cron.service","active_state":"active","sub_state":"running"}}],"docker":{{"available":false}}}}]}}"#,
        cpu = (time % 97) as f64 / 1.3,
        used = 6_000_000_000 + (time % 1000) * 1_000_000,
        du = 40_000_000_000 + time % 100_000,
        rx = 1_000_000_000 + time * 1000,
        tx = 100_000_000 + time * 100,
    )
    .into_bytes()
}
