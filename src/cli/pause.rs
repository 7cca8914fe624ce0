//! `homelabcmd pause` / `resume`: maintenance mode, kept in the store.

use super::Context;
use crate::error::Error;

/// Put a machine in maintenance mode, shown beside its state in `status` and `machines`
#[derive(Debug, clap::Args)]
pub(crate) struct PauseArgs {
    /// The machine's id in fleet.yaml
    machine: String,

    /// Why, shown beside the machine's state
    #[arg(long)]
    reason: Option<String>,
}

/// Take a machine out of maintenance mode
#[derive(Debug, clap::Args)]
pub(crate) struct ResumeArgs {
    /// The machine's id in fleet.yaml
    machine: String,
}

pub(crate) fn pause(cx: &Context, args: PauseArgs) -> Result<(), Error> {
    set(cx, &args.machine, true, args.reason.as_deref())
}

pub(crate) fn resume(cx: &Context, args: ResumeArgs) -> Result<(), Error> {
    set(cx, &args.machine, false, None)
}

fn set(cx: &Context, id: &str, paused: bool, reason: Option<&str>) -> Result<(), Error> {
    let (_, fleet) = cx.fleet()?;
    let machine = super::machine(&fleet, id)?;
    let store = cx.store()?;
    let changed = store.set_paused(&machine.id, paused, reason, cx.now())?;
    let word = if paused { "paused" } else { "resumed" };
    if cx.out.is_json() {
        return cx
            .out
            .json(&serde_json::json!({ "id": machine.id, "paused": paused, "changed": changed }));
    }
    if !cx.out.quiet {
        let text = match (changed, paused) {
            (true, _) => format!("{} {word}\n", machine.id),
            (false, true) => format!("{} was already paused\n", machine.id),
            (false, false) => format!("{} was not paused\n", machine.id),
        };
        cx.out.print(&text)?;
    }
    Ok(())
}
