//! The hub's alert evaluator: a thread with its own store connection that judges each stored
//! heartbeat's newest sample and, on a timer, the clock's rules (offline, stale, drift,
//! reminders). Heartbeats are answered without waiting for it; it never delays ingest.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use homelabcmd_proto::Sample;

use crate::alerts::evaluate::{Evaluator, Outcome};
use crate::alerts::rules::FleetRules;
use crate::store::Store;

enum Job {
    Heartbeat {
        rules: Arc<FleetRules>,
        machine: String,
        sample: Box<Sample>,
    },
    Tick {
        rules: Arc<FleetRules>,
    },
}

/// A handle to the evaluator thread; it ends when every handle is dropped.
#[derive(Clone)]
pub(crate) struct Alerts {
    tx: mpsc::Sender<Job>,
}

impl Alerts {
    /// Start the evaluator; it wakes `remedy` when alerts open and on every tick.
    pub(crate) fn start(
        mut store: Store,
        remedy: super::remedy::Remedy,
    ) -> (Self, std::thread::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel::<Job>();
        let handle = std::thread::Builder::new()
            .name("alerts".into())
            .spawn(move || {
                let mut evaluator = Evaluator::default();
                while let Ok(job) = rx.recv() {
                    let now = crate::clock::now().as_second();
                    let ticked = matches!(job, Job::Tick { .. });
                    let result = match job {
                        Job::Heartbeat {
                            rules,
                            machine,
                            sample,
                        } => match rules.machines.get(&machine) {
                            Some(m) => evaluator.heartbeat(&mut store, m, &sample, now),
                            None => Ok(Outcome::default()),
                        },
                        Job::Tick { rules } => crate::alerts::tick::tick(&mut store, &rules, now),
                    };
                    match result {
                        Ok(outcome) => {
                            log(&outcome);
                            // Deliver what was just queued now, not at the next poll (a tick
                            // may have queued reminders, which the outcome does not count).
                            if ticked || !outcome.opened.is_empty() || !outcome.resolved.is_empty()
                            {
                                crate::notify::wake();
                            }
                            if ticked || !outcome.opened.is_empty() {
                                remedy.wake();
                            }
                        }
                        Err(e) => tracing::error!(error = %e, "evaluating alerts failed"),
                    }
                }
            })
            .expect("spawn the alerts thread");
        (Self { tx }, handle)
    }

    /// Judge the newest sample of a heartbeat just stored.
    pub(crate) fn heartbeat(&self, rules: Arc<FleetRules>, machine: String, sample: Sample) {
        let _ = self.tx.send(Job::Heartbeat {
            rules,
            machine,
            sample: Box::new(sample),
        });
    }

    fn tick(&self, rules: Arc<FleetRules>) {
        let _ = self.tx.send(Job::Tick { rules });
    }
}

fn log(outcome: &Outcome) {
    for alert in &outcome.opened {
        tracing::info!(alert, "alert opened");
    }
    for alert in &outcome.resolved {
        tracing::info!(alert, "alert resolved");
    }
}

/// Run the clock's rules every `every`.
pub(crate) async fn tick_periodically(hub: Arc<super::Hub>, every: Duration) {
    loop {
        hub.alerts.tick(Arc::clone(&hub.fleet().alerts));
        tokio::time::sleep(every).await;
    }
}
