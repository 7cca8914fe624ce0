//! Reading the whole fleet from a snapshot and checking it: every file parsed, every
//! reference resolved, every problem collected, so one run reports them all.

use std::collections::BTreeMap;

use super::decode::Decoder;
use super::diagnostic::{Diagnostic, Pos, suggest};
use super::fleet_file::{self, Ref, RefKind};
use super::model::Fleet;
use super::pack::{self, Pack};
use super::pack_file;
use super::source::{Snapshot, SourceError};
use super::yaml;

pub(crate) const FLEET_FILE: &str = "fleet.yaml";
pub(crate) const PACKS_DIR: &str = "packs";

/// The fleet could not be used: the problems, and the text of each file for excerpts.
#[derive(Debug)]
pub(crate) struct Invalid {
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) sources: BTreeMap<String, String>,
}

impl Invalid {
    /// Every diagnostic rendered with its excerpt and hint.
    pub(crate) fn render(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.render(self.sources.get(&d.file).map(String::as_str)))
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub(crate) fn summary(&self) -> String {
        let files: std::collections::BTreeSet<&str> =
            self.diagnostics.iter().map(|d| d.file.as_str()).collect();
        let n = self.diagnostics.len();
        format!(
            "the fleet is invalid: {n} problem{} in {} file{}",
            if n == 1 { "" } else { "s" },
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum LoadError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("{}", .0.summary())]
    Invalid(Invalid),
}

/// Read fleet.yaml and every pack from `snapshot`, and validate them together.
pub(crate) fn load(snapshot: &Snapshot) -> Result<Fleet, LoadError> {
    let mut errors = Vec::new();
    let fleet_text = match snapshot.read(FLEET_FILE)? {
        Some(bytes) => utf8(FLEET_FILE, bytes, &mut errors),
        None => {
            errors.push(
                Diagnostic::new(
                    FLEET_FILE,
                    Pos::START,
                    format!("there is no fleet.yaml in {}", snapshot.describe()),
                )
                .hint(no_fleet_hint(snapshot)),
            );
            None
        }
    };
    validate(snapshot, fleet_text, errors)
}

/// Validate `fleet_text` as fleet.yaml together with the snapshot's other files: the text an
/// edit is about to write, checked before it is written.
pub(crate) fn load_edited(snapshot: &Snapshot, fleet_text: String) -> Result<Fleet, LoadError> {
    validate(snapshot, Some(fleet_text), Vec::new())
}

fn validate(
    snapshot: &Snapshot,
    fleet_text: Option<String>,
    mut errors: Vec<Diagnostic>,
) -> Result<Fleet, LoadError> {
    let mut refs = Vec::new();
    let mut declared = Vec::new();
    // Read every file first; the parsed trees borrow their text.
    let mut pack_texts = Vec::new();
    for name in snapshot.list(PACKS_DIR)? {
        let Some(stem) = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))
        else {
            continue;
        };
        let file = format!("{PACKS_DIR}/{name}");
        if let Some(complaint) = fleet_file::check_id(stem) {
            errors.push(Diagnostic::new(
                &file,
                Pos::START,
                format!("pack file name `{stem}` {complaint}"),
            ));
            continue;
        }
        if let Some(bytes) = snapshot.read(&file)?
            && let Some(text) = utf8(&file, bytes, &mut errors)
        {
            pack_texts.push((file, stem.to_string(), text));
        }
    }

    let empty = yaml::parse("machines: {}").expect("static YAML parses");
    let fleet_root = fleet_text
        .as_deref()
        .and_then(|t| parse(FLEET_FILE, t, &mut errors));
    let mut fleet = match &fleet_root {
        Some(root) => {
            let mut d = Decoder {
                file: FLEET_FILE,
                errors: &mut errors,
            };
            fleet_file::decode(&mut d, root, &mut refs, &mut declared)
        }
        None => {
            let mut d = Decoder {
                file: FLEET_FILE,
                errors: &mut Vec::new(),
            };
            fleet_file::decode(&mut d, &empty, &mut Vec::new(), &mut Vec::new())
        }
    };
    for (file, stem, text) in &pack_texts {
        let Some(root) = parse(file, text, &mut errors) else {
            continue;
        };
        let mut d = Decoder {
            file,
            errors: &mut errors,
        };
        let pack = pack_file::decode(&mut d, stem, &root, &mut refs);
        if let Some(other) = fleet.packs.get(stem) {
            errors.push(Diagnostic::new(
                file,
                Pos::START,
                format!("pack `{stem}` is also defined in {}", other.file),
            ));
            continue;
        }
        fleet.packs.insert(stem.clone(), pack);
    }

    // secrets.yaml: its names only, never a value.
    let secrets = crate::secrets::names(snapshot, &mut errors)?;
    check_refs(&fleet, &declared, snapshot, &secrets, &refs, &mut errors);
    check_cycles(&fleet.packs, &refs, &mut errors);
    check_machines(&fleet, &refs, &mut errors);

    if errors.is_empty() {
        return Ok(fleet);
    }
    errors.sort_by(|a, b| {
        (a.file != FLEET_FILE, &a.file, a.pos).cmp(&(b.file != FLEET_FILE, &b.file, b.pos))
    });
    errors.dedup();
    let mut sources: BTreeMap<String, String> = pack_texts
        .into_iter()
        .map(|(file, _, text)| (file, text))
        .collect();
    if let Some(text) = fleet_text {
        sources.insert(FLEET_FILE.to_string(), text);
    }
    if let Some(text) = secrets.into_text() {
        sources.insert(crate::secrets::FILE.to_string(), text);
    }
    Err(LoadError::Invalid(Invalid {
        diagnostics: errors,
        sources,
    }))
}

