//! The fleet repository: `fleet.yaml` and `packs/`, read from a git commit or the work tree,
//! decoded into the model and validated with `file:line:col` diagnostics.

mod decode;
pub(crate) mod diagnostic;
mod fleet_file;
mod load;
pub(crate) mod model;
pub(crate) mod pack;
mod pack_file;
pub(crate) mod source;
mod yaml;

pub(crate) use load::{FLEET_FILE, LoadError, PACKS_DIR, load};
pub(crate) use model::{Fleet, Machine, MachineType};
pub(crate) use source::{Snapshot, SourceOptions};

/// The paths, relative to the fleet directory, whose uncommitted changes matter.
pub(crate) const TRACKED_PATHS: &[&str] = &[FLEET_FILE, PACKS_DIR, "secrets.yaml", "known_hosts"];
