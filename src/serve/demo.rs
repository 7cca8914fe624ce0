//! `homelabcmd demo`: a hub on 127.0.0.1 with a scratch database in a temporary directory,
//! the repository's fleet with simulated history (one server and one workstation fall silent
//! hours ago, so every state shows), and the real agent reporting this very machine as one
//! of the fleet's machines. On Ctrl-C the hub stops, the agent is reaped and the directory
//! is removed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::fleet::{self, Fleet, MachineType, Snapshot, SourceOptions};
use crate::monitor::simulate::{SimulateError, Simulator, Span};
use crate::monitor::token::HubKey;
use crate::store::Store;

/// How `demo` was asked to run.
#[derive(Debug)]
pub(crate) struct DemoOptions {
    pub(crate) port: u16,
    pub(crate) days: u32,
    pub(crate) source: SourceOptions,
    pub(crate) cwd: PathBuf,
}

/// A directory removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn create() -> Result<Self, Error> {
        let base = std::env::temp_dir();
        for n in 0..100u32 {
            let dir = base.join(format!("homelabcmd-demo-{}-{n}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(Self(dir)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(Error::config(format!(
                        "cannot create {}: {e}",
                        dir.display()
                    )));
                }
            }
        }
        Err(Error::config(format!(
            "cannot create a directory in {}",
            base.display()
        )))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) fn run(opts: DemoOptions) -> Result<(), Error> {
    let snapshot = Snapshot::open(&opts.source, &opts.cwd)?;
    let fleet = fleet::load(&snapshot)?;
    drop(snapshot);
    let Some(live) = fleet
        .machines
        .iter()
        .find(|m| m.kind == MachineType::Workstation)
        .or(fleet.machines.first())
        .map(|m| m.id.clone())
    else {
        return Err(Error::config("the fleet has no machines to show"));
    };
    let agent_bin = agent_binary();
    let scratch = Scratch::create()?;
    let db = scratch.0.join("homelab.db");
    let started = Instant::now();
    let (samples, simulators) = simulate_fleet(&fleet, &db, &live, opts.days)?;
    eprintln!(
        "demo: {samples} simulated samples ({} days, {} machines) in {:.1}s; scratch directory {}",
        opts.days,
        fleet.machines.len() - 1,
        started.elapsed().as_secs_f64(),
        scratch.0.display()
    );
    let token = HubKey::load(&scratch.0)
        .map_err(|e| Error::config(e.to_string()))?
        .token(&live);
    let agent: Arc<Mutex<Option<Child>>> = Arc::default();
    let stop_feeding = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let feeder = {
        let (db, stop) = (db.clone(), Arc::clone(&stop_feeding));
        std::thread::spawn(move || keep_alive(simulators, &db, &stop))
    };
    let ready = {
        let (agent, dir, db, live) = (Arc::clone(&agent), scratch.0.clone(), db.clone(), live);
        let source = opts.source.clone();
        move |addr: std::net::SocketAddr| {
            let url = format!("http://{addr}");
            match &agent_bin {
                Some(bin) => match start_agent(bin, &url, &token, &live, &dir) {
                    Ok(child) => {
                        *agent.lock().unwrap_or_else(|p| p.into_inner()) = Some(child);
                        wait_for_heartbeat(&db, &live);
                    }
                    Err(e) => eprintln!("demo: the agent did not start: {e}"),
                },
                None => eprintln!(
                    "demo: homelabcmd-agent is not built beside this binary; this machine will not report (cargo build --release -p homelabcmd-agent)"
                ),
            }
            print_status(&db, &source);
            println!(
                "\ndemo: open {url}/  (this machine reports as `{live}`; Ctrl-C stops and removes everything)"
            );
        }
    };
    let result = super::run(super::Options {
        addr: std::net::SocketAddr::from(([127, 0, 0, 1], opts.port)),
        agent_interval: Some(5),
        source: opts.source.clone(),
        cwd: opts.cwd,
        db,
        data_dir: scratch.0.clone(),
        fleet_poll: Duration::from_secs(30),
        client_timeout: Duration::from_secs(10),
        storm_window: Duration::ZERO,
        notify: false,
        alert_every: Duration::from_secs(10),
        sync: None,
        read: super::ReadOptions::default(),
        on_ready: Some(super::OnReady(Box::new(ready))),
    });
    if let Some(mut child) = agent.lock().unwrap_or_else(|p| p.into_inner()).take() {
        stop(&mut child);
    }
    stop_feeding.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = feeder.join();
    drop(scratch);
    result
}

