//! The agent's install, upgrade and removal on many machines: the one call `agent install`,
//! `agent upgrade` and `agent remove` make (and `serve` could). Machines are worked on in
//! parallel (`remote::fanout::each_bounded`), each alone on its own connection and timeouts;
//! each gets one audit entry as soon as it finishes, and the progress is told as it goes.
//! Then the agents just (re)started are waited for until their first heartbeat reaches the
//! hub.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use super::arch::Binaries;
use super::heartbeat::{self, Heartbeat};
use super::layout::Layout;
use super::machine::{self, BinaryCache, Work, Worked};
use super::{Init, Installed, OpsError, Verb};
use crate::audit::{self, Action, AuditRecord, CapturedOutput, Redacted};
use crate::exec::targets::{self, Timeouts};
use crate::fleet::{Fleet, Machine};
use crate::monitor::token::HubKey;
use crate::progress::Progress;
use crate::remote::RemoteError;
use crate::remote::fanout;
use crate::remote::known_hosts::KnownHosts;
use crate::store::{Store, StoreError};

/// What to do where.
pub(crate) struct Request<'a> {
    pub(crate) verb: Verb,
    pub(crate) fleet: &'a Fleet,
    /// The machines, in the order the results are wanted.
    pub(crate) machines: &'a [&'a Machine],
    pub(crate) known: &'a KnownHosts,
    pub(crate) timeouts: Timeouts,
    /// Machines worked on at once.
    pub(crate) concurrency: usize,
    /// Resolves `secret:NAME` values (SSH keys, sudo passwords).
    pub(crate) secret: &'a dyn Fn(&str) -> Result<Arc<String>, RemoteError>,
    pub(crate) fleet_commit: Option<String>,
    /// Where the agent goes (`/` normally); `{machine}` in it is replaced by the machine's id.
    pub(crate) root: &'a str,
    pub(crate) init: Init,
    pub(crate) binaries: Binaries,
    /// For install and upgrade: the hub's URL the agents push to, and its key (each
    /// machine's token is derived from it).
    pub(crate) hub: Option<(&'a str, &'a HubKey)>,
    /// How long to wait for the first heartbeat of each agent (re)started; None: no wait.
    pub(crate) wait: Option<Duration>,
    pub(crate) progress: &'a dyn Progress,
}

/// One machine's outcome.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub(crate) machine: String,
    pub(crate) result: Result<Installed, OpsError>,
    pub(crate) heartbeat: Heartbeat,
}

/// How it went.
#[derive(Debug)]
pub(crate) struct Report {
    /// One per machine, in the request's order.
    pub(crate) outcomes: Vec<Outcome>,
    /// The first audit entry that could not be written, if any.
    pub(crate) audit_failure: Option<StoreError>,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum RunError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no hub URL for the agents to push to")]
    NoHub,
}

/// Do `req` on its machines, audit each in `store`, wait for the heartbeats.
///
/// The future holds `store` across awaits, so it is not `Send`: drive it with `block_on`.
pub(crate) async fn run(req: &Request<'_>, store: &Store) -> Result<Report, RunError> {
    if req.verb != Verb::Remove && req.hub.is_none() {
        return Err(RunError::NoHub);
    }
    let before = heartbeat::last_seen(store)?;
    let user = audit::local_user();
    let mut outcomes: HashMap<String, Outcome> = HashMap::new();
    let mut audit_failure = None;
    req.progress.start(req.machines.len() as u64);
    let mut tasks = Vec::new();
    let cache = BinaryCache::default();
    for m in req.machines {
        match work(req, m, &cache) {
            Ok(w) => tasks.push((m.id.clone(), machine::work(w))),
            Err(e) => {
                outcomes.insert(m.id.clone(), outcome(&m.id, Err(e)));
                req.progress.step(&m.id);
            }
        }
    }
    let secrets = secrets(req);
    fanout::each_bounded(tasks, req.concurrency, |id, joined| {
        let worked = joined.unwrap_or_else(|why| Worked {
            result: Err(OpsError::Remote(RemoteError::Ssh(why))),
            output: Vec::new(),
            exit: None,
        });
        let record = record(req, &id, &worked, &secrets);
        let now = crate::clock::now().as_second();
        if let Err(e) = store.audit_append(&record, now, &user) {
            audit_failure.get_or_insert(e);
        }
        req.progress.step(&id);
        outcomes.insert(id.clone(), outcome(&id, worked.result));
    })
    .await;
    req.progress.finish();
    if let Some(timeout) = req.wait {
        wait(store, &mut outcomes, &before, timeout).await?;
    }
    let outcomes = req
        .machines
        .iter()
        .filter_map(|m| outcomes.remove(&m.id))
        .collect();
    Ok(Report {
        outcomes,
        audit_failure,
    })
}

