//! Changing secrets.yaml in the work tree, for the operator to commit: `init`, set and remove
//! a value, add and remove a recipient. Set and remove touch one entry and leave every other
//! envelope byte for byte; changing the recipients re-encrypts every value, and only after
//! every one of them has been opened and its name checked with the local identity (so a
//! moved ciphertext is refused, never given a fresh, valid `mac`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use age::x25519;

use super::crypto;
use super::error::SecretError;
use super::file::{self, FILE, Recipient, SecretsFile};
use super::identity::{self, Origin};
use super::value::SecretValue;

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Change {
    Added,
    Updated,
    Removed,
    Unchanged,
}

/// secrets.yaml in the work tree, read for changing.
#[derive(Debug)]
pub(crate) struct Editor {
    path: PathBuf,
    file: SecretsFile,
}

impl Editor {
    /// Read `root/secrets.yaml`; an error when it is missing or invalid.
    pub(crate) fn open(root: &Path) -> Result<Self, SecretError> {
        let path = root.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SecretError::NoFile {
                    place: format!("the work tree at {}", root.display()),
                });
            }
            Err(error) => {
                return Err(SecretError::Io {
                    what: "cannot read",
                    path,
                    error,
                });
            }
        };
        Ok(Self {
            file: SecretsFile::parse(&text)?,
            path,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn file(&self) -> &SecretsFile {
        &self.file
    }

    /// Encrypt `value` as `name` to the current recipients; other entries stay as they are.
    pub(crate) fn set(&mut self, name: &str, value: &[u8]) -> Result<Change, SecretError> {
        if let Some(why) = file::check_name(name) {
            return Err(SecretError::BadName {
                name: name.to_string(),
                why,
            });
        }
        let entry = crypto::seal(name, value, &keys(&self.file.recipients)?)?;
        Ok(match self.file.secrets.insert(name.to_string(), entry) {
            Some(_) => Change::Updated,
            None => Change::Added,
        })
    }

    /// Remove the secret `name`.
    pub(crate) fn remove(&mut self, name: &str) -> Result<(), SecretError> {
        match self.file.secrets.remove(name) {
            Some(_) => Ok(()),
            None => Err(SecretError::Unknown {
                name: name.to_string(),
                known: self.file.secrets.keys().cloned().collect(),
            }),
        }
    }

    /// Add a recipient and re-encrypt every value to the new set. Returns the recipient as
    /// written, what changed, and how many values were re-encrypted.
    pub(crate) fn add_recipient(
        &mut self,
        key: &str,
        name: Option<&str>,
    ) -> Result<(Recipient, Change, usize), SecretError> {
        let key = file::parse_public_key(key).map_err(SecretError::BadRecipient)?;
        if let Some(name) = name {
            if let Some(why) = file::check_recipient_name(name) {
                return Err(SecretError::BadRecipientName {
                    name: name.to_string(),
                    why,
                });
            }
            if self
                .file
                .recipients
                .iter()
                .any(|r| r.name.as_deref() == Some(name) && r.key != key)
            {
                return Err(SecretError::RecipientNameTaken(name.to_string()));
            }
        }
        if let Some(existing) = self.file.recipients.iter().find(|r| r.key == key) {
            return Ok((existing.clone(), Change::Unchanged, 0));
        }
        let recipient = Recipient {
            name: name.map(str::to_string),
            key,
        };
        let mut recipients = self.file.recipients.clone();
        recipients.push(recipient.clone());
        let n = self.reencrypt(recipients)?;
        Ok((recipient, Change::Added, n))
    }

    /// Remove the recipient named or keyed `which` and re-encrypt every value to the others.
    pub(crate) fn remove_recipient(
        &mut self,
        which: &str,
    ) -> Result<(Recipient, usize), SecretError> {
        let Some(i) = self.file.find_recipient(which) else {
            return Err(SecretError::UnknownRecipient {
                which: which.to_string(),
                known: self
                    .file
                    .recipients
                    .iter()
                    .flat_map(|r| r.name.iter().chain(std::iter::once(&r.key)).cloned())
                    .collect(),
            });
        };
        if self.file.recipients.len() == 1 {
            return Err(SecretError::LastRecipient(self.file.recipients[0].label()));
        }
        let mut recipients = self.file.recipients.clone();
        let removed = recipients.remove(i);
        let n = self.reencrypt(recipients)?;
        Ok((removed, n))
    }

    /// Open every value with the local identity (all or nothing), then seal each to
    /// `recipients`. Needs no identity when there are no values.
    fn reencrypt(&mut self, recipients: Vec<Recipient>) -> Result<usize, SecretError> {
        let keys = keys(&recipients)?;
        let mut values: Vec<(&str, SecretValue)> = Vec::with_capacity(self.file.secrets.len());
        if !self.file.secrets.is_empty() {
            let local = identity::load()?;
            for (name, entry) in &self.file.secrets {
                let value = crypto::open(name, entry, &local.identities, &local.public_keys)?;
                values.push((name, value));
            }
        }
        let mut sealed = BTreeMap::new();
        for (name, value) in &values {
            sealed.insert(name.to_string(), crypto::seal(name, value.expose(), &keys)?);
        }
        let n = values.len();
        drop(values);
        self.file.recipients = recipients;
        self.file.secrets = sealed;
        Ok(n)
    }

    /// Write the file: to a temporary file beside it, then renamed over it.
    pub(crate) fn save(&self) -> Result<(), SecretError> {
        let tmp = self
            .path
            .with_file_name(format!(".{FILE}.{}.tmp", std::process::id()));
        let io = |error| SecretError::Io {
            what: "cannot write",
            path: self.path.clone(),
            error,
        };
        let result = std::fs::File::create(&tmp)
            .and_then(|mut f| {
                f.write_all(self.file.render().as_bytes())?;
                f.sync_all()
            })
            .and_then(|()| std::fs::rename(&tmp, &self.path));
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(e));
        }
        Ok(())
    }
}

