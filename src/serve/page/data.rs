//! What each view of the page is drawn from, read from the store and the fleet in one go:
//! the fleet's status with 24 h of CPU per machine; one machine's detail, charts,
//! availability, compliance mismatches (kind and path or package, never contents), recent
//! audit entries (without output), active and recently resolved alerts; the fleet's
//! compliance. The fleet view also gets each machine's current alerts and the fleet's running
//! cost; the machine view its own.

use std::collections::HashMap;
use std::sync::Arc;

use crate::alerts::Alert;
use crate::alerts::report as alert_report;
use crate::audit::{AuditEntry, AuditFilter};
use crate::cost::{self, CostReport, MachineCost};
use crate::fleet::{Fleet, Machine};
use crate::monitor::availability::{self, Bucket};
use crate::monitor::history::{Metric, SeriesPoint, from_points, series};
use crate::monitor::report::{self, MachineDetail};
use crate::monitor::status::FleetStatus;
use crate::serve::read::ReadContext;
use crate::store::{Store, StoreError};

const DAY: i64 = 86_400;

/// How many recently resolved alerts the machine view lists.
const RESOLVED_SHOWN: usize = 5;

/// The fleet view's data.
pub(crate) struct FleetData {
    pub(crate) fleet: Arc<Fleet>,
    pub(crate) status: FleetStatus,
    /// 24 h of CPU per machine.
    pub(crate) cpu: HashMap<String, Vec<SeriesPoint>>,
    /// Each machine's current (open or acknowledged) alerts, worst first.
    pub(crate) alerts: HashMap<String, Vec<Alert>>,
    /// What the fleet costs to run (the summary bar).
    pub(crate) cost: Option<CostReport>,
    /// The latest sync with the fleet repository's remote, if one ever ran.
    pub(crate) sync: Option<crate::store::sync::SyncRecord>,
    pub(crate) now: i64,
}

pub(crate) fn fleet(store: Option<&Store>, cx: &ReadContext) -> Result<FleetData, StoreError> {
    let status = report::fleet(store, &cx.fleet, cx.now)?;
    let mut cpu = HashMap::new();
    if let Some(store) = store {
        for m in status.machines.iter().filter(|m| m.last_seen.is_some()) {
            let points = series(store, &m.id, &Metric::Cpu, cx.now - DAY, cx.now + 1, cx.now)?;
            cpu.insert(m.id.clone(), points);
        }
    }
    Ok(FleetData {
        fleet: Arc::clone(&cx.fleet),
        status,
        cpu,
        alerts: alert_report::current_by_machine(store)?,
        cost: cost::or_none(cost::report(store, &cx.fleet, cost::DEFAULT_SINCE, cx.now))?,
        sync: store.map(Store::last_sync).transpose()?.flatten(),
        now: cx.now,
    })
}

/// The machine view's chart period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Range {
    Day,
    Week,
    Month,
}

impl Range {
    pub(crate) const ALL: [Range; 3] = [Self::Day, Self::Week, Self::Month];

    pub(crate) fn parse(query: Option<&str>) -> Self {
        let value = query
            .unwrap_or("")
            .split('&')
            .find_map(|p| p.strip_prefix("range="));
        Self::ALL
            .into_iter()
            .find(|r| Some(r.name()) == value)
            .unwrap_or(Self::Day)
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Day => "24h",
            Self::Week => "7d",
            Self::Month => "30d",
        }
    }

    pub(crate) fn secs(self) -> i64 {
        match self {
            Self::Day => DAY,
            Self::Week => 7 * DAY,
            Self::Month => 30 * DAY,
        }
    }
}

/// One mismatch as the page shows it: its kind and what it is about.
pub(crate) struct MismatchName {
    pub(crate) kind: String,
    pub(crate) subject: String,
}

/// The machine view's data.
pub(crate) struct MachineData {
    pub(crate) machine: Machine,
    pub(crate) detail: MachineDetail,
    pub(crate) range: Range,
    pub(crate) from: i64,
    pub(crate) now: i64,
    pub(crate) cpu: Vec<SeriesPoint>,
    pub(crate) ram: Vec<SeriesPoint>,
    pub(crate) load: Vec<SeriesPoint>,
    /// 30 days, one bucket a day.
    pub(crate) availability: Vec<Bucket>,
    pub(crate) mismatches: Vec<MismatchName>,
    pub(crate) audit: Vec<AuditEntry>,
    /// Its active alerts (stale ones included), worst first.
    pub(crate) alerts: Vec<Alert>,
    /// Its most recently resolved alerts, newest first.
    pub(crate) resolved: Vec<Alert>,
    /// Its watts and what it costs to run, and the currency.
    pub(crate) cost: Option<(MachineCost, String)>,
}

