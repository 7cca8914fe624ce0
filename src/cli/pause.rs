//! `homelabcmd pause` / `resume`: maintenance mode, kept in the store.

use super::Context;
use crate::error::Error;

/// Put a machine in maintenance mode: shown beside its state in `status` and `machines`; its
/// alerts are neither raised nor notified while it lasts
#[derive(Debug, clap::Args)]
pub(crate) struct PauseArgs {
    /// The machine's id in fleet.yaml
    machine: String,

    /// Why, shown beside the machine's state
    #[arg(long)]
    reason: Option<String>,

    /// End the pause by itself after this long (`30m`, `2h`, `1d`) [default: until `resume`]
    #[arg(long = "for", value_name = "DURATION", value_parser = parse_term)]
    term: Option<std::time::Duration>,
}

/// Take a machine out of maintenance mode
#[derive(Debug, clap::Args)]
pub(crate) struct ResumeArgs {
    /// The machine's id in fleet.yaml
    machine: String,
}

fn parse_term(text: &str) -> Result<std::time::Duration, String> {
    match crate::fleet::parse_duration(text) {
        Some(d) if d.as_secs() >= 1 && d.as_secs() <= 365 * 86_400 => Ok(d),
        Some(_) => Err("use a duration from 1s to 365d".into()),
        None => Err("write it like `90s`, `30m`, `2h` or `1d`".into()),
    }
}

pub(crate) fn pause(cx: &Context, args: PauseArgs) -> Result<(), Error> {
    let until = args.term.map(|d| cx.now() + d.as_secs() as i64);
    set(cx, &args.machine, true, args.reason.as_deref(), until)
}

pub(crate) fn resume(cx: &Context, args: ResumeArgs) -> Result<(), Error> {
    set(cx, &args.machine, false, None, None)
}

fn set(
    cx: &Context,
    id: &str,
    paused: bool,
    reason: Option<&str>,
    until: Option<i64>,
) -> Result<(), Error> {
    let (_, fleet) = cx.fleet()?;
    let machine = super::machine(&fleet, id)?;
    let store = cx.store()?;
    let changed = store.set_paused(&machine.id, paused, reason, until, cx.now())?;
    let word = if paused { "paused" } else { "resumed" };
    if cx.out.is_json() {
        return cx.out.json(&serde_json::json!({
            "id": machine.id,
            "paused": paused,
            "changed": changed,
            "until": until.map(crate::clock::rfc3339),
        }));
    }
    if !cx.out.quiet {
        let term = until.map_or(String::new(), |u| {
            format!(" until {}", crate::clock::rfc3339(u))
        });
        let text = match (changed, paused) {
            (true, _) => format!("{} {word}{term}\n", machine.id),
            (false, true) if term.is_empty() => format!("{} was already paused\n", machine.id),
            (false, true) => format!("{} was already paused; now{term}\n", machine.id),
            (false, false) => format!("{} was not paused\n", machine.id),
        };
        cx.out.print(&text)?;
    }
    Ok(())
}
