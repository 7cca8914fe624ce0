//! The local age identity, which decrypts: `HOMELABCMD_ENCRYPTION_KEY` (an `AGE-SECRET-KEY-1…`
//! string) when set, else the identity file `$XDG_CONFIG_HOME/homelabcmd/identity.txt` (or
//! `~/.config/homelabcmd/identity.txt`), kept outside the repository with mode 0600, in the
//! format `age-keygen` writes. Errors name the file and line, never the key.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use age::secrecy::ExposeSecret;
use age::secrecy::zeroize::Zeroizing;
use age::x25519;

use super::error::SecretError;

/// The environment variable that, when set, holds the identity itself.
pub(crate) const ENV: &str = "HOMELABCMD_ENCRYPTION_KEY";

/// Where an identity came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    Env,
    File(PathBuf),
}

impl Origin {
    /// `HOMELABCMD_ENCRYPTION_KEY` or the file's path, for messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Env => ENV.to_string(),
            Self::File(path) => path.display().to_string(),
        }
    }
}

/// One or more X25519 identities (an identity file may hold several) and their public keys.
pub(crate) struct LocalIdentity {
    pub(crate) identities: Vec<x25519::Identity>,
    /// `age1…` of each identity, in the same order.
    pub(crate) public_keys: Vec<String>,
    pub(crate) origin: Origin,
}

impl std::fmt::Debug for LocalIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalIdentity")
            .field("public_keys", &self.public_keys)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

/// The identity file's place: `$XDG_CONFIG_HOME/homelabcmd/identity.txt`, else
/// `$HOME/.config/homelabcmd/identity.txt`. None when neither variable is usable.
pub(crate) fn default_path() -> Option<PathBuf> {
    let absolute = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let config =
        absolute("XDG_CONFIG_HOME").or_else(|| absolute("HOME").map(|h| h.join(".config")))?;
    Some(config.join("homelabcmd").join("identity.txt"))
}

/// The identity from the environment if set, else from the identity file.
pub(crate) fn load() -> Result<LocalIdentity, SecretError> {
    if let Some(found) = from_env() {
        return found;
    }
    let path = default_path().ok_or_else(no_home)?;
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => Zeroizing::new(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(SecretError::NoIdentity { path });
        }
        Err(error) => {
            return Err(SecretError::Io {
                what: "cannot read the identity file",
                path,
                error,
            });
        }
    };
    parse(&text, Origin::File(path))
}

/// The identity in `HOMELABCMD_ENCRYPTION_KEY`, when it is set and not empty.
pub(crate) fn from_env() -> Option<Result<LocalIdentity, SecretError>> {
    let value = Zeroizing::new(std::env::var(ENV).ok()?);
    (!value.trim().is_empty()).then(|| parse(&value, Origin::Env))
}

fn no_home() -> SecretError {
    SecretError::BadIdentity {
        source_name: "no identity".into(),
        why: format!(
            "{ENV} is not set, and neither XDG_CONFIG_HOME nor HOME says where the identity file is"
        ),
    }
}

/// Read identities from text in the identity-file format: `AGE-SECRET-KEY-1…` lines, `#`
/// comments and blank lines.
fn parse(text: &str, origin: Origin) -> Result<LocalIdentity, SecretError> {
    let mut identities = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let where_ = match &origin {
            Origin::Env => ENV.to_string(),
            Origin::File(path) => format!("{}:{}", path.display(), i + 1),
        };
        match line.parse::<x25519::Identity>() {
            Ok(identity) => identities.push(identity),
            Err(_) => {
                return Err(SecretError::BadIdentity {
                    source_name: where_,
                    why: if line.starts_with("AGE-PLUGIN-") {
                        "age plugin identities are not supported".into()
                    } else {
                        "not an age X25519 identity (AGE-SECRET-KEY-1…)".into()
                    },
                });
            }
        }
    }
    if identities.is_empty() {
        return Err(SecretError::BadIdentity {
            source_name: origin.describe(),
            why: "holds no identity".into(),
        });
    }
    let public_keys = identities
        .iter()
        .map(|i| i.to_public().to_string())
        .collect();
    Ok(LocalIdentity {
        identities,
        public_keys,
        origin,
    })
}

/// Make a new identity and write it to `path` (mode 0600, its directory 0700 when created).
/// Never overwrites: an existing file is an error.
pub(crate) fn create(path: &Path, created: &str) -> Result<LocalIdentity, SecretError> {
    let io = |what, error| SecretError::Io {
        what,
        path: path.to_path_buf(),
        error,
    };
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| io("cannot create the directory of", e))?;
    }
    let identity = x25519::Identity::generate();
    let public = identity.to_public().to_string();
    let secret = identity.to_string();
    let text = Zeroizing::new(format!(
        "# created: {created}\n# public key: {public}\n{}\n",
        secret.expose_secret()
    ));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| io("cannot create the identity file", e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| io("cannot write the identity file", e))?;
    Ok(LocalIdentity {
        identities: vec![identity],
        public_keys: vec![public],
        origin: Origin::File(path.to_path_buf()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_files_as_age_keygen_writes_them() {
        let text = "# created: 2026-01-01T00:00:00Z\n# public key: age1t7rxyev2z3rw82stdlrrepyc39nvn86l5078zqkf5uasdy86jp6svpy7pa\nAGE-SECRET-KEY-1GQ9778VQXMMJVE8SK7J6VT8UJ4HDQAJUVSFCWCM02D8GEWQ72PVQ2Y5J33\n";
        let id = parse(text, Origin::Env).unwrap();
        assert_eq!(
            id.public_keys,
            ["age1t7rxyev2z3rw82stdlrrepyc39nvn86l5078zqkf5uasdy86jp6svpy7pa"]
        );
        assert!(!format!("{id:?}").contains("SECRET"));
    }

    #[test]
    fn a_bad_line_is_named_not_shown() {
        let e = parse(
            "AGE-SECRET-KEY-1NOTAKEY\n",
            Origin::File("/k/identity.txt".into()),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "/k/identity.txt:1: not an age X25519 identity (AGE-SECRET-KEY-1…)"
        );
    }

    #[test]
    fn create_writes_mode_0600_and_never_overwrites() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cfg/homelabcmd/identity.txt");
        let made = create(&path, "2026-11-25T12:00:00Z").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        let text = std::fs::read_to_string(&path).unwrap();
        let back = parse(&text, Origin::File(path.clone())).unwrap();
        assert_eq!(back.public_keys, made.public_keys);
        assert!(create(&path, "x").is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }
}