/// 30 days (or `days`) for every machine but the live one; one server and one workstation
/// fall silent some hours ago. Returns the simulators of the machines that carry on.
fn simulate_fleet(
    fleet: &Fleet,
    db: &Path,
    live: &str,
    days: u32,
) -> Result<(u64, Vec<Simulator>), Error> {
    let mut store = Store::open(db)?;
    let now = crate::clock::now().as_second();
    let silent_server = fleet
        .machines
        .iter()
        .rev()
        .find(|m| m.kind == MachineType::Server)
        .map(|m| m.id.as_str());
    let silent_workstation = fleet
        .machines
        .iter()
        .rev()
        .find(|m| m.kind == MachineType::Workstation && m.id != live)
        .map(|m| m.id.as_str());
    let (mut total, mut going) = (0, Vec::new());
    for (n, m) in fleet
        .machines
        .iter()
        .enumerate()
        .filter(|(_, m)| m.id != live)
    {
        let silent = match Some(m.id.as_str()) {
            id if id == silent_server => Some(now - 2 * 3600),
            id if id == silent_workstation => Some(now - 5 * 3600),
            _ => None,
        };
        let span = Span {
            start: now - i64::from(days) * 86_400,
            end: silent.unwrap_or(now),
            step: 120,
            seed: 1 + n as u64 * 7919,
            one_by_one: false,
        };
        let mut sim = Simulator::new(m, span.seed);
        total += sim.fill(&mut store, span, now).map_err(simulate_error)?;
        if silent.is_none() {
            // Up to now, so that the machine is online from the start.
            let last = Span {
                start: now - now.rem_euclid(300) + 1,
                end: now,
                step: 15,
                ..span
            };
            total += sim.fill(&mut store, last, now).map_err(simulate_error)?;
            going.push(sim);
        }
    }
    Ok((total, going))
}

fn simulate_error(e: SimulateError) -> Error {
    match e {
        SimulateError::Store(e) => Error::from(e),
        e => Error::config(e.to_string()),
    }
}

/// Every 15 s, a sample for each simulated machine that is not silent, until `stop`.
fn keep_alive(mut simulators: Vec<Simulator>, db: &Path, stop: &std::sync::atomic::AtomicBool) {
    let mut last = crate::clock::now().as_second();
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(500));
        let now = crate::clock::now().as_second();
        if now - last < 15 {
            continue;
        }
        let Ok(mut store) = Store::open(db) else {
            continue;
        };
        for (n, sim) in simulators.iter_mut().enumerate() {
            let span = Span {
                start: last + 1,
                end: now,
                step: 15,
                seed: n as u64,
                one_by_one: false,
            };
            if let Err(e) = sim.fill(&mut store, span, now) {
                eprintln!("demo: simulating {} failed: {e}", sim.id());
            }
        }
        last = now;
    }
}

/// The agent beside this binary; run from cargo (`cargo run -- demo`), it is built first.
fn agent_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.with_file_name("homelabcmd-agent");
    if !bin.is_file()
        && let Some(cargo) = std::env::var_os("CARGO")
    {
        let release = exe.parent().is_some_and(|d| d.ends_with("release"));
        eprintln!("demo: building homelabcmd-agent for this machine's live heartbeats");
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "-q", "-p", "homelabcmd-agent"]);
        if release {
            cmd.arg("--release");
        }
        let _ = cmd.stdout(Stdio::null()).status();
    }
    bin.is_file().then_some(bin)
}

fn start_agent(bin: &Path, url: &str, token: &str, id: &str, dir: &Path) -> std::io::Result<Child> {
    let log = std::fs::File::create(dir.join("agent.log"))?;
    Command::new(bin)
        .env("HOMELAB_AGENT_HUB_URL", url)
        .env("HOMELAB_AGENT_API_KEY", token)
        .env("HOMELAB_AGENT_SERVER_ID", id)
        .env("HOMELAB_AGENT_HEARTBEAT_INTERVAL", "5")
        .env("HOMELAB_AGENT_STATE_DIR", dir.join("agent"))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
}

/// Wait (at most 20 s) until the live machine's first heartbeat is stored.
fn wait_for_heartbeat(db: &Path, id: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let seen = Store::open_existing(db)
            .ok()
            .flatten()
            .and_then(|s| s.machine_record(id).ok().flatten())
            .is_some_and(|r| r.last_seen.is_some());
        if seen {
            return;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    eprintln!("demo: no heartbeat from the agent yet; see its log in the scratch directory");
}

/// The `status` table of the demo's database, by this very binary.
fn print_status(db: &Path, source: &SourceOptions) {
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let mut cmd = Command::new(exe);
    cmd.arg("--db").arg(db);
    if let Some(repo) = &source.repo {
        cmd.arg("--repo").arg(repo);
    }
    if let Some(rev) = &source.rev {
        cmd.args(["--rev", rev]);
    }
    if source.worktree {
        cmd.arg("--worktree");
    }
    let _ = cmd.arg("status").stdin(Stdio::null()).status();
}

/// SIGTERM, then SIGKILL after 5 s; always reaped.
fn stop(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .stderr(Stdio::null())
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}
