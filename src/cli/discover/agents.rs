//! `homelabcmd discover agents` (being built).

use super::Context;
use crate::error::Error;

/// Not built yet
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(_cx: &Context, _args: Args) -> Result<(), Error> {
    Err(Error::config("`discover agents` is not built yet"))
}
