//! `serve --sync-every`: follow the fleet repository's remote on an interval (ops::sync, the
//! same call as `homelabcmd sync`), and with `--apply-after-sync` apply the fleet after each
//! successful sync through compliance::run::apply — the pull-style GitOps loop, as cron's
//! `sync && apply --all --yes`. git and SSH run on a blocking thread (git with its own
//! timeout), so the hub's other work never waits; how it went is in the store for the page
//! and /metrics.

use std::sync::Arc;
use std::time::Duration;

use super::Hub;
use crate::compliance::check::{self, CheckState, Reach};
use crate::compliance::run::{self, ApplyOptions, ApplyState};
use crate::fleet::{self, Snapshot};
use crate::ops::sync::{self, SyncOptions, Synced};
use crate::remote::known_hosts::KnownHosts;
use crate::store::Store;
use crate::store::sync::SyncOutcome;

/// Machines checked and applied at once by the loop.
const CONCURRENCY: usize = 8;
/// How long installing packages may take on one machine (as `apply`'s default).
const PACKAGE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// How `serve` follows the remote.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SyncLoop {
    pub(crate) every: Duration,
    /// Apply the fleet after each successful sync.
    pub(crate) apply: bool,
}

/// Sync every `every`, one at a time, forever.
pub(super) async fn periodically(hub: Arc<Hub>, how: SyncLoop) {
    loop {
        tokio::time::sleep(how.every).await;
        let for_task = Arc::clone(&hub);
        let line = tokio::task::spawn_blocking(move || once(&for_task, how.apply))
            .await
            .unwrap_or_else(|e| format!("failed: {e}"));
        if line.starts_with("refused")
            || line.starts_with("failed")
            || line.contains("apply: failed")
        {
            tracing::warn!(outcome = %line, "fleet sync");
        } else {
            tracing::info!(outcome = %line, "fleet sync");
        }
    }
}

/// One sync (and apply); a line saying how it went, escaped.
fn once(hub: &Hub, apply: bool) -> String {
    let mut store = match Store::open(&hub.db) {
        Ok(s) => s,
        Err(e) => return format!("failed: {e}"),
    };
    let start = match &hub.source.repo {
        Some(dir) => hub.cwd.join(dir),
        None => hub.cwd.clone(),
    };
    let options = SyncOptions {
        remote: None,
        branch: None,
        timeout: sync::GIT_TIMEOUT,
        user: crate::audit::local_user(),
        now: crate::clock::now().as_second(),
    };
    let synced = match sync::sync(&store, &start, &options) {
        Ok(s) => s,
        Err(e) => return crate::text::escape_line(&format!("{}: {e}", e.outcome())),
    };
    let mut line = describe(&synced);
    if apply {
        line.push_str("; apply: ");
        line.push_str(&match apply_all(hub, &mut store) {
            Ok(said) => said,
            Err(e) => crate::text::escape_line(&format!("failed: {e}")),
        });
    }
    line
}

fn describe(s: &Synced) -> String {
    match s.outcome {
        SyncOutcome::Updated => format!(
            "{:.10} -> {:.10} ({} new commit(s))",
            s.old,
            s.new,
            s.pulled.len()
        ),
        _ => format!("up to date at {:.10}", s.new),
    }
}

/// Why the loop's apply could not run at all.
#[derive(Debug, thiserror::Error)]
enum ApplyAllError {
    #[error(transparent)]
    Source(#[from] crate::fleet::source::SourceError),
    #[error(transparent)]
    Fleet(#[from] crate::fleet::LoadError),
    #[error(transparent)]
    Check(#[from] check::CheckError),
    #[error(transparent)]
    Apply(#[from] run::ApplyError),
}

/// Check every machine against the packs at HEAD and apply where they drift, as
/// `apply --all --yes` does; a summary of the outcome.
fn apply_all(hub: &Hub, store: &mut Store) -> Result<String, ApplyAllError> {
    let dir = hub.db.parent().filter(|p| !p.as_os_str().is_empty());
    let _lock = match crate::compliance::lock::hold(dir.unwrap_or(std::path::Path::new("."))) {
        Ok(file) => file,
        Err(e) => return Ok(format!("skipped: {e}")),
    };
    let snapshot = Snapshot::open(&hub.source, &hub.cwd)?;
    let fleet = fleet::load(&snapshot)?;
    let (known, _) = KnownHosts::from_snapshot(&snapshot);
    let secrets = std::cell::OnceCell::new();
    let secret = |name: &str| crate::secrets::for_ssh(&secrets, &snapshot, name);
    let reach = Reach {
        snapshot: &snapshot,
        fleet: &fleet,
        known: &known,
        secret: &secret,
    };
    let all: Vec<&fleet::Machine> = fleet.machines.iter().collect();
    let runtime = tokio::runtime::Handle::current();
    let mut checked = runtime.block_on(check::check(&reach, &all, CONCURRENCY))?;
    if !checked.iter().any(|c| c.state == CheckState::Drift) {
        return Ok("nothing to apply".into());
    }
    let options = ApplyOptions {
        concurrency: CONCURRENCY,
        package_timeout: PACKAGE_TIMEOUT,
        plan_id: run::plan_id(&checked),
        user: crate::audit::local_user(),
        now: crate::clock::now().as_second(),
    };
    let applied = runtime.block_on(run::apply(&reach, store, &mut checked, &options))?;
    let mut counts: Vec<(ApplyState, usize)> = Vec::new();
    for a in &applied {
        match counts.iter_mut().find(|(s, _)| *s == a.state()) {
            Some((_, n)) => *n += 1,
            None => counts.push((a.state(), 1)),
        }
    }
    let parts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
    Ok(parts.join(", "))
}
