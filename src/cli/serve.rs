//! `homelabcmd serve`: run the hub.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use super::Context;
use crate::error::Error;

/// Run the hub: take agents' heartbeats on POST /api/v1/heartbeat and keep them in SQLite.
///
/// The fleet is read at start (from the commit, like every command) and again whenever the
/// repository's commit changes. Each agent authenticates with its machine token (see
/// `homelabcmd agent token`). Stop it with SIGTERM or Ctrl-C.
///
/// It also serves the read-only status page (`/`, `/m/MACHINE`, `/compliance`), the JSON API
/// (`/api/v1/status`, `/api/v1/machines/ID`, `/api/v1/machines/ID/history`) and Prometheus
/// `/metrics`. Set HOMELAB_CMD_READ_TOKEN to require a read token for all of them (a bearer
/// header, or open the page once with `?token=…` to set a cookie).
///
/// With --sync-every it follows the fleet repository's remote like `homelabcmd sync` (never
/// past a refusal), shown on the page and in /metrics; with --apply-after-sync too, it applies
/// the fleet after each successful sync — the pull-style GitOps loop.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The address to listen on
    #[arg(
        long,
        env = "HOMELAB_CMD_HOST",
        default_value = "0.0.0.0",
        hide_env_values = true
    )]
    host: IpAddr,

    /// The port to listen on (0 picks a free one and prints it)
    #[arg(
        long,
        env = "HOMELAB_CMD_PORT",
        default_value_t = 8080,
        hide_env_values = true
    )]
    port: u16,

    /// Tell agents to take a sample every SECS seconds [default: each agent's own setting]
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    agent_interval: Option<u64>,

    /// How often to look for a new fleet commit
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    fleet_poll: u64,

    /// How long a client may take to send a request's headers, and again its body; idle
    /// keep-alive connections are closed after it too
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    client_timeout: u64,

    /// Alerts that open (or resolve) within this many seconds of each other go to a
    /// notification target as one message ("3 machines offline: …"); 0 sends each at once
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(0..=3600))]
    storm_window: u64,
    /// Leave machines' addresses off the status page (for a page shown to the family)
    #[arg(long)]
    hide_addresses: bool,
    /// How often to look for silent servers, away workstations, recorded drift and due
    /// reminders (heartbeats are judged as they arrive)
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    alert_every: u64,
    /// Follow the fleet repository's remote: run `sync` this often (e.g. 5m) [default: never]
    #[arg(long, value_name = "DURATION", value_parser = interval)]
    sync_every: Option<Duration>,
    /// After each successful sync, apply the fleet as `apply --all --yes` does: the
    /// pull-style GitOps loop (needs --sync-every)
    #[arg(long, requires = "sync_every")]
    apply_after_sync: bool,
}

fn interval(text: &str) -> Result<Duration, String> {
    crate::fleet::parse_duration(text)
        .filter(|d| d.as_secs() >= 1)
        .ok_or_else(|| format!("`{text}` is not a duration of 1s or more, like 90s, 5m or 1h"))
}

/// The read token of the page, the API and /metrics; taken from the environment only, so
/// that it never shows in a process list.
const READ_TOKEN_VAR: &str = "HOMELAB_CMD_READ_TOKEN";

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    crate::serve::run(crate::serve::Options {
        addr: SocketAddr::new(args.host, args.port),
        agent_interval: args.agent_interval,
        source: cx.source().clone(),
        cwd: cx.cwd().to_path_buf(),
        db: cx.db().to_path_buf(),
        data_dir: cx.data_dir().to_path_buf(),
        fleet_poll: Duration::from_secs(args.fleet_poll),
        client_timeout: Duration::from_secs(args.client_timeout),
        storm_window: Duration::from_secs(args.storm_window),
        notify: true,
        read: crate::serve::ReadOptions {
            hide_addresses: args.hide_addresses,
            token: read_token()?,
        },
        on_ready: None,
        alert_every: Duration::from_secs(args.alert_every),
        sync: args.sync_every.map(|every| crate::serve::sync::SyncLoop {
            every,
            apply: args.apply_after_sync,
        }),
    })
}

fn read_token() -> Result<Option<String>, Error> {
    match std::env::var(READ_TOKEN_VAR) {
        Ok(t) if t.trim().is_empty() => Ok(None),
        Ok(t) if t.len() < 16 || !t.chars().all(|c| c.is_ascii_graphic() && c != ';') => {
            Err(Error::config(format!(
                "{READ_TOKEN_VAR} must be at least 16 printable characters, without spaces or `;`"
            )))
        }
        Ok(t) => Ok(Some(t)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::config(format!(
            "{READ_TOKEN_VAR} is not valid UTF-8"
        ))),
    }
}
