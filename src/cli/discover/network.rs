//! `homelabcmd discover network CIDR`: probe a range for hosts with open TCP ports.

use std::time::Duration;

use super::Context;
use super::found::{self, ImportArgs};
use crate::discover::cidr::Cidr;
use crate::discover::network::{self, Options};
use crate::error::Error;

/// Probe a network range (TCP connect, no root) for hosts with open ports.
///
/// Every address of CIDR is tried on each port; hosts with an open port are shown, with their
/// SSH banner and reverse-DNS name, and whether fleet.yaml has them already. IPv4 ranges skip
/// their network and broadcast addresses. Ranges larger than a /16 need --force.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The range, e.g. 192.168.1.0/24 or fd00::/120
    #[arg(value_name = "CIDR")]
    range: String,
    /// TCP ports to probe
    #[arg(
        long,
        value_name = "PORT,…",
        value_delimiter = ',',
        default_value = "22"
    )]
    ports: Vec<u16>,
    /// Connections at once (capped by the open-file limit)
    #[arg(long, value_name = "N", default_value_t = 256)]
    concurrency: usize,
    /// Seconds to wait for a connection or a banner (a timeout is retried once)
    #[arg(long, value_name = "SECS", default_value_t = 1.0)]
    timeout: f64,
    /// Do not look up the hosts' names (reverse DNS)
    #[arg(long, short = 'n')]
    no_dns: bool,
    /// Scan a range larger than a /16
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    import: ImportArgs,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let range: Cidr = args
        .range
        .parse()
        .map_err(|e: crate::discover::cidr::CidrError| {
            Error::config(e.to_string()).hint(e.hint())
        })?;
    let timeout = Duration::try_from_secs_f64(args.timeout)
        .ok()
        .filter(|t| !t.is_zero())
        .ok_or_else(|| {
            Error::config(format!(
                "--timeout {} is not a positive number of seconds",
                args.timeout
            ))
        })?;
    let (_, fleet) = cx.fleet()?;
    let opts = Options {
        ports: args.ports,
        concurrency: args.concurrency,
        timeout,
        reverse_dns: !args.no_dns,
        force: args.force,
        now: cx.now(),
    };
    let progress = crate::output::progress(&cx.out, "probing");
    let scanned = super::super::runtime()?
        .block_on(network::scan(&range, &opts, &fleet, progress.as_ref()))
        .map_err(|e| Error::config(e.to_string()).hint(e.hint()))?;
    if scanned.concurrency < opts.concurrency {
        cx.out.warn(
            &format!(
                "probing {} at once, not {}: the open-file limit allows no more",
                scanned.concurrency, opts.concurrency
            ),
            &["raise it with `ulimit -n`"],
        );
    }
    if scanned.dns_unfinished > 0 {
        cx.out.warn(
            &format!(
                "{} reverse-DNS lookup(s) did not answer in time; those hosts are shown by address",
                scanned.dns_unfinished
            ),
            &["pass --no-dns to skip names"],
        );
    }
    if !cx.out.quiet && !cx.out.is_json() {
        eprintln!(
            "{} address(es) probed, {} with an open port",
            scanned.addresses,
            scanned.candidates.len()
        );
    }
    found::finish(cx, &scanned.candidates, &args.import)
}