/// The file's text, or a diagnostic at the first byte that is not UTF-8.
fn utf8(file: &str, bytes: Vec<u8>, errors: &mut Vec<Diagnostic>) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let col = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            errors.push(
                Diagnostic::new(file, Pos { line, col }, "this file is not UTF-8 text")
                    .hint("save it as UTF-8"),
            );
            None
        }
    }
}

/// Parse one file; a syntax error becomes a diagnostic.
fn parse<'t>(file: &str, text: &'t str, errors: &mut Vec<Diagnostic>) -> Option<yaml::Node<'t>> {
    match yaml::parse(text) {
        Ok(root) => Some(root),
        Err(e) => {
            errors.push(
                Diagnostic::new(file, e.pos, format!("invalid YAML: {}", e.message)).hint(
                    "check the indentation and quoting near this spot; values with `: ` or `#` need quotes",
                ),
            );
            None
        }
    }
}

fn no_fleet_hint(snapshot: &Snapshot) -> String {
    if snapshot.commit_id().is_some() && snapshot.root().join(FLEET_FILE).is_file() {
        "fleet.yaml exists in the work tree but not in this commit: commit it, or read it with --worktree".into()
    } else {
        "create a fleet repository with `homelabcmd init`, or point --repo at one".into()
    }
}

fn check_refs(
    fleet: &Fleet,
    declared: &[String],
    snapshot: &Snapshot,
    secrets: &crate::secrets::Names,
    refs: &[Ref],
    errors: &mut Vec<Diagnostic>,
) {
    let packs: Vec<&str> = fleet.packs.keys().map(String::as_str).collect();
    let machines: Vec<&str> = declared.iter().map(String::as_str).collect();
    let present = snapshot.files_under(PACKS_DIR);
    for r in refs {
        let at =
            |msg: String, hint: String| Diagnostic::new(&r.file, r.pos, msg).to(r.end).hint(hint);
        match &r.kind {
            RefKind::Pack if !packs.contains(&r.name.as_str()) => errors.push(at(
                format!("unknown pack `{}`", r.name),
                suggest(&r.name, "packs (files in packs/)", &packs),
            )),
            RefKind::Extends { from } if !packs.contains(&r.name.as_str()) => errors.push(at(
                format!("pack `{from}` extends unknown pack `{}`", r.name),
                suggest(&r.name, "packs (files in packs/)", &packs),
            )),
            RefKind::Machine if !machines.contains(&r.name.as_str()) => errors.push(at(
                format!("unknown machine `{}`", r.name),
                suggest(&r.name, "machines", &machines),
            )),
            RefKind::Source => {
                let path = format!("{PACKS_DIR}/{}", r.name);
                if let Some(link) = present.link_on_the_way(&path) {
                    errors.push(at(
                        format!("`{link}` is a symbolic link; packs may not contain links"),
                        "a link could ship a file from outside the repository (~/.ssh/id_ed25519) to every machine: put the file itself under packs/".into(),
                    ));
                } else if !present.files.contains(&path) {
                    let dir = path.rsplit_once('/').map_or(PACKS_DIR, |(d, _)| d);
                    let siblings = snapshot.list(dir).unwrap_or_default();
                    let file_name = path.rsplit('/').next().unwrap_or_default();
                    let names: Vec<&str> = siblings.iter().map(String::as_str).collect();
                    let committed = snapshot.commit_id().is_some();
                    let hint = match super::diagnostic::nearest(file_name, names.iter().copied()) {
                        Some(near) => {
                            format!("did you mean `{dir}/{near}`? the path is relative to packs/")
                        }
                        None if committed && snapshot.root().join(&path).is_file() => {
                            "the file is in the work tree but not committed: commit it, or use --worktree".into()
                        }
                        None => format!("add the file to {dir}/; the path is relative to packs/"),
                    };
                    let place = if committed {
                        format!(" in {}", snapshot.describe())
                    } else {
                        String::new()
                    };
                    errors.push(at(
                        format!("source file `{path}` does not exist{place}"),
                        hint,
                    ));
                }
            }
            RefKind::Secret => {
                if let Some((message, hint)) = secrets.unknown(&r.name, snapshot) {
                    errors.push(at(message, hint));
                }
            }
            _ => {}
        }
    }
}

