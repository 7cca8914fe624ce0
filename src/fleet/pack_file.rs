//! Decoding `packs/NAME.yaml`: files, directories and packages, and what the pack extends.

use super::decode::Decoder;
use super::fleet_file::{Ref, RefKind};
use super::pack::{Constraint, DirSpec, FileContent, FileSpec, Op, Pack, PackageSpec};
use super::yaml::{Kind, Node};

const PACK_KEYS: &[&str] = &[
    "name",
    "description",
    "extends",
    "files",
    "directories",
    "packages",
];
const FILE_KEYS: &[&str] = &["path", "source", "content", "mode", "owner", "group"];
const DIR_KEYS: &[&str] = &["path", "mode", "owner"];

/// Decode one pack file; `name` is the file's stem.
pub(crate) fn decode(d: &mut Decoder<'_>, name: &str, root: &Node, refs: &mut Vec<Ref>) -> Pack {
    let mut pack = Pack {
        name: name.to_string(),
        description: None,
        extends: Vec::new(),
        files: Vec::new(),
        directories: Vec::new(),
        packages: Vec::new(),
        file: d.file.to_string(),
    };
    if root.is_null() {
        return pack;
    }
    let Some(f) = d.fields(root, "a pack", PACK_KEYS) else {
        return pack;
    };
    if let Some(n) = f.get("name")
        && let Some(written) = d.string(n, "`name`")
        && written != name
    {
        d.error(n, format!("the pack in `{}` is named `{written}`", d.file))
            .hint = Some(format!(
            "a pack's name is its file name: write `name: {name}` or rename the file"
        ));
    }
    pack.description = f
        .get("description")
        .and_then(|n| d.string(n, "`description`"));
    if let Some(n) = f.get("extends") {
        // `extends: base` or `extends: [base, other]`.
        let items: Vec<&Node> = match &n.kind {
            Kind::Seq(items) => items.iter().collect(),
            _ => vec![n],
        };
        for item in items {
            if let Some(parent) = d.string(item, "`extends`") {
                refs.push(Ref::at(
                    RefKind::Extends {
                        from: name.to_string(),
                    },
                    &parent,
                    d.file,
                    item,
                ));
                pack.extends.push(parent);
            }
        }
    }
    if let Some(n) = f.get("files") {
        for item in d.list(n, "`files`").unwrap_or_default() {
            if let Some(file) = file(d, item, refs) {
                if pack.files.iter().any(|f| f.path == file.path) {
                    d.error(item, format!("`{}` is listed twice in `files`", file.path));
                } else {
                    pack.files.push(file);
                }
            }
        }
    }
    if let Some(n) = f.get("directories") {
        for item in d.list(n, "`directories`").unwrap_or_default() {
            if let Some(dir) = directory(d, item) {
                pack.directories.push(dir);
            }
        }
    }
    if let Some(n) = f.get("packages") {
        for item in d.list(n, "`packages`").unwrap_or_default() {
            if let Some(p) = package(d, item) {
                if pack.packages.iter().any(|q| q.name == p.name) {
                    d.error(item, format!("package `{}` is listed twice", p.name));
                } else {
                    pack.packages.push(p);
                }
            }
        }
    }
    pack
}

fn file(d: &mut Decoder<'_>, node: &Node, refs: &mut Vec<Ref>) -> Option<FileSpec> {
    let f = d.fields(node, "a file", FILE_KEYS)?;
    let path_node = d.require(&f, node, "path", "a file", "path: ~/.bashrc.d/aliases.sh")?;
    let path = target_path(d, path_node)?;
    let content = match (f.get("source"), f.get("content")) {
        (Some(_), Some(c)) => {
            d.error(c, format!("`{path}` has both `source` and `content`"))
                .hint = Some(
                "keep one: `source` names a file under packs/, `content` is the text itself".into(),
            );
            return None;
        }
        (None, None) => {
            d.error(node, format!("`{path}` has neither `source` nor `content`"))
                .hint = Some(
                "add `source: files/NAME` (a file under packs/) or `content: |` with the text"
                    .into(),
            );
            return None;
        }
        (Some(s), None) => {
            let source = d.string(s, "`source`")?;
            if source.starts_with('/') || source.split('/').any(|c| c == "..") {
                d.error(s, format!("`source: {source}` must stay inside packs/"))
                    .hint = Some(
                    "write a path relative to packs/, e.g. `files/bashrc.d/aliases.sh`".into(),
                );
                return None;
            }
            refs.push(Ref::at(RefKind::Source, &source, d.file, s));
            FileContent::Source(source)
        }
        (None, Some(c)) => {
            FileContent::Inline(c.as_scalar().map(str::to_string).or_else(|| {
                d.error(c, "`content` must be text");
                None
            })?)
        }
    };
    Some(FileSpec {
        path,
        content,
        mode: f.get("mode").and_then(|n| mode(d, n)),
        owner: f.get("owner").and_then(|n| account(d, n, "owner", false)),
        group: f.get("group").and_then(|n| account(d, n, "group", false)),
    })
}

