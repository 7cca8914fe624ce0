//! What a machine should hold (its packs, resolved, with file contents from the same commit)
//! against what the probe found: the list of mismatches, and how to show them.

use serde::Serialize;

use super::probe::{DirFact, Facts, FileFact, Manager, Request};
use super::version;
use crate::fleet::pack::{self, Constraint, FileContent};
use crate::fleet::{Fleet, Machine, PACKS_DIR, Snapshot};

/// One file as the packs want it.
#[derive(Debug, Clone)]
pub(crate) struct WantFile {
    pub(crate) path: String,
    pub(crate) content: Vec<u8>,
    pub(crate) sha256: String,
    pub(crate) mode: Option<u32>,
    pub(crate) owner: Option<String>,
    pub(crate) group: Option<String>,
    pub(crate) from: String,
}

/// Why what a machine's packs want cannot be known.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WantError {
    #[error("packs `{first}` and `{second}` both set `{what}`")]
    Conflict {
        first: String,
        second: String,
        what: String,
    },
    #[error("{path} is missing in {revision}")]
    MissingSource { path: String, revision: String },
    #[error(transparent)]
    Read(#[from] crate::fleet::source::SourceError),
}

/// Everything the packs of one machine want.
#[derive(Debug, Clone, Default)]
pub(crate) struct Wanted {
    pub(crate) packs: Vec<String>,
    pub(crate) files: Vec<WantFile>,
    pub(crate) dirs: Vec<(String, Option<u32>, Option<String>)>,
    pub(crate) packages: Vec<(String, Option<Constraint>)>,
}

impl Wanted {
    /// Resolve the machine's packs and read their source files from the snapshot.
    pub(crate) fn of(fleet: &Fleet, snapshot: &Snapshot, m: &Machine) -> Result<Self, WantError> {
        let resolved = pack::resolve(&fleet.packs, &m.packs).map_err(|c| WantError::Conflict {
            first: c.first,
            second: c.second,
            what: c.what,
        })?;
        let mut want = Wanted {
            packs: resolved.chain.clone(),
            ..Default::default()
        };
        for f in &resolved.files {
            let content = match &f.item.content {
                FileContent::Inline(text) => text.clone().into_bytes(),
                FileContent::Source(src) => snapshot
                    .read(&format!("{PACKS_DIR}/{src}"))?
                    .ok_or_else(|| WantError::MissingSource {
                        path: format!("{PACKS_DIR}/{src}"),
                        revision: snapshot.describe(),
                    })?,
            };
            want.files.push(WantFile {
                path: f.item.path.clone(),
                sha256: sha256_hex(&content),
                content,
                mode: f.item.mode,
                owner: f.item.owner.clone(),
                group: f.item.group.clone(),
                from: f.from.to_string(),
            });
        }
        for d in &resolved.directories {
            want.dirs
                .push((d.item.path.clone(), d.item.mode, d.item.owner.clone()));
        }
        for p in &resolved.packages {
            want.packages
                .push((p.item.name.clone(), p.item.version.clone()));
        }
        Ok(want)
    }

    /// Whether reading (and so probing) needs root: a file or directory outside the SSH
    /// user's home, or one owned by someone else.
    pub(crate) fn needs_root(&self) -> bool {
        self.files
            .iter()
            .any(|f| !f.path.starts_with("~/") || f.owner.is_some() || f.group.is_some())
            || self
                .dirs
                .iter()
                .any(|(p, _, owner)| !p.starts_with("~/") || owner.is_some())
    }

    pub(crate) fn request(&self) -> Request {
        Request {
            files: self
                .files
                .iter()
                .map(|f| (f.path.clone(), f.sha256.clone()))
                .collect(),
            dirs: self.dirs.iter().map(|(p, _, _)| p.clone()).collect(),
            packages: self.packages.iter().map(|(n, _)| n.clone()).collect(),
        }
    }
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One way the machine differs from its packs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Mismatch {
    FileMissing {
        path: String,
    },
    /// A symbolic link, a directory or another non-file where a file should be: apply
    /// refuses to replace it.
    NotAFile {
        path: String,
        found: String,
    },
    ContentDiffers {
        path: String,
        /// A unified diff; empty when the file is too large to show (`too_large`).
        diff: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        too_large: Option<Sizes>,
    },
    ModeDiffers {
        path: String,
        expected: String,
        actual: String,
    },
    OwnerDiffers {
        path: String,
        expected: String,
        actual: String,
    },
    DirMissing {
        path: String,
    },
    /// A symbolic link (even to a directory) or a file where a directory should be: apply
    /// refuses to replace it.
    NotADirectory {
        path: String,
        found: String,
    },
    DirModeDiffers {
        path: String,
        expected: String,
        actual: String,
    },
    DirOwnerDiffers {
        path: String,
        expected: String,
        actual: String,
    },
    PackageMissing {
        name: String,
        constraint: Option<String>,
    },
    VersionDiffers {
        name: String,
        constraint: String,
        installed: String,
    },
    PackagesUnsupported {
        manager: Option<String>,
    },
}

/// The sizes of a file whose content differs but is too large to show, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct Sizes {
    pub(crate) machine: u64,
    pub(crate) pack: u64,
}

impl Mismatch {
    /// Whether apply refuses the machine rather than replace what is there.
    pub(crate) fn blocks_apply(&self) -> bool {
        matches!(self, Self::NotAFile { .. } | Self::NotADirectory { .. })
    }

