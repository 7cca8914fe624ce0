//! Alerts as they are shown: the one JSON shape of an alert, used by `alerts -o json`, `check
//! -o json` and the hub's `/api/v1/alerts` alike (encoded by `monitor::report::json`, so the
//! CLI and the API cannot drift apart), and the reads behind the status page and `/metrics`:
//! the alerts that are current (open or acknowledged), and a machine's recently resolved ones.

use std::collections::HashMap;

use serde::Serialize;

use super::model::AlertStatus;
use super::{Alert, Severity};
use crate::store::alerts::{self as table, AlertFilter};
use crate::store::{Store, StoreError};

/// One alert in JSON.
#[derive(Debug, Serialize)]
pub(crate) struct AlertJson<'a> {
    id: i64,
    machine: &'a str,
    rule: &'a str,
    subject: Option<&'a str>,
    severity: Severity,
    status: &'a str,
    summary: &'a str,
    value: Option<&'a str>,
    threshold: Option<&'a str>,
    action: Option<&'a str>,
    opened_at: String,
    acknowledged_at: Option<String>,
    acknowledged_by: Option<&'a str>,
    resolved_at: Option<String>,
    resolved_by: Option<&'a str>,
}

impl<'a> AlertJson<'a> {
    pub(crate) fn new(a: &'a Alert) -> Self {
        Self {
            id: a.id,
            machine: &a.machine_id,
            rule: a.rule.as_str(),
            subject: a.subject.as_deref(),
            severity: a.severity,
            status: a.status.as_str(),
            summary: &a.summary,
            value: a.value.as_deref(),
            threshold: a.threshold.as_deref(),
            action: a.action.as_deref(),
            opened_at: crate::clock::rfc3339(a.opened_at),
            acknowledged_at: a.acknowledged_at.map(crate::clock::rfc3339),
            acknowledged_by: a.acknowledged_by.as_deref(),
            resolved_at: a.resolved_at.map(crate::clock::rfc3339),
            resolved_by: a.resolved_by.as_deref(),
        }
    }
}

/// The document of `alerts -o json` and `GET /api/v1/alerts`: `{alerts: [...]}`.
#[derive(Debug, Serialize)]
pub(crate) struct AlertList<'a> {
    alerts: Vec<AlertJson<'a>>,
}

impl<'a> AlertList<'a> {
    pub(crate) fn of(alerts: &'a [Alert]) -> Self {
        Self {
            alerts: alerts.iter().map(AlertJson::new).collect(),
        }
    }
}

/// The alerts that pass `filter`, newest first; none while there is no database.
pub(crate) fn list(
    store: Option<&Store>,
    filter: &AlertFilter<'_>,
) -> Result<Vec<Alert>, StoreError> {
    match store {
        Some(store) => super::manage::list(store, filter),
        None => Ok(Vec::new()),
    }
}

/// Whether an alert is current: open or acknowledged. A stale one (its workstation is away)
/// and a resolved one are not.
pub(crate) fn is_current(a: &Alert) -> bool {
    matches!(a.status, AlertStatus::Open | AlertStatus::Acknowledged)
}

/// Worst first: by severity, then newest first.
fn worst_first(alerts: &mut [Alert]) {
    alerts.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.opened_at.cmp(&a.opened_at))
            .then(b.id.cmp(&a.id))
    });
}

/// Every machine's current alerts, worst first, by machine id (machines without any are
/// absent).
pub(crate) fn current_by_machine(
    store: Option<&Store>,
) -> Result<HashMap<String, Vec<Alert>>, StoreError> {
    let Some(store) = store else {
        return Ok(HashMap::new());
    };
    let mut by_machine: HashMap<String, Vec<Alert>> = HashMap::new();
    for a in table::active(store.conn()).map_err(|e| store.error(&e))? {
        if is_current(&a) {
            by_machine.entry(a.machine_id.clone()).or_default().push(a);
        }
    }
    for alerts in by_machine.values_mut() {
        worst_first(alerts);
    }
    Ok(by_machine)
}

/// One machine's alerts for its page: the active ones (stale included, worst first) and up
/// to `resolved` recently resolved ones (newest first).
pub(crate) fn of_machine(
    store: Option<&Store>,
    machine: &str,
    resolved: usize,
) -> Result<(Vec<Alert>, Vec<Alert>), StoreError> {
    let Some(store) = store else {
        return Ok((Vec::new(), Vec::new()));
    };
    let err = |e: rusqlite::Error| store.error(&e);
    let mut active = table::active_of(store.conn(), machine).map_err(err)?;
    worst_first(&mut active);
    let recent = table::resolved_of(store.conn(), machine, resolved).map_err(err)?;
    Ok((active, recent))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::model::Rule;

    fn alert(id: i64, severity: Severity, opened_at: i64) -> Alert {
        Alert {
            id,
            machine_id: "m".into(),
            rule: Rule::Disk,
            subject: Some("/".into()),
            severity,
            status: AlertStatus::Open,
            summary: String::new(),
            value: None,
            threshold: None,
            action: None,
            opened_at,
            acknowledged_at: None,
            acknowledged_by: None,
            resolved_at: None,
            resolved_by: None,
            last_notified_at: opened_at,
        }
    }

    #[test]
    fn the_worst_comes_first_then_the_newest() {
        let mut list = vec![
            alert(1, Severity::Low, 30),
            alert(2, Severity::Critical, 10),
            alert(3, Severity::Medium, 20),
            alert(4, Severity::Critical, 20),
        ];
        worst_first(&mut list);
        let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
        assert_eq!(ids, [4, 2, 3, 1]);
    }

    #[test]
    fn only_open_and_acknowledged_alerts_are_current() {
        let mut a = alert(1, Severity::Low, 0);
        for (status, current) in [
            (AlertStatus::Open, true),
            (AlertStatus::Acknowledged, true),
            (AlertStatus::Stale, false),
            (AlertStatus::Resolved, false),
        ] {
            a.status = status;
            assert_eq!(is_current(&a), current, "{status}");
        }
    }
}
