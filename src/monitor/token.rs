//! Agent tokens: each machine's token is an HMAC-SHA256 of its id under the hub's secret, so
//! the hub stores no token list, one machine's token cannot speak for another, and rotating
//! the secret revokes them all. The secret is `HOMELAB_CMD_API_KEY`, or a random key kept in
//! the data directory with mode 0600.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};

/// The environment variable that, when set, is the hub secret.
pub(crate) const API_KEY_VAR: &str = "HOMELAB_CMD_API_KEY";
/// The PRD's placeholder default, refused: it is public.
const PLACEHOLDER: &str = "dev-key-change-me";
const KEY_FILE: &str = "hub.key";

#[derive(Debug, thiserror::Error)]
pub(crate) enum KeyError {
    #[error("{API_KEY_VAR} is the placeholder `{PLACEHOLDER}`")]
    Placeholder,
    #[error("{API_KEY_VAR} is too short ({0} characters)")]
    TooShort(usize),
    #[error("cannot use the hub key {path}: {message}")]
    Io { path: PathBuf, message: String },
}

impl KeyError {
    pub(crate) fn hints(&self) -> Vec<String> {
        match self {
            Self::Placeholder | Self::TooShort(_) => vec![format!(
                "set {API_KEY_VAR} to at least 32 random characters (e.g. `openssl rand -hex 32`), or unset it to use a generated key"
            )],
            Self::Io { .. } => vec![],
        }
    }
}

/// The hub's secret, ready to sign and check machine tokens.
pub(crate) struct HubKey {
    key: hmac::Key,
    /// Where it came from, for messages: the variable name or the file path.
    pub(crate) source: String,
}

impl std::fmt::Debug for HubKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HubKey({})", self.source) // never the key itself
    }
}

impl HubKey {
    /// `HOMELAB_CMD_API_KEY` if set, else `DATA_DIR/hub.key`, created if missing.
    pub(crate) fn load(data_dir: &Path) -> Result<Self, KeyError> {
        if let Some(value) = std::env::var(API_KEY_VAR).ok().filter(|v| !v.is_empty()) {
            if value == PLACEHOLDER {
                return Err(KeyError::Placeholder);
            }
            if value.len() < 16 {
                return Err(KeyError::TooShort(value.len()));
            }
            return Ok(Self::from_secret(value.as_bytes(), API_KEY_VAR.to_string()));
        }
        let path = data_dir.join(KEY_FILE);
        let io = |e: std::io::Error| KeyError::Io {
            path: path.clone(),
            message: e.to_string(),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let secret = text.trim();
                if secret.len() < 32 {
                    return Err(KeyError::Io {
                        path: path.clone(),
                        message: "the key file is too short to be a key".into(),
                    });
                }
                Ok(Self::from_secret(
                    secret.as_bytes(),
                    path.display().to_string(),
                ))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(data_dir).map_err(io)?;
                let mut bytes = [0u8; 32];
                SystemRandom::new()
                    .fill(&mut bytes)
                    .map_err(|_| KeyError::Io {
                        path: path.clone(),
                        message: "the system random source failed".into(),
                    })?;
                let secret = hex(&bytes);
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&path)
                    .map_err(io)?;
                file.write_all(format!("{secret}\n").as_bytes())
                    .map_err(io)?;
                file.sync_all().map_err(io)?;
                Ok(Self::from_secret(
                    secret.as_bytes(),
                    path.display().to_string(),
                ))
            }
            Err(e) => Err(io(e)),
        }
    }

    fn from_secret(secret: &[u8], source: String) -> Self {
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
            source,
        }
    }

    /// The token of `machine_id`: 64 hex characters.
    pub(crate) fn token(&self, machine_id: &str) -> String {
        hex(hmac::sign(&self.key, &message(machine_id)).as_ref())
    }

    /// Every token of `ids`, to find a token's machine with one lookup (no HMAC per machine).
    pub(crate) fn index<'a>(&self, ids: impl IntoIterator<Item = &'a String>) -> TokenIndex {
        TokenIndex {
            by_tag: ids
                .into_iter()
                .map(|id| (tag(&self.key, id), id.clone()))
                .collect(),
        }
    }

    /// Whether `token` is `machine_id`'s, compared in constant time.
    pub(crate) fn verify(&self, machine_id: &str, token: &str) -> bool {
        match unhex(token) {
            Some(tag) => hmac::verify(&self.key, &message(machine_id), &tag).is_ok(),
            None => false,
        }
    }
}

/// The fleet's tokens, from token to machine id. Keyed by the token's bytes in a `HashMap`
/// (SipHash under a random key, so lookup time says nothing about how close a guess was); the
/// entry found is confirmed with a constant-time comparison.
#[derive(Default)]
pub(crate) struct TokenIndex {
    by_tag: std::collections::HashMap<[u8; 32], String>,
}

impl std::fmt::Debug for TokenIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenIndex({} machines)", self.by_tag.len()) // never the tokens
    }
}

impl TokenIndex {
    /// The machine whose token this is, if it is one of the index's.
    pub(crate) fn machine(&self, token: &str) -> Option<&str> {
        let bytes: [u8; 32] = unhex(token)?.try_into().ok()?;
        let (stored, id) = self.by_tag.get_key_value(&bytes)?;
        constant_time_eq(stored, &bytes).then_some(id.as_str())
    }
}

fn constant_time_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn tag(key: &hmac::Key, machine_id: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(hmac::sign(key, &message(machine_id)).as_ref());
    out
}

fn message(machine_id: &str) -> Vec<u8> {
    format!("homelabcmd-agent-token:v1:{machine_id}").into_bytes()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_per_machine() {
        let key = HubKey::from_secret(b"0123456789abcdef0123456789abcdef", "test".into());
        let web1 = key.token("web1");
        assert_eq!(web1.len(), 64);
        assert!(key.verify("web1", &web1));
        assert!(!key.verify("web2", &web1));
        assert!(!key.verify("web1", &web1[..63]));
        assert!(!key.verify("web1", "zz"));
        let other = HubKey::from_secret(b"another secret, another token!!!", "test".into());
        assert!(!other.verify("web1", &web1));
    }

    #[test]
    fn the_index_maps_each_token_to_its_machine() {
        let key = HubKey::from_secret(b"0123456789abcdef0123456789abcdef", "test".into());
        let ids = ["web1".to_string(), "web2".to_string()];
        let index = key.index(&ids);
        assert_eq!(index.machine(&key.token("web1")), Some("web1"));
        assert_eq!(index.machine(&key.token("web2")), Some("web2"));
        assert_eq!(index.machine(&key.token("ghost")), None);
        assert_eq!(index.machine(&"0".repeat(64)), None);
        assert_eq!(index.machine("short"), None);
    }
}
