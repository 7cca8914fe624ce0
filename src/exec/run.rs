//! Running a whitelisted command on machines and auditing it: the one call `exec` makes (and
//! `serve`'s remediation can make). Reach each machine (briefly for a workstation known to be
//! away), space reboots inside staggered groups, run, and write each machine's audit entry as
//! soon as that machine finishes, with an `exec-start` entry before a disruptive command runs,
//! so a run killed half way (say, while it waits out a 30-minute stagger) leaves a true record.

use std::sync::Arc;
use std::time::Duration;

use super::Rendered;
use super::targets::{self, Timeouts};
use crate::audit::{self, Action, AuditRecord, CapturedOutput, Redacted};
use crate::fleet::{Fleet, Machine, MachineType};
use crate::monitor::state::{self, State};
use crate::remote::RemoteError;
use crate::remote::fanout::{self, Done, Job, Spacing, Watcher};
use crate::remote::known_hosts::KnownHosts;
use crate::store::{Store, StoreError};

/// What to run where.
pub(crate) struct Request<'a> {
    pub(crate) fleet: &'a Fleet,
    /// The machines, in the order the results are wanted.
    pub(crate) machines: &'a [&'a Machine],
    pub(crate) command: &'a Rendered,
    pub(crate) known: &'a KnownHosts,
    /// From the command line; the command's own timeout, then fleet.yaml's, fill in.
    pub(crate) timeouts: Timeouts,
    /// Machines worked on at once.
    pub(crate) concurrency: usize,
    /// Resolves `secret:NAME` values (SSH keys, sudo passwords).
    pub(crate) secret: &'a dyn Fn(&str) -> Result<Arc<String>, RemoteError>,
    /// The fleet commit the command comes from, for the audit trail.
    pub(crate) fleet_commit: Option<String>,
}

/// How it went.
#[derive(Debug)]
pub(crate) struct Ran {
    /// One per machine, in the request's order.
    pub(crate) results: Vec<Done>,
    /// The first audit entry that could not be written, if any; the others were still tried,
    /// and a disruptive command whose `exec-start` entry could not be written did not run.
    pub(crate) audit_failure: Option<StoreError>,
}

