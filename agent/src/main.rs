//! homelabcmd-agent: collects this machine's metrics and pushes them to the homelabcmd hub.
//! This file only parses the arguments and turns the result into the exit code; `run` owns
//! the agent's life.

mod args;
mod atomic;
mod collect;
mod command;
mod config;
mod deliver;
mod log;
mod push;
mod run;
mod spool;
mod state;
mod stop;
#[cfg(test)]
mod testutil;

use std::process::ExitCode;

fn main() -> ExitCode {
    match args::parse(std::env::args().skip(1)) {
        Ok(args) => ExitCode::from(run::main(&args)),
        Err(e) => {
            eprintln!("homelabcmd-agent: {e}");
            ExitCode::from(2)
        }
    }
}
