//! `homelabcmd validate`: read the fleet and report every problem, with file:line:col.

use serde::Serialize;

use super::Context;
use crate::error::Error;
use crate::fleet::{self, LoadError, MachineType};

/// Check fleet.yaml and packs/ and report every problem at once.
///
/// Exit code 0 when the fleet is valid, 2 when it is not. With -o json, the problems are
/// printed as {"valid": false, "errors": [{file, line, column, message, hint}]}.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

#[derive(Serialize)]
struct Report<'a> {
    valid: bool,
    source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<Summary>,
    errors: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Source {
    /// The commit read (full hex), or null for the work tree.
    commit: Option<String>,
    description: String,
}

#[derive(Serialize)]
struct Summary {
    machines: usize,
    servers: usize,
    workstations: usize,
    packs: usize,
    groups: usize,
    commands: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    hint: Option<&'a str>,
}

pub(crate) fn run(cx: &Context, _args: Args) -> Result<(), Error> {
    let snapshot = cx.snapshot()?;
    let source = Source {
        commit: snapshot.commit_id(),
        description: snapshot.describe(),
    };
    if !cx.out.is_json() {
        let (snapshot, fleet) = cx.fleet()?;
        if !cx.out.quiet {
            let s = summary(&fleet);
            cx.out.print(&format!(
                "ok: {} is valid: {} ({}, {}), {}, {}, {}\n",
                snapshot.describe(),
                count(s.machines, "machine"),
                count(s.servers, "server"),
                count(s.workstations, "workstation"),
                count(s.packs, "pack"),
                count(s.groups, "group"),
                count(s.commands, "command"),
            ))?;
        }
        return Ok(());
    }
    match fleet::load(&snapshot) {
        Ok(fleet) => cx.out.json(&Report {
            valid: true,
            source,
            summary: Some(summary(&fleet)),
            errors: Vec::new(),
        }),
        Err(LoadError::Invalid(invalid)) => {
            cx.out.json(&Report {
                valid: false,
                source,
                summary: None,
                errors: invalid
                    .diagnostics
                    .iter()
                    .map(|d| JsonDiagnostic {
                        file: &d.file,
                        line: d.pos.line,
                        column: d.pos.col,
                        message: &d.message,
                        hint: d.hint.as_deref(),
                    })
                    .collect(),
            })?;
            Err(Error::config(invalid.summary()))
        }
        Err(e) => Err(e.into()),
    }
}

fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn summary(fleet: &fleet::Fleet) -> Summary {
    let servers = fleet
        .machines
        .iter()
        .filter(|m| m.kind == MachineType::Server)
        .count();
    Summary {
        machines: fleet.machines.len(),
        servers,
        workstations: fleet.machines.len() - servers,
        packs: fleet.packs.len(),
        groups: fleet.groups.len(),
        commands: fleet.commands.len(),
    }
}
