//! The audit trail: what every change to a machine records (`AuditRecord`), what the store
//! gives back (`AuditEntry`), and the hash chain that makes an edited, deleted or reordered
//! entry detectable (`chain`). No SQL here: `store/audit.rs` keeps the rows.
//!
//! Writing an entry, for the code that runs a change (exec, apply, trust, secrets):
//!
//! ```ignore
//! let mut output = CapturedOutput::new();
//! output.push(&stdout_chunk); // as it arrives; memory stays bounded
//! let record = AuditRecord {
//!     action: Action::Exec,
//!     machine: Some("web1".into()),
//!     name: "restart-service".into(),
//!     command: Redacted::new(rendered_without_secrets),
//!     exit_code: Some(0),
//!     duration: Some(elapsed),
//!     output,
//!     fleet_commit: snapshot.commit_id(),
//! };
//! let id = store.audit_append(&record, cx.now(), &audit::local_user())?;
//! ```

mod captured;
pub(crate) mod chain;

use std::time::Duration;

pub(crate) use captured::CapturedOutput;
pub(crate) use chain::{Hash, Problem, ProblemKind, Verification, hex, parse_hex, verify};

/// What kind of change an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// A whitelisted command run over SSH (`homelabcmd exec`), recorded when it finished.
    Exec,
    /// A disruptive whitelisted command about to run on a machine (see `exec::run`): written
    /// before it runs, so a run killed half way still shows what it set off.
    ExecStart,
    /// A pack step applied to a machine (`homelabcmd apply`).
    Apply,
    /// A host key pinned, replaced or removed.
    Trust,
    /// A secret added, changed or removed (never its value).
    Secret,
    /// The fleet repository moved to new commits from its remote (`homelabcmd sync`).
    Sync,
    /// The agent installed, upgraded or removed on a machine (`homelabcmd agent install`).
    Agent,
}

impl Action {
    pub(crate) const ALL: [Self; 7] = [
        Self::Exec,
        Self::ExecStart,
        Self::Apply,
        Self::Trust,
        Self::Secret,
        Self::Sync,
        Self::Agent,
    ];

    pub(crate) fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text)
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Exec => "exec",
            Self::ExecStart => "exec-start",
            Self::Apply => "apply",
            Self::Trust => "trust",
            Self::Secret => "secret",
            Self::Sync => "sync",
            Self::Agent => "agent",
        }
    }
}

/// Text that has already had every secret value removed, and so may be written to the audit
/// log and shown to anyone who can read it.
///
/// homelabcmd cannot tell a secret from other text: the code that renders a command knows
/// which parts came from `secret:NAME` and must put a placeholder there (e.g.
/// `--password '***'`, or `{secret:db_password}`) *before* building this. `Redacted::new` is
/// that promise, made explicit at the call site; `Redacted::scrub` helps when only the secret
/// values are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Redacted(String);

impl Redacted {
    /// Text the caller vouches contains no secret value.
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// `text` with every occurrence of each non-empty value in `secrets` replaced by `***`.
    pub(crate) fn scrub(text: &str, secrets: &[&str]) -> Self {
        let mut text = text.to_string();
        let mut secrets: Vec<&str> = secrets.iter().copied().filter(|s| !s.is_empty()).collect();
        // Longest first, so a secret that contains another is replaced whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        for secret in secrets {
            text = text.replace(secret, "***");
        }
        Self(text)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// One change, as its caller reports it. The store adds the id, the time, the local user and
/// the hash chain (`Store::audit_append`).
#[derive(Debug, Clone)]
pub(crate) struct AuditRecord {
    pub(crate) action: Action,
    /// The machine changed; None for a change to the fleet as a whole (e.g. a secret).
    pub(crate) machine: Option<String>,
    /// The command's name in the whitelist, the pack step, the secret's name, …
    pub(crate) name: String,
    /// The command as run, with secrets replaced by placeholders.
    pub(crate) command: Redacted,
    /// The remote exit status; None when there was none (refused, timed out, connection
    /// lost, or an action that runs nothing). A process killed by a signal: 128 + signal.
    pub(crate) exit_code: Option<i32>,
    /// How long it ran; None when it did not run.
    pub(crate) duration: Option<Duration>,
    /// stdout and stderr as they arrived, bounded (see `CapturedOutput`). Scrub secret values
    /// from it as from the command when a command may print them.
    pub(crate) output: CapturedOutput,
    /// The fleet commit the change was made from (full hex), or None for the work tree.
    pub(crate) fleet_commit: Option<String>,
}

/// One entry as stored: the record's fields, who and when, and its place in the chain.
/// Strings are as found in the database, so an entry edited by hand is still shown as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuditEntry {
    /// 1, 2, 3, … with no gaps.
    pub(crate) id: i64,
    /// Unix seconds.
    pub(crate) time: i64,
    pub(crate) user: String,
    pub(crate) machine: Option<String>,
    /// `exec`, `exec-start`, `apply`, `trust`, `secret` or `agent`.
    pub(crate) action: String,
    pub(crate) name: String,
    pub(crate) command: String,
    pub(crate) exit_code: Option<i64>,
    pub(crate) duration_ms: Option<i64>,
    /// Bytes left out of the middle of the output (0: the output is complete).
    pub(crate) output_omitted: i64,
    pub(crate) fleet_commit: Option<String>,
    /// The previous entry's hash (32 zero bytes for the first).
    pub(crate) prev_hash: Vec<u8>,
    /// SHA-256 of `prev_hash` and this entry's fields (`chain::entry_hash`).
    pub(crate) hash: Vec<u8>,
}

/// Which entries `Store::audit_list` returns (all conditions must hold), newest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct AuditFilter {
    pub(crate) machine: Option<String>,
    pub(crate) action: Option<Action>,
    /// Unix seconds: only entries at or after this time.
    pub(crate) since: Option<i64>,
    pub(crate) limit: u32,
}

/// The local user running homelabcmd: `$USER`, else `$LOGNAME`, else the name of the process's
/// real uid in /etc/passwd (or `uid N`), else `unknown`. Under sudo, the invoking user is
/// added: `root (sudo from alice)`. Environment variables can be set by the user they name,
/// so this says who ran homelabcmd, not who proved it.
pub(crate) fn local_user() -> String {
    let env = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let user = env("USER")
        .or_else(|| env("LOGNAME"))
        .or_else(uid_name)
        .unwrap_or_else(|| "unknown".into());
    match env("SUDO_USER") {
        Some(by) if by != user => format!("{user} (sudo from {by})"),
        _ => user,
    }
}

/// The real uid's name, from /proc and /etc/passwd (no libc call needed).
fn uid_name() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_string();
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let name = passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid).then(|| name.to_string())
    });
    Some(name.unwrap_or_else(|| format!("uid {uid}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_replaces_every_secret_value() {
        let r = Redacted::scrub(
            "mysql -pHUNTER2 -e 'x' # HUNTER2HUNTER2",
            &["HUNTER2", "", "HUNTER2HUNTER2"],
        );
        assert_eq!(r.as_str(), "mysql -p*** -e 'x' # ***");
    }
}