fn outcome(machine: &str, result: Result<Installed, OpsError>) -> Outcome {
    Outcome {
        machine: machine.to_string(),
        result,
        heartbeat: Heartbeat::NotAwaited,
    }
}

/// One machine's task.
fn work(req: &Request<'_>, m: &Machine, cache: &BinaryCache) -> Result<Work, OpsError> {
    let target = targets::target(req.fleet, m, req.known, req.timeouts, req.secret)?;
    let layout = Layout::for_machine(req.root, &m.id)?;
    let config = req
        .hub
        .map(|(url, key)| Arc::new(layout.config_text(url, &key.token(&m.id), &m.id)));
    Ok(Work {
        verb: req.verb,
        target,
        layout,
        init: req.init,
        binaries: req.binaries.clone(),
        cache: Arc::clone(cache),
        config,
    })
}

/// The values scrubbed from the audit trail: every machine's token.
fn secrets(req: &Request<'_>) -> Vec<String> {
    req.hub.map_or_else(Vec::new, |(_, key)| {
        req.machines.iter().map(|m| key.token(&m.id)).collect()
    })
}

/// The machine's audit entry: what was asked, what changed, the scripts' output (tokens
/// scrubbed; they never are in it, but a machine's shell could echo anything).
fn record(req: &Request<'_>, machine: &str, worked: &Worked, secrets: &[String]) -> AuditRecord {
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let what = match &worked.result {
        Ok(i) => format!(
            "agent {} ({}, root {}): {}",
            req.verb.as_str(),
            i.uname,
            req.root.replace("{machine}", machine),
            i.change
        ),
        Err(e) => format!("agent {}: {e}", req.verb.as_str()),
    };
    let mut output = CapturedOutput::new();
    output.push(
        Redacted::scrub(&String::from_utf8_lossy(&worked.output), &secrets)
            .as_str()
            .as_bytes(),
    );
    AuditRecord {
        action: Action::Agent,
        machine: Some(machine.to_string()),
        name: req.verb.as_str().to_string(),
        command: Redacted::scrub(&what, &secrets),
        exit_code: worked.exit,
        duration: worked.result.as_ref().ok().map(|i| i.duration),
        output,
        fleet_commit: req.fleet_commit.clone(),
    }
}

/// Wait for the heartbeat of every agent (re)started.
async fn wait(
    store: &Store,
    outcomes: &mut HashMap<String, Outcome>,
    before: &HashMap<String, Option<i64>>,
    timeout: Duration,
) -> Result<(), StoreError> {
    let mut awaited: Vec<String> = outcomes
        .values()
        .filter(|o| {
            o.result
                .as_ref()
                .is_ok_and(|i| i.change.changed() && i.after.is_some())
        })
        .map(|o| o.machine.clone())
        .collect();
    awaited.sort();
    if awaited.is_empty() {
        return Ok(());
    }
    let seen = heartbeat::wait(store, &awaited, before, timeout).await?;
    for (id, hb) in awaited.iter().zip(seen) {
        if let Some(o) = outcomes.get_mut(id) {
            o.heartbeat = hb;
            if hb == Heartbeat::Missing {
                o.result = Err(OpsError::NoHeartbeat {
                    secs: timeout.as_secs(),
                });
            }
        }
    }
    Ok(())
}
