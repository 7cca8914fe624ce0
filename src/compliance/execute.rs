//! Applying on one machine, over one SSH session: probe again and refuse if the machine
//! changed since the plan was shown (or holds a link or directory where a file should be),
//! run the scripts with the files' contents on their stdin, then probe once more and report
//! what is still not compliant.

use std::time::Duration;

use super::apply::{self, Summary};
use super::plan::{self, Mismatch, Wanted};
use super::probe;
use crate::remote::RemoteError;
use crate::remote::session::{Connection, Target, quote};

/// How long the steps of an apply may take.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StepTimeouts {
    /// Probes and file changes.
    pub(crate) command: Duration,
    /// A step that installs packages (apt can take many minutes).
    pub(crate) packages: Duration,
}

/// How an apply on one machine ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Applied; `remaining` is empty when the machine is now compliant.
    Applied {
        summary: Summary,
        remaining: Vec<Mismatch>,
        output: Vec<u8>,
    },
    /// The machine no longer matched the plan shown: nothing was changed.
    Changed {
        now: Vec<Mismatch>,
    },
    /// A link, directory or other non-file is where the packs want a file (or a non-directory
    /// where they want a directory): apply does not clobber it, and changed nothing.
    Blocked {
        blocking: Vec<Mismatch>,
    },
    /// A script failed part-way (what ran stays; running apply again converges).
    Failed {
        step: &'static str,
        exit: Option<u32>,
        output: Vec<u8>,
    },
    Unreachable(RemoteError),
}

async fn probe_now(
    conn: &Connection,
    want: &Wanted,
) -> Result<(probe::Facts, Vec<Mismatch>), RemoteError> {
    let request = want.request();
    let out = conn
        .run_with_input(
            probe::RUN,
            want.needs_root(),
            probe::script(&request).into_bytes(),
            conn.target.command_timeout,
        )
        .await?;
    let facts = probe::parse(&request, &String::from_utf8_lossy(&out.stdout))
        .map_err(|e| RemoteError::Ssh(e.to_string()))?;
    let mismatches = plan::compare(want, &facts);
    Ok((facts, mismatches))
}

pub(crate) async fn apply(
    target: Target,
    want: Wanted,
    planned: Vec<Mismatch>,
    timeouts: StepTimeouts,
) -> Outcome {
    let conn = match Connection::open(&target).await {
        Ok(c) => c,
        Err(e) => return Outcome::Unreachable(e),
    };
    let outcome = on(&conn, &want, planned, timeouts).await;
    conn.close().await;
    outcome
}

/// The apply on an open connection.
async fn on(
    conn: &Connection,
    want: &Wanted,
    planned: Vec<Mismatch>,
    timeouts: StepTimeouts,
) -> Outcome {
    let (facts, now) = match probe_now(conn, want).await {
        Ok(x) => x,
        Err(e) => return Outcome::Unreachable(e),
    };
    if now != planned {
        return Outcome::Changed { now };
    }
    let blocking: Vec<Mismatch> = now.iter().filter(|m| m.blocks_apply()).cloned().collect();
    if !blocking.is_empty() {
        return Outcome::Blocked { blocking };
    }
    let scripts = match apply::scripts(want, &facts, &now) {
        Ok(s) => s,
        Err(e) => {
            return Outcome::Failed {
                step: "plan",
                exit: None,
                output: e.to_string().into_bytes(),
            };
        }
    };
    let mut output = Vec::new();
    for (step, script, sudo) in [
        ("files", &scripts.user, false),
        ("system changes (sudo)", &scripts.root, true),
    ] {
        if let Err(exit) = run_script(conn, script, sudo, timeouts, &mut output).await {
            return Outcome::Failed { step, exit, output };
        }
    }
    match probe_now(conn, want).await {
        Ok((_, remaining)) => Outcome::Applied {
            summary: scripts.summary,
            remaining,
            output,
        },
        Err(e) => Outcome::Unreachable(e),
    }
}

/// Run one script with its input on stdin, its output added to `output`; Err(exit) when it
/// failed (None: it did not finish, or could not start).
async fn run_script(
    conn: &Connection,
    script: &apply::Script,
    sudo: bool,
    timeouts: StepTimeouts,
    output: &mut Vec<u8>,
) -> Result<(), Option<u32>> {
    if script.is_empty() {
        return Ok(());
    }
    let line = if sudo {
        script.text.clone()
    } else {
        format!("sh -c {}", quote(&script.text))
    };
    let timeout = if script.installs_packages {
        timeouts.packages
    } else {
        timeouts.command
    };
    match conn
        .run_with_input(&line, sudo, script.input.clone(), timeout)
        .await
    {
        Ok(out) => {
            output.extend_from_slice(&out.stdout);
            output.extend_from_slice(&out.stderr);
            if out.exit == Some(0) {
                Ok(())
            } else {
                Err(out.exit)
            }
        }
        Err(e) => {
            output.extend_from_slice(e.to_string().as_bytes());
            Err(None)
        }
    }
}
