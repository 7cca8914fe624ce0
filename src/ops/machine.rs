//! One machine's agent work, on one SSH connection: probe what is there, then install,
//! upgrade or remove only what differs. Every step runs through sudo, so a refused sudo
//! stops the work at the probe, before anything changed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::arch::{Arch, Binaries};
use super::layout::Layout;
use super::script::{self, Probe};
use super::{Change, Init, Installed, OpsError, Verb};
use crate::compliance::apply::record;
use crate::compliance::plan::sha256_hex;
use crate::remote::session::{Connection, Output, Target};

/// The agent binaries read so far, by architecture (each is read once per run).
pub(crate) type BinaryCache = Arc<Mutex<HashMap<Arch, Arc<Vec<u8>>>>>;

/// What one machine's task needs; owned, so that it runs in its own task.
#[derive(Debug, Clone)]
pub(crate) struct Work {
    pub(crate) verb: Verb,
    pub(crate) target: Target,
    pub(crate) layout: Layout,
    pub(crate) init: Init,
    pub(crate) binaries: Binaries,
    pub(crate) cache: BinaryCache,
    /// The config file's text (holds the token); None for `remove`.
    pub(crate) config: Option<Arc<String>>,
}

/// What one machine's task did: the outcome, and the scripts' output for the audit trail.
#[derive(Debug)]
pub(crate) struct Worked {
    pub(crate) result: Result<Installed, OpsError>,
    pub(crate) output: Vec<u8>,
    pub(crate) exit: Option<i32>,
}

pub(crate) async fn work(w: Work) -> Worked {
    let start = Instant::now();
    let mut log = Vec::new();
    let mut exit = None;
    let result = match Connection::open(&w.target).await {
        Err(e) => Err(OpsError::Remote(e)),
        Ok(conn) => {
            let r = on(&conn, &w, &mut log, &mut exit).await;
            conn.close().await;
            r
        }
    };
    Worked {
        result: result.map(|mut i| {
            i.duration = start.elapsed();
            i
        }),
        output: log,
        exit,
    }
}

async fn on(
    conn: &Connection,
    w: &Work,
    log: &mut Vec<u8>,
    exit: &mut Option<i32>,
) -> Result<Installed, OpsError> {
    let probed = checked(
        conn.run(&script::probe(&w.layout), true).await?,
        "probe",
        log,
    )?;
    *exit = Some(0);
    let probe = Probe::parse(&probed.stdout);
    let mut done = Installed {
        uname: probe.uname.clone(),
        init: None,
        before: probe.version(),
        after: None,
        change: Change::Unchanged,
        duration: Default::default(),
    };
    match w.verb {
        Verb::Remove => {
            if !probe.installed_anything() && probe.running.is_none() {
                done.change = Change::NotInstalled;
                return Ok(done);
            }
            let out = conn.run(&script::remove(&w.layout), true).await?;
            *exit = out.exit.map(|e| e as i32);
            checked(out, "remove", log)?;
            done.change = Change::Removed;
            Ok(done)
        }
        Verb::Upgrade if probe.bin.is_none() => {
            done.change = Change::NotInstalled;
            Ok(done)
        }
        Verb::Upgrade if done.before.as_deref() == Some(super::VERSION) => {
            done.after = done.before.clone();
            done.change = Change::UpToDate;
            Ok(done)
        }
        Verb::Install | Verb::Upgrade => install(conn, w, &probe, done, log, exit).await,
    }
}

/// Write the files that differ, then make sure the service runs.
async fn install(
    conn: &Connection,
    w: &Work,
    probe: &Probe,
    mut done: Installed,
    log: &mut Vec<u8>,
    exit: &mut Option<i32>,
) -> Result<Installed, OpsError> {
    let arch = Arch::from_uname(&probe.uname)
        .ok_or_else(|| super::arch::BinaryError::Unsupported(probe.uname.clone()))?;
    let systemd = match w.init {
        Init::Systemd => true,
        Init::None => false,
        Init::Auto if probe.systemd => true,
        Init::Auto => return Err(OpsError::NoSystemd),
    };
    if systemd && !probe.systemctl {
        return Err(OpsError::NoSystemctl);
    }
    done.init = Some(if systemd { Init::Systemd } else { Init::None });
    let binary = binary(w, arch)?;
    let config = w.config.as_deref().map_or("", |c| c.as_str());
    let unit = w.layout.unit_text();
    let mut input = Vec::new();
    let mut files = 0;
    let mut add = |bytes: &[u8], have: &Option<String>, mode: u32, path: &str| {
        let sum = sha256_hex(bytes);
        if have.as_deref() == Some(sum.as_str()) {
            return Ok(());
        }
        files += 1;
        record(
            &mut input,
            'F',
            Some((bytes, &sum)),
            Some(mode),
            Some("root"),
            path,
        )
    };
    add(&binary, &probe.bin, 0o755, &w.layout.bin())?;
    add(config.as_bytes(), &probe.config, 0o600, &w.layout.config())?;
    if systemd {
        add(unit.as_bytes(), &probe.unit, 0o644, &w.layout.unit())?;
    }
    let running = probe.running.as_deref() == Some(if systemd { "systemd" } else { "process" });
    done.after = Some(super::VERSION.to_string());
    if files == 0 && running {
        done.change = Change::Unchanged;
        return Ok(done);
    }
    let text = script::install(
        &w.layout,
        if systemd { "systemd" } else { "none" },
        files > 0,
    );
    let out = conn
        .run_with_input(&text, true, input, w.target.command_timeout)
        .await?;
    *exit = out.exit.map(|e| e as i32);
    checked(out, "install", log)?;
    done.change = match (w.verb, probe.bin.is_some()) {
        (Verb::Upgrade, _) => Change::Upgraded,
        (_, false) => Change::Installed,
        (_, true) if files > 0 => Change::Updated,
        (_, true) => Change::Started,
    };
    Ok(done)
}

/// The binary for `arch`, read once per run.
fn binary(w: &Work, arch: Arch) -> Result<Arc<Vec<u8>>, OpsError> {
    if let Some(b) = w.cache.lock().ok().and_then(|c| c.get(&arch).cloned()) {
        return Ok(b);
    }
    let bytes = Arc::new(w.binaries.read(arch)?);
    if let Ok(mut cache) = w.cache.lock() {
        cache.insert(arch, Arc::clone(&bytes));
    }
    Ok(bytes)
}

/// A script's output kept for the audit trail; a non-zero exit is an error naming the step.
fn checked(out: Output, step: &'static str, log: &mut Vec<u8>) -> Result<Output, OpsError> {
    log.extend_from_slice(&out.stdout);
    log.extend_from_slice(&out.stderr);
    if out.exit == Some(0) {
        return Ok(out);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(OpsError::Script {
        step,
        exit: out.exit,
        detail: stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no error output")
            .to_string(),
    })
}

/// Only look: what the probe finds on the machine (for `agent status --probe`).
pub(crate) async fn look(target: Target, layout: Layout) -> Result<Probe, OpsError> {
    let conn = Connection::open(&target).await?;
    let out = conn.run(&script::probe(&layout), true).await;
    conn.close().await;
    let out = checked(out?, "probe", &mut Vec::new())?;
    Ok(Probe::parse(&out.stdout))
}
