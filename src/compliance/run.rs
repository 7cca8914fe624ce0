//! Applying packs to many machines — the one call `apply` (and later `serve`) makes once a plan
//! was accepted: each drifting machine in its own task, at most `concurrency` at once; each
//! machine's audit entry written as soon as it finishes (so a run killed half-way leaves the
//! finished machines audited); a task that panics becomes that machine's failure; and what the
//! machines hold afterwards recorded for `status` and `compliance`, and the commit applied
//! recorded for `sync`.

use std::time::Duration;

use serde::Serialize;

use super::apply::{self, Summary};
use super::check::{self, CheckState, Checked, Reach};
use super::execute::{self, Outcome, StepTimeouts};
use crate::audit::{Action, AuditRecord, CapturedOutput, Redacted};
use crate::exec::targets::{self, Timeouts};
use crate::remote::fanout::each_bounded;
use crate::store::{Store, StoreError};

/// How to apply.
#[derive(Debug, Clone)]
pub(crate) struct ApplyOptions {
    /// Machines worked on at once.
    pub(crate) concurrency: usize,
    /// How long a step that installs packages may take.
    pub(crate) package_timeout: Duration,
    /// The plan accepted (its id goes in the audit entries).
    pub(crate) plan_id: String,
    /// Who applies (for the audit trail), and when.
    pub(crate) user: String,
    pub(crate) now: i64,
}

/// How an apply ended on one machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApplyState {
    Compliant,
    Drift,
    RefusedChanged,
    RefusedNotAFile,
    Failed,
    NotChecked,
}

impl std::fmt::Display for ApplyState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Compliant => "compliant",
            Self::Drift => "drift",
            Self::RefusedChanged => "refused_changed",
            Self::RefusedNotAFile => "refused_not_a_file",
            Self::Failed => "failed",
            Self::NotChecked => "not_checked",
        })
    }
}

/// One machine's apply.
#[derive(Debug)]
pub(crate) struct Applied {
    pub(crate) id: String,
    pub(crate) outcome: Outcome,
}

impl Applied {
    pub(crate) fn state(&self) -> ApplyState {
        match &self.outcome {
            Outcome::Applied { remaining, .. } if remaining.is_empty() => ApplyState::Compliant,
            Outcome::Applied { .. } => ApplyState::Drift,
            Outcome::Changed { .. } => ApplyState::RefusedChanged,
            Outcome::Blocked { .. } => ApplyState::RefusedNotAFile,
            Outcome::Failed { .. } => ApplyState::Failed,
            Outcome::Unreachable(_) => ApplyState::NotChecked,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum ApplyError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the apply of each drifting machine will do.
pub(crate) fn summary(c: &Checked) -> Option<Summary> {
    match (&c.want, &c.facts) {
        (Some(w), Some(f)) => apply::scripts(w, f, &c.mismatches).ok().map(|s| s.summary),
        _ => None,
    }
}

/// A short id of the plan: the machines and their mismatches, hashed.
pub(crate) fn plan_id(checked: &[Checked]) -> String {
    let text = serde_json::to_string(
        &checked
            .iter()
            .map(|c| (&c.id, &c.mismatches))
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    super::plan::sha256_hex(text.as_bytes())[..12].to_string()
}

/// Apply the plan to every drifting machine of `checked`, audit each as it finishes, update
/// `checked` with what the machines hold now and record it. Results in `checked`'s order.
pub(crate) async fn apply(
    reach: &Reach<'_>,
    store: &mut Store,
    checked: &mut [Checked],
    options: &ApplyOptions,
) -> Result<Vec<Applied>, ApplyError> {
    let mut tasks = Vec::new();
    let mut decided = Vec::new();
    for c in checked.iter().filter(|c| c.state == CheckState::Drift) {
        let Some(m) = reach.fleet.machine(&c.id) else {
            continue;
        };
        match targets::target(
            reach.fleet,
            m,
            reach.known,
            Timeouts::default(),
            reach.secret,
        ) {
            Ok(target) => {
                let (want, planned) = (c.want.clone().unwrap_or_default(), c.mismatches.clone());
                let timeouts = StepTimeouts {
                    command: target.command_timeout,
                    packages: options.package_timeout,
                };
                tasks.push((
                    c.id.clone(),
                    execute::apply(target, want, planned, timeouts),
                ));
            }
            Err(e) => decided.push((c.id.clone(), Outcome::Unreachable(e))),
        }
    }
    let mut results = Vec::new();
    let mut first_error = None;
    let commit = reach.snapshot.commit_id();
    let mut finish = |id: String, outcome: Outcome| {
        let packs = checked
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.packs.join(","))
            .unwrap_or_default();
        let record = audit_record(&id, packs, &outcome, options, commit.clone());
        if let Err(e) = store.audit_append(&record, options.now, &options.user) {
            first_error.get_or_insert(e);
        }
        results.push(Applied { id, outcome });
    };
    for (id, outcome) in decided {
        finish(id, outcome);
    }
    each_bounded(tasks, options.concurrency, |id, result| {
        let outcome = result.unwrap_or_else(|panic| Outcome::Failed {
            step: "apply (internal error)",
            exit: None,
            output: panic.into_bytes(),
        });
        finish(id, outcome);
    })
    .await;
    if let Some(e) = first_error {
        return Err(e.into());
    }
    results.sort_by_key(|a| checked.iter().position(|c| c.id == a.id));
    for a in &results {
        if let (Some(c), Outcome::Applied { remaining, .. }) =
            (checked.iter_mut().find(|c| c.id == a.id), &a.outcome)
        {
            c.state = if remaining.is_empty() {
                CheckState::Compliant
            } else {
                CheckState::Drift
            };
            c.mismatches = remaining.clone();
        }
    }
    record_applied(store, reach, &results, options.now)?;
    check::record(store, checked, commit, options.now)?;
    Ok(results)
}

/// Once some machine took changes from a commit, remember it: `sync` never moves the fleet
/// back behind it (see ops::sync). Partly failed runs count too — those machines hold it now.
fn record_applied(
    store: &Store,
    reach: &Reach<'_>,
    results: &[Applied],
    now: i64,
) -> Result<(), StoreError> {
    let changed = results
        .iter()
        .any(|a| matches!(a.outcome, Outcome::Applied { .. }));
    match (reach.snapshot.commit_id(), reach.snapshot.commit_time()) {
        (Some(commit), Some(commit_time)) if changed => {
            store.record_applied(&crate::store::sync::AppliedCommit {
                commit,
                commit_time,
                applied_at: now,
            })
        }
        _ => Ok(()),
    }
}

/// The audit entry of one machine's apply.
fn audit_record(
    id: &str,
    packs: String,
    outcome: &Outcome,
    options: &ApplyOptions,
    fleet_commit: Option<String>,
) -> AuditRecord {
    let (exit, output) = match outcome {
        Outcome::Applied {
            remaining, output, ..
        } => (Some(i32::from(!remaining.is_empty())), output.clone()),
        Outcome::Changed { .. } | Outcome::Blocked { .. } => (None, Vec::new()),
        Outcome::Failed { exit, output, .. } => (exit.map(|e| e as i32), output.clone()),
        Outcome::Unreachable(e) => (None, e.to_string().into_bytes()),
    };
    AuditRecord {
        action: Action::Apply,
        machine: Some(id.to_string()),
        name: packs,
        command: Redacted::new(format!("apply plan {}", options.plan_id)),
        exit_code: exit,
        duration: None,
        output: CapturedOutput::from(output.as_slice()),
        fleet_commit,
    }
}
