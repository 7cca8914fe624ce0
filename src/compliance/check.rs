//! Checking machines against their packs: build each machine's probe (what its packs want),
//! run them all over SSH at once, and compare. Shared by `diff`, `apply` and `serve` (which
//! checks a workstation when it comes back).

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::plan::{self, Mismatch, Wanted};
use super::probe;
use crate::exec::targets::{self, Timeouts};
use crate::fleet::{Fleet, Machine, MachineType, Snapshot};
use crate::remote::RemoteError;
use crate::remote::fanout::{Done, Job};
use crate::remote::known_hosts::KnownHosts;

/// One machine's result.
#[derive(Debug, Serialize)]
pub(crate) struct Checked {
    pub(crate) id: String,
    #[serde(rename = "type")]
    pub(crate) kind: MachineType,
    /// compliant, drift, or not_checked
    pub(crate) state: &'static str,
    pub(crate) packs: Vec<String>,
    pub(crate) mismatches: Vec<Mismatch>,
    pub(crate) error: Option<String>,
    #[serde(skip)]
    pub(crate) refused: bool,
    /// What the packs want and what the probe saw (for `apply`).
    #[serde(skip)]
    pub(crate) want: Option<Wanted>,
    #[serde(skip)]
    pub(crate) facts: Option<probe::Facts>,
}

/// The probes to run, and what is needed to finish once they ran.
pub(crate) struct Prepared {
    jobs: Vec<Job>,
    pending: Pending,
}

/// The machines waiting for their probe's answer, and those decided without one.
pub(crate) struct Pending {
    waiting: Vec<(Wanted, Checked)>,
    decided: Vec<Checked>,
    order: Vec<String>,
}

impl Prepared {
    pub(crate) fn split(self) -> (Vec<Job>, Pending) {
        (self.jobs, self.pending)
    }
}

/// What each machine's packs want, and the probe to send it.
pub(crate) fn prepare(
    snapshot: &Snapshot,
    fleet: &Fleet,
    machines: &[&Machine],
    known: &KnownHosts,
    secret: &dyn Fn(&str) -> Result<Arc<String>, RemoteError>,
) -> Result<Prepared, String> {
    let mut jobs = Vec::new();
    let mut waiting = Vec::new();
    let mut decided = Vec::new();
    for m in machines {
        let want = Wanted::of(fleet, snapshot, m)?;
        let base = Checked {
            id: m.id.clone(),
            kind: m.kind,
            state: "compliant",
            packs: want.packs.clone(),
            mismatches: Vec::new(),
            error: None,
            refused: false,
            want: None,
            facts: None,
        };
        if want.files.is_empty() && want.dirs.is_empty() && want.packages.is_empty() {
            decided.push(base);
            continue;
        }
        match targets::target(fleet, m, known, Timeouts::default(), secret) {
            Ok(target) => {
                jobs.push(Job {
                    target,
                    command: probe::script(&want.request()),
                    sudo: want.needs_root(),
                    delay: Duration::ZERO,
                });
                waiting.push((want, base));
            }
            Err(e) => decided.push(Checked {
                state: "not_checked",
                error: Some(e.to_string()),
                refused: e.refused(),
                ..base
            }),
        }
    }
    let order = machines.iter().map(|m| m.id.clone()).collect();
    Ok(Prepared {
        jobs,
        pending: Pending {
            waiting,
            decided,
            order,
        },
    })
}

impl Pending {
    /// Compare each probe's answer (in the jobs' order) with what was wanted.
    pub(crate) fn finish(self, done: Vec<Done>) -> Vec<Checked> {
        let mut results = self.decided;
        for ((want, base), d) in self.waiting.into_iter().zip(done) {
            let checked = match d.result {
                Err(e) => Checked {
                    state: "not_checked",
                    error: Some(e.to_string()),
                    refused: e.refused(),
                    ..base
                },
                Ok(out) => {
                    match probe::parse(&want.request(), &String::from_utf8_lossy(&out.stdout)) {
                        Err(e) => Checked {
                            state: "not_checked",
                            error: Some(format!(
                                "{e}: {}",
                                String::from_utf8_lossy(&out.stderr).trim()
                            )),
                            ..base
                        },
                        Ok(facts) => {
                            let mismatches = plan::compare(&want, &facts);
                            Checked {
                                state: if mismatches.is_empty() {
                                    "compliant"
                                } else {
                                    "drift"
                                },
                                mismatches,
                                want: Some(want),
                                facts: Some(facts),
                                ..base
                            }
                        }
                    }
                }
            };
            results.push(checked);
        }
        results.sort_by_key(|c| self.order.iter().position(|id| *id == c.id));
        results
    }
}
