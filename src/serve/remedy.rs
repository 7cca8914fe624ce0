//! The hub's remediation thread: woken when alerts open (and on every alert tick, so an action
//! held back by a pause or a stagger runs once it may), it runs the `auto` actions that are
//! due through the exec core, on its own store connection and its own small runtime, so a
//! slow SSH connection delays neither heartbeats nor alert evaluation.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use crate::fleet::{self, Snapshot, SourceOptions};
use crate::remedy::run::{self, Reach};
use crate::remote::known_hosts::KnownHosts;
use crate::store::Store;

/// Wakes the remediation thread; waking one that was never started does nothing.
#[derive(Clone)]
pub(crate) struct Remedy {
    tx: mpsc::Sender<()>,
}

impl Remedy {
    pub(crate) fn channel() -> (Self, mpsc::Receiver<()>) {
        let (tx, rx) = mpsc::channel();
        (Self { tx }, rx)
    }

    pub(crate) fn wake(&self) {
        let _ = self.tx.send(());
    }
}

/// Where the fleet and the store are.
pub(crate) struct Places {
    pub(crate) source: SourceOptions,
    pub(crate) cwd: PathBuf,
    pub(crate) db: PathBuf,
}

/// Run due actions each time it is woken (and every minute), until every `Remedy` is dropped.
pub(crate) fn spawn(rx: mpsc::Receiver<()>, places: Places) {
    let spawned = std::thread::Builder::new()
        .name("actions".into())
        .spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                tracing::error!("actions: cannot start a runtime");
                return;
            };
            loop {
                match rx.recv_timeout(Duration::from_secs(60)) {
                    Ok(()) | Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
                while rx.try_recv().is_ok() {}
                if let Err(e) = runtime.block_on(run_due(&places)) {
                    tracing::error!(error = %e, "actions: running the due actions failed");
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "actions: cannot start its thread");
    }
}

#[derive(Debug, thiserror::Error)]
enum RemedyRunError {
    #[error(transparent)]
    Source(#[from] crate::fleet::source::SourceError),
    #[error(transparent)]
    Fleet(#[from] crate::fleet::LoadError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Remedy(#[from] crate::remedy::RemedyError),
}

/// Run what is due, reading the fleet only when something is.
async fn run_due(places: &Places) -> Result<(), RemedyRunError> {
    let store = Store::open(&places.db)?;
    if crate::store::actions::due(store.conn())
        .map_err(|e| store.error(&e))?
        .is_empty()
    {
        return Ok(());
    }
    let snapshot = Snapshot::open(&places.source, &places.cwd)?;
    let fleet = fleet::load(&snapshot)?;
    let (known, _) = KnownHosts::from_snapshot(&snapshot);
    let secrets = std::cell::OnceCell::new();
    let secret = |name: &str| crate::secrets::for_ssh(&secrets, &snapshot, name);
    let reach = Reach {
        fleet: &fleet,
        known: &known,
        secret: &secret,
        fleet_commit: snapshot.commit_id(),
    };
    run::run_due(&store, &reach, crate::clock::now().as_second()).await?;
    Ok(())
}
