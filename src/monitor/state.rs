//! A machine's state from its last heartbeat: servers go `offline`, workstations only `away`.

use std::time::Duration;

use serde::Serialize;

use crate::fleet::MachineType;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum State {
    Online,
    /// A server with no heartbeat within its offline threshold.
    Offline,
    /// A workstation not reporting now: shown as "last seen …", never as offline.
    Away,
    /// Never heard from.
    Unknown,
}

impl State {
    pub(crate) fn of(
        kind: MachineType,
        last_seen: Option<i64>,
        offline_after: Duration,
        now: i64,
    ) -> Self {
        let Some(seen) = last_seen else {
            return Self::Unknown;
        };
        let age = now.saturating_sub(seen);
        if age <= offline_after.as_secs() as i64 {
            Self::Online
        } else if kind == MachineType::Workstation {
            Self::Away
        } else {
            Self::Offline
        }
    }
}

/// "42s ago", "5m ago", "3h ago", "2d ago".
pub(crate) fn ago(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        0..60 => format!("{secs}s ago"),
        60..3600 => format!("{}m ago", secs / 60),
        3600..86_400 => format!("{}h ago", secs / 3600),
        _ => format!("{}d ago", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workstations_are_never_offline() {
        let t = Duration::from_secs(180);
        assert_eq!(
            State::of(MachineType::Server, Some(0), t, 100),
            State::Online
        );
        assert_eq!(
            State::of(MachineType::Server, Some(0), t, 181),
            State::Offline
        );
        assert_eq!(
            State::of(MachineType::Workstation, Some(0), t, 10_000),
            State::Away
        );
        assert_eq!(
            State::of(MachineType::Workstation, None, t, 10_000),
            State::Unknown
        );
        assert_eq!(ago(3 * 3600 + 5), "3h ago");
    }
}
