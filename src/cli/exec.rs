//! `homelabcmd exec TARGET COMMAND [PARAM=VALUE…]`: run a whitelisted command over SSH. The
//! flags are parsed here, the work (fan-out, stagger, audit) is `exec::run`'s, and the
//! results are rendered here.

use std::io::IsTerminal;
use std::time::Duration;

use serde::Serialize;

use super::Context;
use crate::error::{Error, Kind};
use crate::exec::targets::{self, Selection, Timeouts};
use crate::exec::{self as whitelist, Rendered};
use crate::fleet::{MachineType, parse_duration};
use crate::output::{Color, Table, escape_line, remote_text};
use crate::remote::RemoteError;
use crate::remote::fanout::Done;

/// Run a command from the whitelist on one machine, a group, or many.
///
/// Examples: `homelabcmd exec omv-mediaserver restart-service service=plex`,
/// `homelabcmd exec --all uptime`, `homelabcmd exec dns reboot` (a staggered group reboots one
/// machine at a time). The whitelist is fleet.yaml's `commands:` plus the built-ins
/// (`homelabcmd exec --list`). Anything not on it, or a parameter that does not fit its type,
/// is refused before any connection (exit 4). Unreachable machines fail alone (exit 3).
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// [TARGET] COMMAND [PARAM=VALUE…]; TARGET is a machine or group unless --all/--tag/--type
    #[arg(value_name = "ARGS")]
    words: Vec<String>,

    /// Every machine of the fleet
    #[arg(long)]
    all: bool,

    /// Machines with this tag (repeat: all must match)
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,

    /// Only servers or only workstations
    #[arg(long = "type", value_name = "TYPE", value_parser = ["server", "workstation"])]
    kind: Option<String>,

    /// List the whitelist and exit
    #[arg(long)]
    list: bool,

    /// Machines worked on at once
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..=1024))]
    concurrency: u16,

    /// Per-machine command timeout (e.g. 30s, 5m) [default: ssh.command_timeout, else 60s]
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    timeout: Option<Duration>,

    /// Connect timeout [default: ssh.connect_timeout, else 5s]
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    connect_timeout: Option<Duration>,
}

pub(crate) fn duration(text: &str) -> Result<Duration, String> {
    parse_duration(text)
        .filter(|d| !d.is_zero())
        .ok_or_else(|| "write it like 30s, 5m or 1h".into())
}

#[derive(Serialize)]
struct JsonResult<'a> {
    machine: &'a str,
    ok: bool,
    exit: Option<u32>,
    duration_ms: Option<u128>,
    stdout: String,
    stderr: String,
    error: Option<String>,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (snapshot, fleet) = cx.fleet()?;
    if args.list {
        return list(cx, &fleet);
    }
    let (selection, command, params) = words(&args)?;
    let single = selection.name.is_some();
    let machines =
        targets::select(&fleet, &selection).map_err(|(msg, hint)| Error::config(msg).hint(hint))?;
    // Refused before any connection.
    let rendered: Rendered = whitelist::render(&fleet, &command, &params).map_err(refusal)?;
    let known = cx.known_hosts(&snapshot);
    let secret = |name: &str| cx.secret(&snapshot, name);
    let request = whitelist::Request {
        fleet: &fleet,
        machines: &machines,
        command: &rendered,
        known: &known,
        timeouts: Timeouts {
            connect: args.connect_timeout,
            command: args.timeout,
        },
        concurrency: usize::from(args.concurrency),
        secret: &secret,
        fleet_commit: snapshot.commit_id(),
    };
    let tty = std::io::stderr().is_terminal() && !cx.out.quiet && machines.len() > 1;
    let mut progress = |n: usize, total: usize| {
        if tty {
            eprint!("\r{n}/{total} machines done");
            if n == total {
                eprint!("\r\x1b[K");
            }
        }
    };
    let store = cx.store()?;
    let ran = super::runtime()?.block_on(whitelist::run(&request, &store, &mut progress))?;
    report(cx, &rendered, &ran.results, single && machines.len() == 1)?;
    match ran.audit_failure {
        None => Ok(()),
        Some(e) => Err(Error::config(format!(
            "the audit trail could not be written: {e}"
        ))),
    }
}

/// The machines chosen, the command and its `PARAM=VALUE` words.
fn words(args: &Args) -> Result<(Selection, String, Vec<String>), Error> {
    let by_flags = args.all || !args.tag.is_empty() || args.kind.is_some();
    let mut words = args.words.iter();
    let target = if by_flags {
        None
    } else {
        words.next().cloned()
    };
    let Some(command) = words.next() else {
        return Err(Error::config("which command?").hint("usage: homelabcmd exec TARGET COMMAND [PARAM=VALUE…]; `homelabcmd exec --list` shows the whitelist"));
    };
    let selection = Selection {
        name: target,
        all: args.all,
        tags: args.tag.clone(),
        kind: args.kind.as_deref().map(|k| {
            if k == "server" {
                MachineType::Server
            } else {
                MachineType::Workstation
            }
        }),
    };
    Ok((selection, command.clone(), words.cloned().collect()))
}

/// A command or parameter the whitelist refuses (exit 4).
fn refusal(r: whitelist::Refusal) -> Error {
    let hint = match &r {
        whitelist::Refusal::NotListed(_) => {
            "`homelabcmd exec --list` shows what may run; add commands under `commands:` in fleet.yaml"
        }
        _ => "`homelabcmd exec --list` shows each command's parameters",
    };
    Error::new(Kind::Refused, r.to_string()).hint(hint)
}

