//! `homelabcmd diff`: is each machine compliant with its packs? One SSH round trip per machine.

use super::Context;
use super::drift::{Selectors, render};
use crate::compliance::check::{self, CheckState, Checked, Reach};
use crate::error::{Error, Kind};

/// Show where machines drift from their packs: missing files, content (as a unified diff),
/// modes, owners, directories, packages and versions.
///
/// Exit 0 when every machine checked is compliant, 1 on drift, 3 when some machines could
/// not be checked (they are listed), 4 when a host key or login was refused. For cron:
/// `homelabcmd diff --all -q` prints nothing and tells by its exit code.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    selectors: Selectors,
    /// One summary line per machine, no details
    #[arg(long)]
    stat: bool,
    /// Machines checked at once
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..=1024))]
    concurrency: u16,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (snapshot, fleet) = cx.fleet()?;
    let _lock = super::lock(cx)?;
    let chosen = args.selectors.select(&fleet)?;
    let known = cx.known_hosts(&snapshot);
    let secret = |name: &str| cx.secret(&snapshot, name);
    let reach = Reach {
        snapshot: &snapshot,
        fleet: &fleet,
        known: &known,
        secret: &secret,
    };
    let results =
        super::runtime()?.block_on(check::check(&reach, &chosen, usize::from(args.concurrency)))?;
    check::record(&mut cx.store()?, &results, snapshot.commit_id(), cx.now())?;
    report(cx, &results, args.stat)
}

fn report(cx: &Context, results: &[Checked], stat: bool) -> Result<(), Error> {
    if cx.out.is_json() {
        cx.out.json(&serde_json::json!({ "machines": results }))?;
    } else if !cx.out.quiet {
        cx.out.print(&render(cx, results, stat, |_| None))?;
    }
    exit(cx, results)
}

/// Exit 3 (4 when refused) when some machines could not be checked, else 1 on drift.
pub(crate) fn exit(cx: &Context, results: &[Checked]) -> Result<(), Error> {
    let drift = results
        .iter()
        .filter(|c| c.state == CheckState::Drift)
        .count();
    let unchecked = results
        .iter()
        .filter(|c| c.state == CheckState::NotChecked)
        .count();
    if unchecked > 0 {
        let kind = if results.iter().any(|c| c.refused) {
            Kind::Refused
        } else {
            Kind::Partial
        };
        return Err(Error::new(
            kind,
            format!("{unchecked} of {} machines not checked", results.len()),
        ));
    }
    if drift > 0 {
        let mut e = Error::new(
            Kind::Findings,
            format!(
                "{drift} of {} machines drift from their packs",
                results.len()
            ),
        );
        if cx.out.quiet {
            e.message.clear();
        }
        return Err(e);
    }
    Ok(())
}
