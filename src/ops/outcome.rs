//! What an agent operation is asked to do (`Verb`, `Init`) and what it did on one machine
//! (`Change`, `Installed`, `OpsError`).

use std::fmt;
use std::time::Duration;

use super::{arch, layout};
use crate::remote::RemoteError;

/// This build's version: the agent built with it reports the same.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What to do with the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Verb {
    Install,
    /// Install where the installed version differs from this build's.
    Upgrade,
    Remove,
}

impl Verb {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Install => "install",
            Self::Upgrade => "upgrade",
            Self::Remove => "remove",
        }
    }
}

/// How the agent is kept running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Init {
    /// systemd where `/run/systemd/system` exists; elsewhere refused.
    Auto,
    /// A systemd unit, enabled and started.
    Systemd,
    /// A background process (nohup + setsid) with a pid file, for machines without systemd
    /// (containers); it is not started again at boot.
    None,
}

/// What changed on a machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Change {
    Installed,
    /// Some files differed and were rewritten; the agent restarted.
    Updated,
    /// Nothing differed but the agent was not running: started.
    Started,
    Unchanged,
    Upgraded,
    UpToDate,
    NotInstalled,
    Removed,
}

impl Change {
    /// Whether the machine was changed (and so a new heartbeat is awaited after an install).
    pub(crate) fn changed(self) -> bool {
        matches!(
            self,
            Self::Installed | Self::Updated | Self::Started | Self::Upgraded | Self::Removed
        )
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Installed => "installed",
            Self::Updated => "updated",
            Self::Started => "started",
            Self::Unchanged => "unchanged",
            Self::Upgraded => "upgraded",
            Self::UpToDate => "up to date",
            Self::NotInstalled => "not installed",
            Self::Removed => "removed",
        })
    }
}

/// What was done on one machine.
#[derive(Debug, Clone)]
pub(crate) struct Installed {
    /// `uname -m` as the machine said it (remote text).
    pub(crate) uname: String,
    /// How the agent runs, when it was installed.
    pub(crate) init: Option<Init>,
    /// The installed agent's version before (remote text).
    pub(crate) before: Option<String>,
    /// After: this build's, when installed or upgraded.
    pub(crate) after: Option<String>,
    pub(crate) change: Change,
    pub(crate) duration: Duration,
}

/// Why one machine's work failed.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum OpsError {
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error(transparent)]
    Binary(#[from] arch::BinaryError),
    #[error("systemd is not running there (no /run/systemd/system)")]
    NoSystemd,
    #[error("--init systemd, but there is no systemctl there")]
    NoSystemctl,
    #[error("the {step} script failed (exit {}): {detail}", exit.map_or("-".into(), |e| e.to_string()))]
    Script {
        step: &'static str,
        exit: Option<u32>,
        detail: String,
    },
    #[error(transparent)]
    Root(#[from] layout::RootError),
    #[error(transparent)]
    Record(#[from] crate::compliance::apply::ScriptError),
    #[error("its agent did not report to the hub within {secs}s")]
    NoHeartbeat { secs: u64 },
}

impl OpsError {
    /// Not allowed (host key, authentication, sudo) or not possible as asked (no binary, no
    /// systemd): exit 4; anything else is a failure of this machine only (exit 3).
    pub(crate) fn refused(&self) -> bool {
        match self {
            Self::Remote(e) => e.refused(),
            Self::Binary(_) | Self::NoSystemd | Self::NoSystemctl => true,
            _ => false,
        }
    }

    pub(crate) fn hint(&self) -> Option<String> {
        match self {
            Self::Remote(e) => e.hint(),
            Self::Binary(e) => Some(match e {
                arch::BinaryError::Missing { build, .. } => format!(
                    "run `{build}` and put the binary in --agent-dir (README: \"Agent binaries\")"
                ),
                _ => "see README: \"Agent binaries\"".into(),
            }),
            Self::NoSystemd => Some(
                "for a machine without systemd (a container), `--init none` runs the agent as a background process".into(),
            ),
            Self::NoSystemctl => Some("use --init none, or --init auto".into()),
            Self::NoHeartbeat { .. } => Some(
                "check that the machine reaches --hub-url and that `serve` runs; the agent logs to its state directory (agent.log) or `journalctl -u homelabcmd-agent`".into(),
            ),
            _ => None,
        }
    }
}
