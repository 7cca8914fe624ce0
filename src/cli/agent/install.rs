//! `homelabcmd agent install|upgrade|remove MACHINE…|--all|--tag T`: the flags, one call to
//! `ops::run`, and the table of what changed on each machine.

use std::path::PathBuf;
use std::time::Duration;

use crate::cli::Context;
use crate::cli::exec::duration;
use crate::error::{Error, Kind};
use crate::exec::targets::{self, Selection, Timeouts};
use crate::fleet::{Fleet, Machine};
use crate::ops::agent::{Outcome, RunError};
use crate::ops::arch::Binaries;
use crate::ops::layout::Layout;
use crate::ops::{self, Heartbeat, Init, Verb};
use crate::output::{Color, Table, escape_line};

/// Which machines, how to reach them, and where the agent lives on them.
#[derive(Debug, clap::Args)]
pub(crate) struct Common {
    /// Machines or groups [or --all, --tag]
    #[arg(value_name = "MACHINE")]
    machines: Vec<String>,

    /// Every machine of the fleet
    #[arg(long)]
    all: bool,

    /// Machines with this tag (repeat: all must match)
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,

    /// Machines worked on at once
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..=1024))]
    concurrency: u16,

    /// Per-step command timeout [default: ssh.command_timeout, else 60s]
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    timeout: Option<Duration>,

    /// Connect timeout [default: ssh.connect_timeout, else 5s]
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    connect_timeout: Option<Duration>,

    /// Install under this directory instead of `/` (a staging tree; hosts sharing a disk);
    /// `{machine}` in it is replaced by each machine's id
    #[arg(long, value_name = "DIR", default_value = "/")]
    root: String,
}

/// What install and upgrade need besides.
#[derive(Debug, clap::Args)]
pub(crate) struct Deploy {
    /// How the agent is kept running: systemd (auto: where /run/systemd/system exists), or
    /// none: a background process started with nohup and setsid, for machines without
    /// systemd such as containers (not restarted at boot)
    #[arg(long, value_enum, default_value_t = InitArg::Auto)]
    init: InitArg,

    /// Where `homelabcmd-agent-<arch>` binaries are [default: beside homelabcmd]
    #[arg(long, value_name = "DIR")]
    agent_dir: Option<PathBuf>,

    /// The hub's URL as the machines reach it, written to the agent's config
    #[arg(long, value_name = "URL", env = "HOMELAB_CMD_EXTERNAL_URL")]
    hub_url: Option<String>,

    /// How long to wait for each new agent's first heartbeat at the hub (an agent's first
    /// sample may take up to 30 s: its apt check is bounded so)
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = duration)]
    wait: Duration,

    /// Do not wait for the first heartbeats
    #[arg(long)]
    no_wait: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum InitArg {
    Auto,
    Systemd,
    None,
}

/// Install the agent: copy the binary for each machine's architecture, write its config
/// (with the machine's token, mode 0600) and start it; then wait for its first heartbeat.
///
/// Only what differs is written, so a second install changes nothing. Runs through sudo.
#[derive(Debug, clap::Args)]
pub(crate) struct InstallArgs {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    deploy: Deploy,
}

/// Install this build's agent where the installed one's version differs (`--version` asked
/// over SSH); machines without an agent are left alone.
#[derive(Debug, clap::Args)]
pub(crate) struct UpgradeArgs {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    deploy: Deploy,
}

/// Stop and disable the agent and delete its binary, unit, config and state: nothing is kept.
#[derive(Debug, clap::Args)]
pub(crate) struct RemoveArgs {
    #[command(flatten)]
    common: Common,
}

pub(crate) fn install(cx: &Context, a: InstallArgs) -> Result<(), Error> {
    go(cx, Verb::Install, &a.common, Some(&a.deploy))
}

pub(crate) fn upgrade(cx: &Context, a: UpgradeArgs) -> Result<(), Error> {
    go(cx, Verb::Upgrade, &a.common, Some(&a.deploy))
}

pub(crate) fn remove(cx: &Context, a: RemoveArgs) -> Result<(), Error> {
    go(cx, Verb::Remove, &a.common, None)
}

fn go(cx: &Context, verb: Verb, common: &Common, deploy: Option<&Deploy>) -> Result<(), Error> {
    let (snapshot, fleet) = cx.fleet()?;
    let machines = select(&fleet, common)?;
    Layout::new(&common.root).map_err(|e| Error::config(e.to_string()))?;
    let hub_url = deploy.map(hub_url).transpose()?;
    let key = match deploy {
        Some(_) => Some(super::hub_key(cx)?),
        None => None,
    };
    let known = cx.known_hosts(&snapshot);
    let secret = |name: &str| cx.secret(&snapshot, name);
    let progress = crate::output::progress(
        &cx.out,
        &format!("{}ing", verb.as_str().trim_end_matches('e')),
    );
    let request = ops::Request {
        verb,
        fleet: &fleet,
        machines: &machines,
        known: &known,
        timeouts: Timeouts {
            connect: common.connect_timeout,
            command: common.timeout,
        },
        concurrency: usize::from(common.concurrency),
        secret: &secret,
        fleet_commit: snapshot.commit_id(),
        root: &common.root,
        init: deploy.map_or(Init::Auto, |d| match d.init {
            InitArg::Auto => Init::Auto,
            InitArg::Systemd => Init::Systemd,
            InitArg::None => Init::None,
        }),
        binaries: Binaries::beside_executable(deploy.and_then(|d| d.agent_dir.clone())),
        hub: hub_url.as_deref().zip(key.as_ref()),
        wait: deploy.filter(|d| !d.no_wait).map(|d| d.wait),
        progress: progress.as_ref(),
    };
    let store = cx.store()?;
    let report = crate::cli::runtime()?
        .block_on(ops::run(&request, &store))
        .map_err(|e| match e {
            RunError::Store(e) => Error::from(e),
            RunError::NoHub => Error::config(e.to_string()),
        })?;
    render(cx, verb, &report.outcomes)?;
    if let Some(e) = report.audit_failure {
        return Err(Error::config(format!(
            "the audit trail could not be written: {e}"
        )));
    }
    failure(&report.outcomes).map_or(Ok(()), Err)
}

