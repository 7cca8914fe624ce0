//! Config packs: what a pack holds, and how `extends` chains and several packs on one machine
//! resolve into one list of files, directories and packages, each remembering its pack.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

/// One pack as written in `packs/NAME.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Pack {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) extends: Vec<String>,
    pub(crate) files: Vec<FileSpec>,
    pub(crate) directories: Vec<DirSpec>,
    pub(crate) packages: Vec<PackageSpec>,
    /// Its path in the repository, e.g. `packs/base.yaml`.
    pub(crate) file: String,
}

/// A file to place. `path` may start with `~/`, the SSH user's home.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct FileSpec {
    pub(crate) path: String,
    pub(crate) content: FileContent,
    #[serde(serialize_with = "octal")]
    pub(crate) mode: Option<u32>,
    pub(crate) owner: Option<String>,
    pub(crate) group: Option<String>,
}

/// Where a file's bytes come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FileContent {
    /// A path under `packs/`, e.g. `files/bashrc.d/aliases.sh`.
    Source(String),
    /// Text written in the pack itself.
    Inline(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct DirSpec {
    pub(crate) path: String,
    #[serde(serialize_with = "octal")]
    pub(crate) mode: Option<u32>,
    pub(crate) owner: Option<String>,
}

/// A package, optionally with a version constraint such as `>= 8.5`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PackageSpec {
    pub(crate) name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) version: Option<Constraint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Constraint {
    pub(crate) op: Op,
    pub(crate) version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum Op {
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "<")]
    Lt,
}

impl Op {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Ge => ">=",
            Self::Gt => ">",
            Self::Eq => "=",
            Self::Le => "<=",
            Self::Lt => "<",
        }
    }
}

impl std::fmt::Display for Constraint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.op.as_str(), self.version)
    }
}

fn octal<S: Serializer>(mode: &Option<u32>, s: S) -> Result<S::Ok, S::Error> {
    match mode {
        Some(m) => s.serialize_some(&format!("{m:04o}")),
        None => s.serialize_none(),
    }
}

/// An item of a resolved pack, with the pack that put it there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Sourced<'a, T> {
    #[serde(flatten)]
    pub(crate) item: &'a T,
    pub(crate) from: &'a str,
}

/// Packs flattened: every file, directory and package that applies, later packs in the
/// inheritance order overriding earlier ones for the same path or package. It borrows from
/// the packs, so resolving copies nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Resolved<'a> {
    /// The packs applied, parents before children.
    pub(crate) chain: Vec<String>,
    pub(crate) files: Vec<Sourced<'a, FileSpec>>,
    pub(crate) directories: Vec<Sourced<'a, DirSpec>>,
    pub(crate) packages: Vec<Sourced<'a, PackageSpec>>,
}

/// Two packs on one machine that disagree about the same path or package, where neither
/// inherits from the other.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Conflict {
    pub(crate) what: String,
    pub(crate) first: String,
    pub(crate) second: String,
}

/// The inheritance order of `roots`: every pack after all it extends, each once.
/// Unknown names and cycles are skipped here; validation reports them.
pub(crate) fn linearize(packs: &BTreeMap<String, Pack>, roots: &[String]) -> Vec<String> {
    fn visit(
        packs: &BTreeMap<String, Pack>,
        name: &str,
        out: &mut Vec<String>,
        path: &mut Vec<String>,
    ) {
        if out.iter().any(|n| n == name) || path.iter().any(|n| n == name) {
            return;
        }
        let Some(pack) = packs.get(name) else { return };
        path.push(name.to_string());
        for parent in &pack.extends {
            visit(packs, parent, out, path);
        }
        path.pop();
        out.push(name.to_string());
    }
    let mut out = Vec::new();
    for root in roots {
        visit(packs, root, &mut out, &mut Vec::new());
    }
    out
}

/// Resolve the packs assigned to one machine (or one pack, for `packs show`).
pub(crate) fn resolve<'a>(
    packs: &'a BTreeMap<String, Pack>,
    roots: &[String],
) -> Result<Resolved<'a>, Conflict> {
    let chain = linearize(packs, roots);
    // `a` may override `b` when `a` inherits from `b` (asked only when two packs disagree).
    let overrides = |a: &str, b: &str| linearize(packs, &[a.to_string()]).iter().any(|x| x == b);
    let mut files = Merger::default();
    let mut directories = Merger::default();
    let mut packages = Merger::default();
    for name in &chain {
        let (name, pack) = packs
            .get_key_value(name)
            .expect("linearize yields known packs");
        for file in &pack.files {
            files.add(&file.path, file, name, overrides)?;
        }
        for dir in &pack.directories {
            directories.add(&dir.path, dir, name, overrides)?;
        }
        for package in &pack.packages {
            packages.add(&package.name, package, name, overrides)?;
        }
    }
    Ok(Resolved {
        chain,
        files: files.items,
        directories: directories.items,
        packages: packages.items,
    })
}

/// Items in first-seen order, found by key in constant time.
struct Merger<'a, T> {
    items: Vec<Sourced<'a, T>>,
    index: std::collections::HashMap<&'a str, usize, super::FastHash>,
}

impl<T> Default for Merger<'_, T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            index: std::collections::HashMap::default(),
        }
    }
}

impl<'a, T: PartialEq> Merger<'a, T> {
    fn add(
        &mut self,
        key: &'a str,
        item: &'a T,
        from: &'a str,
        overrides: impl Fn(&str, &str) -> bool,
    ) -> Result<(), Conflict> {
        let new = Sourced { item, from };
        let Some(&i) = self.index.get(key) else {
            self.index.insert(key, self.items.len());
            self.items.push(new);
            return Ok(());
        };
        let old = &mut self.items[i];
        if old.item == item {
            Ok(())
        } else if overrides(from, old.from) {
            *old = new;
            Ok(())
        } else {
            Err(Conflict {
                what: key.to_string(),
                first: old.from.to_string(),
                second: from.to_string(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(name: &str, extends: &[&str], files: &[(&str, &str)]) -> Pack {
        Pack {
            name: name.into(),
            description: None,
            extends: extends.iter().map(|s| s.to_string()).collect(),
            files: files
                .iter()
                .map(|(p, c)| FileSpec {
                    path: p.to_string(),
                    content: FileContent::Inline(c.to_string()),
                    mode: None,
                    owner: None,
                    group: None,
                })
                .collect(),
            directories: vec![],
            packages: vec![],
            file: format!("packs/{name}.yaml"),
        }
    }

    #[test]
    fn children_override_parents_and_strangers_conflict() {
        let packs: BTreeMap<_, _> = [
            pack("base", &[], &[("~/.a", "1")]),
            pack("lite", &["base"], &[("~/.a", "2")]),
            pack("other", &[], &[("~/.a", "3")]),
        ]
        .into_iter()
        .map(|p| (p.name.clone(), p))
        .collect();
        let r = resolve(&packs, &["lite".into()]).unwrap();
        assert_eq!(r.chain, ["base", "lite"]);
        assert_eq!(r.files[0].from, "lite");
        let c = resolve(&packs, &["lite".into(), "other".into()]).unwrap_err();
        assert_eq!((c.first.as_str(), c.second.as_str()), ("lite", "other"));
    }
}
