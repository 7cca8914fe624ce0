//! `homelabcmd agent status [MACHINE…]`: each machine's agent version against this build's,
//! its last heartbeat, and (with `--probe`, over SSH) whether it is installed and running.

use std::time::Duration;

use crate::cli::Context;
use crate::cli::exec::duration;
use crate::error::Error;
use crate::exec::targets::{self, Selection, Timeouts};
use crate::ops::layout::Layout;
use crate::ops::status::{self as core, AgentStatus, ProbeWith};
use crate::output::{Color, Table, escape_line};

/// Show each machine's agent: its version against this build's and its last heartbeat.
///
/// Without --probe no connection is made: the version is the one the last heartbeat carried,
/// and a machine that never reported shows as unknown (not installed, or not reporting).
/// With --probe each machine is asked over SSH (through sudo) whether the agent is installed,
/// its `--version` and whether it runs.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Machines or groups [default: every machine]
    #[arg(value_name = "MACHINE")]
    machines: Vec<String>,

    /// Ask each machine over SSH
    #[arg(long)]
    probe: bool,

    /// With --probe: where the agent was installed (as given to `agent install --root`;
    /// `{machine}` is each machine's id)
    #[arg(long, value_name = "DIR", default_value = "/")]
    root: String,

    /// With --probe: machines asked at once
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..=1024))]
    concurrency: u16,

    /// With --probe: connect timeout [default: ssh.connect_timeout, else 5s]
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    connect_timeout: Option<Duration>,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (snapshot, fleet) = cx.fleet()?;
    let mut machines = Vec::new();
    if args.machines.is_empty() {
        machines.extend(fleet.machines.iter());
    }
    for name in &args.machines {
        let sel = Selection {
            name: Some(name.clone()),
            ..Selection::default()
        };
        let found =
            targets::select(&fleet, &sel).map_err(|(msg, hint)| Error::config(msg).hint(hint))?;
        for m in found {
            if !machines
                .iter()
                .any(|k: &&crate::fleet::Machine| k.id == m.id)
            {
                machines.push(m);
            }
        }
    }
    Layout::new(&args.root).map_err(|e| Error::config(e.to_string()))?;
    let known = cx.known_hosts(&snapshot);
    let secret = |name: &str| cx.secret(&snapshot, name);
    let probe = args.probe.then(|| ProbeWith {
        known: &known,
        timeouts: Timeouts {
            connect: args.connect_timeout,
            command: None,
        },
        concurrency: usize::from(args.concurrency),
        secret: &secret,
        root: &args.root,
    });
    let store = cx.existing_store()?;
    let rows =
        crate::cli::runtime()?.block_on(core::status(&fleet, &machines, store.as_ref(), probe))?;
    if cx.out.is_json() {
        return cx.out.json(&serde_json::json!({
            "build_version": crate::ops::VERSION,
            "machines": rows,
        }));
    }
    cx.out.print(&table(cx, &rows))
}

fn table(cx: &Context, rows: &[AgentStatus]) -> String {
    let now = crate::clock::now().as_second();
    let mut table = Table::new(&[
        "MACHINE",
        "INSTALLED",
        "VERSION",
        "LAST HEARTBEAT",
        "RUNNING",
    ]);
    for r in rows {
        let installed = match (r.installed, &r.error) {
            (_, Some(e)) => (escape_line(&format!("? ({e})")), Some(Color::Red)),
            (Some(true), None) => ("yes".into(), None),
            (Some(false), None) => ("no".into(), Some(Color::Yellow)),
            (None, None) if r.last_heartbeat.is_some() => ("yes (reports)".into(), None),
            (None, None) => ("unknown".into(), None),
        };
        let version = match &r.version {
            Some(v) if r.current => (escape_line(v), Some(Color::Green)),
            Some(v) => (
                format!("{} (this build: {})", escape_line(v), crate::ops::VERSION),
                Some(Color::Yellow),
            ),
            None => ("-".into(), None),
        };
        let seen = r.last_heartbeat.map_or("never".into(), |t| {
            format!("{} ago", crate::monitor::state::ago((now - t).max(0)))
        });
        let running = match (&r.running, r.installed) {
            (Some(how), _) => escape_line(how),
            (None, Some(_)) => "no".into(),
            (None, None) => "-".into(),
        };
        table.styled_row(vec![
            (r.machine.clone(), None),
            installed,
            version,
            (seen, None),
            (running, None),
        ]);
    }
    table.render(&cx.out)
}
