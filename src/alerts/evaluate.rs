//! Judging a heartbeat: the rules' readings pass through the count hysteresis (raised after
//! `raise_after` bad readings in a row, cleared after `clear_after` good ones), then open,
//! update, reopen or resolve the machine's alerts in one transaction, together with the
//! outbox rows of the transitions people hear of.

use std::collections::HashMap;

use homelabcmd_proto::Sample;
use rusqlite::Connection;

use super::model::{AlertStatus, Change, HUB, Rule};
use super::rules::{self, CpuRun, Finding, MachineRules, Observation, Reading};
use super::{Alert, Transition};
use crate::store::alerts::{self as table, NewAlert};
use crate::store::{Store, StoreError};

/// Bad and good readings in a row of one rule and subject.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    bad: u32,
    good: u32,
}

type Key = (String, Rule, Option<String>);

/// The evaluator's memory between heartbeats: counts, CPU runs, the newest sample judged.
/// Lost on restart, which only makes the hub count again from zero.
#[derive(Debug, Default)]
pub(crate) struct Evaluator {
    counts: HashMap<Key, Counts>,
    cpu_runs: HashMap<String, CpuRun>,
    judged: HashMap<String, i64>,
}

/// What one evaluation changed (for logs and tests).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub(crate) opened: Vec<i64>,
    pub(crate) resolved: Vec<i64>,
}

impl Evaluator {
    /// Judge `sample`, the newest of a heartbeat just stored from `rules`'s machine. A paused
    /// machine, and a sample older than one already judged, change nothing.
    pub(crate) fn heartbeat(
        &mut self,
        store: &mut Store,
        rules: &MachineRules,
        sample: &Sample,
        now: i64,
    ) -> Result<Outcome, StoreError> {
        let Some(time) = homelabcmd_proto::time::parse_rfc3339(&sample.time) else {
            return Ok(Outcome::default());
        };
        if self.judged.get(&rules.id).is_some_and(|&t| t >= time) {
            return Ok(Outcome::default());
        }
        if store
            .machine_record(&rules.id)?
            .is_some_and(|r| r.is_paused(now))
        {
            return Ok(Outcome::default());
        }
        self.judged.insert(rules.id.clone(), time);
        let cpu_run = self.cpu_runs.entry(rules.id.clone()).or_default();
        let observations = rules::observe(rules, sample, time, cpu_run);
        let path = store.path().to_path_buf();
        let err = |e: rusqlite::Error| crate::store::classify(&path, &e);
        // The common case, a healthy machine with no active alert, writes nothing: count the
        // good readings without taking the write lock. (Only this thread opens alerts, so none
        // can appear between this read and the next heartbeat.)
        let nothing_bad = observations
            .iter()
            .all(|o| !matches!(o.reading, Reading::Bad(_)));
        if nothing_bad
            && table::active_of(store.conn(), &rules.id)
                .map_err(err)?
                .is_empty()
        {
            for obs in observations {
                if matches!(obs.reading, Reading::Good) {
                    let counts = self
                        .counts
                        .entry((rules.id.clone(), obs.rule, obs.subject))
                        .or_default();
                    (counts.bad, counts.good) = (0, counts.good.saturating_add(1));
                }
            }
            return Ok(Outcome::default());
        }
        // Immediate: a transaction that reads and then writes would fail (busy snapshot) when
        // the ingest writer commits between the two; this one waits for the lock instead.
        let tx = store
            .conn_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        let outcome = self.apply(&tx, rules, observations, now).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(outcome)
    }

    fn apply(
        &mut self,
        conn: &Connection,
        rules: &MachineRules,
        mut observations: Vec<Observation>,
        now: i64,
    ) -> rusqlite::Result<Outcome> {
        let mut outcome = Outcome::default();
        let active = table::active_of(conn, &rules.id)?;
        for alert in &active {
            // A heartbeat is the proof a server is back.
            if alert.rule == Rule::Offline {
                resolve(conn, alert, &rules.name, now, &mut outcome)?;
                continue;
            }
            // A mount, unit or container no longer seen (or no longer expected) is not wrong.
            let seen = observations
                .iter()
                .any(|o| o.rule == alert.rule && o.subject == alert.subject);
            if alert.rule.judged_from_samples() && !seen {
                observations.push(Observation {
                    rule: alert.rule,
                    subject: alert.subject.clone(),
                    reading: Reading::Good,
                });
            }
        }
        for obs in observations {
            let alert = active
                .iter()
                .find(|a| a.rule == obs.rule && a.subject == obs.subject);
            self.judge(conn, rules, obs, alert, now, &mut outcome)?;
        }
        Ok(outcome)
    }