/// The machines named (machines or groups), or chosen by --all / --tag, in fleet order.
fn select<'f>(fleet: &'f Fleet, common: &Common) -> Result<Vec<&'f Machine>, Error> {
    let by = |name: Option<String>| {
        let sel = Selection {
            name,
            all: common.all,
            tags: common.tag.clone(),
            kind: None,
        };
        targets::select(fleet, &sel).map_err(|(msg, hint)| Error::config(msg).hint(hint))
    };
    if common.machines.is_empty() {
        return by(None);
    }
    let mut ids = Vec::new();
    for name in &common.machines {
        ids.extend(by(Some(name.clone()))?.into_iter().map(|m| m.id.clone()));
    }
    Ok(fleet
        .machines
        .iter()
        .filter(|m| ids.contains(&m.id))
        .collect())
}

/// `--hub-url`: an http(s) URL on one line (it goes into the agent's KEY=VALUE config).
fn hub_url(d: &Deploy) -> Result<String, Error> {
    let Some(url) = d.hub_url.as_deref() else {
        return Err(Error::config("no hub URL for the agents to push to").hint(
            "give --hub-url http://HUB:8080 (as the machines reach the hub), or set HOMELAB_CMD_EXTERNAL_URL",
        ));
    };
    let plain = url.chars().all(|c| !c.is_whitespace() && !c.is_control());
    if !plain || !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(Error::config(format!(
            "--hub-url `{}` is not an http:// or https:// URL",
            escape_line(url)
        )));
    }
    Ok(url.trim_end_matches('/').to_string())
}

#[derive(serde::Serialize)]
struct JsonOutcome<'a> {
    machine: &'a str,
    ok: bool,
    change: Option<ops::Change>,
    arch: Option<String>,
    init: Option<Init>,
    version_before: Option<String>,
    version: Option<String>,
    heartbeat: Heartbeat,
    duration_ms: Option<u128>,
    error: Option<String>,
}

impl<'a> JsonOutcome<'a> {
    fn new(o: &'a Outcome) -> Self {
        let ok = o.result.as_ref().ok();
        Self {
            machine: &o.machine,
            ok: ok.is_some(),
            change: ok.map(|i| i.change),
            arch: ok.map(|i| i.uname.clone()),
            init: ok.and_then(|i| i.init),
            version_before: ok.and_then(|i| i.before.clone()),
            version: ok.and_then(|i| i.after.clone()),
            heartbeat: o.heartbeat,
            duration_ms: ok.map(|i| i.duration.as_millis()),
            error: o.result.as_ref().err().map(ToString::to_string),
        }
    }
}

fn render(cx: &Context, verb: Verb, outcomes: &[Outcome]) -> Result<(), Error> {
    if cx.out.is_json() {
        let rows: Vec<JsonOutcome<'_>> = outcomes.iter().map(JsonOutcome::new).collect();
        return cx
            .out
            .json(&serde_json::json!({ "action": verb, "results": rows }));
    }
    let mut table = Table::new(&["MACHINE", "ARCH", "RESULT", "VERSION", "HEARTBEAT", "TIME"]);
    for o in outcomes {
        let row = match &o.result {
            Ok(i) => vec![
                (o.machine.clone(), None),
                (escape_line(&i.uname), None),
                (
                    i.change.to_string(),
                    i.change.changed().then_some(Color::Green),
                ),
                (
                    escape_line(i.after.as_deref().or(i.before.as_deref()).unwrap_or("-")),
                    None,
                ),
                (heartbeat(o.heartbeat), None),
                (format!("{:.2}s", i.duration.as_secs_f64()), None),
            ],
            Err(e) => vec![
                (o.machine.clone(), None),
                ("-".into(), None),
                (escape_line(&format!("failed: {e}")), Some(Color::Red)),
                ("-".into(), None),
                (heartbeat(o.heartbeat), None),
                ("-".into(), None),
            ],
        };
        table.styled_row(row);
    }
    cx.out.print(&table.render(&cx.out))
}

fn heartbeat(h: Heartbeat) -> String {
    match h {
        Heartbeat::NotAwaited => "-".into(),
        Heartbeat::Arrived { .. } => "arrived".into(),
        Heartbeat::Missing => "none".into(),
    }
}

/// Refused (4) when any machine refused, else partial (3) when any failed.
fn failure(outcomes: &[Outcome]) -> Option<Error> {
    let failed: Vec<(&str, &ops::OpsError)> = outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().err().map(|e| (o.machine.as_str(), e)))
        .collect();
    if failed.is_empty() {
        return None;
    }
    let kind = if failed.iter().any(|(_, e)| e.refused()) {
        Kind::Refused
    } else {
        Kind::Partial
    };
    let total = outcomes.len();
    let mut err = Error::new(
        kind,
        format!(
            "{} of {total} machine{} failed",
            failed.len(),
            if total == 1 { "" } else { "s" }
        ),
    );
    let mut hints: Vec<String> = Vec::new();
    for (machine, e) in failed {
        err = err.details_line(format!("{machine}: {}", escape_line(&e.to_string())));
        if let Some(h) = e.hint().filter(|h| !hints.contains(h)) {
            hints.push(h);
        }
    }
    Some(err.hints(hints))
}
