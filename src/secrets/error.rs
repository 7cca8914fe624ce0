//! What can go wrong with secrets, worded for the operator. No variant ever carries a
//! decrypted value or a secret key: messages name secrets, files and public keys only.

use std::path::PathBuf;

use crate::fleet::diagnostic::{Diagnostic, Pos};

#[derive(Debug, thiserror::Error)]
pub(crate) enum SecretError {
    /// There is no secrets.yaml where it was looked for.
    #[error("there is no secrets.yaml in {place}")]
    NoFile { place: String },

    /// secrets.yaml exists but cannot be read as one.
    #[error("secrets.yaml is invalid: {} problem{}", .diagnostics.len(), if .diagnostics.len() == 1 { "" } else { "s" })]
    Invalid {
        diagnostics: Vec<Diagnostic>,
        /// The file's text, for excerpts (it holds names, keys and ciphertext only).
        text: String,
    },

    #[error("unknown secret `{name}`")]
    Unknown { name: String, known: Vec<String> },

    #[error("`{name}` is not a valid secret name: it {why}")]
    BadName { name: String, why: String },

    /// No identity in the environment and no identity file.
    #[error("no age identity: {path} does not exist and HOMELABCMD_ENCRYPTION_KEY is not set")]
    NoIdentity { path: PathBuf },

    /// The identity file or variable does not hold a usable identity.
    #[error("{source_name}: {why}")]
    BadIdentity { source_name: String, why: String },

    /// The local identity is not among the recipients of this value.
    #[error("this identity cannot decrypt secret `{name}`: it is not one of its recipients")]
    NotRecipient {
        name: String,
        public_keys: Vec<String>,
    },

    /// The ciphertext opened, but its name check failed: it was written for another name
    /// (moved or copied within secrets.yaml) or its `mac` was edited.
    #[error(
        "secret `{name}` (secrets.yaml:{}:{}) failed its name check: this ciphertext was not written for `{name}`",
        .pos.line, .pos.col
    )]
    NameMismatch { name: String, pos: Pos },

    /// The ciphertext is damaged or not an age file.
    #[error("secret `{name}` cannot be decrypted: {why}")]
    Corrupt { name: String, why: String },

    #[error("`{which}` is not a recipient")]
    UnknownRecipient { which: String, known: Vec<String> },

    #[error("{0}")]
    BadRecipient(String),

    #[error("`{name}` cannot name a recipient: it {why}")]
    BadRecipientName { name: String, why: String },

    #[error("a recipient is already named `{0}`")]
    RecipientNameTaken(String),

    #[error("{} is the only recipient: without it nobody could decrypt the secrets", .0)]
    LastRecipient(String),

    #[error("--rev reads a commit; `secrets {0}` changes secrets.yaml in the work tree")]
    ReadOnlyRev(&'static str),

    #[error("cannot encrypt: {0}")]
    Encrypt(String),

    #[error("{what} {}: {error}", .path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        error: std::io::Error,
    },

    #[error(transparent)]
    Source(#[from] crate::fleet::source::SourceError),
}

impl SecretError {
    /// Refusals (exit 4): the identity may not read the value, or the value is not what it
    /// claims to be. Everything else is a configuration problem (exit 2).
    pub(crate) fn is_refusal(&self) -> bool {
        matches!(
            self,
            Self::NotRecipient { .. } | Self::NameMismatch { .. } | Self::Corrupt { .. }
        )
    }

    /// What to do about it.
    pub(crate) fn hints(&self) -> Vec<String> {
        match self {
            Self::NoFile { .. } => vec![
                "create it with `homelabcmd secrets init`, then add secrets with `homelabcmd secrets set NAME`".into(),
            ],
            Self::Invalid { .. } => vec![
                "secrets.yaml is written by `homelabcmd secrets`; restore it from git (`git checkout -- secrets.yaml`) if it was edited by hand".into(),
            ],
            Self::Unknown { name, known } => {
                let names: Vec<&str> = known.iter().map(String::as_str).collect();
                match crate::fleet::diagnostic::nearest(name, names.iter().copied()) {
                    Some(near) => vec![format!("did you mean `{near}`? `homelabcmd secrets list` shows them all")],
                    None if names.is_empty() => {
                        vec![format!("secrets.yaml holds no secrets yet; add it with `homelabcmd secrets set {name}`")]
                    }
                    None => vec![format!(
                        "add it with `homelabcmd secrets set {name}`; secrets: {}",
                        names.join(", ")
                    )],
                }
            }
            Self::BadName { .. } => vec![
                "a name is 1 to 64 letters, digits, `_`, `-` and `.`, starting with a letter, digit or `_`".into(),
            ],
            Self::NoIdentity { .. } => vec![
                "create one with `homelabcmd secrets init`, or set HOMELABCMD_ENCRYPTION_KEY to an AGE-SECRET-KEY-1… string".into(),
            ],
            Self::BadIdentity { .. } => vec![
                "an identity is an AGE-SECRET-KEY-1… line, as written by `homelabcmd secrets init` or `age-keygen`".into(),
            ],
            Self::NotRecipient { public_keys, .. } => vec![format!(
                "ask someone who can read the secrets to run `homelabcmd secrets recipients add {}`, then pull their commit",
                public_keys.first().map_or("AGE_PUBLIC_KEY", String::as_str)
            )],
            Self::NameMismatch { name, .. } => vec![
                "someone moved or edited this entry; find out with `git log -p secrets.yaml`".into(),
                format!("restore secrets.yaml from a good commit, or set the value again with `homelabcmd secrets set {name}`"),
            ],
            Self::Corrupt { name, .. } => vec![format!(
                "restore secrets.yaml from a good commit, or set the value again with `homelabcmd secrets set {name}`"
            )],
            Self::UnknownRecipient { which, known } => {
                let names: Vec<&str> = known.iter().map(String::as_str).collect();
                vec![crate::fleet::diagnostic::suggest(which, "recipients (names or keys)", &names)]
            }
            Self::BadRecipient(_) => vec![
                "an age public key looks like age1…; `age-keygen -y IDENTITY` or `homelabcmd secrets init` prints it".into(),
            ],
            Self::BadRecipientName { .. } => {
                vec!["name recipients after a person and a machine, e.g. --name alex@desktop".into()]
            }
            Self::RecipientNameTaken(_) => vec!["choose another --name; `homelabcmd secrets list` shows the recipients".into()],
            Self::LastRecipient(_) => vec!["add the new recipient first with `homelabcmd secrets recipients add`, then remove this one".into()],
            Self::ReadOnlyRev(_) => vec!["drop --rev: changes go to the work tree, for you to commit".into()],
            Self::Source(e) => e.hints(),
            Self::Encrypt(_) | Self::Io { .. } => vec![],
        }
    }

    /// The rendered diagnostics of an invalid secrets.yaml, if that is what this is.
    pub(crate) fn details(&self) -> Option<String> {
        match self {
            Self::Invalid { diagnostics, text } => Some(
                diagnostics
                    .iter()
                    .map(|d| d.render(Some(text)))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            _ => None,
        }
    }
}
