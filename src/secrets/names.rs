//! What fleet validation may know of secrets.yaml: the names of the secrets in the same
//! snapshot (commit or work tree), to check `secret:NAME` references. Nothing is decrypted
//! and no identity is needed.

use std::cell::OnceCell;
use std::collections::BTreeSet;

use crate::fleet::Snapshot;
use crate::fleet::diagnostic::{Diagnostic, Pos, suggest};
use crate::fleet::source::SourceError;

use super::file::{self, FILE};

/// The secret names of a snapshot, and secrets.yaml's text when it has problems to show.
#[derive(Debug)]
pub(crate) struct Names {
    /// None: there is no secrets.yaml. `Some(None)`: it is not YAML (its own error says so).
    names: Option<Option<BTreeSet<String>>>,
    text: Option<String>,
    /// When reading a commit: the names in the work tree's secrets.yaml, for hints.
    worktree: OnceCell<Option<BTreeSet<String>>>,
}

/// Read the names from the snapshot's secrets.yaml; its problems go to `errors`.
pub(crate) fn names(
    snapshot: &Snapshot,
    errors: &mut Vec<Diagnostic>,
) -> Result<Names, SourceError> {
    let mut out = Names {
        names: None,
        text: None,
        worktree: OnceCell::new(),
    };
    let Some(bytes) = snapshot.read(FILE)? else {
        return Ok(out);
    };
    let Ok(text) = String::from_utf8(bytes) else {
        errors.push(Diagnostic::new(
            FILE,
            Pos::START,
            "secrets.yaml is not UTF-8 text",
        ));
        out.names = Some(None);
        return Ok(out);
    };
    let (parsed, problems) = file::parse(&text);
    out.names = Some(parsed.map(|f| f.secrets.into_keys().collect()));
    if !problems.is_empty() {
        errors.extend(problems);
        out.text = Some(text);
    }
    Ok(out)
}

impl Names {
    /// For a `secret:NAME` that secrets.yaml does not hold: the message and the hint.
    pub(crate) fn unknown(&self, name: &str, snapshot: &Snapshot) -> Option<(String, String)> {
        let in_worktree = || {
            snapshot.commit_id().is_some()
                && self
                    .worktree
                    .get_or_init(|| worktree_names(snapshot))
                    .as_ref()
                    .is_some_and(|n| n.contains(name))
        };
        let uncommitted =
            "secrets.yaml is in the work tree but not committed: commit it, or use --worktree";
        match &self.names {
            Some(None) => None,
            Some(Some(names)) if names.contains(name) => None,
            Some(Some(names)) => {
                let list: Vec<&str> = names.iter().map(String::as_str).collect();
                let hint = if in_worktree() {
                    format!(
                        "`{name}` is in the work tree's secrets.yaml but not committed: commit it, or use --worktree"
                    )
                } else if crate::fleet::diagnostic::nearest(name, list.iter().copied()).is_some() {
                    suggest(name, "secrets (in secrets.yaml)", &list)
                } else {
                    format!(
                        "add it with `homelabcmd secrets set {name}`; {}",
                        suggest(name, "secrets (in secrets.yaml)", &list)
                    )
                };
                Some((format!("unknown secret `{name}`"), hint))
            }
            None => {
                let place = match snapshot.commit_id() {
                    Some(_) => format!(" in {}", snapshot.describe()),
                    None => String::new(),
                };
                let hint = if snapshot.commit_id().is_some() && snapshot.root().join(FILE).is_file()
                {
                    uncommitted.to_string()
                } else {
                    format!(
                        "create it with `homelabcmd secrets init`, then add the secret with `homelabcmd secrets set {name}`"
                    )
                };
                Some((
                    format!("unknown secret `{name}`: there is no secrets.yaml{place}"),
                    hint,
                ))
            }
        }
    }

    /// secrets.yaml's text, when its problems were reported (for their excerpts).
    pub(crate) fn into_text(self) -> Option<String> {
        self.text
    }
}

fn worktree_names(snapshot: &Snapshot) -> Option<BTreeSet<String>> {
    let text = std::fs::read_to_string(snapshot.root().join(FILE)).ok()?;
    let (parsed, _) = file::parse(&text);
    parsed.map(|f| f.secrets.into_keys().collect())
}
