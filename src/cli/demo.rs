//! `homelabcmd demo`: a live fleet on 127.0.0.1 in seconds, with nothing left behind.

use super::Context;
use crate::error::Error;

/// Show the status page with a living fleet: a hub on 127.0.0.1 with a scratch database in a
/// temporary directory, the repository's fleet with simulated history, and the real agent
/// reporting this very machine as one of the fleet's.
///
/// It prints the page's address and a `status` table. Ctrl-C stops the hub and the agent and
/// removes the temporary directory.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The port to listen on (0 picks a free one)
    #[arg(long, default_value_t = 8080)]
    port: u16,

    /// Days of simulated history
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=30))]
    days: u32,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    crate::serve::demo::run(crate::serve::demo::DemoOptions {
        port: args.port,
        days: args.days,
        source: cx.source().clone(),
        cwd: cx.cwd().to_path_buf(),
    })
}