fn directory(d: &mut Decoder<'_>, node: &Node) -> Option<DirSpec> {
    if node.as_scalar().is_some() {
        return Some(DirSpec {
            path: target_path(d, node)?,
            mode: None,
            owner: None,
        });
    }
    let f = d.fields(node, "a directory", DIR_KEYS)?;
    let path_node = d.require(&f, node, "path", "a directory", "path: ~/.config")?;
    let path = target_path(d, path_node)?;
    Some(DirSpec {
        path,
        mode: f.get("mode").and_then(|n| mode(d, n)),
        owner: f.get("owner").and_then(|n| account(d, n, "owner", true)),
    })
}

/// `curl`, or `curl: ">= 8.5"`.
fn package(d: &mut Decoder<'_>, node: &Node) -> Option<PackageSpec> {
    let (name_node, constraint_node) = match &node.kind {
        Kind::Map(entries) if entries.len() == 1 => (&entries[0].0, Some(&entries[0].1)),
        Kind::Scalar { .. } => (node, None),
        _ => {
            d.error(
                node,
                format!(
                    "a package must be a name or `name: \"CONSTRAINT\"`, found {}",
                    node.describe()
                ),
            )
            .hint = Some("e.g. `- git` or `- curl: \">= 8.5\"`".into());
            return None;
        }
    };
    let name = d.string(name_node, "a package name")?;
    let valid = name.len() >= 2
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '+' | '-' | '.'));
    if !valid {
        d.error(name_node, format!("`{name}` is not a valid package name"))
            .hint =
            Some("Debian package names are lowercase letters, digits, `+`, `-` and `.`".into());
        return None;
    }
    let version = match constraint_node {
        None => None,
        Some(n) if n.is_null() => None,
        Some(n) => Some(constraint(d, n)?),
    };
    Some(PackageSpec { name, version })
}

fn constraint(d: &mut Decoder<'_>, node: &Node) -> Option<Constraint> {
    let text = d.string(node, "a version constraint")?;
    let text = text.trim();
    let ops = [
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("=", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
    ];
    let parsed = ops.iter().find_map(|(sym, op)| {
        let version = text.strip_prefix(sym)?.trim();
        let ok = !version.is_empty()
            && version.starts_with(|c: char| c.is_ascii_digit())
            && version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '~' | ':'));
        ok.then(|| Constraint {
            op: *op,
            version: version.to_string(),
        })
    });
    if parsed.is_none() {
        d.error(node, format!("`{text}` is not a version constraint"))
            .hint = Some(
            "write an operator and a version: `>= 8.5`, `= 2.39.2-1`; operators: >=, >, =, <=, <"
                .into(),
        );
    }
    parsed
}

/// A file mode in octal: `0644`, `644` or `"0755"`.
fn mode(d: &mut Decoder<'_>, node: &Node) -> Option<u32> {
    let text = node.as_scalar().unwrap_or_default();
    let parsed = (3..=4)
        .contains(&text.len())
        .then(|| u32::from_str_radix(text, 8).ok())
        .flatten();
    if parsed.is_none() {
        d.error(node, format!("`{text}` is not a file mode")).hint =
            Some("write the octal mode, e.g. `mode: \"0644\"` or `mode: \"0755\"`".into());
    }
    parsed
}

/// A user or group as chown takes it: a POSIX-style name (letters, digits, `_`, `.`, `-`,
/// not starting with `-` or a digit, at most 32 characters, an optional trailing `$`) or a
/// numeric id. Anything else could be read by chown as an option (`--reference=/etc/shadow`)
/// or as another account. A directory's `owner` may be `user:group`.
fn account(d: &mut Decoder<'_>, node: &Node, what: &str, with_group: bool) -> Option<String> {
    let text = d.string(node, &format!("`{what}`"))?;
    let parts: Vec<&str> = match text.split_once(':') {
        Some((user, group)) if with_group => vec![user, group],
        _ => vec![text.as_str()],
    };
    if parts.iter().all(|p| account_name_ok(p)) {
        return Some(text);
    }
    let shown = crate::text::escape_line(&text);
    let example = if with_group {
        "`owner: www-data` or `owner: \"root:adm\"`"
    } else {
        "`www-data`, `root` or `1000`"
    };
    d.error(node, format!("`{shown}` is not a valid {what} name"))
        .hint = Some(format!(
        "a name of letters, digits, `_`, `.` and `-` that does not start with `-`, or a numeric id, e.g. {example}"
    ));
    None
}

/// Whether `name` is a user or group name (or numeric id) that chown cannot misread.
pub(crate) fn account_name_ok(name: &str) -> bool {
    if !name.is_empty() && name.len() <= 10 && name.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let body = name.strip_suffix('$').unwrap_or(name);
    !body.is_empty()
        && body.len() <= 32
        && body.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// A path on the target: absolute, or `~/...` in the SSH user's home; no `..`.
fn target_path(d: &mut Decoder<'_>, node: &Node) -> Option<String> {
    let path = d.string(node, "`path`")?;
    let rooted = path.starts_with('/') || path.starts_with("~/");
    let odd = path.chars().any(|c| c.is_control() || c == '\\');
    if !rooted
        || odd
        || path.split('/').any(|c| c == "..")
        || path.ends_with('/')
        || path.contains("//")
    {
        d.error(node, format!("`{path}` is not a usable target path"))
            .hint = Some("write an absolute path or one under the home directory like `~/.config/git/config`, without `..`, a trailing `/`, backslashes or control characters".into());
        return None;
    }
    Some(path)
}
