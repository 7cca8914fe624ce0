//! The `secrets.yaml` format: who can read (the recipients' age public keys) and the secrets,
//! each name in clear with its own age envelope and the `mac` that binds it to the name.
//!
//! The file is written deterministically (recipients in the order they were added, secrets
//! sorted by name, each envelope kept byte for byte), so changing one secret changes one entry
//! in `git diff`. It is read back with the fleet's own YAML tree, every problem with
//! `secrets.yaml:LINE:COL`.

use std::collections::BTreeMap;

use crate::fleet::diagnostic::{Diagnostic, Pos, suggest};
use crate::fleet::{YamlKind as Kind, YamlNode as Node, parse_yaml};

use super::error::SecretError;

/// The file's name, in the fleet directory beside fleet.yaml.
pub(crate) const FILE: &str = "secrets.yaml";

const BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----";
const END: &str = "-----END AGE ENCRYPTED FILE-----";

const HEADER: &str = "\
# secrets.yaml: managed by `homelabcmd secrets`. Names are in clear; each value is encrypted
# on its own with age to every recipient (`age -d -i IDENTITY` decrypts one), and its `mac`
# binds it to its name. Change it with `homelabcmd secrets set|rm|recipients`, not by hand.
";

/// Someone who can decrypt: an age X25519 public key, with an optional name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Recipient {
    pub(crate) name: Option<String>,
    /// `age1…`, as age writes it.
    pub(crate) key: String,
}

impl Recipient {
    /// `name (age1…)`, or the key alone.
    pub(crate) fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("{name} ({})", self.key),
            None => self.key.clone(),
        }
    }
}

/// One secret: its age envelope and the tag binding it to its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Lowercase hex HMAC-SHA256 (see `crypto`).
    pub(crate) mac: String,
    /// The ASCII-armored age file, ending in one newline.
    pub(crate) value: String,
    /// Where the entry's name is written, for messages.
    pub(crate) pos: Pos,
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SecretsFile {
    pub(crate) recipients: Vec<Recipient>,
    pub(crate) secrets: BTreeMap<String, Entry>,
}

/// Why `name` cannot be a secret's name, if it cannot.
pub(crate) fn check_name(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > 64 {
        return Some("must be 1 to 64 characters long".into());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Some("may only hold letters, digits, `_`, `-` and `.`".into());
    }
    if name.starts_with(['-', '.']) {
        return Some("must start with a letter, a digit or `_`".into());
    }
    None
}

/// Why `name` cannot name a recipient, if it cannot.
pub(crate) fn check_recipient_name(name: &str) -> Option<String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'));
    (!ok).then(|| {
        "must be 1 to 64 letters, digits, `_`, `-`, `.` and `@`, starting with a letter or digit"
            .into()
    })
}

/// The canonical form of an age X25519 public key, or why it is not one. Never echoes a
/// secret key that was pasted by mistake.
pub(crate) fn parse_public_key(text: &str) -> Result<String, String> {
    if text.to_ascii_uppercase().starts_with("AGE-SECRET-KEY-") {
        return Err(
            "this is a secret key, not a public one: never share or commit it; its public key is `age-keygen -y IDENTITY`".into(),
        );
    }
    match text.parse::<age::x25519::Recipient>() {
        Ok(r) => Ok(r.to_string()),
        Err(_) if text.starts_with("ssh-") => Err(format!(
            "`{}…` is an SSH key; only age X25519 keys (age1…) are supported",
            text.chars().take(16).collect::<String>()
        )),
        Err(e) => Err(format!("`{text}` is not an age public key ({e})")),
    }
}

impl SecretsFile {
    /// Read the file, or every problem in it.
    pub(crate) fn parse(text: &str) -> Result<Self, SecretError> {
        let (file, diagnostics) = parse(text);
        match file {
            Some(file) if diagnostics.is_empty() => Ok(file),
            _ => Err(SecretError::Invalid {
                diagnostics,
                text: text.to_string(),
            }),
        }
    }

