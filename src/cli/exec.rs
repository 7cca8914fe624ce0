//! `homelabcmd exec TARGET COMMAND [PARAM=VALUE…]`: run a whitelisted command over SSH.

use std::io::IsTerminal;
use std::time::Duration;

use serde::Serialize;

use super::Context;
use crate::audit::{self, Action, AuditRecord, CapturedOutput, Redacted};
use crate::error::{Error, Kind};
use crate::exec::targets::{self, Selection, Timeouts};
use crate::exec::{self as whitelist, Rendered};
use crate::fleet::{MachineType, parse_duration};
use crate::output::{Color, Table};
use crate::remote::fanout::{self, Done, Job};

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

fn duration(text: &str) -> Result<Duration, String> {
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
    let params: Vec<String> = words.cloned().collect();
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
    let machines =
        targets::select(&fleet, &selection).map_err(|(msg, hint)| Error::config(msg).hint(hint))?;
    // Refused before any connection.
    let rendered: Rendered = whitelist::render(&fleet, command, &params).map_err(|r| {
        let hint = match &r {
            whitelist::Refusal::NotListed(_) => "`homelabcmd exec --list` shows what may run; add commands under `commands:` in fleet.yaml",
            _ => "`homelabcmd exec --list` shows each command's parameters",
        };
        Error::new(Kind::Refused, r.to_string()).hint(hint)
    })?;
    let known = cx.known_hosts(&snapshot);
    let timeouts = Timeouts {
        connect: args.connect_timeout,
        command: args.timeout.or(rendered.timeout),
    };
    let secret = |name: &str| cx.secret(&snapshot, name);
    // Workstations known to be away are tried briefly, and their failure says when they were
    // last seen.
    let away = away_workstations(cx, &fleet)?;
    let mut jobs = Vec::new();
    let mut early: Vec<Done> = Vec::new();
    for m in &machines {
        match targets::target(&fleet, m, &known, timeouts, &secret) {
            Ok(mut target) => jobs.push(Job {
                target: {
                    if away.iter().any(|(id, _)| *id == m.id) {
                        target.connect_timeout = target.connect_timeout.min(Duration::from_secs(2));
                    }
                    target
                },
                command: rendered.line.clone(),
                sudo: rendered.sudo,
                delay: Duration::ZERO,
            }),
            Err(e) => early.push(Done {
                machine: m.id.clone(),
                result: Err(e),
            }),
        }
    }
    if rendered.name == "reboot" {
        stagger(&fleet, &mut jobs);
    }
    let tty = std::io::stderr().is_terminal() && !cx.out.quiet && jobs.len() > 1;
    let runtime = super::runtime()?;
    let mut results = runtime.block_on(fanout::run(
        jobs,
        usize::from(args.concurrency),
        move |n, total| {
            if tty {
                eprint!("\r{n}/{total} machines done");
                if n == total {
                    eprint!("\r\x1b[K");
                }
            }
        },
    ));
    results.extend(early);
    for d in &mut results {
        if let (Err(e), Some((_, seen))) = (&d.result, away.iter().find(|(id, _)| *id == d.machine))
            && !e.refused()
        {
            d.result = Err(crate::remote::RemoteError::Away {
                machine: d.machine.clone(),
                last_seen: seen.clone(),
                cause: e.to_string(),
            });
        }
    }
    let order: Vec<&str> = machines.iter().map(|m| m.id.as_str()).collect();
    results.sort_by_key(|d| order.iter().position(|id| *id == d.machine));
    let audited = record(cx, &rendered, &results, snapshot.commit_id());
    report(cx, &rendered, &results, machines.len() == 1 && !by_flags)?;
    audited
}

/// One audit entry per machine: what ran, how it ended, its output (bounded).
fn record(
    cx: &Context,
    rendered: &Rendered,
    results: &[Done],
    commit: Option<String>,
) -> Result<(), Error> {
    let store = cx.store()?;
    let user = audit::local_user();
    for d in results {
        let (exit_code, duration, output) = match &d.result {
            Ok(out) => {
                let mut captured = CapturedOutput::new();
                captured.push(&out.stdout);
                captured.push(&out.stderr);
                (out.exit.map(|e| e as i32), Some(out.duration), captured)
            }
            Err(e) => (None, None, CapturedOutput::from(e.to_string().as_bytes())),
        };
        let entry = AuditRecord {
            action: Action::Exec,
            machine: Some(d.machine.clone()),
            name: rendered.name.clone(),
            // Parameters are typed values, never secrets; a sudo password goes on stdin.
            command: Redacted::new(if rendered.sudo {
                format!("sudo {}", rendered.line)
            } else {
                rendered.line.clone()
            }),
            exit_code,
            duration,
            output,
            fleet_commit: commit.clone(),
        };
        store.audit_append(&entry, cx.now(), &user).map_err(|e| {
            Error::config(format!(
                "the command ran but the audit trail could not be written: {e}"
            ))
        })?;
    }
    Ok(())
}