/// A pack that extends itself, directly or through others, is reported where the cycle closes.
fn check_cycles(packs: &BTreeMap<String, Pack>, refs: &[Ref], errors: &mut Vec<Diagnostic>) {
    for r in refs {
        let RefKind::Extends { from } = &r.kind else {
            continue;
        };
        // Does `r.name` lead back to `from`?
        let mut path = vec![from.clone(), r.name.clone()];
        if let Some(cycle) = find_path(packs, &r.name, from, &mut path) {
            // Report each cycle once: at the reference leaving its smallest member.
            if cycle.iter().min() == Some(from) {
                errors.push(
                    Diagnostic::new(
                        &r.file,
                        r.pos,
                        format!("`extends` makes a cycle: {}", cycle.join(" -> ")),
                    )
                    .to(r.end)
                    .hint("a pack may not inherit from itself; remove one `extends` in the cycle"),
                );
            }
        }
    }
}

fn find_path(
    packs: &BTreeMap<String, Pack>,
    at: &str,
    goal: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    if at == goal {
        return Some(path.clone());
    }
    for parent in packs
        .get(at)
        .map(|p| p.extends.as_slice())
        .unwrap_or_default()
    {
        if path[1..].contains(parent) && parent != goal {
            continue;
        }
        path.push(parent.clone());
        if let Some(found) = find_path(packs, parent, goal, path) {
            return Some(found);
        }
        path.pop();
    }
    None
}

fn check_machines(fleet: &Fleet, refs: &[Ref], errors: &mut Vec<Diagnostic>) {
    let broken_packs = refs.iter().any(|r| {
        matches!(r.kind, RefKind::Pack | RefKind::Extends { .. })
            && !fleet.packs.contains_key(&r.name)
    });
    // Machines share a handful of pack sets: resolve each set once.
    let mut conflicts: std::collections::HashMap<&[String], Option<pack::Conflict>> =
        std::collections::HashMap::new();
    for m in &fleet.machines {
        if broken_packs {
            break;
        }
        let conflict = conflicts
            .entry(m.packs.as_slice())
            .or_insert_with(|| pack::resolve(&fleet.packs, &m.packs).err());
        if let Some(c) = conflict {
            errors.push(
                Diagnostic::new(
                    FLEET_FILE,
                    m.pos,
                    format!(
                        "packs `{}` and `{}` of machine `{}` both set `{}`, differently",
                        c.first, c.second, m.id, c.what
                    ),
                )
                .hint(format!(
                    "keep it in one pack, or make `{}` extend `{}` so it may override it",
                    c.second, c.first
                )),
            );
        }
    }
    for g in &fleet.groups {
        if let Some(m) = fleet.machine(&g.name) {
            errors.push(
                Diagnostic::new(
                    FLEET_FILE,
                    m.pos,
                    format!("`{}` is both a machine and a group", g.name),
                )
                .hint("targets name either; rename the group"),
            );
        }
    }
}
