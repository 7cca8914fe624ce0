//! homelabcmd: manage a homelab fleet from the shell.
//!
//! The fleet is described in a git repository (`fleet.yaml`, `packs/`); see `fleet`. The
//! local store is SQLite (`store`). The CLI (`cli`) resolves flags once into a `Context` and
//! each subcommand calls the core and renders its result (`output`).

mod alerts;
mod audit;
mod cli;
mod clock;
mod compliance;
#[allow(dead_code)] // the contract of the discover sources being built; remove when they land
mod discover;
mod error;
mod exec;
mod fleet;
mod monitor;
mod notify;
mod ops;
mod output;
#[allow(dead_code)] // used by the discover and agent commands being built; remove when they land
mod progress;
mod remedy;
mod remote;
mod secrets;
mod serve;
mod store;
mod text;

pub use error::{Error, Kind};

/// Run the command line; the caller turns an error into its exit code.
pub fn run() -> Result<(), Error> {
    cli::run()
}
