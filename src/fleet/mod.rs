//! The fleet repository: `fleet.yaml` and `packs/`, read from a git commit or the work tree,
//! decoded into the model and validated with `file:line:col` diagnostics.

mod alerts_file;
mod decode;
pub(crate) mod diagnostic;
mod fleet_file;
mod load;
pub(crate) mod model;
pub(crate) mod pack;
mod pack_file;
pub(crate) mod source;
pub(crate) mod template;
mod yaml;

pub(crate) use decode::{fmt_duration, parse_duration};
pub(crate) use fleet_file::{check_id, check_unit};
pub(crate) use load::{FLEET_FILE, LoadError, PACKS_DIR, load, load_edited};
pub(crate) use model::{Fleet, Machine, MachineType};
pub(crate) use source::{Snapshot, SourceOptions};
pub(crate) use yaml::{Kind as YamlKind, Node as YamlNode, parse as parse_yaml};

/// The paths, relative to the fleet directory, whose uncommitted changes matter.
pub(crate) const TRACKED_PATHS: &[&str] = &[FLEET_FILE, PACKS_DIR, "secrets.yaml", "known_hosts"];

/// FNV-1a: a fast hasher for the short, trusted keys of fleet files (ids, paths), where
/// SipHash's protection against crafted collisions buys nothing.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type FastHash = std::hash::BuildHasherDefault<Fnv>;
