//! The `homelabcmd` binary: everything lives in the library; this maps its result to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    match homelabcmd::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            e.report();
            ExitCode::from(e.exit_code())
        }
    }
}
