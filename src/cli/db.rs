//! `homelabcmd db check`: SQLite's full integrity check of the store, on demand.

use super::Context;
use crate::error::Error;

/// Work with the local database
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: DbCommand,
}

#[derive(Debug, clap::Subcommand)]
enum DbCommand {
    /// Read every page of the database and report corruption (SQLite's quick_check).
    ///
    /// Opening the database checks only what is cheap (header, owner, schema); run this from
    /// cron or after a crash to check everything. Exit 0 when sound, 2 when not.
    Check,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    match args.command {
        DbCommand::Check => {
            let Some(store) = cx.existing_store()? else {
                return Err(Error::config("there is no database yet")
                    .hint("it is created by the first command that records something (e.g. `homelabcmd serve`)"));
            };
            store.check()?;
            if cx.out.is_json() {
                return cx
                    .out
                    .json(&serde_json::json!({ "path": store.path(), "ok": true }));
            }
            if !cx.out.quiet {
                cx.out.print(&format!(
                    "ok: {} passed the integrity check\n",
                    store.path().display()
                ))?;
            }
            Ok(())
        }
    }
}
