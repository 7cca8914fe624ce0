//! What the clock decides, every few seconds in `serve`: a server silent past its
//! `offline_after` raises its offline alert (and only that: its other alerts are not news
//! while it is down); a workstation that went away leaves its alerts stale, without a
//! message; drift recorded by `diff` or serve's re-check opens or clears the drift alert;
//! open, unacknowledged alerts remind at their severity's interval. Paused machines are
//! skipped: nothing is raised, cleared or sent for them.

use std::collections::HashMap;
use std::time::Duration;

use rusqlite::Connection;

use super::evaluate::{Outcome, resolve};
use super::model::{AlertStatus, Change, HUB, Rule};
use super::rules::{FleetRules, MachineRules};
use super::{Alert, Severity, Transition};
use crate::fleet::fmt_duration;
use crate::monitor::state::State;
use crate::store::alerts::{self as table, NewAlert};
use crate::store::{ComplianceRecord, MachineRecord, Store, StoreError};

/// Run the clock's rules for every machine of the fleet at `now`, in one transaction.
pub(crate) fn tick(store: &mut Store, fleet: &FleetRules, now: i64) -> Result<Outcome, StoreError> {
    let records = store.machine_records()?;
    let compliance = store.compliance()?;
    let path = store.path().to_path_buf();
    let err = |e: rusqlite::Error| crate::store::classify(&path, &e);
    // Immediate: a transaction that reads and then writes would fail (busy snapshot) when
    // the ingest writer commits between the two; this one waits for the lock instead.
    let tx = store
        .conn_mut()
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(err)?;
    let mut by_machine: HashMap<String, Vec<Alert>> = HashMap::new();
    for alert in table::active(&tx).map_err(err)? {
        by_machine
            .entry(alert.machine_id.clone())
            .or_default()
            .push(alert);
    }
    let mut outcome = Outcome::default();
    for rules in fleet.machines.values() {
        let record = records.get(&rules.id);
        if record.is_some_and(|r| r.is_paused(now)) {
            continue;
        }
        let active = by_machine.remove(&rules.id).unwrap_or_default();
        let seen = Seen {
            record,
            compliance: compliance.get(&rules.id),
        };
        machine(&tx, rules, &active, seen, now, &mut outcome).map_err(err)?;
    }
    let r = tx.commit();
    r.map_err(err)?;
    Ok(outcome)
}

/// What the store knows of a machine.
#[derive(Clone, Copy)]
struct Seen<'a> {
    record: Option<&'a MachineRecord>,
    compliance: Option<&'a ComplianceRecord>,
}

fn machine(
    conn: &Connection,
    rules: &MachineRules,
    active: &[Alert],
    seen: Seen<'_>,
    now: i64,
    outcome: &mut Outcome,
) -> rusqlite::Result<()> {
    let last_seen = seen.record.and_then(|r| r.last_seen);
    let state = State::of(rules.kind, last_seen, rules.offline_after, now);
    let offline_alert = active.iter().find(|a| a.rule == Rule::Offline);
    match state {
        State::Offline => {
            if offline_alert.is_none()
                && let Some(seen) = last_seen
            {
                open(conn, rules, offline(rules, now - seen), now, outcome)?;
            }
        }
        State::Away => {
            for a in active.iter().filter(|a| a.status != AlertStatus::Stale) {
                table::set_status(conn, a.id, AlertStatus::Stale, Change::Stale, HUB, now)?;
            }
            return Ok(());
        }
        State::Online => {
            if let Some(a) = offline_alert {
                resolve(conn, a, &rules.name, now, outcome)?;
            }
            drift(conn, rules, active, seen.compliance, now, outcome)?;
        }
        State::Unknown => {}
    }
    remind(conn, rules, active, state, now, outcome)
}

fn offline(rules: &MachineRules, silent_secs: i64) -> NewAlert {
    let silent = fmt_duration(Duration::from_secs(silent_secs.max(0) as u64));
    NewAlert {
        machine_id: rules.id.clone(),
        rule: Rule::Offline,
        subject: None,
        severity: Severity::Critical,
        summary: format!("offline: no heartbeat for {silent}"),
        value: Some(format!("last heartbeat {silent} ago")),
        threshold: Some(fmt_duration(rules.offline_after)),
        action: Some("check the machine's power and network".into()),
    }
}

fn open(
    conn: &Connection,
    rules: &MachineRules,
    new: NewAlert,
    now: i64,
    outcome: &mut Outcome,
) -> rusqlite::Result<()> {
    let alert = table::insert(conn, &new, now)?;
    let event = alert.event(&rules.name, Transition::Opened, now);
    crate::notify::outbox::enqueue(conn, &event)?;
    outcome.opened.push(alert.id);
    Ok(())
}

/// The drift alert follows the newest recorded check: drift opens it, compliant clears it, a
/// check that could not be made changes nothing.
fn drift(
    conn: &Connection,
    rules: &MachineRules,
    active: &[Alert],
    record: Option<&ComplianceRecord>,
    now: i64,
    outcome: &mut Outcome,
) -> rusqlite::Result<()> {
    let Some(record) = record else {
        return Ok(());
    };
    let alert = active.iter().find(|a| a.rule == Rule::Drift);
    match (record.state.as_str(), alert) {
        ("drift", None) => {
            let count = serde_json::from_str::<Vec<serde_json::Value>>(&record.mismatches)
                .map_or(0, |m| m.len());
            let new = NewAlert {
                machine_id: rules.id.clone(),
                rule: Rule::Drift,
                subject: None,
                severity: Severity::Low,
                summary: format!("drifts from its packs ({count} mismatches)"),
                value: Some(count.to_string()),
                threshold: None,
                action: Some(format!(
                    "homelabcmd diff {}; homelabcmd apply {}",
                    rules.id, rules.id
                )),
            };
            open(conn, rules, new, now, outcome)
        }
        ("compliant", Some(a)) => resolve(conn, a, &rules.name, now, outcome),
        _ => Ok(()),
    }
}

/// Remind of open, unacknowledged alerts at their severity's interval. While a server is
/// offline only its offline alert reminds.
fn remind(
    conn: &Connection,
    rules: &MachineRules,
    active: &[Alert],
    state: State,
    now: i64,
    outcome: &Outcome,
) -> rusqlite::Result<()> {
    let live = |a: &&Alert| a.status == AlertStatus::Open && !outcome.resolved.contains(&a.id);
    for a in active.iter().filter(live) {
        if state == State::Offline && a.rule != Rule::Offline {
            continue;
        }
        let Some(every) = rules.settings.reminders.get(&a.severity) else {
            continue;
        };
        if now - a.last_notified_at >= every.as_secs() as i64 {
            let event = a.event(&rules.name, Transition::Reminder, now);
            crate::notify::outbox::enqueue(conn, &event)?;
            table::reminded(conn, a.id, now)?;
        }
    }
    Ok(())
}
