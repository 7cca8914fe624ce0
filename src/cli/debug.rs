//! `homelabcmd debug-fill` (hidden): fill the store with a simulated history, through the same
//! checks and storage path as real heartbeats. For benchmarks and for trying `history`.

use super::Context;
use crate::error::Error;
use crate::monitor::simulate;

/// Fill the store with simulated samples for the fleet's first N machines.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// How many of the fleet's machines (in fleet.yaml order)
    #[arg(long, default_value_t = 1)]
    machines: usize,
    /// These machines instead (repeat)
    #[arg(long = "machine", value_name = "ID")]
    only: Vec<String>,
    /// Days of history, ending now
    #[arg(long, default_value_t = 30)]
    days: u32,
    /// Seconds between samples
    #[arg(long, default_value_t = 60)]
    interval: u32,
    /// Seed of the simulation
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Store each sample as its own heartbeat, as agents send them (else an hour at a time)
    #[arg(long)]
    one_by_one: bool,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (_, fleet) = cx.fleet()?;
    let mut store = cx.store()?;
    let now = cx.now();
    let chosen: Vec<&crate::fleet::Machine> = if args.only.is_empty() {
        fleet.machines.iter().take(args.machines).collect()
    } else {
        args.only
            .iter()
            .map(|id| super::machine(&fleet, id))
            .collect::<Result<_, _>>()?
    };
    let mut total = 0u64;
    for (n, m) in chosen.into_iter().enumerate() {
        let span = simulate::Span {
            start: now - i64::from(args.days) * 86_400,
            end: now,
            step: i64::from(args.interval.max(1)),
            seed: args.seed.wrapping_add(n as u64 * 7919),
            one_by_one: args.one_by_one,
        };
        total += simulate::fill(&mut store, m, span, now).map_err(|e| match e {
            simulate::SimulateError::Store(e) => Error::from(e),
            e => Error::config(e.to_string()),
        })?;
    }
    if !cx.out.quiet {
        cx.out.print(&format!(
            "stored {total} simulated samples in {}\n",
            cx.db().display()
        ))?;
    }
    Ok(())
}
