//! Reaching machines over SSH: pinned host keys, the credential chain, running commands with
//! timeouts and sudo, and fanning a command out to many machines with bounded concurrency.

pub(crate) mod fanout;
pub(crate) mod known_hosts;
pub(crate) mod session;

/// Why a machine could not be reached or refused us. Each is distinct so the operator knows
/// what to fix; `refused()` tells which mean "not allowed" (exit 4) rather than "unreachable".
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum RemoteError {
    #[error("`{address}` does not resolve")]
    Resolve { address: String },
    #[error("connection refused by {addr} (is sshd running?)")]
    Refused { addr: String },
    #[error("no answer from {addr} within {secs}s")]
    ConnectTimeout { addr: String, secs: u64 },
    #[error("the host key of {machine} is not trusted (it offers {fingerprint})")]
    HostKeyUnknown {
        machine: String,
        fingerprint: String,
    },
    #[error("the host key of {machine} CHANGED: pinned {expected}, offered {found}")]
    HostKeyChanged {
        machine: String,
        expected: String,
        found: String,
    },
    #[error("authentication as {user} on {machine} failed (tried: {tried})")]
    Auth {
        user: String,
        machine: String,
        tried: String,
    },
    #[error("sudo refused on {machine}: {detail}")]
    SudoRefused { machine: String, detail: String },
    #[error("the command did not finish within {secs}s")]
    CommandTimeout { secs: u64 },
    #[error("{machine} is a workstation that is away (last seen {last_seen}): {cause}")]
    Away {
        machine: String,
        last_seen: String,
        cause: String,
    },
    /// The command was not run on this machine (for example: its "started" audit entry
    /// could not be written).
    #[error("not run: {0}")]
    NotRun(String),
    #[error("{0}")]
    Key(String),
    #[error("{0}")]
    Ssh(String),
}

impl RemoteError {
    /// Not allowed (host key, authentication, sudo): exit 4, not a connectivity problem.
    pub(crate) fn refused(&self) -> bool {
        matches!(
            self,
            Self::HostKeyUnknown { .. }
                | Self::HostKeyChanged { .. }
                | Self::Auth { .. }
                | Self::SudoRefused { .. }
                | Self::Key(_)
        )
    }

    pub(crate) fn hint(&self) -> Option<String> {
        match self {
            Self::HostKeyUnknown { machine, .. } => Some(format!(
                "check the fingerprint, then `homelabcmd hosts trust {machine}` and commit known_hosts"
            )),
            Self::HostKeyChanged { .. } => Some(
                "a changed key means a reinstalled machine or someone in between: verify it out of band; if it is right, remove the old line from known_hosts and trust again".into(),
            ),
            Self::Auth { .. } => Some("set `ssh: { user, identity }` in fleet.yaml, or load the key into ssh-agent".into()),
            Self::SudoRefused { .. } => Some("give the user passwordless sudo, or `ssh: { sudo_password: secret:NAME }`".into()),
            _ => None,
        }
    }
}