pub(crate) fn machine(
    store: Option<&Store>,
    cx: &ReadContext,
    id: &str,
    range: Range,
) -> Result<Option<MachineData>, StoreError> {
    let Some(m) = cx.fleet.machine(id) else {
        return Ok(None);
    };
    let detail = report::machine(store, &cx.fleet, m, cx.now)?;
    let currency = cx.fleet.defaults.electricity.currency.clone();
    let cost = cost::or_none(cost::machine(
        store,
        &cx.fleet,
        m,
        cost::DEFAULT_SINCE,
        cx.now,
    ))?
    .map(|c| (c, currency));
    let from = cx.now - range.secs();
    let mut data = MachineData {
        machine: m.clone(),
        detail,
        range,
        from,
        now: cx.now,
        cpu: Vec::new(),
        ram: Vec::new(),
        load: Vec::new(),
        availability: vec![Bucket::Unknown; 30],
        mismatches: Vec::new(),
        audit: Vec::new(),
        alerts: Vec::new(),
        resolved: Vec::new(),
        cost,
    };
    let Some(store) = store else {
        return Ok(Some(data));
    };
    (data.alerts, data.resolved) = alert_report::of_machine(Some(store), id, RESOLVED_SHOWN)?;
    // One read of the raw samples (kept 30 days) serves the charts and the availability bar.
    let month = cx.now - 30 * DAY;
    let points = store.points(id, month - DAY, cx.now + 1)?;
    data.cpu = from_points(&points, &Metric::Cpu, from);
    data.ram = from_points(&points, &Metric::Ram, from);
    data.load = from_points(&points, &Metric::Load, from);
    let times: Vec<i64> = points.iter().map(|p| p.time).collect();
    let threshold = cx.fleet.offline_after(m).as_secs() as i64;
    data.availability = availability::buckets(&times, m.kind, threshold, month, cx.now, 30);
    data.mismatches = store
        .compliance()?
        .get(id)
        .map(|r| mismatch_names(&r.mismatches))
        .unwrap_or_default();
    let filter = AuditFilter {
        machine: Some(id.to_string()),
        action: None,
        since: None,
        limit: 10,
    };
    data.audit = store.audit_list(&filter)?.0;
    Ok(Some(data))
}

/// The kind and subject of each stored mismatch; the rest (diffs, contents) is left behind.
pub(crate) fn mismatch_names(json: &str) -> Vec<MismatchName> {
    let list: Vec<serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
    list.iter()
        .map(|v| {
            let text = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("");
            let subject = ["path", "name", "manager"]
                .iter()
                .map(|k| text(k))
                .find(|s| !s.is_empty())
                .unwrap_or("");
            MismatchName {
                kind: text("kind").replace('_', " "),
                subject: subject.to_string(),
            }
        })
        .collect()
}

/// The compliance view's data: the status (for names, types and states) and each machine's
/// mismatches.
pub(crate) struct ComplianceData {
    pub(crate) fleet: Arc<Fleet>,
    pub(crate) status: FleetStatus,
    pub(crate) mismatches: HashMap<String, Vec<MismatchName>>,
    pub(crate) now: i64,
}

pub(crate) fn compliance(
    store: Option<&Store>,
    cx: &ReadContext,
) -> Result<ComplianceData, StoreError> {
    let status = report::fleet(store, &cx.fleet, cx.now)?;
    let mismatches = match store {
        Some(s) => s
            .compliance()?
            .into_iter()
            .map(|(id, r)| (id, mismatch_names(&r.mismatches)))
            .collect(),
        None => HashMap::new(),
    };
    Ok(ComplianceData {
        fleet: Arc::clone(&cx.fleet),
        status,
        mismatches,
        now: cx.now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatches_keep_names_and_drop_contents() {
        let json = r#"[{"kind":"content_differs","path":"~/.bashrc","diff":"-secret\n+other"},
                       {"kind":"version_differs","name":"curl","constraint":">= 8","installed":"7"}]"#;
        let names = mismatch_names(json);
        assert_eq!(names.len(), 2);
        assert_eq!(
            (names[0].kind.as_str(), names[0].subject.as_str()),
            ("content differs", "~/.bashrc")
        );
        assert_eq!(names[1].subject, "curl");
    }
}
