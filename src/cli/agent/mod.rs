//! `homelabcmd agent`: the token an agent presents for its machine (`token`, here), and the
//! agent put on machines over SSH (`install`, `upgrade`, `remove` in `install.rs`; `status`
//! in `status.rs`).

mod install;
mod status;

use super::Context;
use crate::error::Error;
use crate::monitor::token::HubKey;

/// Work with agents
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: AgentCommand,
}

#[derive(Debug, clap::Subcommand)]
enum AgentCommand {
    /// Print the token of MACHINE, for its agent's HOMELAB_AGENT_API_KEY.
    ///
    /// Tokens are derived from the hub's secret (HOMELAB_CMD_API_KEY, or hub.key beside the
    /// database, created on first use): run this where `serve` runs, with the same
    /// environment. Changing the secret revokes every token.
    Token {
        /// The machine's id in fleet.yaml
        machine: String,
    },
    Install(install::InstallArgs),
    Upgrade(install::UpgradeArgs),
    Remove(install::RemoveArgs),
    Status(status::Args),
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    match args.command {
        AgentCommand::Install(a) => install::install(cx, a),
        AgentCommand::Upgrade(a) => install::upgrade(cx, a),
        AgentCommand::Remove(a) => install::remove(cx, a),
        AgentCommand::Status(a) => status::run(cx, a),
        AgentCommand::Token { machine } => {
            let (_, fleet) = cx.fleet()?;
            if fleet.machine(&machine).is_none() {
                if let Some(why) = crate::fleet::check_id(&machine) {
                    return Err(Error::config(format!(
                        "`{machine}` is not a machine id: it {why}"
                    )));
                }
                cx.out.warn(
                    &format!("`{machine}` is not in fleet.yaml: its heartbeats will be kept as unregistered"),
                    &["add it to fleet.yaml and commit, so that `status` lists it with the fleet"],
                );
            }
            let key = hub_key(cx)?;
            let token = key.token(&machine);
            if cx.out.is_json() {
                return cx
                    .out
                    .json(&serde_json::json!({ "id": machine, "token": token }));
            }
            cx.out.print(&format!("{token}\n"))
        }
    }
}

/// The hub's key (beside the database, or HOMELAB_CMD_API_KEY), from which tokens derive.
fn hub_key(cx: &Context) -> Result<HubKey, Error> {
    HubKey::load(cx.data_dir()).map_err(|e| {
        let hints = e.hints();
        Error::config(e.to_string()).hints(hints)
    })
}
