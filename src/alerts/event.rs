//! What an alert's change of state tells the notifiers: the contract between `alerts`, which
//! writes one event per transition in the transaction that changes the alert, and `notify`,
//! which delivers it to every target that wants its severity.

use serde::{Deserialize, Serialize};

/// How bad it is; ordered, so `severity >= target.min_severity` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub(crate) const ALL: [Severity; 4] = [Self::Low, Self::Medium, Self::High, Self::Critical];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which change of state the event tells of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Transition {
    /// The alert opened (one message).
    Opened,
    /// The condition cleared (one message). A workstation's alerts that go stale when it
    /// goes away produce no event.
    Resolved,
    /// Still open and unacknowledged after the severity's reminder interval.
    Reminder,
    /// Still open, and worse: its severity rose (a disk from high at 80 % to critical at 90 %).
    Escalated,
}

impl Transition {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Opened => "opened",
            Self::Resolved => "resolved",
            Self::Reminder => "reminder",
            Self::Escalated => "escalated",
        }
    }
}

impl std::fmt::Display for Transition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One alert transition, with everything a message needs (no lookups at delivery time, so a
/// message queued before a restart or a fleet change still reads right).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct AlertEvent {
    pub(crate) alert_id: i64,
    pub(crate) transition: Transition,
    /// Unix seconds of the transition.
    pub(crate) at: i64,
    pub(crate) machine_id: String,
    /// The machine's display name (fleet.yaml `name`, else its id).
    pub(crate) machine_name: String,
    /// `disk`, `ram`, `cpu`, `offline`, `service`, `container`, `updates`, `drift`.
    pub(crate) rule: String,
    /// The mount, unit or container the alert is about, if any.
    pub(crate) subject: Option<String>,
    pub(crate) severity: Severity,
    /// What is wrong, for people: "plex stopped", "disk / at 93 %".
    pub(crate) summary: String,
    /// The measured value and the threshold crossed, as shown ("93 %", "90 %").
    pub(crate) value: Option<String>,
    pub(crate) threshold: Option<String>,
    /// The suggested action: a whitelisted command name, or advice.
    pub(crate) action: Option<String>,
}

impl AlertEvent {
    /// The same for every delivery of this transition, so a receiver can drop a repeat:
    /// alert id and transition (and the time, for reminders, which recur).
    pub(crate) fn idempotency_key(&self) -> String {
        match self.transition {
            Transition::Reminder => format!("alert-{}-reminder-{}", self.alert_id, self.at),
            Transition::Escalated => format!("alert-{}-escalated-{}", self.alert_id, self.severity),
            t => format!("alert-{}-{t}", self.alert_id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_and_round_trip() {
        assert!(Severity::Critical > Severity::High && Severity::Medium > Severity::Low);
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.as_str()), Some(s));
        }
        assert_eq!(Severity::parse("urgent"), None);
    }
}
