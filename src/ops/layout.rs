//! Where an installed agent lives on a machine and what its files say: the binary, its
//! config (the machine's token, mode 0600), its systemd unit (agent/homelabcmd-agent.service,
//! embedded) and its state directory. All under `/` by default; under another root for
//! staging trees and tests (hosts that share one filesystem), with the unit's paths moved
//! along.

/// The unit as shipped; its paths are the default layout's.
const UNIT: &str = include_str!("../../agent/homelabcmd-agent.service");

pub(crate) const SERVICE: &str = "homelabcmd-agent";

/// The default layout's paths, relative to the root.
const BIN: &str = "/usr/local/bin/homelabcmd-agent";
const CONFIG: &str = "/etc/homelabcmd/agent.conf";
const UNIT_PATH: &str = "/etc/systemd/system/homelabcmd-agent.service";
const STATE: &str = "/var/lib/homelabcmd-agent";

/// The install's paths on the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Empty for `/`; else an absolute path without a trailing `/`.
    root: String,
}

/// A root that is not an absolute, plain path.
#[derive(Debug, Clone, thiserror::Error)]
#[error("--root `{0}` must be an absolute path without `..`, quotes, tabs or line breaks")]
pub(crate) struct RootError(String);

impl Layout {
    pub(crate) fn new(root: &str) -> Result<Self, RootError> {
        let bad = !root.starts_with('/')
            || root.split('/').any(|part| part == "..")
            || root.contains(['\t', '\n', '\r', '\'', '"', '\\']);
        if bad {
            return Err(RootError(root.to_string()));
        }
        Ok(Self {
            root: root.trim_end_matches('/').to_string(),
        })
    }

    /// The layout for one machine: `{machine}` in `root` replaced by its id (ids are plain
    /// names, checked when the fleet is loaded).
    pub(crate) fn for_machine(root: &str, machine: &str) -> Result<Self, RootError> {
        Self::new(&root.replace("{machine}", machine))
    }

    pub(crate) fn bin(&self) -> String {
        format!("{}{BIN}", self.root)
    }
    pub(crate) fn config(&self) -> String {
        format!("{}{CONFIG}", self.root)
    }
    pub(crate) fn unit(&self) -> String {
        format!("{}{UNIT_PATH}", self.root)
    }
    pub(crate) fn state(&self) -> String {
        format!("{}{STATE}", self.root)
    }

    /// The config file's text: the hub, the token, the machine id, the state directory.
    pub(crate) fn config_text(&self, hub_url: &str, token: &str, machine: &str) -> String {
        format!(
            "# Written by `homelabcmd agent install`; rewritten by the next install.\n\
             HOMELAB_AGENT_HUB_URL={hub_url}\n\
             HOMELAB_AGENT_API_KEY={token}\n\
             HOMELAB_AGENT_SERVER_ID={machine}\n\
             HOMELAB_AGENT_STATE_DIR={}\n",
            self.state()
        )
    }

    /// The unit's text: as shipped under `/`; under another root, its paths moved there.
    pub(crate) fn unit_text(&self) -> String {
        if self.root.is_empty() {
            return UNIT.to_string();
        }
        UNIT.replace(BIN, &self.bin())
            .replace(CONFIG, &self.config())
            .replace(STATE, &self.state())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_a_root_and_the_unit_follows() {
        let root = Layout::new("/").unwrap();
        assert_eq!(root.bin(), "/usr/local/bin/homelabcmd-agent");
        assert_eq!(root.unit_text(), UNIT);
        let staged = Layout::new("/srv/stage/").unwrap();
        assert_eq!(staged.config(), "/srv/stage/etc/homelabcmd/agent.conf");
        let unit = staged.unit_text();
        assert!(unit.contains("ExecStart=/srv/stage/usr/local/bin/homelabcmd-agent\n"));
        assert!(unit.contains("EnvironmentFile=-/srv/stage/etc/homelabcmd/agent.conf\n"));
        assert!(unit.contains("ReadWritePaths=/srv/stage/var/lib/homelabcmd-agent\n"));
        for bad in ["relative", "/a/../b", "/a'b", "/a\nb"] {
            assert!(Layout::new(bad).is_err(), "{bad}");
        }
    }
}
