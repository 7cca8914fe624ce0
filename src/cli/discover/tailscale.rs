//! `homelabcmd discover tailscale`: the tailnet's devices, whether fleet.yaml has them and
//! whether SSH answers on them.

use std::time::Duration;

use super::{Context, found};
use crate::discover::sshcheck::Settings;
use crate::discover::tailscale::{self, DEFAULT_API, Request, TailscaleError};
use crate::error::Error;

/// List the tailnet's devices: name, addresses, OS, online or last seen, tags, the fleet
/// machine each already is, and what SSH on it answers (its banner and host key).
///
/// The devices come from Tailscale's API when the secret `tailscale_token` holds an API
/// access token (`tskey-api-…`) or an OAuth client's secret (`tskey-client-…`, exchanged for
/// an access token first); without that secret, from `tailscale status --json` on this
/// machine. Devices shared in from other tailnets are left out. SSH is checked on every
/// device not known to be offline, many at once, each within --ssh-timeout.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The tailnet (`-`: the token's default tailnet)
    #[arg(long, value_name = "NAME", default_value = "-")]
    tailnet: String,
    /// Tailscale's API
    #[arg(long, value_name = "URL", env = "HOMELABCMD_TAILSCALE_API", default_value = DEFAULT_API)]
    api_url: String,
    /// How long SSH on one device may take to answer (connect, banner, host key)
    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = super::super::apply::duration)]
    ssh_timeout: Duration,
    /// The port SSH is checked on
    #[arg(long, value_name = "PORT", default_value_t = 22)]
    ssh_port: u16,
    /// Do not check SSH
    #[arg(long)]
    no_ssh_check: bool,
    #[command(flatten)]
    import: found::ImportArgs,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (snapshot, fleet) = cx.fleet()?;
    let request = Request {
        api_url: args.api_url,
        tailnet: args.tailnet,
        ssh: (!args.no_ssh_check).then(|| Settings {
            port: args.ssh_port,
            timeout: args.ssh_timeout,
            ..Settings::default()
        }),
    };
    let progress: Box<dyn crate::progress::Progress> = match request.ssh {
        Some(_) => crate::output::progress(&cx.out, "checking ssh"),
        None => Box::new(crate::progress::Silent),
    };
    let candidates = super::super::runtime()?
        .block_on(tailscale::discover(
            &request,
            &snapshot,
            &fleet,
            progress.as_ref(),
        ))
        .map_err(error)?;
    found::finish(cx, &candidates, &args.import)
}

fn error(e: TailscaleError) -> Error {
    let hints = e.hints();
    Error::config(e.to_string()).hints(hints)
}
