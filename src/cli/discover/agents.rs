//! `homelabcmd discover agents`: machines whose agents push heartbeats to the hub but that
//! fleet.yaml does not have.

use super::{Context, found};
use crate::error::Error;

/// List machines whose agents send heartbeats to this hub but that fleet.yaml does not have:
/// their machine id (the id to import them under), host name, OS and last heartbeat.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    import: found::ImportArgs,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (_, fleet) = cx.fleet()?;
    let store = cx.existing_store()?;
    let candidates = crate::discover::agents::unregistered(store.as_ref(), &fleet)?;
    found::finish(cx, &candidates, &args.import)
}