    /// One reading of one rule and subject against its active alert, if any.
    fn judge(
        &mut self,
        conn: &Connection,
        rules: &MachineRules,
        obs: Observation,
        alert: Option<&Alert>,
        now: i64,
        outcome: &mut Outcome,
    ) -> rusqlite::Result<()> {
        let key = (rules.id.clone(), obs.rule, obs.subject.clone());
        let counts = self.counts.entry(key).or_default();
        if let Some(a) = alert.filter(|a| a.status == AlertStatus::Stale) {
            // Its workstation is back: the alert is live again, without a new message.
            let status = if a.acknowledged_at.is_some() {
                AlertStatus::Acknowledged
            } else {
                AlertStatus::Open
            };
            table::set_status(conn, a.id, status, Change::Reopened, HUB, now)?;
        }
        match obs.reading {
            Reading::Bad(finding) => {
                (counts.bad, counts.good) = (counts.bad.saturating_add(1), 0);
                // CPU's window is its own count.
                let needed = if obs.rule == Rule::Cpu {
                    1
                } else {
                    rules.settings.raise_after
                };
                match alert {
                    Some(a) => update(conn, a, &rules.name, &finding, now)?,
                    None if counts.bad >= needed => {
                        let new = new_alert(rules, obs.rule, obs.subject, finding);
                        let opened = table::insert(conn, &new, now)?;
                        let event = opened.event(&rules.name, Transition::Opened, now);
                        crate::notify::outbox::enqueue(conn, &event)?;
                        crate::remedy::create(conn, rules, &opened, now)?;
                        outcome.opened.push(opened.id);
                    }
                    None => {}
                }
            }
            Reading::Good => {
                (counts.bad, counts.good) = (0, counts.good.saturating_add(1));
                if let Some(a) = alert
                    && counts.good >= rules.settings.clear_after
                {
                    resolve(conn, a, &rules.name, now, outcome)?;
                }
            }
            Reading::Neither => {}
        }
        Ok(())
    }
}

fn new_alert(rules: &MachineRules, rule: Rule, subject: Option<String>, f: Finding) -> NewAlert {
    NewAlert {
        machine_id: rules.id.clone(),
        rule,
        subject,
        severity: f.severity,
        summary: f.summary,
        value: f.value,
        threshold: f.threshold,
        action: f.action,
    }
}

/// The newest reading of an alert that stays open. A higher severity is recorded, and told:
/// an escalation is news (an `escalated` event, in the same transaction).
fn update(
    conn: &Connection,
    a: &Alert,
    machine_name: &str,
    f: &Finding,
    now: i64,
) -> rusqlite::Result<()> {
    let severity = a.severity.max(f.severity);
    let threshold = if f.severity >= a.severity {
        f.threshold.as_deref()
    } else {
        a.threshold.as_deref()
    };
    if severity == a.severity && a.value == f.value && a.summary == f.summary {
        return Ok(());
    }
    table::update_reading(
        conn,
        a.id,
        severity,
        &f.summary,
        f.value.as_deref(),
        threshold,
    )?;
    if severity > a.severity {
        let note = format!("{} → {severity}", a.severity);
        table::record(conn, a.id, now, Change::Escalated, HUB, Some(&note))?;
        let worse = Alert {
            severity,
            summary: f.summary.clone(),
            value: f.value.clone(),
            threshold: threshold.map(str::to_string),
            ..a.clone()
        };
        let event = worse.event(machine_name, Transition::Escalated, now);
        crate::notify::outbox::enqueue(conn, &event)?;
    }
    Ok(())
}

