//! `homelabcmd discover ssh`, `history`, `show` (being built).

use super::Context;
use crate::error::Error;

/// Not built yet
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

/// Not built yet
#[derive(Debug, clap::Args)]
pub(crate) struct HistoryArgs {}

/// Not built yet
#[derive(Debug, clap::Args)]
pub(crate) struct ShowArgs {}

pub(crate) fn run(_cx: &Context, _args: Args) -> Result<(), Error> {
    Err(Error::config("`discover ssh` is not built yet"))
}

pub(crate) fn history(_cx: &Context, _args: HistoryArgs) -> Result<(), Error> {
    Err(Error::config("`discover history` is not built yet"))
}

pub(crate) fn show(_cx: &Context, _args: ShowArgs) -> Result<(), Error> {
    Err(Error::config("`discover show` is not built yet"))
}