/// Workstations the store says are away now, with how long ago they were last seen.
fn away_workstations(
    cx: &Context,
    fleet: &crate::fleet::Fleet,
) -> Result<Vec<(String, String)>, Error> {
    let Some(store) = cx.existing_store()? else {
        return Ok(Vec::new());
    };
    let records = store.machine_records()?;
    let now = cx.now();
    Ok(fleet
        .machines
        .iter()
        .filter(|m| m.kind == MachineType::Workstation)
        .filter_map(|m| {
            let seen = records.get(&m.id)?.last_seen?;
            let state =
                crate::monitor::state::State::of(m.kind, Some(seen), fleet.offline_after(m), now);
            (state == crate::monitor::state::State::Away)
                .then(|| (m.id.clone(), crate::monitor::state::ago(now - seen)))
        })
        .collect())
}

/// Space reboots inside staggered groups: the n-th selected member waits n × stagger.
fn stagger(fleet: &crate::fleet::Fleet, jobs: &mut [Job]) {
    for group in fleet.groups.iter().filter(|g| g.stagger.is_some()) {
        let step = group.stagger.unwrap_or_default();
        let members = jobs
            .iter_mut()
            .filter(|j| group.machines.contains(&j.target.machine));
        for (n, job) in (0u32..).zip(members) {
            job.delay = job.delay.max(step * n);
        }
    }
}

fn report(cx: &Context, rendered: &Rendered, results: &[Done], single: bool) -> Result<(), Error> {
    let refused = results
        .iter()
        .any(|d| matches!(&d.result, Err(e) if e.refused()));
    let failed = results.iter().any(|d| match &d.result {
        Err(_) => true,
        Ok(out) => out.exit != Some(0),
    });
    if cx.out.is_json() {
        let rows: Vec<JsonResult<'_>> = results
            .iter()
            .map(|d| match &d.result {
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
            })
            .collect();
        cx.out
            .json(&serde_json::json!({ "command": rendered.name, "results": rows }))?;
    } else if single {
        let d = &results[0];
        if let Ok(out) = &d.result {
            use std::io::Write;
            cx.out.print(&String::from_utf8_lossy(&out.stdout))?;
            let _ = std::io::stderr().write_all(&out.stderr);
        }
    } else {
        let mut table = Table::new(&["MACHINE", "EXIT", "TIME", "OUTPUT"]);
        for d in results {
            let (exit, time, first, color) = match &d.result {
                Ok(out) => {
                    let text = if out.stdout.is_empty() {
                        &out.stderr
                    } else {
                        &out.stdout
                    };
                    let first = String::from_utf8_lossy(text)
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .chars()
                        .take(80)
                        .collect();
                    let ok = out.exit == Some(0);
                    (
                        out.exit.map_or("-".into(), |e| e.to_string()),
                        format!("{:.2}s", out.duration.as_secs_f64()),
                        first,
                        if ok { None } else { Some(Color::Red) },
                    )
                }
                Err(e) => ("-".into(), "-".into(), e.to_string(), Some(Color::Red)),
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
                    text.push_str(&String::from_utf8_lossy(&out.stdout));
                    text.push_str(&String::from_utf8_lossy(&out.stderr));
                }
            }
        }
        cx.out.print(&text)?;
    }
    if !failed {
        return Ok(());
    }
    let mut err = Error::new(
        if refused {
            Kind::Refused
        } else {
            Kind::Partial
        },
        summary(results),
    );
    for d in results {
        if let Err(e) = &d.result {
            err = err.details_line(format!("{}: {e}", d.machine));
            if let Some(h) = e.hint() {
                err = err.hint(h);
            }
        }
    }
    Err(err)
}

fn summary(results: &[Done]) -> String {
    let total = results.len();
    let unreachable = results
        .iter()
        .filter(|d| matches!(&d.result, Err(e) if !e.refused()))
        .count();
    let refused = results
        .iter()
        .filter(|d| matches!(&d.result, Err(e) if e.refused()))
        .count();
    let nonzero = results
        .iter()
        .filter(|d| matches!(&d.result, Ok(o) if o.exit != Some(0)))
        .count();
    let mut parts = Vec::new();
    if nonzero > 0 {
        parts.push(format!("{nonzero} exited non-zero"));
    }
    if unreachable > 0 {
        parts.push(format!("{unreachable} unreachable"));
    }
    if refused > 0 {
        parts.push(format!("{refused} refused"));
    }
    let bad = nonzero + unreachable + refused;
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
