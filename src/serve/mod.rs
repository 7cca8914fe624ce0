//! `homelabcmd serve`: the hub. An axum server on tokio takes heartbeats; a single writer
//! thread stores them (group commit); the fleet is re-read when its commit changes; old data
//! is rolled up and pruned in the background. SIGTERM or Ctrl-C stops it cleanly.

mod alerts;
mod api;
pub(crate) mod demo;
pub(crate) mod health;
mod heartbeat;
mod listen;
mod metrics;
mod page;
mod read;
mod recheck;
mod remedy;
pub(crate) mod sync;
mod writer;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};

use crate::error::Error;
use crate::fleet::{self, Fleet, Snapshot, SourceOptions};
use crate::monitor::token::{HubKey, TokenIndex};
use crate::store::Store;
use writer::Writer;

/// The largest request body accepted (an agent's buffer arrives in slices of 500 samples).
pub(crate) const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// How `serve` was asked to run.
#[derive(Debug)]
pub(crate) struct Options {
    pub(crate) addr: SocketAddr,
    /// Told to agents in every reply; None lets each agent keep its own interval.
    pub(crate) agent_interval: Option<u64>,
    pub(crate) source: SourceOptions,
    pub(crate) cwd: PathBuf,
    pub(crate) db: PathBuf,
    /// Where the hub's key lives (beside the database).
    pub(crate) data_dir: PathBuf,
    /// How often the fleet repository is checked for a new commit.
    pub(crate) fleet_poll: Duration,
    /// How long a client may take to send a request's headers, and again its body; an idle
    /// keep-alive connection is closed after it too.
    pub(crate) client_timeout: Duration,
    /// Alerts arriving within this window go to a target as one message.
    pub(crate) storm_window: Duration,
    /// Deliver notifications to the fleet's targets (off for `demo`, whose alerts are made up).
    pub(crate) notify: bool,
    /// What the page, the API and /metrics may show, and their read token.
    pub(crate) read: read::ReadOptions,
    /// Called once with the bound address, on a thread of its own (the demo starts its agent).
    pub(crate) on_ready: Option<OnReady>,
    /// How often the clock's alert rules run (offline, stale, drift, reminders).
    pub(crate) alert_every: Duration,
    /// Follow the fleet repository's remote (`--sync-every`), and apply after (off: None).
    pub(crate) sync: Option<sync::SyncLoop>,
}

/// A callback for the bound address.
pub(crate) struct OnReady(pub(crate) Box<dyn FnOnce(SocketAddr) + Send>);

impl std::fmt::Debug for OnReady {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnReady")
    }
}

pub(crate) use read::ReadOptions;

/// What the handlers share.
pub(crate) struct Hub {
    key: HubKey,
    writer: Writer,
    alerts: alerts::Alerts,
    fleet: RwLock<Arc<FleetView>>,
    agent_interval: Option<u64>,
    /// How long a request's body may take to arrive.
    client_timeout: Duration,
    /// Where the fleet and the store are, for background compliance checks.
    source: SourceOptions,
    cwd: PathBuf,
    db: PathBuf,
    /// Workstations being checked right now.
    checking: std::sync::Mutex<std::collections::HashSet<String>>,
    /// The read routes' connection to the store, and their options.
    reader: read::Reader,
    read: read::ReadOptions,
}

/// What the hub needs of the fleet: each machine's expected services.
#[derive(Debug, Default)]
pub(crate) struct FleetView {
    commit: Option<String>,
    machines: HashMap<String, Vec<String>>,
    /// Workstations with packs, and how long they may be silent before they count as away.
    workstations: HashMap<String, Duration>,
    /// Each machine's token, to find whose a token is without an HMAC per machine.
    tokens: TokenIndex,
    /// The whole fleet, for the read routes.
    model: Arc<Fleet>,
    /// Each machine's alert rules.
    alerts: Arc<crate::alerts::rules::FleetRules>,
}

impl FleetView {
    fn of(commit: Option<String>, fleet: &Fleet, key: &HubKey) -> Self {
        Self {
            model: Arc::new(fleet.clone()),
            tokens: key.index(fleet.machines.iter().map(|m| &m.id)),
            alerts: Arc::new(crate::alerts::rules::FleetRules::of(fleet)),
            commit,
            machines: fleet
                .machines
                .iter()
                .map(|m| (m.id.clone(), m.services.clone()))
                .collect(),
            workstations: fleet
                .machines
                .iter()
                .filter(|m| m.kind == crate::fleet::MachineType::Workstation && !m.packs.is_empty())
                .map(|m| (m.id.clone(), fleet.offline_after(m)))
                .collect(),
        }
    }
}

impl Hub {
    fn fleet(&self) -> Arc<FleetView> {
        self.fleet
            .read()
            .map(|f| Arc::clone(&f))
            .unwrap_or_default()
    }
}

