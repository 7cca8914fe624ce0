//! `--import`: chosen candidates become machine entries of fleet.yaml in the work tree, their
//! host keys pinned in known_hosts beside it. Nothing is committed and nothing existing is
//! replaced: a candidate that is already a machine is refused, the edited fleet is validated
//! before a byte is written, and both files are written atomically (or neither).

use std::path::{Path, PathBuf};

use russh::keys::PublicKey;
use serde::Serialize;

use super::Candidate;
use super::insert::{self, Entry};
use crate::fleet::{self, Fleet, LoadError, MachineType, Snapshot, SourceOptions};
use crate::remote::known_hosts::{self, KnownHosts, fingerprint};

/// What the operator chose and the settings the new machines get.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Candidate ids to import.
    pub(crate) ids: Vec<String>,
    pub(crate) kind: MachineType,
    pub(crate) tdp_w: Option<u32>,
    pub(crate) packs: Vec<String>,
    pub(crate) tags: Vec<String>,
}

/// One machine added.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Added {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) address: String,
    /// The pinned key's `SHA256:…`; None when the candidate brought no host key.
    pub(crate) fingerprint: Option<String>,
    /// A key line was added to known_hosts (false when the same key was pinned already).
    pub(crate) pinned: bool,
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Imported {
    pub(crate) added: Vec<Added>,
    pub(crate) file: PathBuf,
    pub(crate) known_hosts: PathBuf,
    /// The change, in `git diff`'s format.
    pub(crate) diff: String,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum ImportError {
    #[error(transparent)]
    Source(#[from] fleet::source::SourceError),
    #[error("fleet.yaml in the work tree is invalid; fix it before importing")]
    Fleet(#[source] LoadError),
    #[error("the fleet with the imported machines would be invalid; nothing was written")]
    Edited(#[source] LoadError),
    #[error("there is no fleet.yaml in {0}")]
    NoFleet(PathBuf),
    #[error("{path} is not UTF-8 text")]
    NotText { path: PathBuf },
    #[error("no candidate `{id}` was found")]
    Unknown { id: String, valid: Vec<String> },
    #[error("{count} candidates are named `{id}`")]
    Ambiguous { id: String, count: usize },
    #[error("`{id}` is already a machine in fleet.yaml; importing never replaces one")]
    Exists { id: String },
    #[error("candidate `{id}` is machine `{machine}` of the fleet already (same address)")]
    InFleet { id: String, machine: String },
    #[error("candidate id `{id}` {complaint}")]
    BadId { id: String, complaint: String },
    #[error("candidate `{id}` has no address")]
    NoAddress { id: String },
    #[error("the host key found for `{id}` is not an OpenSSH public key: {message}")]
    BadKey { id: String, message: String },
    #[error("known_hosts pins another key for {host} ({pinned}); `{id}` offers {offered}")]
    KeyChanged {
        id: String,
        host: String,
        pinned: String,
        offered: String,
    },
    #[error("cannot add to fleet.yaml: {0}")]
    Layout(String),
    #[error("{0} changed while importing; nothing was written")]
    Changed(PathBuf),
    #[error("cannot write {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl ImportError {
    pub(crate) fn hints(&self) -> Vec<String> {
        match self {
            Self::Source(e) => e.hints(),
            Self::Unknown { valid, .. } if valid.is_empty() => {
                vec!["this discovery found no candidates".into()]
            }
            Self::Unknown { valid, .. } => vec![format!("candidates: {}", valid.join(", "))],
            Self::Exists { .. } | Self::InFleet { .. } => vec![
                "edit the machine in fleet.yaml by hand, or import under another id".into(),
            ],
            Self::KeyChanged { .. } => vec![
                "verify the key out of band; if it is right, delete the old line from known_hosts and import again".into(),
            ],
            Self::Fleet(_) => vec!["`homelabcmd validate --worktree` shows the problems".into()],
            Self::Layout(_) => vec!["add the machine to fleet.yaml by hand".into()],
            _ => Vec::new(),
        }
    }
}

/// Add the chosen candidates to fleet.yaml in the work tree of the fleet repository `source`
/// names (its `rev`/`worktree` are ignored: imports always edit the work tree).
pub(crate) fn import(
    source: &SourceOptions,
    cwd: &Path,
    candidates: &[Candidate],
    settings: &Settings,
) -> Result<Imported, ImportError> {
    let opts = SourceOptions {
        repo: source.repo.clone(),
        rev: None,
        worktree: true,
    };
    let snapshot = Snapshot::open(&opts, cwd)?;
    let fleet_path = snapshot.root().join(fleet::FLEET_FILE);
    let keys_path = snapshot.root().join(known_hosts::FILE);
    let before = text(&snapshot, fleet::FLEET_FILE, &fleet_path)?
        .ok_or_else(|| ImportError::NoFleet(snapshot.root().to_path_buf()))?;
    let keys_before = text(&snapshot, known_hosts::FILE, &keys_path)?;
    let fleet = fleet::load(&snapshot).map_err(ImportError::Fleet)?;
    let chosen = choose(&fleet, candidates, settings)?;
    let entries: Vec<Entry> = chosen.iter().map(|(e, _)| e.clone()).collect();
    let after = insert::add(&before, &entries)?;
    fleet::load_edited(&snapshot, after.clone()).map_err(ImportError::Edited)?;
    let (keys_after, added) = pin(keys_before.as_deref().unwrap_or(""), &fleet, &chosen)?;
    let mut diff = unified(fleet::FLEET_FILE, Some(&before), &after);
    if keys_after != keys_before.as_deref().unwrap_or("") {
        diff.push_str(&unified(
            known_hosts::FILE,
            keys_before.as_deref(),
            &keys_after,
        ));
        super::write::both(
            (&fleet_path, &before, &after),
            (&keys_path, keys_before.as_deref(), &keys_after),
        )?;
    } else {
        super::write::one(&fleet_path, &before, &after)?;
    }
    Ok(Imported {
        added,
        file: fleet_path,
        known_hosts: keys_path,
        diff,
    })
}

/// A fleet file as text (None when missing); links are refused by the snapshot.
fn text(snapshot: &Snapshot, name: &str, path: &Path) -> Result<Option<String>, ImportError> {
    snapshot
        .read(name)?
        .map(|bytes| {
            String::from_utf8(bytes).map_err(|_| ImportError::NotText {
                path: path.to_path_buf(),
            })
        })
        .transpose()
}

/// The entries for the chosen candidates, each with its host key; every refusal is checked
/// before anything is written.
fn choose(
    fleet: &Fleet,
    candidates: &[Candidate],
    settings: &Settings,
) -> Result<Vec<(Entry, Option<PublicKey>)>, ImportError> {
    let mut out: Vec<(Entry, Option<PublicKey>)> = Vec::new();
    for id in &settings.ids {
        if out.iter().any(|(e, _)| &e.id == id) {
            continue;
        }
        let found: Vec<&Candidate> = candidates.iter().filter(|c| &c.id == id).collect();
        let c = match found.as_slice() {
            [c] => *c,
            [] => {
                let mut valid: Vec<String> = candidates.iter().map(|c| c.id.clone()).collect();
                valid.sort();
                valid.dedup();
                return Err(ImportError::Unknown {
                    id: id.clone(),
                    valid,
                });
            }
            many => {
                return Err(ImportError::Ambiguous {
                    id: id.clone(),
                    count: many.len(),
                });
            }
        };
        out.push(entry(fleet, c, settings)?);
    }
    Ok(out)
}

/// The port a machine's SSH is reached on when fleet.yaml does not say.
fn default_port(fleet: &Fleet) -> u16 {
    fleet.defaults.ssh.port.unwrap_or(22)
}

fn entry(
    fleet: &Fleet,
    c: &Candidate,
    settings: &Settings,
) -> Result<(Entry, Option<PublicKey>), ImportError> {
    let id = c.id.clone();
    if let Some(complaint) = fleet::check_id(&id) {
        return Err(ImportError::BadId { id, complaint });
    }
    if fleet.machine(&id).is_some() {
        return Err(ImportError::Exists { id });
    }
    let dns = c
        .dns_name
        .as_deref()
        .map(|d| d.trim_end_matches('.'))
        .filter(|d| !d.is_empty());
    let ips: Vec<String> = c.addresses.iter().map(ToString::to_string).collect();
    let same = fleet.machines.iter().find(|m| {
        dns.is_some_and(|d| m.address.eq_ignore_ascii_case(d)) || ips.contains(&m.address)
    });
    if let Some(machine) = c.in_fleet.clone().or_else(|| same.map(|m| m.id.clone())) {
        return Err(ImportError::InFleet { id, machine });
    }
    let address = dns
        .map(str::to_string)
        .or_else(|| ips.first().cloned())
        .ok_or_else(|| ImportError::NoAddress { id: id.clone() })?;
    let ssh = c.ssh.as_ref();
    let port = ssh
        .filter(|s| s.open && s.port != default_port(fleet))
        .map(|s| s.port);
    let key = ssh
        .and_then(|s| s.host_key.as_deref())
        .map(|k| {
            PublicKey::from_openssh(k).map_err(|e| ImportError::BadKey {
                id: id.clone(),
                message: e.to_string(),
            })
        })
        .transpose()?;
    let tailscale = matches!(
        c.origin,
        super::Origin::TailscaleApi | super::Origin::TailscaleCli
    );
    let entry = Entry {
        name: if c.hostname.is_empty() {
            id.clone()
        } else {
            c.hostname.clone()
        },
        id,
        kind: settings.kind.as_str(),
        address,
        tailscale,
        tdp_w: settings.tdp_w,
        packs: settings.packs.clone(),
        tags: settings.tags.clone(),
        port,
    };
    Ok((entry, key))
}

/// known_hosts with a line for each new machine's key, appended after every existing byte.
fn pin(
    text: &str,
    fleet: &Fleet,
    chosen: &[(Entry, Option<PublicKey>)],
) -> Result<(String, Vec<Added>), ImportError> {
    let (pinned, _) = KnownHosts::parse(text);
    let mut out = text.to_string();
    let mut added = Vec::new();
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    for (e, key) in chosen {
        let port = e.port.unwrap_or_else(|| default_port(fleet));
        let mut item = Added {
            id: e.id.clone(),
            name: e.name.clone(),
            address: e.address.clone(),
            fingerprint: key.as_ref().map(fingerprint),
            pinned: false,
        };
        if let Some(key) = key {
            let there = pinned.lookup(&e.address, port);
            if let Some(other) = there.iter().find(|k| k.key_data() != key.key_data()) {
                return Err(ImportError::KeyChanged {
                    id: e.id.clone(),
                    host: known_hosts::host_field(&e.address, port),
                    pinned: fingerprint(other),
                    offered: fingerprint(key),
                });
            }
            if there.is_empty() {
                if out.is_empty() {
                    out.push_str(
                        "# Host keys of the fleet, pinned by homelabcmd. Commit this file.",
                    );
                    out.push_str(nl);
                } else if !out.ends_with('\n') {
                    out.push_str(nl);
                }
                out.push_str(&KnownHosts::line(&e.address, port, key, &e.id));
                out.push_str(nl);
                item.pinned = true;
            }
        }
        added.push(item);
    }
    Ok((out, added))
}

/// `git diff` of one file (`before` None: a new file), rendered here rather than by running
/// the operator's `git diff`: it shows exactly this change (not earlier uncommitted edits),
/// works for a known_hosts that git does not track yet, and runs none of the user's git
/// configuration (pager, colours, external diff drivers).
pub(crate) fn unified(path: &str, before: Option<&str>, after: &str) -> String {
    let old = before.unwrap_or("");
    if old == after {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(old, after);
    let (from, head) = match before {
        Some(_) => (format!("a/{path}"), String::new()),
        None => (
            "/dev/null".to_string(),
            "new file mode 100644\n".to_string(),
        ),
    };
    let body = diff
        .unified_diff()
        .context_radius(3)
        .header(&from, &format!("b/{path}"))
        .to_string();
    format!("diff --git a/{path} b/{path}\n{head}{body}")
}
