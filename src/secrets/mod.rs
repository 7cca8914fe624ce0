//! Encrypted secrets: `secrets.yaml` in the fleet repository (names in clear, each value an
//! age envelope of its own, bound to its name), the local age identity that decrypts them,
//! and `Secrets::get`, the one way a value is read (SSH keys, sudo passwords, webhook URLs).
//!
//! `file` is the format, `crypto` one value in and out, `identity` the local key, `edit` the
//! changes `homelabcmd secrets` makes to the work tree, `names` what validation may know
//! (names only: it never decrypts). A value is a `SecretValue`: no Display, no Serialize, a
//! Debug of `SecretValue(***)`, zeroed on drop.

mod crypto;
mod edit;
mod error;
mod file;
mod identity;
mod names;
mod value;

use std::sync::OnceLock;

use crate::fleet::Snapshot;

use file::SecretsFile;
use identity::LocalIdentity;

pub(crate) use edit::{Change, Editor, init};
pub(crate) use error::SecretError;
pub(crate) use file::{FILE, Recipient, check_name};
pub(crate) use identity::Origin;
pub(crate) use names::{Names, names};
pub(crate) use value::SecretValue;

/// The secrets of one snapshot of the fleet (a commit, or the work tree), read once. The
/// identity is loaded on the first `get`, so listing names needs none.
#[derive(Debug)]
pub(crate) struct Secrets {
    file: SecretsFile,
    identity: OnceLock<LocalIdentity>,
}

impl Secrets {
    /// Read secrets.yaml from the snapshot; an error when there is none or it is invalid.
    pub(crate) fn load(snapshot: &Snapshot) -> Result<Self, SecretError> {
        let Some(bytes) = snapshot.read(FILE)? else {
            return Err(SecretError::NoFile {
                place: snapshot.describe(),
            });
        };
        let text = String::from_utf8(bytes).map_err(|_| SecretError::Invalid {
            diagnostics: vec![crate::fleet::diagnostic::Diagnostic::new(
                FILE,
                crate::fleet::diagnostic::Pos::START,
                "secrets.yaml is not UTF-8 text",
            )],
            text: String::new(),
        })?;
        Ok(Self {
            file: SecretsFile::parse(&text)?,
            identity: OnceLock::new(),
        })
    }

    /// The secrets' names, sorted.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.file.secrets.keys().map(String::as_str)
    }

    /// Who can decrypt, in the file's order.
    pub(crate) fn recipients(&self) -> &[Recipient] {
        &self.file.recipients
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.file.secrets.contains_key(name)
    }

    /// Decrypt one secret with the local identity, after checking that its ciphertext was
    /// written for this name. Errors never contain the value.
    pub(crate) fn get(&self, name: &str) -> Result<SecretValue, SecretError> {
        let Some(entry) = self.file.secrets.get(name) else {
            return Err(SecretError::Unknown {
                name: name.to_string(),
                known: self.file.secrets.keys().cloned().collect(),
            });
        };
        let identity = match self.identity.get() {
            Some(identity) => identity,
            None => {
                let loaded = identity::load()?;
                self.identity.get_or_init(|| loaded)
            }
        };
        crypto::open(name, entry, &identity.identities, &identity.public_keys)
    }
}

/// `secret:NAME` for an SSH key or a sudo password, from the snapshot's secrets.yaml, which
/// `cache` holds decrypted-on-demand after the first use (callers keep one per command).
pub(crate) fn for_ssh(
    cache: &std::cell::OnceCell<Result<Secrets, String>>,
    snapshot: &Snapshot,
    name: &str,
) -> Result<std::sync::Arc<String>, crate::remote::RemoteError> {
    use crate::remote::RemoteError;
    let loaded = cache.get_or_init(|| Secrets::load(snapshot).map_err(|e| e.to_string()));
    let secrets = loaded
        .as_ref()
        .map_err(|e| RemoteError::Key(format!("secret `{name}`: {e}")))?;
    let value = secrets
        .get(name)
        .map_err(|e| RemoteError::Key(format!("secret `{name}`: {e}")))?;
    let text = value
        .expose_str()
        .ok_or_else(|| RemoteError::Key(format!("secret `{name}` is not UTF-8 text")))?;
    Ok(std::sync::Arc::new(text.to_string()))
}
