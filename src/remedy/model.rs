//! What a remediation action is: the whitelisted command an alert brought, whether it runs by
//! itself, and where it is in its life (pending → approved → running → completed or failed;
//! or rejected).

use serde::Serialize;

use crate::fleet::model::ActionMode;

/// Where an action is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ActionState {
    /// Waiting: for approval, for its machine's pause to end, or for its group's stagger.
    Pending,
    /// Approved by someone, about to run.
    Approved,
    Running,
    Completed,
    /// It ran and failed, or could not run; it is not tried again unless approved again.
    Failed,
    Rejected,
}

impl ActionState {
    pub(crate) const ALL: [ActionState; 6] = [
        Self::Pending,
        Self::Approved,
        Self::Running,
        Self::Completed,
        Self::Failed,
        Self::Rejected,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Running => "running",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Rejected => "rejected",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl std::fmt::Display for ActionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One action as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Action {
    pub(crate) id: i64,
    pub(crate) alert_id: i64,
    pub(crate) machine_id: String,
    pub(crate) command: String,
    /// The command line as rendered when the alert opened.
    pub(crate) line: String,
    pub(crate) sudo: bool,
    pub(crate) mode: ActionMode,
    pub(crate) state: ActionState,
    /// Unix seconds.
    pub(crate) created_at: i64,
    pub(crate) decided_at: Option<i64>,
    pub(crate) decided_by: Option<String>,
    pub(crate) started_at: Option<i64>,
    pub(crate) finished_at: Option<i64>,
    pub(crate) exit_code: Option<i64>,
    pub(crate) error: Option<String>,
    /// The audit entry of its run.
    pub(crate) audit_id: Option<i64>,
}
