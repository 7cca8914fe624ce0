//! Checking machines against their packs: build each machine's probe (what its packs want),
//! run them all over SSH at once, compare, and keep the results in the store. Shared by
//! `diff`, `apply` and `serve` (which checks a workstation when it comes back).

use std::sync::Arc;

use serde::Serialize;

use super::plan::{self, Mismatch, WantError, Wanted};
use super::probe;
use crate::exec::targets::{self, Timeouts};
use crate::fleet::{Fleet, Machine, MachineType, Snapshot};
use crate::remote::RemoteError;
use crate::remote::fanout::{Done, Job};
use crate::remote::known_hosts::KnownHosts;
use crate::remote::session::Connection;
use crate::store::{ComplianceRecord, Store, StoreError};

/// Where a machine stands against its packs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum CheckState {
    Compliant,
    Drift,
    /// Unreachable, refused, or its probe's answer could not be read.
    NotChecked,
}

impl CheckState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Compliant => "compliant",
            Self::Drift => "drift",
            Self::NotChecked => "not_checked",
        }
    }
}

impl std::fmt::Display for CheckState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One machine's result.
#[derive(Debug, Serialize)]
pub(crate) struct Checked {
    pub(crate) id: String,
    #[serde(rename = "type")]
    pub(crate) kind: MachineType,
    pub(crate) state: CheckState,
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

/// Why machines could not be checked at all (one machine failing is a `NotChecked` result,
/// not an error).
#[derive(Debug, thiserror::Error)]
pub(crate) enum CheckError {
    #[error("{machine}: {source}")]
    Packs {
        machine: String,
        #[source]
        source: WantError,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How to reach the machines of one fleet snapshot.
pub(crate) struct Reach<'a> {
    pub(crate) snapshot: &'a Snapshot,
    pub(crate) fleet: &'a Fleet,
    pub(crate) known: &'a KnownHosts,
    /// Resolves `secret:NAME` (SSH keys, sudo passwords).
    pub(crate) secret: &'a dyn Fn(&str) -> Result<Arc<String>, RemoteError>,
}

/// Probe and compare every machine, at most `concurrency` at once (a machine without packs is
/// compliant without connecting); results in the machines' order.
pub(crate) async fn check(
    reach: &Reach<'_>,
    machines: &[&Machine],
    concurrency: usize,
) -> Result<Vec<Checked>, CheckError> {
    let prepared = prepare(
        reach.snapshot,
        reach.fleet,
        machines,
        reach.known,
        reach.secret,
    )?;
    let (jobs, pending) = prepared.split();
    let done = run_probes(jobs, concurrency).await;
    Ok(pending.finish(done))
}

/// Run each probe, at most `concurrency` at once; answers in the jobs' order. The probe goes
/// to `sh -s` on stdin, so no argument limit applies however many files the packs hold.
async fn run_probes(jobs: Vec<Job>, concurrency: usize) -> Vec<Done> {
    let order: Vec<String> = jobs.iter().map(|j| j.target.machine.clone()).collect();
    let tasks = jobs
        .into_iter()
        .map(|job| {
            let id = job.target.machine.clone();
            let probe = async move {
                let conn = Connection::open(&job.target).await?;
                let out = conn
                    .run_with_input(
                        probe::RUN,
                        job.sudo,
                        job.command.into_bytes(),
                        job.target.command_timeout,
                    )
                    .await;
                conn.close().await;
                out
            };
            (id, probe)
        })
        .collect();
    let mut done = Vec::new();
    crate::remote::fanout::each_bounded(tasks, concurrency, |machine, result| {
        done.push(Done {
            result: result.unwrap_or_else(|e| Err(RemoteError::Ssh(e))),
            machine,
        })
    })
    .await;
    done.sort_by_key(|d| order.iter().position(|m| *m == d.machine));
    done
}

/// Keep the results in the store, for `status` and `compliance`.
pub(crate) fn record(
    store: &mut Store,
    results: &[Checked],
    commit: Option<String>,
    now: i64,
) -> Result<(), StoreError> {
    let records: Vec<ComplianceRecord> = results
        .iter()
        .map(|c| ComplianceRecord {
            machine_id: c.id.clone(),
            checked_at: now,
            fleet_commit: commit.clone(),
            state: c.state.to_string(),
            mismatches: serde_json::to_string(&c.mismatches).unwrap_or_else(|_| "[]".into()),
            error: c.error.clone(),
        })
        .collect();
    store.record_compliance(&records)
}

/// The probes to run, and what is needed to finish once they ran.
struct Prepared {
    jobs: Vec<Job>,
    pending: Pending,
}

/// The machines waiting for their probe's answer, and those decided without one.
struct Pending {
    waiting: Vec<(Wanted, Checked)>,
    decided: Vec<Checked>,
    order: Vec<String>,
}

impl Prepared {
    fn split(self) -> (Vec<Job>, Pending) {
        (self.jobs, self.pending)
    }
}

/// What each machine's packs want, and the probe to send it (the first half of `check`).
fn prepare(
    snapshot: &Snapshot,
    fleet: &Fleet,
    machines: &[&Machine],
    known: &KnownHosts,
    secret: &dyn Fn(&str) -> Result<Arc<String>, RemoteError>,
) -> Result<Prepared, CheckError> {
    let mut jobs = Vec::new();
    let mut waiting = Vec::new();
    let mut decided = Vec::new();
    for m in machines {
        let want = Wanted::of(fleet, snapshot, m).map_err(|source| CheckError::Packs {
            machine: m.id.clone(),
            source,
        })?;
        let base = Checked {
            id: m.id.clone(),
            kind: m.kind,
            state: CheckState::Compliant,
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
                    after: None,
                });
                waiting.push((want, base));
            }
            Err(e) => decided.push(Checked {
                state: CheckState::NotChecked,
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
    fn finish(self, done: Vec<Done>) -> Vec<Checked> {
        let mut results = self.decided;
        for ((want, base), d) in self.waiting.into_iter().zip(done) {
            results.push(compare(want, base, d));
        }
        results.sort_by_key(|c| self.order.iter().position(|id| *id == c.id));
        results
    }
}

/// One machine's probe answer against what its packs want.
fn compare(want: Wanted, base: Checked, done: Done) -> Checked {
    let out = match done.result {
        Err(e) => {
            return Checked {
                state: CheckState::NotChecked,
                error: Some(e.to_string()),
                refused: e.refused(),
                ..base
            };
        }
        Ok(out) => out,
    };
    match probe::parse(&want.request(), &String::from_utf8_lossy(&out.stdout)) {
        Err(e) => Checked {
            state: CheckState::NotChecked,
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
                    CheckState::Compliant
                } else {
                    CheckState::Drift
                },
                mismatches,
                want: Some(want),
                facts: Some(facts),
                ..base
            }
        }
    }
}
