//! `sync`: follow the fleet repository's remote safely — fetch with the operator's own `git`,
//! then fast-forward the checked-out branch, or refuse and change nothing.
//!
//! Refused (the work tree and HEAD untouched): uncommitted changes to tracked files; a remote
//! branch that diverged from the local one; and a remote commit that is not the last applied
//! commit or a descendant of it (an ancestor of it, or unrelated history). The last rule is
//! what keeps a stale or replayed branch from rolling machines back: `apply` records the
//! commit it made changes from (store::sync), and sync only ever moves the fleet forward from
//! there. Every attempt is recorded for the page and /metrics; a sync that moved HEAD is
//! audited, with the commits it brought.

use std::path::{Path, PathBuf};
use std::time::Duration;

use git2::{Oid, Repository, Sort, Status, StatusOptions};
use serde::Serialize;

use super::git::{self, GitError};
use crate::audit::{Action, AuditRecord, CapturedOutput, Redacted};
use crate::store::sync::{AppliedCommit, SyncOutcome};
use crate::store::{Store, StoreError};
use crate::text::escape_line;

/// How long one git command (fetch, merge) may take before it is stopped.
pub(crate) const GIT_TIMEOUT: Duration = Duration::from_secs(120);

/// What to follow, and who asks.
#[derive(Debug, Clone)]
pub(crate) struct SyncOptions {
    /// The remote (a name or a URL); None: the branch's upstream remote, else `origin`.
    pub(crate) remote: Option<String>,
    /// The remote's branch; None: the upstream's branch, else the local branch's name.
    pub(crate) branch: Option<String>,
    /// For each git command.
    pub(crate) timeout: Duration,
    /// Who syncs (for the audit trail), and when.
    pub(crate) user: String,
    pub(crate) now: i64,
}

/// One commit a sync brought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct PulledCommit {
    /// Full hex.
    pub(crate) id: String,
    /// The committer time, RFC 3339.
    pub(crate) time: String,
    /// The message's first line, as written (untrusted: escape before showing).
    pub(crate) summary: String,
}

/// A sync that succeeded.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Synced {
    pub(crate) outcome: SyncOutcome,
    pub(crate) remote: String,
    pub(crate) branch: String,
    /// HEAD before and after (full hex).
    pub(crate) old: String,
    pub(crate) new: String,
    /// Local commits the remote does not have (nothing was pushed or changed for them).
    pub(crate) ahead: usize,
    /// The commits that arrived, newest first.
    pub(crate) pulled: Vec<PulledCommit>,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum SyncError {
    #[error("{0} is not inside a git repository")]
    NoRepo(PathBuf),
    #[error("{0} is a bare repository; sync needs a checked-out fleet repository")]
    Bare(PathBuf),
    #[error("cannot read the repository at {path}: {message}")]
    Repo { path: PathBuf, message: String },
    #[error(
        "HEAD in {0} is not on a branch (detached, or no commits yet): nothing to fast-forward"
    )]
    NotOnBranch(PathBuf),
    #[error("`{name}` is not a valid {what} name")]
    BadName { what: &'static str, name: String },
    #[error("the remote URL has a password in it; refusing to pass it to git on a command line")]
    Password,
    #[error(
        "the work tree has uncommitted changes to tracked files ({files}); nothing was changed"
    )]
    Dirty { files: String },
    #[error(transparent)]
    Git(#[from] GitError),
    /// `from` is the remote's branch, as `origin/main`.
    #[error(
        "{from} ({fetched:.10}) and the local branch ({head:.10}) have diverged: not a fast-forward; nothing was changed"
    )]
    Diverged {
        from: String,
        head: String,
        fetched: String,
    },
    #[error(
        "{from} is at {fetched:.10}, {relation} the last applied commit {applied:.10} (applied {when}): refusing to move the fleet back; nothing was changed",
        when = crate::clock::rfc3339(*.applied_at)
    )]
    Older {
        from: String,
        fetched: String,
        applied: String,
        applied_at: i64,
        relation: &'static str,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    /// Refused (not allowed, nothing changed) or failed (could not find out).
    pub(crate) fn outcome(&self) -> SyncOutcome {
        match self {
            Self::Dirty { .. } | Self::Diverged { .. } | Self::Older { .. } => SyncOutcome::Refused,
            _ => SyncOutcome::Failed,
        }
    }

    /// What to do about it; `dir` is the repository.
    pub(crate) fn hints(&self, dir: &Path) -> Vec<String> {
        let dir = dir.display();
        match self {
            Self::NoRepo(_) => vec!["pass --repo DIR or set HOMELABCMD_REPO to the fleet repository (a clone)".into()],
            Self::Password => vec![
                "a command line shows in process lists and shell history: name a configured remote (`git remote -v`) that uses an SSH key or a credential helper".into(),
            ],
            Self::NotOnBranch(_) => vec![format!("check out the branch to follow, e.g. `git -C {dir} switch main`")],
            Self::Dirty { .. } => vec![format!(
                "commit or stash them (`git -C {dir} status`, `git -C {dir} stash`), then sync again"
            )],
            Self::Git(_) => vec![format!(
                "check that `git -C {dir} fetch` works by hand (the remote's name, the network, SSH keys)"
            )],
            Self::Diverged { head, fetched, .. } => vec![
                format!("see both sides: `git -C {dir} log --oneline --graph {head:.10} {fetched:.10}`"),
                format!("then rebase or merge by hand and push; or, if the remote is right, `git -C {dir} reset --hard {fetched:.10}` (drops the local commits)"),
            ],
            Self::Older { applied, .. } => vec![
                "an older history was pushed (a force-push, or a replayed branch): find out why before anything else".into(),
                format!("if the last applied commit {applied:.10} was never pushed, push it (`git -C {dir} push`)"),
                format!("to roll back on purpose: check the older commit out in {dir} and run `homelabcmd apply` from it; it becomes the last applied commit"),
            ],
            Self::Store(e) => e.hints(),
            Self::Bare(_) | Self::Repo { .. } | Self::BadName { .. } => vec![],
        }
    }
}

