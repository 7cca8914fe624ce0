//! `homelabcmd check`: for cron and external monitors — exit 0 when healthy, 1 when alerts
//! at or above `--fail-on` are open. Reads the local store only; never connects anywhere.

use super::Context;
use crate::alerts::Severity;
use crate::alerts::manage;
use crate::error::{Error, Kind};

/// Exit 0 when no alert at or above --fail-on is open (or acknowledged), 1 when one is.
///
/// Stale alerts (of a workstation that is away) do not count. Reads the hub's database
/// only, so it works from cron beside `serve` and never connects to a machine.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The lowest severity that makes the check fail
    #[arg(long, value_name = "SEVERITY", value_parser = super::alerts::severity(), default_value = "low")]
    fail_on: Severity,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let store = cx.existing_store()?;
    let failing = manage::failing(store.as_ref(), args.fail_on)?;
    if cx.out.is_json() {
        let alerts: Vec<_> = failing
            .iter()
            .map(crate::alerts::report::AlertJson::new)
            .collect();
        cx.out.json(&serde_json::json!({
            "healthy": failing.is_empty(),
            "fail_on": args.fail_on,
            "alerts": alerts,
        }))?;
    } else if !cx.out.quiet {
        if failing.is_empty() {
            cx.out.print(&format!(
                "healthy: no open alerts at or above {}\n",
                args.fail_on
            ))?;
        } else {
            cx.out
                .print(&super::alerts::table(&failing, cx).render(&cx.out))?;
        }
    }
    if failing.is_empty() {
        Ok(())
    } else {
        let n = failing.len();
        Err(Error::new(
            Kind::Findings,
            format!(
                "{n} open alert{} at or above {}",
                if n == 1 { "" } else { "s" },
                args.fail_on
            ),
        ))
    }
}