    /// The file's text: the same content always gives the same bytes.
    pub(crate) fn render(&self) -> String {
        let mut out = String::from(HEADER);
        out.push_str("version: 1\nrecipients:\n");
        for r in &self.recipients {
            match &r.name {
                Some(name) => out.push_str(&format!("  - {{ name: {name}, key: {} }}\n", r.key)),
                None => out.push_str(&format!("  - {{ key: {} }}\n", r.key)),
            }
        }
        if self.secrets.is_empty() {
            out.push_str("secrets: {}\n");
            return out;
        }
        out.push_str("secrets:\n");
        for (name, entry) in &self.secrets {
            out.push_str(&format!(
                "  {name}:\n    mac: {}\n    value: |\n",
                entry.mac
            ));
            for line in entry.value.lines() {
                out.push_str("      ");
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }

    /// The recipient named `which`, or with the key `which`.
    pub(crate) fn find_recipient(&self, which: &str) -> Option<usize> {
        self.recipients
            .iter()
            .position(|r| r.key == which || r.name.as_deref() == Some(which))
    }
}

/// Parse as much as can be understood; the problems beside it. None when the text is not
/// YAML at all.
pub(crate) fn parse(text: &str) -> (Option<SecretsFile>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let root = match parse_yaml(text) {
        Ok(root) => root,
        Err(e) => {
            errors.push(
                Diagnostic::new(FILE, e.pos, format!("invalid YAML: {}", e.message))
                    .hint("restore secrets.yaml from git: it is written by `homelabcmd secrets`"),
            );
            return (None, errors);
        }
    };
    let mut file = SecretsFile::default();
    let Kind::Map(entries) = &root.kind else {
        errors.push(
            Diagnostic::new(
                FILE,
                root.pos,
                format!("secrets.yaml must be a mapping, found {}", root.describe()),
            )
            .hint("create it with `homelabcmd secrets init`"),
        );
        return (Some(file), errors);
    };
    let mut version = false;
    // Problems found in `recipients` (None: there is no `recipients`).
    let mut recipient_problems = None;
    for (key, value) in entries {
        match key.as_scalar() {
            Some("version") => {
                version = true;
                if value.as_scalar() != Some("1") {
                    errors.push(
                        at(
                            value,
                            format!("unsupported secrets.yaml version `{}`", text_of(value)),
                        )
                        .hint(
                            "this homelabcmd reads version 1; a newer homelabcmd wrote this file",
                        ),
                    );
                }
            }
            Some("recipients") => {
                let before = errors.len();
                recipients(value, &mut file, &mut errors);
                recipient_problems = Some(errors.len() - before);
            }
            Some("secrets") => secrets(value, &mut file, &mut errors),
            other => errors.push(
                at(
                    key,
                    format!("unknown key `{}` in secrets.yaml", other.unwrap_or("?")),
                )
                .hint(suggest(
                    other.unwrap_or(""),
                    "keys",
                    &["version", "recipients", "secrets"],
                )),
            ),
        }
    }
    if !version {
        errors.push(
            Diagnostic::new(FILE, root.pos, "secrets.yaml has no `version`")
                .hint("add `version: 1`"),
        );
    }
    if file.recipients.is_empty() && recipient_problems.unwrap_or(0) == 0 {
        errors.push(
            Diagnostic::new(
                FILE,
                root.pos,
                "secrets.yaml lists no recipients: nobody could decrypt it",
            )
            .hint("write `recipients: [{ key: age1… }]` with your public key"),
        );
    }
    (Some(file), errors)
}

fn at(node: &Node, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(FILE, node.pos, message).to(node.end)
}

fn text_of<'n>(node: &'n Node) -> &'n str {
    node.as_scalar().unwrap_or(node.describe())
}