/// Fetch the remote and fast-forward the fleet repository around `start`, or refuse; record
/// how it went (store::sync) and audit a sync that moved HEAD. Blocking: runs git.
pub(crate) fn sync(
    store: &Store,
    start: &Path,
    options: &SyncOptions,
) -> Result<Synced, SyncError> {
    let result = attempt(store, start, options);
    let (outcome, commit, error) = match &result {
        Ok(s) => (s.outcome, Some(s.new.clone()), None),
        Err(e) => (e.outcome(), head_id(start), Some(e.to_string())),
    };
    store.record_sync(options.now, outcome, commit.as_deref(), error.as_deref())?;
    result
}

fn attempt(store: &Store, start: &Path, options: &SyncOptions) -> Result<Synced, SyncError> {
    let repo = open(start)?;
    let top = repo
        .workdir()
        .ok_or_else(|| SyncError::Bare(start.to_path_buf()))?
        .to_path_buf();
    let (remote, branch) = follow(&repo, &top, options)?;
    refuse_dirty(&repo, &top)?;
    let refspec = format!("refs/heads/{branch}");
    let fetch = ["fetch", "--quiet", "--no-tags", "--", &remote, &refspec];
    git::run(&top, &fetch, options.timeout)?;
    let fetched = git::run(
        &top,
        &["rev-parse", "--verify", "--quiet", "FETCH_HEAD^{commit}"],
        options.timeout,
    )?;
    // Opened again: the fetch brought objects this handle has not seen.
    let repo = open(&top)?;
    let repo_err = |e: git2::Error| repo_error(&top, &e);
    let fetched = Oid::from_str(fetched.trim()).map_err(repo_err)?;
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(repo_err)?
        .id();
    let from = format!("{}/{branch}", escape_line(&remote));
    not_older(&repo, fetched, store.last_applied()?, from)?;
    let mut synced = Synced {
        outcome: SyncOutcome::UpToDate,
        remote,
        branch,
        old: head.to_string(),
        new: head.to_string(),
        ahead: 0,
        pulled: Vec::new(),
    };
    if fetched == head || repo.graph_descendant_of(head, fetched).map_err(repo_err)? {
        synced.ahead = between(&repo, head, fetched).map_err(repo_err)?.len();
        return Ok(synced);
    }
    if !repo.graph_descendant_of(fetched, head).map_err(repo_err)? {
        return Err(SyncError::Diverged {
            from: format!("{}/{}", escape_line(&synced.remote), synced.branch),
            head: head.to_string(),
            fetched: fetched.to_string(),
        });
    }
    synced.pulled = between(&repo, fetched, head).map_err(repo_err)?;
    let target = fetched.to_string();
    git::run(
        &top,
        &["merge", "--ff-only", "--quiet", &target],
        options.timeout,
    )?;
    synced.outcome = SyncOutcome::Updated;
    synced.new = target;
    store.audit_append(&audit_record(&synced), options.now, &options.user)?;
    Ok(synced)
}

fn open(start: &Path) -> Result<Repository, SyncError> {
    Repository::discover(start).map_err(|e| match e.code() {
        git2::ErrorCode::NotFound => SyncError::NoRepo(start.to_path_buf()),
        _ => repo_error(start, &e),
    })
}

fn repo_error(path: &Path, e: &git2::Error) -> SyncError {
    SyncError::Repo {
        path: path.to_path_buf(),
        message: e.message().to_string(),
    }
}

/// HEAD's commit of the repository around `start`, if it can be read.
fn head_id(start: &Path) -> Option<String> {
    let repo = Repository::discover(start).ok()?;
    let head = repo.head().ok()?.peel_to_commit().ok()?;
    Some(head.id().to_string())
}

