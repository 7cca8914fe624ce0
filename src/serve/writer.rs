//! The store's single writer: a thread that owns the write connection and commits what
//! arrives together in one transaction (group commit), so each `fsync` serves many
//! heartbeats. A request is answered only after its transaction committed.

use std::sync::mpsc;

use tokio::sync::oneshot;

use crate::store::Store;
use crate::store::metrics::{Ingest, Stored};

/// How many requests one transaction may carry.
const MAX_BATCH: usize = 256;

pub(crate) enum Job {
    Ingest(Ingest, oneshot::Sender<Result<Stored, String>>),
    /// Roll up and drop old data, a slice at a time.
    Prune {
        now: i64,
    },
}

/// A handle to send jobs to the writer thread.
#[derive(Clone)]
pub(crate) struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Start the writer thread; it ends when every `Writer` is dropped.
    pub(crate) fn start(mut store: Store) -> (Self, std::thread::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel::<Job>();
        let handle = std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || {
                while let Ok(first) = rx.recv() {
                    let mut batch = Vec::new();
                    let mut prune = None;
                    let mut take = |job: Job| match job {
                        Job::Ingest(item, reply) => batch.push((item, reply)),
                        Job::Prune { now } => prune = Some(now),
                    };
                    take(first);
                    for _ in 1..MAX_BATCH {
                        match rx.try_recv() {
                            Ok(job) => take(job),
                            Err(_) => break,
                        }
                    }
                    if !batch.is_empty() {
                        let (items, replies): (Vec<Ingest>, Vec<_>) = batch.into_iter().unzip();
                        match store.ingest(&items) {
                            Ok(results) => {
                                for (reply, result) in replies.into_iter().zip(results) {
                                    let _ = reply.send(Ok(result));
                                }
                            }
                            Err(e) => {
                                tracing::error!(error = %e, "storing heartbeats failed");
                                for reply in replies {
                                    let _ = reply.send(Err(e.to_string()));
                                }
                            }
                        }
                    }
                    if let Some(now) = prune {
                        loop {
                            match store.prune(now, 200) {
                                Ok(200) => continue,
                                Ok(n) => {
                                    if n > 0 {
                                        tracing::info!(blocks = n, "pruned: rolled up hour blocks");
                                    }
                                    break;
                                }
                                Err(e) => {
                                    tracing::error!(error = %e, "pruning failed");
                                    break;
                                }
                            }
                        }
                    }
                }
            })
            .expect("spawn the store writer thread");
        (Self { tx }, handle)
    }

    /// Store one request's samples; resolves once they are committed.
    pub(crate) async fn ingest(&self, item: Ingest) -> Result<Stored, String> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Job::Ingest(item, reply))
            .map_err(|_| "the store writer has stopped".to_string())?;
        answer
            .await
            .map_err(|_| "the store writer has stopped".to_string())?
    }

    pub(crate) fn prune(&self, now: i64) {
        let _ = self.tx.send(Job::Prune { now });
    }
}
