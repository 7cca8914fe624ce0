//! Operations on the fleet beyond one whitelisted command: the agent's install, upgrade and
//! removal over SSH (`agent.rs` runs them on many machines, `machine.rs` on one; `arch.rs`
//! picks the binary, `layout.rs` the paths and files, `script.rs` the shell; `heartbeat.rs`
//! waits for the installed agents to report; `outcome.rs` says what happened), and following
//! the fleet repository's remote (`sync.rs`, through the user's `git`: `git.rs`).

pub(crate) mod agent;
pub(crate) mod arch;
pub(crate) mod git;
mod heartbeat;
pub(crate) mod layout;
mod machine;
mod outcome;
mod script;
pub(crate) mod status;
pub(crate) mod sync;

pub(crate) use agent::{Request, run};
pub(crate) use heartbeat::Heartbeat;
pub(crate) use outcome::{Change, Init, Installed, OpsError, VERSION, Verb};