/// Run the hub until SIGTERM/SIGINT.
pub(crate) fn run(mut opts: Options) -> Result<(), Error> {
    let on_ready = opts.on_ready.take();
    let snapshot = Snapshot::open(&opts.source, &opts.cwd)?;
    let fleet = fleet::load(&snapshot)?;
    let described = snapshot.describe();
    let commit = snapshot.commit_id();
    let targets = if opts.notify {
        crate::notify::resolve(&fleet, &snapshot)
    } else {
        Vec::new()
    };
    drop(snapshot);

    let store = Store::open(&opts.db)?;
    store.check()?;
    store.set_durable()?;
    let key = HubKey::load(&opts.data_dir).map_err(|e| {
        let hints = e.hints();
        Error::config(e.to_string()).hints(hints)
    })?;
    let view = FleetView::of(commit, &fleet, &key);
    let key_source = key.source.clone();
    let (writer, writer_thread) = Writer::start(store);
    let alerts_store = Store::open(&opts.db)?;
    alerts_store.set_durable()?;
    let (remedy, remedy_rx) = remedy::Remedy::channel();
    let (alerts, alerts_thread) = alerts::Alerts::start(alerts_store, remedy);
    let hub = Arc::new(Hub {
        key,
        writer,
        alerts,
        fleet: RwLock::new(Arc::new(view)),
        agent_interval: opts.agent_interval,
        client_timeout: opts.client_timeout,
        source: opts.source.clone(),
        cwd: opts.cwd.clone(),
        db: opts.db.clone(),
        checking: std::sync::Mutex::new(std::collections::HashSet::new()),
        reader: read::Reader::new(opts.db.clone()),
        read: opts.read.clone(),
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::config(format!("cannot start the async runtime: {e}")))?;
    let result = runtime.block_on(async {
        let stop = shutdown_signal();
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|e| Error::config(format!("cannot listen on {}: {e}", opts.addr)))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::config(format!("cannot read the listening address: {e}")))?;
        println!(
            "homelabcmd serve: listening on {local} ({} machines from {described}; database {}; agent tokens from {key_source})",
            fleet.machines.len(),
            opts.db.display(),
        );
        if let Some(OnReady(ready)) = on_ready {
            std::thread::spawn(move || ready(local));
        }
        tokio::spawn(watch_fleet(Arc::clone(&hub), opts.source.clone(), opts.cwd.clone(), opts.fleet_poll));
        tokio::spawn(prune_periodically(Arc::clone(&hub)));
        if opts.notify {
            start_notify(&opts, targets)?;
            // Remediation too is off for the demo, whose alerts are made up.
            remedy::spawn(
                remedy_rx,
                remedy::Places {
                    source: opts.source.clone(),
                    cwd: opts.cwd.clone(),
                    db: opts.db.clone(),
                },
            );
        }
        tokio::spawn(alerts::tick_periodically(Arc::clone(&hub), opts.alert_every));
        if let Some(how) = opts.sync {
            tokio::spawn(sync::periodically(Arc::clone(&hub), how));
        }
        let app = Router::new()
            .route(homelabcmd_proto::HEARTBEAT_PATH, post(heartbeat::post))
            .route("/healthz", get(|| async { "ok\n" }))
            .merge(read::routes(&hub))
            .with_state(Arc::clone(&hub));
        listen::serve(listener, app, opts.client_timeout, stop).await;
        Ok(())
    });
    runtime.shutdown_timeout(Duration::from_secs(5));
    drop(hub);
    let _ = writer_thread.join();
    let _ = alerts_thread.join();
    tracing::info!("homelabcmd serve: stopped");
    result
}

/// Start delivering the outbox to the fleet's notification targets (read at start).
fn start_notify(opts: &Options, targets: Vec<crate::notify::Target>) -> Result<(), Error> {
    for t in &targets {
        if let Err(e) = &t.url {
            tracing::warn!(target_name = %t.name, error = %e, "a notify target cannot be used");
        }
    }
    let external_url = std::env::var(crate::notify::EXTERNAL_URL_ENV)
        .ok()
        .filter(|v| !v.trim().is_empty());
    let notify = crate::notify::Options {
        db: opts.db.clone(),
        storm_window: opts.storm_window,
        external_url,
    };
    crate::notify::spawn(notify, targets)
        .map_err(|e| Error::config(format!("cannot start notifications: {e}")))
}

/// Re-read the fleet when its commit changes; an invalid new fleet keeps the old one.
async fn watch_fleet(hub: Arc<Hub>, source: SourceOptions, cwd: PathBuf, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let known = hub.fleet().commit.clone();
        let (source, cwd, for_key) = (source.clone(), cwd.clone(), Arc::clone(&hub));
        let reloaded = tokio::task::spawn_blocking(move || -> Result<Option<FleetView>, String> {
            let snapshot = Snapshot::open(&source, &cwd).map_err(|e| e.to_string())?;
            let commit = snapshot.commit_id();
            if commit.is_some() && commit == known {
                return Ok(None);
            }
            let fleet = fleet::load(&snapshot).map_err(|e| e.to_string())?;
            Ok(Some(FleetView::of(commit, &fleet, &for_key.key)))
        })
        .await;
        match reloaded {
            Ok(Ok(Some(view))) => {
                tracing::info!(
                    commit = view.commit.as_deref().unwrap_or("-"),
                    machines = view.machines.len(),
                    "fleet reloaded"
                );
                if let Ok(mut slot) = hub.fleet.write() {
                    *slot = Arc::new(view);
                }
            }
            Ok(Ok(None)) => {}
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "the new fleet is invalid; keeping the previous one")
            }
            Err(e) => tracing::warn!(error = %e, "fleet reload failed"),
        }
    }
}

async fn prune_periodically(hub: Arc<Hub>) {
    loop {
        hub.writer.prune(crate::clock::now().as_second());
        tokio::time::sleep(Duration::from_secs(600)).await;
    }
}

/// Resolves on SIGTERM or Ctrl-C. The SIGTERM handler is installed when this is called, so
/// call it before announcing the address: a SIGTERM that arrives early still stops cleanly.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::select! {
            _ = ctrl_c => {}
            _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
        }
    }
}