/// The remote and branch to follow: as asked, else the checked-out branch's upstream, else
/// `origin` and the local branch's own name.
fn follow(
    repo: &Repository,
    top: &Path,
    options: &SyncOptions,
) -> Result<(String, String), SyncError> {
    let head = repo
        .head()
        .ok()
        .filter(git2::Reference::is_branch)
        .ok_or_else(|| SyncError::NotOnBranch(top.to_path_buf()))?;
    let local = head.shorthand().unwrap_or_default().to_string();
    let config = repo.config().map_err(|e| repo_error(top, &e))?;
    let upstream = |key: &str| config.get_string(&format!("branch.{local}.{key}")).ok();
    let remote = options
        .remote
        .clone()
        .or_else(|| upstream("remote"))
        .unwrap_or_else(|| "origin".into());
    let branch = options
        .branch
        .clone()
        .or_else(|| upstream("merge").and_then(|m| m.strip_prefix("refs/heads/").map(String::from)))
        .unwrap_or(local);
    if remote.is_empty() || remote.starts_with('-') || remote.chars().any(char::is_control) {
        return Err(SyncError::BadName {
            what: "remote",
            name: escape_line(&remote),
        });
    }
    if has_password(&remote) {
        return Err(SyncError::Password);
    }
    if branch.starts_with('-') || !git2::Reference::is_valid_name(&format!("refs/heads/{branch}")) {
        return Err(SyncError::BadName {
            what: "branch",
            name: escape_line(&branch),
        });
    }
    Ok((remote, branch))
}

/// Refuse when tracked files differ from HEAD (in the index or the work tree).
fn refuse_dirty(repo: &Repository, top: &Path) -> Result<(), SyncError> {
    let mut opts = StatusOptions::new();
    opts.include_untracked(false)
        .include_ignored(false)
        .exclude_submodules(true);
    let statuses = repo
        .statuses(Some(&mut opts))
        .map_err(|e| repo_error(top, &e))?;
    let files: Vec<String> = statuses
        .iter()
        .filter(|s| s.status() != Status::CURRENT)
        .map(|s| escape_line(&String::from_utf8_lossy(s.path_bytes())))
        .collect();
    if files.is_empty() {
        return Ok(());
    }
    let mut shown = files.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    if files.len() > 5 {
        shown.push_str(&format!(" and {} more", files.len() - 5));
    }
    Err(SyncError::Dirty { files: shown })
}

/// Refuse a fetched commit that is not the last applied one or a descendant of it.
fn not_older(
    repo: &Repository,
    fetched: Oid,
    applied: Option<AppliedCommit>,
    from: String,
) -> Result<(), SyncError> {
    let Some(applied) = applied else {
        return Ok(());
    };
    let known = Oid::from_str(&applied.commit).ok();
    let forward = |a: Oid| fetched == a || repo.graph_descendant_of(fetched, a).unwrap_or(false);
    if known.is_some_and(forward) {
        return Ok(());
    }
    let behind = known.is_some_and(|a| repo.graph_descendant_of(a, fetched).unwrap_or(false));
    Err(SyncError::Older {
        from,
        fetched: fetched.to_string(),
        applied_at: applied.applied_at,
        applied: applied.commit,
        relation: if behind {
            "an ancestor of (older than)"
        } else {
            "not a descendant of (unrelated to)"
        },
    })
}

/// The commits reachable from `from` but not from `hide`, newest first.
fn between(repo: &Repository, from: Oid, hide: Oid) -> Result<Vec<PulledCommit>, git2::Error> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
    walk.push(from)?;
    walk.hide(hide)?;
    walk.map(|id| {
        let commit = repo.find_commit(id?)?;
        Ok(PulledCommit {
            id: commit.id().to_string(),
            time: crate::clock::rfc3339(commit.time().seconds()),
            summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                .into_owned(),
        })
    })
    .collect()
}

/// The audit entry of a sync that moved HEAD: the commits it brought as its output.
fn audit_record(s: &Synced) -> AuditRecord {
    let lines: String = s
        .pulled
        .iter()
        .map(|c| format!("{:.10} {}\n", c.id, escape_line(&c.summary)))
        .collect();
    let remote = &s.remote;
    AuditRecord {
        action: Action::Sync,
        machine: None,
        name: format!("{remote}/{}", s.branch),
        command: Redacted::new(format!(
            "git fetch {remote} refs/heads/{}; git merge --ff-only {} (was {})",
            s.branch, s.new, s.old
        )),
        exit_code: Some(0),
        duration: None,
        output: CapturedOutput::from(lines.as_bytes()),
        fleet_commit: Some(s.new.clone()),
    }
}

/// Whether a remote URL carries a password (`https://user:token@host/x`).
fn has_password(remote: &str) -> bool {
    remote
        .split_once("://")
        .and_then(|(_, rest)| rest.split('/').next())
        .and_then(|host| host.rsplit_once('@'))
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_a_remote_url_is_seen() {
        assert!(has_password("https://me:s3cret@git.example/fleet.git"));
        assert!(!has_password("https://me@git.example/fleet.git"));
        assert!(!has_password("https://git.example/a:b@c"));
        assert!(!has_password("ssh://git@host:22/fleet.git"));
        assert!(!has_password("git@host:fleet.git"));
        assert!(!has_password("origin"));
    }
}
