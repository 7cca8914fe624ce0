//! `homelabcmd actions`: the remediation actions alerts brought — list them, `approve` one
//! (which runs it from here, over SSH, through the exec core) or `reject` one.

use serde::Serialize;

use super::Context;
use crate::error::{Error, Kind};
use crate::output::{Table, escape_line};
use crate::remedy::model::{Action, ActionState};
use crate::remedy::run::{self, Reach};
use crate::remedy::{self, RemedyError};

/// The remediation actions alerts brought: pending, approved, running and failed ones,
/// newest first.
///
/// An alert whose rule names an action (fleet.yaml `alerts.actions`) brings one when it
/// opens. `auto` actions are run by `serve` at once unless the machine is paused; the others
/// wait here. `approve` runs one now, from this machine; `reject` ends it unrun.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Option<ActionsCommand>,

    /// Completed and rejected actions too
    #[arg(long)]
    all: bool,
}

#[derive(Debug, clap::Subcommand)]
enum ActionsCommand {
    /// Approve a pending (or failed) action and run it now, over SSH, audited
    Approve(IdArgs),
    /// Reject a pending (or failed) action: it will not run
    Reject(IdArgs),
}

#[derive(Debug, clap::Args)]
struct IdArgs {
    /// The action's id (the first column of `homelabcmd actions`)
    id: i64,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    match args.command {
        None => list(cx, args.all),
        Some(ActionsCommand::Approve(a)) => approve(cx, a.id),
        Some(ActionsCommand::Reject(a)) => reject(cx, a.id),
    }
}

impl From<RemedyError> for Error {
    fn from(e: RemedyError) -> Self {
        match e {
            RemedyError::Store(e) => e.into(),
            RemedyError::NotFound(_) => Error::config(e.to_string())
                .hint("`homelabcmd actions --all` lists them with their ids"),
            RemedyError::Stagger { .. } => Error::new(Kind::Refused, e.to_string())
                .hint("approve it again once the stagger has passed"),
            RemedyError::Settled { .. } | RemedyError::Gone(_) => {
                Error::new(Kind::Config, e.to_string())
            }
        }
    }
}

/// One action in `-o json`: times in RFC 3339.
#[derive(Serialize)]
struct ActionJson<'a> {
    id: i64,
    alert_id: i64,
    machine: &'a str,
    command: &'a str,
    line: &'a str,
    sudo: bool,
    mode: &'a str,
    state: ActionState,
    created_at: String,
    decided_at: Option<String>,
    decided_by: Option<&'a str>,
    started_at: Option<String>,
    finished_at: Option<String>,
    exit_code: Option<i64>,
    error: Option<&'a str>,
    audit_id: Option<i64>,
}

impl<'a> ActionJson<'a> {
    fn new(a: &'a Action) -> Self {
        let time = crate::clock::rfc3339;
        Self {
            id: a.id,
            alert_id: a.alert_id,
            machine: &a.machine_id,
            command: &a.command,
            line: &a.line,
            sudo: a.sudo,
            mode: a.mode.as_str(),
            state: a.state,
            created_at: time(a.created_at),
            decided_at: a.decided_at.map(time),
            decided_by: a.decided_by.as_deref(),
            started_at: a.started_at.map(time),
            finished_at: a.finished_at.map(time),
            exit_code: a.exit_code,
            error: a.error.as_deref(),
            audit_id: a.audit_id,
        }
    }
}

#[derive(Serialize)]
struct ActionsJson<'a> {
    actions: Vec<ActionJson<'a>>,
}

fn list(cx: &Context, all: bool) -> Result<(), Error> {
    let actions = match cx.existing_store()? {
        Some(store) => remedy::list(&store, all)?,
        None => Vec::new(),
    };
    if cx.out.is_json() {
        return cx.out.json(&ActionsJson {
            actions: actions.iter().map(ActionJson::new).collect(),
        });
    }
    if actions.is_empty() {
        return cx.out.print(if all {
            "no actions\n"
        } else {
            "no actions waiting (`--all` shows finished ones)\n"
        });
    }
    let mut table = Table::new(&[
        "ID", "ALERT", "MACHINE", "COMMAND", "MODE", "STATE", "CREATED",
    ]);
    for a in &actions {
        table.row(vec![
            a.id.to_string(),
            a.alert_id.to_string(),
            a.machine_id.clone(),
            escape_line(&a.line),
            a.mode.as_str().into(),
            state_cell(a),
            crate::clock::rfc3339(a.created_at),
        ]);
    }
    cx.out.print(&table.render(&cx.out))
}

fn state_cell(a: &Action) -> String {
    match (a.state, a.exit_code, &a.error) {
        (ActionState::Failed, Some(code), _) => format!("failed (exit {code})"),
        (ActionState::Failed, None, Some(e)) => format!("failed: {}", escape_line(e)),
        (state, _, _) => state.to_string(),
    }
}

fn store_with(cx: &Context, id: i64) -> Result<crate::store::Store, Error> {
    cx.existing_store()?
        .ok_or_else(|| RemedyError::NotFound(id).into())
}

fn reject(cx: &Context, id: i64) -> Result<(), Error> {
    let store = store_with(cx, id)?;
    let user = crate::audit::local_user();
    let action = remedy::reject(&store, id, &user, cx.now())?;
    done(cx, &action)
}

/// Approve and run it here: the fleet and SSH setup are this machine's, as for `exec`.
fn approve(cx: &Context, id: i64) -> Result<(), Error> {
    let store = store_with(cx, id)?;
    let (snapshot, fleet) = cx.fleet()?;
    let known = cx.known_hosts(&snapshot);
    let secret = |name: &str| cx.secret(&snapshot, name);
    let reach = Reach {
        fleet: &fleet,
        known: &known,
        secret: &secret,
        fleet_commit: snapshot.commit_id(),
    };
    let user = crate::audit::local_user();
    let action = super::runtime()?.block_on(run::approve_and_run(&store, &reach, id, &user))?;
    done(cx, &action)?;
    if action.state == ActionState::Failed {
        return Err(Error::new(
            Kind::Partial,
            format!("action {id} failed: {}", state_cell(&action)),
        ));
    }
    Ok(())
}

fn done(cx: &Context, a: &Action) -> Result<(), Error> {
    if cx.out.is_json() {
        return cx.out.json(&ActionJson::new(a));
    }
    if cx.out.quiet {
        return Ok(());
    }
    cx.out.print(&format!(
        "action {} ({} on {}, alert {}): {}\n",
        a.id,
        a.command,
        a.machine_id,
        a.alert_id,
        state_cell(a)
    ))
}
