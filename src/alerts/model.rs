//! What an alert is: the rule that raised it, its subject, severity and lifecycle state
//! (open → acknowledged → resolved, or stale while a workstation is away), and its history.

use serde::Serialize;

use super::{AlertEvent, Severity, Transition};

/// The kind of condition an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Rule {
    /// A filesystem fuller than `thresholds.disk` (subject: the mount).
    Disk,
    /// Memory use above `thresholds.ram`.
    Ram,
    /// CPU at or above `thresholds.cpu` for `alerts.cpu_window`.
    Cpu,
    /// A server with no heartbeat within its `offline_after`.
    Offline,
    /// An expected service (fleet.yaml `services`) not active (subject: the unit).
    Service,
    /// A container not running, on machines with `alerts.containers` (subject: its name).
    Container,
    /// Pending security updates.
    Updates,
    /// The machine drifts from its packs (as `diff` or serve's re-check recorded it).
    Drift,
}

impl Rule {
    pub(crate) const ALL: [Rule; 8] = [
        Self::Disk,
        Self::Ram,
        Self::Cpu,
        Self::Offline,
        Self::Service,
        Self::Container,
        Self::Updates,
        Self::Drift,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Disk => "disk",
            Self::Ram => "ram",
            Self::Cpu => "cpu",
            Self::Offline => "offline",
            Self::Service => "service",
            Self::Container => "container",
            Self::Updates => "updates",
            Self::Drift => "drift",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Rules judged from a heartbeat's sample (the others from the clock and the store).
    pub(crate) fn judged_from_samples(self) -> bool {
        !matches!(self, Self::Offline | Self::Drift)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an alert is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum AlertStatus {
    Open,
    Acknowledged,
    Resolved,
    /// Its workstation went away before the condition cleared; judged again when it returns.
    Stale,
}

impl AlertStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Acknowledged => "acknowledged",
            Self::Resolved => "resolved",
            Self::Stale => "stale",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        [Self::Open, Self::Acknowledged, Self::Resolved, Self::Stale]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

impl std::fmt::Display for AlertStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One alert as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Alert {
    pub(crate) id: i64,
    pub(crate) machine_id: String,
    pub(crate) rule: Rule,
    pub(crate) subject: Option<String>,
    pub(crate) severity: Severity,
    pub(crate) status: AlertStatus,
    pub(crate) summary: String,
    pub(crate) value: Option<String>,
    pub(crate) threshold: Option<String>,
    pub(crate) action: Option<String>,
    /// Unix seconds.
    pub(crate) opened_at: i64,
    pub(crate) acknowledged_at: Option<i64>,
    pub(crate) acknowledged_by: Option<String>,
    pub(crate) resolved_at: Option<i64>,
    pub(crate) resolved_by: Option<String>,
    pub(crate) last_notified_at: i64,
}

impl Alert {
    /// The event telling of `transition` at `at`, for the outbox.
    pub(crate) fn event(&self, machine_name: &str, transition: Transition, at: i64) -> AlertEvent {
        AlertEvent {
            alert_id: self.id,
            transition,
            at,
            machine_id: self.machine_id.clone(),
            machine_name: machine_name.to_string(),
            rule: self.rule.as_str().to_string(),
            subject: self.subject.clone(),
            severity: self.severity,
            summary: self.summary.clone(),
            value: self.value.clone(),
            threshold: self.threshold.clone(),
            action: self.action.clone(),
        }
    }
}

/// A change in an alert's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Change {
    Opened,
    Acknowledged,
    Resolved,
    Stale,
    /// Back from stale: its workstation returned and the condition was still there.
    Reopened,
    /// A higher severity while open (a disk past its critical threshold).
    Escalated,
    Reminder,
}

impl Change {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Opened => "opened",
            Self::Acknowledged => "acknowledged",
            Self::Resolved => "resolved",
            Self::Stale => "stale",
            Self::Reopened => "reopened",
            Self::Escalated => "escalated",
            Self::Reminder => "reminder",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        [
            Self::Opened,
            Self::Acknowledged,
            Self::Resolved,
            Self::Stale,
            Self::Reopened,
            Self::Escalated,
            Self::Reminder,
        ]
        .into_iter()
        .find(|c| c.as_str() == text)
    }
}

/// One entry of an alert's history.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HistoryEntry {
    pub(crate) time: i64,
    pub(crate) change: Change,
    /// `hub`, or the user who acknowledged or resolved it.
    pub(crate) actor: String,
    pub(crate) note: Option<String>,
}

/// The actor recorded for changes the hub makes by itself.
pub(crate) const HUB: &str = "hub";
