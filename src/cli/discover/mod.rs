//! `homelabcmd discover …`: find machines that are not in the fleet yet — on the tailnet, on a
//! network range, over SSH, or by the heartbeats of their agents — and, with `--import`, add
//! them to fleet.yaml in the work tree for review.

mod agents;
mod found;
mod network;
mod scan;
mod table;
mod tailscale;

use super::Context;
use crate::error::Error;

/// Find machines and add them to fleet.yaml
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: DiscoverCommand,
}

#[derive(Debug, clap::Subcommand)]
enum DiscoverCommand {
    Tailscale(tailscale::Args),
    Network(network::Args),
    Ssh(scan::Args),
    History(scan::HistoryArgs),
    Show(scan::ShowArgs),
    Agents(agents::Args),
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    match args.command {
        DiscoverCommand::Tailscale(args) => tailscale::run(cx, args),
        DiscoverCommand::Network(args) => network::run(cx, args),
        DiscoverCommand::Ssh(args) => scan::run(cx, args),
        DiscoverCommand::History(args) => scan::history(cx, args),
        DiscoverCommand::Show(args) => scan::show(cx, args),
        DiscoverCommand::Agents(args) => agents::run(cx, args),
    }
}