/// Resolve `a` because its condition cleared, and tell people.
pub(crate) fn resolve(
    conn: &Connection,
    a: &Alert,
    machine_name: &str,
    now: i64,
    outcome: &mut Outcome,
) -> rusqlite::Result<()> {
    table::set_status(
        conn,
        a.id,
        AlertStatus::Resolved,
        Change::Resolved,
        HUB,
        now,
    )?;
    let event = a.event(machine_name, Transition::Resolved, now);
    crate::notify::outbox::enqueue(conn, &event)?;
    outcome.resolved.push(a.id);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::rules::FleetRules;
    use crate::fleet::model::{AlertSettings, Thresholds};
    use crate::store::metrics::Ingest;

    fn sample_json(time: i64, disk_used_gib: u64) -> serde_json::Value {
        serde_json::json!({
            "time": homelabcmd_proto::time::format_rfc3339(time),
            "cpu_percent": 20.0,
            "memory": {"total": 8u64 << 30, "used": 3u64 << 30, "available": 5u64 << 30, "swap_total": 0, "swap_used": 0},
            "filesystems": [{"mount": "/", "fs_type": "ext4", "device": "/dev/sda1", "size": 100u64 << 30, "used": disk_used_gib << 30, "available": (100 - disk_used_gib) << 30}],
            "network": [{"name": "eth0", "rx_bytes": 1000, "tx_bytes": 1000}],
            "load": {"one": 0.5, "five": 0.4, "fifteen": 0.3},
            "uptime_secs": 1000,
            "os": {"distribution": "Debian", "version": "12", "kernel": "6.1", "arch": "x86_64", "hostname": "h"},
            "updates": {"status": "ok", "manager": "apt", "pending": 0, "security": 0, "cache_age_secs": 60},
            "services": [{"name": "nginx", "active_state": "active", "sub_state": "running"}],
            "docker": {"available": false}
        })
    }

    fn rules(n: usize) -> FleetRules {
        let machines = (0..n)
            .map(|i| {
                let id = format!("m{i}");
                let rules = MachineRules {
                    id: id.clone(),
                    name: id.clone(),
                    kind: crate::fleet::MachineType::Server,
                    offline_after: std::time::Duration::from_secs(180),
                    services: vec!["nginx".into()],
                    thresholds: Thresholds::default(),
                    settings: AlertSettings::default(),
                    actions: HashMap::new(),
                };
                (id, rules)
            })
            .collect();
        FleetRules { machines }
    }

    /// Each machine's disk crosses 80 % for three readings (raise_after), then falls: one
    /// alert each, opened on the third reading and resolved after two good ones.
    #[test]
    fn three_bad_readings_raise_and_two_good_ones_resolve() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("h.db")).unwrap();
        let fleet = rules(1);
        let m = &fleet.machines["m0"];
        let mut ev = Evaluator::default();
        let mut opened = Vec::new();
        let mut resolved = Vec::new();
        for (i, used) in [85, 85, 85, 85, 60, 60].into_iter().enumerate() {
            let t = 1_800_000_000 + 60 * i as i64;
            let sample: Sample = serde_json::from_value(sample_json(t, used)).unwrap();
            let out = ev.heartbeat(&mut store, m, &sample, t).unwrap();
            opened.push(out.opened.len());
            resolved.push(out.resolved.len());
        }
        assert_eq!(opened, [0, 0, 1, 0, 0, 0]);
        assert_eq!(resolved, [0, 0, 0, 0, 0, 1]);
    }

    /// Not a check (no timing is asserted): prints what evaluation costs beside ingest, for
    /// BENCHMARKS.md. `cargo test --release --lib evaluation_cost -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn evaluation_cost() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("h.db")).unwrap();
        store.set_durable().unwrap();
        let fleet = rules(50);
        let mut ev = Evaluator::default();
        let (mut ingest_time, mut eval_time) =
            (std::time::Duration::ZERO, std::time::Duration::ZERO);
        let rounds = 40;
        for round in 0..rounds {
            let t = 1_800_000_000 + 60 * round;
            for (id, m) in &fleet.machines {
                let json = sample_json(t, 40);
                let hb: homelabcmd_proto::Heartbeat = serde_json::from_value(serde_json::json!({
                    "machine_id": id, "agent_version": "t", "seq": round, "samples": [json.clone()]
                }))
                .unwrap();
                let start = std::time::Instant::now();
                let checked = crate::monitor::ingest::check(&hb, t).unwrap();
                let item = Ingest {
                    machine_id: id.clone(),
                    registered: true,
                    agent_version: "t".into(),
                    received: t,
                    points: checked.points.into_iter().map(|(_, p)| p).collect(),
                    latest: Some((t, json.to_string())),
                };
                store.ingest(&[item]).unwrap();
                ingest_time += start.elapsed();
                let start = std::time::Instant::now();
                ev.heartbeat(&mut store, m, &hb.samples[0], t).unwrap();
                eval_time += start.elapsed();
            }
        }
        let n = (rounds * 50) as u32;
        println!(
            "50 machines, {rounds} rounds: ingest {:?}/heartbeat (one transaction each), evaluation {:?}/heartbeat ({:.1} % of ingest)",
            ingest_time / n,
            eval_time / n,
            eval_time.as_secs_f64() * 100.0 / ingest_time.as_secs_f64()
        );
    }
}
