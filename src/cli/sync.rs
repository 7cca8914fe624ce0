//! `homelabcmd sync`: fetch the fleet repository's remote and fast-forward, or refuse.

use std::path::PathBuf;

use super::Context;
use crate::error::{Error, Kind};
use crate::ops::sync::{self, SyncError, SyncOptions, Synced};
use crate::output::Color;
use crate::text::{escape_block, escape_line};

/// Fetch the fleet repository's remote and fast-forward the checked-out branch to it.
///
/// git itself is run (your SSH configuration, keys and credential helpers apply; it never
/// prompts). Nothing is changed, and the exit code is 4, when the work tree has uncommitted
/// changes to tracked files, when the remote branch diverged from the local one (not a
/// fast-forward), or when the remote commit is not the last commit `apply` applied or a
/// descendant of it — a force-pushed, stale or replayed branch cannot roll machines back.
/// Exit 3 when git fails (the remote unreachable; each git step is stopped after 2 minutes).
///
/// Prints the old and new commit and the commits that arrived, or "already up to date". A
/// sync that moved the fleet is in the audit trail. The GitOps loop from cron:
/// `homelabcmd sync && homelabcmd apply --all --yes`; or let `serve --sync-every` run it.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The remote to fetch (a name or URL) [default: the branch's upstream remote, else origin]
    #[arg(long)]
    remote: Option<String>,
    /// The remote's branch to follow [default: the upstream branch, else the local branch's name]
    #[arg(long)]
    branch: Option<String>,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    if cx.source().rev.is_some() || cx.source().worktree {
        return Err(Error::config(
            "sync moves the checked-out branch; --rev and --worktree do not apply",
        )
        .hint("use --branch to follow another branch of the remote"));
    }
    let start = start_dir(cx);
    let store = cx.store()?;
    let options = SyncOptions {
        remote: args.remote,
        branch: args.branch,
        timeout: sync::GIT_TIMEOUT,
        user: crate::audit::local_user(),
        now: cx.now(),
    };
    match sync::sync(&store, &start, &options) {
        Ok(synced) => report(cx, &synced),
        Err(e) => Err(error(&e, &start)),
    }
}

/// Where the fleet repository is looked for: `--repo`, else the current directory.
fn start_dir(cx: &Context) -> PathBuf {
    match &cx.source().repo {
        Some(dir) => cx.cwd().join(dir),
        None => cx.cwd().to_path_buf(),
    }
}

fn report(cx: &Context, s: &Synced) -> Result<(), Error> {
    if cx.out.is_json() {
        return cx.out.json(s);
    }
    if cx.out.quiet {
        return Ok(());
    }
    let from = format!("{}/{}", escape_line(&s.remote), s.branch);
    let mut text = if s.pulled.is_empty() {
        let mut line = format!("{from}: already up to date at {:.10}", s.old);
        if s.ahead > 0 {
            line.push_str(&format!(
                " (the local branch is {} commit(s) ahead; nothing pushed)",
                s.ahead
            ));
        }
        line + "\n"
    } else {
        let moved = format!(
            "{from}: {:.10} -> {:.10} ({} new commit(s))",
            s.old,
            s.new,
            s.pulled.len()
        );
        cx.out.paint(&moved, Color::Green) + "\n"
    };
    for c in &s.pulled {
        text.push_str(&format!(
            "  {:.10}  {}  {}\n",
            c.id,
            c.time,
            escape_line(&c.summary)
        ));
    }
    cx.out.print(&text)
}

/// The CLI's error: refused (4) when nothing was allowed to change, 3 when git failed.
fn error(e: &SyncError, start: &std::path::Path) -> Error {
    let kind = match e {
        SyncError::Git(_) => Kind::Partial,
        e if e.outcome() == crate::store::sync::SyncOutcome::Refused => Kind::Refused,
        _ => Kind::Config,
    };
    let err = match e {
        SyncError::Git(crate::ops::git::GitError::Failed {
            command,
            status,
            stderr,
        }) => Error::new(
            kind,
            format!("`{}` failed ({status})", escape_line(command)),
        )
        .details(escape_block(stderr)),
        _ => Error::new(kind, escape_line(&e.to_string())),
    };
    err.hints(e.hints(start))
}
