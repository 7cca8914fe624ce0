//! Which agent binary a machine gets: its architecture as `uname -m` names it, and where the
//! binary for that architecture is found on this computer (`homelabcmd-agent-<arch>` in the
//! agent directory, else this build's own `homelabcmd-agent` for this computer's
//! architecture), with the command that builds a missing one.

use std::fmt;
use std::path::{Path, PathBuf};

/// The architectures an agent is built for, named as `uname -m` prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Arch {
    X86_64,
    Aarch64,
    Armv7l,
}

impl Arch {
    /// From `uname -m`'s output; None for one no agent is built for.
    pub(crate) fn from_uname(text: &str) -> Option<Self> {
        match text.trim() {
            "x86_64" | "amd64" => Some(Self::X86_64),
            "aarch64" | "arm64" => Some(Self::Aarch64),
            "armv7l" | "armv7" | "armhf" => Some(Self::Armv7l),
            _ => None,
        }
    }

    /// This computer's architecture (the one the running build's own agent is for).
    pub(crate) fn this() -> Option<Self> {
        match std::env::consts::ARCH {
            "x86_64" => Some(Self::X86_64),
            "aarch64" => Some(Self::Aarch64),
            "arm" => Some(Self::Armv7l),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::X86_64 => "x86_64",
            Self::Aarch64 => "aarch64",
            Self::Armv7l => "armv7l",
        }
    }

    /// The command that builds this architecture's agent (see README "Agent binaries").
    pub(crate) fn build_command(self) -> &'static str {
        match self {
            Self::X86_64 => ".ci/build-agent x86_64",
            Self::Aarch64 => ".ci/build-agent aarch64",
            Self::Armv7l => ".ci/build-agent armv7l",
        }
    }

    /// The file name of this architecture's agent in the agent directory.
    pub(crate) fn file_name(self) -> String {
        format!("homelabcmd-agent-{}", self.as_str())
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where agent binaries are looked for.
#[derive(Debug, Clone)]
pub(crate) struct Binaries {
    /// `homelabcmd-agent-<arch>` files (`--agent-dir`).
    pub(crate) dir: PathBuf,
    /// This build's own agent, for this computer's architecture (None: there is none).
    pub(crate) own: Option<PathBuf>,
}

/// No agent binary for an architecture (or one that cannot be read).
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum BinaryError {
    #[error(
        "`uname -m` says `{0}`: no agent is built for that architecture (x86_64, aarch64, armv7l)"
    )]
    Unsupported(String),
    #[error("no agent binary for {arch}: {looked} does not exist (build it with `{build}`)")]
    Missing {
        arch: Arch,
        looked: String,
        build: &'static str,
    },
    #[error("cannot read the agent binary {path}: {why}")]
    Unreadable { path: String, why: String },
}

impl Binaries {
    /// Beside the running executable: the agent directory and this build's own agent.
    pub(crate) fn beside_executable(dir: Option<PathBuf>) -> Self {
        let exe_dir = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        let own = exe_dir.as_ref().map(|d| d.join("homelabcmd-agent"));
        Self {
            dir: dir.or(exe_dir).unwrap_or_else(|| PathBuf::from(".")),
            own,
        }
    }

    /// The path of the binary for `arch`: `<dir>/homelabcmd-agent-<arch>`, else this build's
    /// own agent when `arch` is this computer's.
    pub(crate) fn path(&self, arch: Arch) -> Result<PathBuf, BinaryError> {
        let named = self.dir.join(arch.file_name());
        if named.is_file() {
            return Ok(named);
        }
        let mut looked = named.display().to_string();
        if Arch::this() == Some(arch)
            && let Some(own) = &self.own
        {
            if own.is_file() {
                return Ok(own.clone());
            }
            looked = format!("{looked} nor {}", own.display());
        }
        Err(BinaryError::Missing {
            arch,
            looked,
            build: arch.build_command(),
        })
    }

    /// The bytes of the binary for `arch`.
    pub(crate) fn read(&self, arch: Arch) -> Result<Vec<u8>, BinaryError> {
        let path = self.path(arch)?;
        std::fs::read(&path).map_err(|e| BinaryError::Unreadable {
            path: path.display().to_string(),
            why: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uname_names() {
        assert_eq!(Arch::from_uname("x86_64\n"), Some(Arch::X86_64));
        assert_eq!(Arch::from_uname("aarch64"), Some(Arch::Aarch64));
        assert_eq!(Arch::from_uname("armv7l"), Some(Arch::Armv7l));
        assert_eq!(Arch::from_uname("mips"), None);
    }

    #[test]
    fn a_named_binary_first_then_the_own_one_else_the_build_command() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join("own-agent");
        let bins = Binaries {
            dir: dir.path().to_path_buf(),
            own: Some(own.clone()),
        };
        let err = bins.path(Arch::Aarch64).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "no agent binary for aarch64: {}/homelabcmd-agent-aarch64 does not exist (build it with `.ci/build-agent aarch64`)",
                dir.path().display()
            )
        );
        std::fs::write(&own, b"own").unwrap();
        assert_eq!(bins.path(Arch::X86_64).unwrap(), own);
        let named = dir.path().join("homelabcmd-agent-x86_64");
        std::fs::write(&named, b"named").unwrap();
        assert_eq!(bins.path(Arch::X86_64).unwrap(), named);
    }
}