/// Print the results: JSON, one machine's output as it is, or a table; then the exit status.
/// Text from the machines is escaped for the terminal (`output::remote_text`), except one
/// machine's stdout sent to a file or pipe, which stays byte for byte what the command printed.
fn report(cx: &Context, rendered: &Rendered, results: &[Done], single: bool) -> Result<(), Error> {
    if cx.out.is_json() {
        let rows: Vec<JsonResult<'_>> = results.iter().map(JsonResult::new).collect();
        cx.out
            .json(&serde_json::json!({ "command": rendered.name, "results": rows }))?;
    } else if single {
        if let Ok(out) = &results[0].result {
            if std::io::stdout().is_terminal() {
                cx.out.print(&remote_text(&out.stdout))?;
            } else {
                cx.out.print_bytes(&out.stdout)?;
            }
            eprint!("{}", remote_text(&out.stderr));
        }
    } else {
        cx.out.print(&table(cx, results))?;
    }
    match failure(results) {
        None => Ok(()),
        Some(err) => Err(err),
    }
}

impl<'a> JsonResult<'a> {
    fn new(d: &'a Done) -> Self {
        match &d.result {
            Ok(out) => JsonResult {
                machine: &d.machine,
                ok: out.exit == Some(0),
                exit: out.exit,
                duration_ms: Some(out.duration.as_millis()),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
                error: None,
            },
            Err(e) => JsonResult {
                machine: &d.machine,
                ok: false,
                exit: None,
                duration_ms: None,
                stdout: String::new(),
                stderr: String::new(),
                error: Some(e.to_string()),
            },
        }
    }
}

/// One row per machine with the first line of its output (escaped); with -v, every
/// machine's whole output after the table.
fn table(cx: &Context, results: &[Done]) -> String {
    let mut table = Table::new(&["MACHINE", "EXIT", "TIME", "OUTPUT"]);
    for d in results {
        let (exit, time, first, color) = match &d.result {
            Ok(out) => {
                let text = if out.stdout.is_empty() {
                    &out.stderr
                } else {
                    &out.stdout
                };
                let line = String::from_utf8_lossy(text);
                let first = line.lines().next().unwrap_or_default();
                let ok = out.exit == Some(0);
                (
                    out.exit.map_or("-".into(), |e| e.to_string()),
                    format!("{:.2}s", out.duration.as_secs_f64()),
                    escape_line(&first.chars().take(80).collect::<String>()),
                    if ok { None } else { Some(Color::Red) },
                )
            }
            Err(e) => (
                "-".into(),
                "-".into(),
                escape_line(&e.to_string()),
                Some(Color::Red),
            ),
        };
        table.styled_row(vec![
            (d.machine.clone(), None),
            (exit, color),
            (time, None),
            (first, color),
        ]);
    }
    let mut text = table.render(&cx.out);
    if cx.out.verbose > 0 {
        for d in results {
            if let Ok(out) = &d.result {
                text.push_str(&format!(
                    "\n== {} (exit {})\n",
                    d.machine,
                    out.exit.map_or("-".into(), |e| e.to_string())
                ));
                text.push_str(&remote_text(&out.stdout));
                text.push_str(&remote_text(&out.stderr));
            }
        }
    }
    text
}

/// The error to exit with when a machine failed: refused (4) if any refused, else partial (3).
fn failure(results: &[Done]) -> Option<Error> {
    let refused = results
        .iter()
        .any(|d| matches!(&d.result, Err(e) if e.refused()));
    let failed = results.iter().any(|d| match &d.result {
        Err(_) => true,
        Ok(out) => out.exit != Some(0),
    });
    if !failed {
        return None;
    }
    let kind = if refused {
        Kind::Refused
    } else {
        Kind::Partial
    };
    let mut err = Error::new(kind, summary(results));
    for d in results {
        if let Err(e) = &d.result {
            err = err.details_line(format!("{}: {}", d.machine, escape_line(&e.to_string())));
            if let Some(h) = e.hint() {
                err = err.hint(h);
            }
        }
    }
    Some(err)
}

fn summary(results: &[Done]) -> String {
    let total = results.len();
    // (label, how many) in the order they are listed.
    let mut counts = [
        ("exited non-zero", 0),
        ("unreachable", 0),
        ("refused", 0),
        ("not run", 0),
    ];
    for d in results {
        let slot = match &d.result {
            Ok(out) if out.exit == Some(0) => continue,
            Ok(_) => 0,
            Err(RemoteError::NotRun(_)) => 3,
            Err(e) if e.refused() => 2,
            Err(_) => 1,
        };
        counts[slot].1 += 1;
    }
    let bad: usize = counts.iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| format!("{n} {label}"))
        .collect();
    format!(
        "{bad} of {total} machine{}: {}",
        if total == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

fn list(cx: &Context, fleet: &crate::fleet::Fleet) -> Result<(), Error> {
    let list = whitelist::whitelist(fleet);
    if cx.out.is_json() {
        return cx.out.json(&serde_json::json!({ "commands": list }));
    }
    let mut table = Table::new(&["COMMAND", "SUDO", "PARAMETERS", "DESCRIPTION"]);
    for c in &list {
        let params: Vec<String> = c.params.keys().map(|p| format!("{p}=…")).collect();
        table.row(vec![
            c.name.clone(),
            if c.sudo { "yes".into() } else { "-".into() },
            if params.is_empty() {
                "-".into()
            } else {
                params.join(" ")
            },
            c.description.clone().unwrap_or_default(),
        ]);
    }
    cx.out.print(&table.render(&cx.out))
}
