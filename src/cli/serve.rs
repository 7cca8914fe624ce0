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

    /// How often to look for silent servers, away workstations, recorded drift and due
    /// reminders (heartbeats are judged as they arrive)
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    alert_every: u64,
}

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
        alert_every: Duration::from_secs(args.alert_every),
    })
}
