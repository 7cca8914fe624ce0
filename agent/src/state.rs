//! What the agent remembers between runs, in `{state_dir}/state.json` (written atomically):
//! the heartbeat sequence number and the systemd units the hub last asked for.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic;
use crate::log::log;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct State {
    /// The `seq` of the last request sent.
    #[serde(default)]
    pub(crate) seq: u64,
    /// The `services` list of the hub's last reply.
    #[serde(default)]
    pub(crate) services: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct StateFile {
    path: PathBuf,
    pub(crate) state: State,
}

impl StateFile {
    /// Reads the state; a missing file is a fresh start, a corrupt one is logged and replaced.
    pub(crate) fn load(state_dir: &Path) -> StateFile {
        let path = state_dir.join("state.json");
        let state = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                log!(
                    "warning: {} is not valid ({e}); starting afresh",
                    path.display()
                );
                State::default()
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => State::default(),
            Err(e) => {
                log!(
                    "warning: cannot read {}: {e}; starting afresh",
                    path.display()
                );
                State::default()
            }
        };
        StateFile { path, state }
    }

    pub(crate) fn save(&self) -> io::Result<()> {
        let json = serde_json::to_vec_pretty(&self.state).map_err(io::Error::other)?;
        atomic::write(&self.path, &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    #[test]
    fn round_trip_and_corrupt_file() {
        let dir = TempDir::new("state");
        let mut file = StateFile::load(dir.path());
        assert_eq!(file.state, State::default());
        file.state.seq = 41;
        file.state.services = vec!["plex".into(), "ssh".into()];
        file.save().unwrap();
        let again = StateFile::load(dir.path());
        assert_eq!(again.state.seq, 41);
        assert_eq!(again.state.services, ["plex", "ssh"]);
        std::fs::write(dir.path().join("state.json"), "{not json").unwrap();
        assert_eq!(StateFile::load(dir.path()).state, State::default());
    }
}