fn recipients(node: &Node, file: &mut SecretsFile, errors: &mut Vec<Diagnostic>) {
    let Kind::Seq(items) = &node.kind else {
        errors.push(
            at(
                node,
                format!("`recipients` must be a list, found {}", node.describe()),
            )
            .hint("write `recipients: [{ name: NAME, key: age1… }]`"),
        );
        return;
    };
    for item in items {
        let Kind::Map(fields) = &item.kind else {
            errors.push(
                at(
                    item,
                    format!("a recipient must be a mapping, found {}", item.describe()),
                )
                .hint("write `- { name: NAME, key: age1… }`; `name` is optional"),
            );
            continue;
        };
        let mut name = None;
        let mut key = None;
        for (k, v) in fields {
            match k.as_scalar() {
                Some("name") => match v.as_scalar() {
                    Some(n) => match check_recipient_name(n) {
                        None => name = Some(n.to_string()),
                        Some(why) => errors.push(at(v, format!("recipient name `{n}` {why}"))),
                    },
                    None => errors.push(at(
                        v,
                        format!("a recipient's `name` must be text, found {}", v.describe()),
                    )),
                },
                Some("key") => {
                    match v.as_scalar().map(parse_public_key) {
                        Some(Ok(k)) => key = Some(k),
                        Some(Err(why)) => {
                            let mut d = at(v, why).hint("a recipient key looks like age1… (`age-keygen -y IDENTITY` prints it)");
                            d.secret = v.as_scalar().is_some_and(|t| {
                                t.to_ascii_uppercase().starts_with("AGE-SECRET-KEY-")
                            });
                            errors.push(d);
                        }
                        None => errors.push(at(
                            v,
                            format!("a recipient's `key` must be text, found {}", v.describe()),
                        )),
                    }
                }
                other => errors.push(
                    at(
                        k,
                        format!("unknown key `{}` in a recipient", other.unwrap_or("?")),
                    )
                    .hint(suggest(
                        other.unwrap_or(""),
                        "keys",
                        &["name", "key"],
                    )),
                ),
            }
        }
        let Some(key) = key else {
            if !fields.iter().any(|(k, _)| k.as_scalar() == Some("key")) {
                errors.push(at(item, "a recipient has no `key`").hint("add `key: age1…`"));
            }
            continue;
        };
        if file.recipients.iter().any(|r| r.key == key) {
            errors.push(at(item, format!("recipient `{key}` is listed twice")));
            continue;
        }
        if let Some(n) = &name
            && file.recipients.iter().any(|r| r.name.as_ref() == Some(n))
        {
            errors.push(
                at(item, format!("two recipients are named `{n}`"))
                    .hint("names must be unique: `recipients rm` accepts one"),
            );
            continue;
        }
        file.recipients.push(Recipient { name, key });
    }
}