/// Run `req` and audit it in `store`. `progress(n, total)` is called as each machine finishes.
///
/// The future holds `store` across awaits, so it is not `Send`: drive it with `block_on`, as
/// the CLI does, or from the hub inside `spawn_blocking` with `Handle::current().block_on`
/// (as `serve/recheck.rs` drives the fan-out), on a store of its own.
pub(crate) async fn run(
    req: &Request<'_>,
    store: &Store,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Ran, StoreError> {
    let away = away_workstations(req.fleet, store, crate::clock::now().as_second())?;
    let (mut jobs, early) = jobs(req, &away);
    if req.command.name == "reboot" {
        stagger(req.fleet, &mut jobs);
    }
    let mut auditor = Auditor {
        store,
        command: req.command,
        fleet_commit: req.fleet_commit.clone(),
        user: audit::local_user(),
        disruptive: jobs.iter().map(|j| disruptive(req.command, j)).collect(),
        machines: jobs.iter().map(|j| j.target.machine.clone()).collect(),
        away,
        failure: None,
        progress,
        finished: 0,
        total: req.machines.len(),
    };
    let mut results = Vec::with_capacity(req.machines.len());
    for mut done in early {
        auditor.finish(&mut done);
        results.push(done);
    }
    results.extend(fanout::run_each(jobs, req.concurrency, &mut auditor).await);
    let order: Vec<&str> = req.machines.iter().map(|m| m.id.as_str()).collect();
    results.sort_by_key(|d| order.iter().position(|id| *id == d.machine));
    Ok(Ran {
        results,
        audit_failure: auditor.failure,
    })
}

/// A command is disruptive when it may take the machine down or changes it as root: `reboot`
/// (built in or redefined), anything run through sudo, and anything held back by a stagger
/// (a group is staggered because its members must not all be disrupted at once). Such a
/// command gets an `exec-start` entry before it runs; others only their finished entry.
fn disruptive(command: &Rendered, job: &Job) -> bool {
    command.name == "reboot" || command.sudo || job.after.is_some()
}

/// One job per machine that can be reached; the others fail at once (a missing secret).
fn jobs(req: &Request<'_>, away: &[(String, String)]) -> (Vec<Job>, Vec<Done>) {
    let timeouts = Timeouts {
        connect: req.timeouts.connect,
        command: req.timeouts.command.or(req.command.timeout),
    };
    let mut jobs = Vec::new();
    let mut early = Vec::new();
    for m in req.machines {
        match targets::target(req.fleet, m, req.known, timeouts, req.secret) {
            Ok(mut target) => {
                // A workstation known to be away is tried briefly.
                if away.iter().any(|(id, _)| *id == m.id) {
                    target.connect_timeout = target.connect_timeout.min(Duration::from_secs(2));
                }
                jobs.push(Job {
                    target,
                    command: req.command.line.clone(),
                    sudo: req.command.sudo,
                    after: None,
                });
            }
            Err(e) => early.push(Done {
                machine: m.id.clone(),
                result: Err(e),
            }),
        }
    }
    (jobs, early)
}

/// Space reboots inside staggered groups: each selected member starts at least the stagger
/// after the previous member's reboot started (a machine in two staggered groups is spaced
/// within the first).
fn stagger(fleet: &Fleet, jobs: &mut [Job]) {
    for group in fleet.groups.iter().filter(|g| g.stagger.is_some()) {
        let step = group.stagger.unwrap_or_default();
        let mut previous = None;
        for (index, job) in jobs.iter_mut().enumerate() {
            if !group.machines.contains(&job.target.machine) {
                continue;
            }
            if let Some(before) = previous
                && job.after.is_none()
            {
                job.after = Some(Spacing {
                    index: before,
                    gap: step,
                });
            }
            previous = Some(index);
        }
    }
}

/// Workstations the store says are away now, with how long ago they were last seen.
fn away_workstations(
    fleet: &Fleet,
    store: &Store,
    now: i64,
) -> Result<Vec<(String, String)>, StoreError> {
    let records = store.machine_records()?;
    Ok(fleet
        .machines
        .iter()
        .filter(|m| m.kind == MachineType::Workstation)
        .filter_map(|m| {
            let seen = records.get(&m.id)?.last_seen?;
            let now_state = State::of(m.kind, Some(seen), fleet.offline_after(m), now);
            (now_state == State::Away).then(|| (m.id.clone(), state::ago(now - seen)))
        })
        .collect())
}

/// Writes the audit trail as the fan-out reports each machine.
struct Auditor<'a, 'p> {
    store: &'a Store,
    command: &'a Rendered,
    fleet_commit: Option<String>,
    user: String,
    /// Per job: whether it gets an `exec-start` entry.
    disruptive: Vec<bool>,
    /// Per job: its machine.
    machines: Vec<String>,
    away: Vec<(String, String)>,
    failure: Option<StoreError>,
    progress: &'p mut dyn FnMut(usize, usize),
    finished: usize,
    total: usize,
}

impl Auditor<'_, '_> {
    fn record(&self, machine: &str, action: Action, outcome: Option<&Done>) -> AuditRecord {
        let (exit_code, duration, output) = match outcome.map(|d| &d.result) {
            None => (None, None, CapturedOutput::new()),
            Some(Ok(out)) => {
                let mut captured = CapturedOutput::new();
                captured.push(&out.stdout);
                captured.push(&out.stderr);
                (out.exit.map(|e| e as i32), Some(out.duration), captured)
            }
            Some(Err(e)) => (None, None, CapturedOutput::from(e.to_string().as_bytes())),
        };
        AuditRecord {
            action,
            machine: Some(machine.to_string()),
            name: self.command.name.clone(),
            // Parameters are typed values, never secrets; a sudo password goes on stdin.
            command: Redacted::new(if self.command.sudo {
                format!("sudo {}", self.command.line)
            } else {
                self.command.line.clone()
            }),
            exit_code,
            duration,
            output,
            fleet_commit: self.fleet_commit.clone(),
        }
    }

    fn append(&self, record: &AuditRecord) -> Result<(), StoreError> {
        let now = crate::clock::now().as_second();
        self.store.audit_append(record, now, &self.user).map(drop)
    }

    /// Record a machine that finished: its failure explained if it is away, its entry
    /// written, progress told.
    fn finish(&mut self, done: &mut Done) {
        if let (Err(e), Some((_, seen))) = (
            &done.result,
            self.away.iter().find(|(id, _)| *id == done.machine),
        ) && !e.refused()
        {
            done.result = Err(RemoteError::Away {
                machine: done.machine.clone(),
                last_seen: seen.clone(),
                cause: e.to_string(),
            });
        }
        let record = self.record(&done.machine, Action::Exec, Some(done));
        if let Err(e) = self.append(&record) {
            self.failure.get_or_insert(e);
        }
        self.finished += 1;
        (self.progress)(self.finished, self.total);
    }
}

impl Watcher for Auditor<'_, '_> {
    fn starting(&mut self, index: usize) -> Result<(), RemoteError> {
        if !self.disruptive[index] {
            return Ok(());
        }
        let record = self.record(&self.machines[index], Action::ExecStart, None);
        self.append(&record).map_err(|e| {
            let stop = RemoteError::NotRun(format!("its audit entry could not be written: {e}"));
            self.failure.get_or_insert(e);
            stop
        })
    }

    fn finished(&mut self, _index: usize, done: &mut Done) {
        self.finish(done);
    }
}