/// The recipients' keys as age recipients (they were checked when the file was read).
fn keys(recipients: &[Recipient]) -> Result<Vec<x25519::Recipient>, SecretError> {
    recipients
        .iter()
        .map(|r| {
            r.key
                .parse()
                .map_err(|e| SecretError::BadRecipient(format!("`{}`: {e}", r.key)))
        })
        .collect()
}

/// What `init` found and did.
#[derive(Debug)]
pub(crate) struct InitReport {
    pub(crate) origin: Origin,
    pub(crate) identity_created: bool,
    pub(crate) public_key: String,
    pub(crate) file: PathBuf,
    pub(crate) file_created: bool,
    /// Whether the identity is among the file's recipients (after `init`).
    pub(crate) recipient: bool,
}

/// Make sure there is an identity (create the identity file unless one exists or
/// `HOMELABCMD_ENCRYPTION_KEY` is set) and a secrets.yaml in `root` listing it (create it
/// unless it exists). Never overwrites either.
pub(crate) fn init(root: &Path, name: Option<&str>, now: &str) -> Result<InitReport, SecretError> {
    if let Some(name) = name
        && let Some(why) = file::check_recipient_name(name)
    {
        return Err(SecretError::BadRecipientName {
            name: name.to_string(),
            why,
        });
    }
    let path = root.join(FILE);
    // An invalid secrets.yaml is reported before an identity is made.
    let existing = match path.symlink_metadata() {
        Ok(_) => Some(Editor::open(root)?),
        Err(_) => None,
    };
    let (local, identity_created) = match identity::load() {
        Ok(local) => (local, false),
        Err(SecretError::NoIdentity { path }) => (identity::create(&path, now)?, true),
        Err(e) => return Err(e),
    };
    let public_key = local.public_keys[0].clone();
    if let Some(editor) = existing {
        let recipient = local
            .public_keys
            .iter()
            .any(|k| editor.file.find_recipient(k).is_some());
        return Ok(InitReport {
            origin: local.origin,
            identity_created,
            public_key,
            file: path,
            file_created: false,
            recipient,
        });
    }
    let file = SecretsFile {
        recipients: vec![Recipient {
            name: name.map(str::to_string),
            key: public_key.clone(),
        }],
        secrets: BTreeMap::new(),
    };
    let io = |error| SecretError::Io {
        what: "cannot create",
        path: path.clone(),
        error,
    };
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(io)?;
    out.write_all(file.render().as_bytes()).map_err(io)?;
    Ok(InitReport {
        origin: local.origin,
        identity_created,
        public_key,
        file: path,
        file_created: true,
        recipient: true,
    })
}