    /// One line for people.
    pub(crate) fn line(&self) -> String {
        match self {
            Self::FileMissing { path } => format!("missing file {path}"),
            Self::NotAFile { path, found } => {
                format!("{path} is a {found}, not a regular file (apply will not replace it)")
            }
            Self::ContentDiffers {
                path,
                too_large: Some(sizes),
                ..
            } => format!(
                "content differs: {path} (too large to show: {} bytes on the machine, {} in the pack)",
                sizes.machine, sizes.pack
            ),
            Self::ContentDiffers { path, .. } => format!("content differs: {path}"),
            Self::ModeDiffers {
                path,
                expected,
                actual,
            } => format!("mode of {path}: {actual}, expected {expected}"),
            Self::OwnerDiffers {
                path,
                expected,
                actual,
            } => format!("owner of {path}: {actual}, expected {expected}"),
            Self::DirMissing { path } => format!("missing directory {path}"),
            Self::DirModeDiffers {
                path,
                expected,
                actual,
            } => format!("mode of {path}/: {actual}, expected {expected}"),
            Self::NotADirectory { path, found } => {
                format!("{path} is a {found}, not a directory (apply will not replace it)")
            }
            Self::DirOwnerDiffers {
                path,
                expected,
                actual,
            } => format!("owner of {path}/: {actual}, expected {expected}"),
            Self::PackageMissing { name, constraint } => match constraint {
                Some(c) => format!("package {name} ({c}) is not installed"),
                None => format!("package {name} is not installed"),
            },
            Self::VersionDiffers {
                name,
                constraint,
                installed,
            } => {
                format!("package {name}: {installed} installed, {constraint} expected")
            }
            Self::PackagesUnsupported { manager } => match manager {
                Some(m) => format!("packages not checked: {m} is not supported (only apt)"),
                None => "packages not checked: no supported package manager".into(),
            },
        }
    }
}

/// Compare what is wanted with what the probe found.
pub(crate) fn compare(want: &Wanted, facts: &Facts) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for f in &want.files {
        match facts.files.get(&f.path) {
            None | Some(FileFact::Missing) => out.push(Mismatch::FileMissing {
                path: f.path.clone(),
            }),
            Some(FileFact::NotAFile { found }) => out.push(Mismatch::NotAFile {
                path: f.path.clone(),
                found: found.clone(),
            }),
            Some(present) => compare_file(f, present, &mut out),
        }
    }
    for (path, mode, owner) in &want.dirs {
        match facts.dirs.get(path) {
            None | Some(DirFact::Missing) => out.push(Mismatch::DirMissing { path: path.clone() }),
            Some(DirFact::NotADir { found }) => out.push(Mismatch::NotADirectory {
                path: path.clone(),
                found: found.clone(),
            }),
            Some(DirFact::Present {
                mode: actual,
                owner: actual_owner,
            }) => {
                if let Some(m) = mode
                    && m != actual
                {
                    out.push(Mismatch::DirModeDiffers {
                        path: path.clone(),
                        expected: format!("{m:04o}"),
                        actual: format!("{actual:04o}"),
                    });
                }
                if let Some(o) = owner
                    && o != actual_owner
                {
                    out.push(Mismatch::DirOwnerDiffers {
                        path: path.clone(),
                        expected: o.clone(),
                        actual: actual_owner.clone(),
                    });
                }
            }
        }
    }
    if !want.packages.is_empty() {
        match &facts.manager {
            Manager::Apt => {
                for (name, constraint) in &want.packages {
                    match (facts.packages.get(name), constraint) {
                        (None, c) => out.push(Mismatch::PackageMissing {
                            name: name.clone(),
                            constraint: c.as_ref().map(ToString::to_string),
                        }),
                        (Some(v), Some(c)) if !version::satisfies(v, c) => {
                            out.push(Mismatch::VersionDiffers {
                                name: name.clone(),
                                constraint: c.to_string(),
                                installed: v.clone(),
                            })
                        }
                        _ => {}
                    }
                }
            }
            Manager::Unsupported(m) => {
                out.push(Mismatch::PackagesUnsupported { manager: m.clone() })
            }
            Manager::Unknown => out.push(Mismatch::PackagesUnsupported { manager: None }),
        }
    }
    out
}

/// Content, mode and owner of a file that is there.
fn compare_file(f: &WantFile, fact: &FileFact, out: &mut Vec<Mismatch>) {
    let FileFact::Present {
        sha256,
        size,
        mode,
        owner,
        group,
        content,
    } = fact
    else {
        return;
    };
    if *sha256 != f.sha256 {
        out.push(match content {
            None => Mismatch::ContentDiffers {
                path: f.path.clone(),
                diff: String::new(),
                too_large: Some(Sizes {
                    machine: *size,
                    pack: f.content.len() as u64,
                }),
            },
            Some(theirs) => {
                let theirs = String::from_utf8_lossy(theirs);
                let ours = String::from_utf8_lossy(&f.content);
                let diff = similar::TextDiff::from_lines(theirs.as_ref(), ours.as_ref())
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("{} (on the machine)", f.path),
                        &format!("{} (pack {})", f.path, f.from),
                    )
                    .to_string();
                Mismatch::ContentDiffers {
                    path: f.path.clone(),
                    diff,
                    too_large: None,
                }
            }
        });
    }
    if let Some(m) = f.mode
        && m != *mode
    {
        out.push(Mismatch::ModeDiffers {
            path: f.path.clone(),
            expected: format!("{m:04o}"),
            actual: format!("{mode:04o}"),
        });
    }
    let want_owner = match (&f.owner, &f.group) {
        (None, None) => None,
        (o, g) => Some((
            o.clone().unwrap_or_else(|| owner.clone()),
            g.clone().unwrap_or_else(|| group.clone()),
        )),
    };
    if let Some((o, g)) = want_owner
        && (o != *owner || g != *group)
    {
        out.push(Mismatch::OwnerDiffers {
            path: f.path.clone(),
            expected: format!("{o}:{g}"),
            actual: format!("{owner}:{group}"),
        });
    }
}