fn secrets(node: &Node, file: &mut SecretsFile, errors: &mut Vec<Diagnostic>) {
    if node.is_null() {
        return;
    }
    let Kind::Map(entries) = &node.kind else {
        errors.push(
            at(
                node,
                format!(
                    "`secrets` must be a mapping of names, found {}",
                    node.describe()
                ),
            )
            .hint("add secrets with `homelabcmd secrets set NAME`"),
        );
        return;
    };
    for (key, value) in entries {
        let Some(name) = key.as_scalar() else {
            errors.push(at(key, "a secret's name must be text"));
            continue;
        };
        if let Some(why) = check_name(name) {
            errors.push(at(
                key,
                format!("`{name}` is not a valid secret name: it {why}"),
            ));
            continue;
        }
        if let Some(first) = file.secrets.get(name) {
            errors.push(
                at(key, format!("secret `{name}` is defined twice"))
                    .hint(format!("the first is at line {}; keep one", first.pos.line)),
            );
            continue;
        }
        let Kind::Map(fields) = &value.kind else {
            errors.push(
                at(
                    value,
                    format!(
                        "secret `{name}` must be a mapping with `mac` and `value`, found {}",
                        value.describe()
                    ),
                )
                .hint(format!("set it again with `homelabcmd secrets set {name}`")),
            );
            continue;
        };
        let mut mac = None;
        let mut armored = None;
        for (k, v) in fields {
            match k.as_scalar() {
                Some("mac") => match v.as_scalar() {
                    Some(m) if m.len() == 64 && m.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) => {
                        mac = Some(m.to_string());
                    }
                    _ => errors.push(at(v, format!("the `mac` of secret `{name}` must be 64 lowercase hex digits"))),
                },
                Some("value") => match v.as_scalar().map(str::trim) {
                    Some(t) if t.starts_with(BEGIN) && t.ends_with(END) => armored = Some(format!("{t}\n")),
                    _ => errors.push(
                        at(v, format!("the `value` of secret `{name}` is not an armored age file"))
                            .hint(format!("it must run from `{BEGIN}` to `{END}`; set it again with `homelabcmd secrets set {name}`")),
                    ),
                },
                other => errors.push(
                    at(k, format!("unknown key `{}` in secret `{name}`", other.unwrap_or("?")))
                        .hint(suggest(other.unwrap_or(""), "keys", &["mac", "value"])),
                ),
            }
        }
        for (field, present) in [("mac", mac.is_some()), ("value", armored.is_some())] {
            if !present && !fields.iter().any(|(k, _)| k.as_scalar() == Some(field)) {
                errors.push(
                    at(key, format!("secret `{name}` has no `{field}`"))
                        .hint(format!("set it again with `homelabcmd secrets set {name}`")),
                );
            }
        }
        if let (Some(mac), Some(value)) = (mac, armored) {
            file.secrets.insert(
                name.to_string(),
                Entry {
                    mac,
                    value,
                    pos: key.pos,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(tag: char) -> Entry {
        Entry {
            mac: tag.to_string().repeat(64),
            value: format!("{BEGIN}\nYWdl\n{END}\n"),
            pos: Pos::START,
        }
    }

    #[test]
    fn render_then_parse_is_the_identity() {
        let mut file = SecretsFile {
            recipients: vec![Recipient {
                name: Some("me@laptop".into()),
                key: "age1t7rxyev2z3rw82stdlrrepyc39nvn86l5078zqkf5uasdy86jp6svpy7pa".into(),
            }],
            secrets: BTreeMap::new(),
        };
        assert_eq!(SecretsFile::parse(&file.render()).unwrap(), file);
        file.secrets.insert("b".into(), entry('b'));
        file.secrets.insert("a".into(), entry('a'));
        let text = file.render();
        let back = SecretsFile::parse(&text).unwrap();
        assert_eq!(back.render(), text);
        assert_eq!(back.secrets.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(back.secrets["a"].value, entry('a').value);
    }

    #[test]
    fn problems_have_positions() {
        let text = "version: 1\nrecipients:\n  - { key: age1nope }\nsecrets:\n  -bad: {}\n  ok: { mac: xyz, valu: 1 }\n";
        let (_, errors) = parse(text);
        let got: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            got[0],
            "secrets.yaml:3:12: `age1nope` is not an age public key (invalid Bech32 encoding)"
        );
        assert_eq!(
            got[1],
            "secrets.yaml:5:3: `-bad` is not a valid secret name: it must start with a letter, a digit or `_`"
        );
        assert_eq!(
            got[2],
            "secrets.yaml:6:14: the `mac` of secret `ok` must be 64 lowercase hex digits"
        );
        assert_eq!(
            got[3],
            "secrets.yaml:6:19: unknown key `valu` in secret `ok`"
        );
        assert_eq!(got[4], "secrets.yaml:6:3: secret `ok` has no `value`");
    }

    #[test]
    fn a_pasted_secret_key_is_not_echoed() {
        let text = "version: 1\nrecipients:\n  - key: AGE-SECRET-KEY-1GQ9778VQXMMJVE8SK7J6VT8UJ4HDQAJUVSFCWCM02D8GEWQ72PVQ2Y5J33\nsecrets: {}\n";
        let (_, errors) = parse(text);
        assert!(errors[0].secret);
        assert!(!errors[0].render(Some(text)).contains("GQ9778"));
    }
}
