//! Turning a plan into shell: one script for what the SSH user may change (its home), one run
//! through sudo (other paths, owners, packages). File contents never travel in a script or an
//! argument: they follow on the script's stdin, one after the other, each read with
//! `head -c SIZE` into a temporary file in the target's directory and checked against its
//! SHA-256; the file then gets its owner and mode and is renamed over the target (`mv -T`).
//! A mode or owner the pack leaves unset is kept from the file being replaced. Nothing is
//! written through a symbolic link: a link or directory where a file should be stops the
//! script (and the plan already refuses it). Every step is idempotent, so an interrupted
//! apply converges when run again.

use super::plan::{Mismatch, WantFile, Wanted};
use super::probe::{Facts, FileFact};
use crate::remote::session::quote;

/// One script and the bytes for its stdin.
#[derive(Debug, Clone, Default)]
pub(crate) struct Script {
    pub(crate) text: String,
    /// The contents of the files it writes, in the order it reads them.
    pub(crate) input: Vec<u8>,
    /// Whether it installs packages (it then gets the long package timeout).
    pub(crate) installs_packages: bool,
}

impl Script {
    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// The scripts that bring a machine to its packs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scripts {
    /// Run as the SSH user.
    pub(crate) user: Script,
    /// Run through sudo (empty when nothing needs root).
    pub(crate) root: Script,
    pub(crate) summary: Summary,
}

/// What the apply will do, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Summary {
    pub(crate) packages: usize,
    pub(crate) files: usize,
    pub(crate) directories: usize,
    pub(crate) modes: usize,
}

impl Summary {
    pub(crate) fn is_empty(&self) -> bool {
        *self == Summary::default()
    }

    /// "will install 2 packages, write 3 files, create 1 directory".
    pub(crate) fn sentence(&self) -> String {
        let n =
            |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
        let mut parts = Vec::new();
        if self.packages > 0 {
            parts.push(format!(
                "install {}",
                n(self.packages, "package", "packages")
            ));
        }
        if self.files > 0 {
            parts.push(format!("write {}", n(self.files, "file", "files")));
        }
        if self.directories > 0 {
            parts.push(format!(
                "create {}",
                n(self.directories, "directory", "directories")
            ));
        }
        if self.modes > 0 {
            parts.push(format!(
                "fix {}",
                n(self.modes, "mode or owner", "modes or owners")
            ));
        }
        if parts.is_empty() {
            "nothing to do".into()
        } else {
            format!("will {}", parts.join(", "))
        }
    }
}

/// The path on the machine: `~/` expanded with the home the probe saw (sudo changes $HOME).
fn target(path: &str, home: &str) -> String {
    match path.strip_prefix("~/") {
        Some(rest) => format!("{}/{rest}", home.trim_end_matches('/')),
        None => path.to_string(),
    }
}

/// The script's prologue: stop at the first error, and never leave a temporary file behind.
const PROLOGUE: &str = "set -eu\numask 022\ntmp=\ntrap '[ -z \"$tmp\" ] || rm -f -- \"$tmp\"' EXIT\n\
refuse() { printf 'homelabcmd: %s is not a regular file (a link or a directory?): not replaced\\n' \"$1\" >&2; exit 1; }\n\
refuse_dir() { printf 'homelabcmd: %s is not a directory (a link?): not changed\\n' \"$1\" >&2; exit 1; }\n";

/// Scripts for the mismatches of one machine.
pub(crate) fn scripts(want: &Wanted, facts: &Facts, mismatches: &[Mismatch]) -> Scripts {
    let mut s = Scripts::default();
    let (mut user, mut root) = (Script::default(), Script::default());
    for (path, mode, owner) in &want.dirs {
        let Some((line, created)) = dir_lines(path, *mode, owner.as_deref(), facts, mismatches)
        else {
            continue;
        };
        if created {
            s.summary.directories += 1;
        } else {
            s.summary.modes += 1;
        }
        if in_home(path, &facts.home) && owner.is_none() {
            user.text.push_str(&line)
        } else {
            root.text.push_str(&line)
        }
    }
    for f in &want.files {
        let Some(change) = file_change(f, facts, mismatches) else {
            continue;
        };
        if change.content.is_some() {
            s.summary.files += 1;
        } else {
            s.summary.modes += 1;
        }
        let script = if change.as_root { &mut root } else { &mut user };
        script.text.push_str(&change.lines);
        if let Some(bytes) = change.content {
            script.input.extend_from_slice(bytes);
        }
    }
    let packages = packages_line(want, mismatches);
    if let Some((count, line)) = packages {
        s.summary.packages = count;
        root.text.push_str(&line);
        root.installs_packages = true;
    }
    for script in [&mut user, &mut root] {
        if !script.text.is_empty() {
            script.text = format!("{PROLOGUE}{}", script.text);
        }
    }
    s.user = user;
    s.root = root;
    s
}

fn in_home(path: &str, home: &str) -> bool {
    path.starts_with("~/") || path.starts_with(&format!("{}/", home.trim_end_matches('/')))
}

/// The lines for one directory, and whether it is created (else only its mode or owner).
fn dir_lines(
    path: &str,
    mode: Option<u32>,
    owner: Option<&str>,
    facts: &Facts,
    mismatches: &[Mismatch],
) -> Option<(String, bool)> {
    let mine = |m: &Mismatch| match m {
        Mismatch::DirMissing { path: p }
        | Mismatch::DirModeDiffers { path: p, .. }
        | Mismatch::DirOwnerDiffers { path: p, .. } => p == path,
        _ => false,
    };
    if !mismatches.iter().any(mine) {
        return None;
    }
    let created = mismatches
        .iter()
        .any(|m| matches!(m, Mismatch::DirMissing { path: p } if p == path));
    let t = quote(&target(path, &facts.home));
    let mut line = format!("[ ! -L {t} ] || refuse_dir {t}\nmkdir -p -- {t}\n");
    if let Some(o) = owner {
        line.push_str(&format!("chown -h -- {} {t}\n", quote(o)));
    }
    if let Some(m) = mode {
        line.push_str(&format!("chmod {m:04o} -- {t}\n"));
    }
    Some((line, created))
}

/// What to do for one file: the lines, whether they need root, and the content they read
/// from stdin (None: only the mode or owner changes).
struct FileChange<'w> {
    lines: String,
    as_root: bool,
    content: Option<&'w [u8]>,
}

fn file_change<'w>(
    f: &'w WantFile,
    facts: &Facts,
    mismatches: &[Mismatch],
) -> Option<FileChange<'w>> {
    let content = mismatches.iter().any(|m| {
        matches!(m, Mismatch::FileMissing { path } | Mismatch::ContentDiffers { path, .. } if *path == f.path)
    });
    let meta = mismatches.iter().any(|m| {
        matches!(m, Mismatch::ModeDiffers { path, .. } | Mismatch::OwnerDiffers { path, .. } if *path == f.path)
    });
    if !content && !meta {
        return None;
    }
    // What the file holds now (None: it is missing): kept where the pack says nothing.
    let existing = match facts.files.get(&f.path) {
        Some(FileFact::Present {
            mode, owner, group, ..
        }) => Some((*mode, owner.clone(), group.clone())),
        _ => None,
    };
    let mode = f.mode.or(existing.as_ref().map(|e| e.0)).unwrap_or(0o644);
    let owner = f
        .owner
        .clone()
        .or_else(|| existing.as_ref().map(|e| e.1.clone()));
    let group = f
        .group
        .clone()
        .or_else(|| existing.as_ref().map(|e| e.2.clone()));
    // The SSH user writes its own files in its home; anything else (another owner or group
    // to set or keep, a path outside the home) goes through sudo.
    let is_users = owner.as_deref().is_none_or(|o| o == facts.user)
        && group.as_deref().is_none_or(|g| g == facts.user_group);
    let as_root =
        !in_home(&f.path, &facts.home) || f.owner.is_some() || f.group.is_some() || !is_users;
    let chown = match (&owner, &group) {
        _ if !as_root => None,
        (None, None) => None,
        (Some(o), None) => Some(o.clone()),
        (None, Some(g)) => Some(format!(":{g}")),
        (Some(o), Some(g)) => Some(format!("{o}:{g}")),
    };
    let t = quote(&target(&f.path, &facts.home));
    let mut lines = String::new();
    if content {
        lines.push_str(&format!(
            "{{ [ ! -L {t} ] && {{ [ ! -e {t} ] || [ -f {t} ]; }}; }} || refuse {t}\n\
             d=$(dirname -- {t}); mkdir -p -- \"$d\"\n\
             tmp=$(mktemp -- \"$d/.homelabcmd.XXXXXX\")\n\
             head -c {size} > \"$tmp\"\n\
             [ \"$(sha256sum < \"$tmp\")\" = {sum} ] || {{ printf 'homelabcmd: the content of %s arrived damaged\\n' {t} >&2; exit 1; }}\n",
            size = f.content.len(),
            sum = quote(&format!("{}  -", f.sha256)),
        ));
        if let Some(o) = &chown {
            lines.push_str(&format!("chown -h -- {} \"$tmp\"\n", quote(o)));
        }
        // The mode after the owner: chown clears setuid bits.
        lines.push_str(&format!(
            "chmod {mode:04o} -- \"$tmp\"\nmv -T -f -- \"$tmp\" {t}\ntmp=\n"
        ));
    } else {
        lines.push_str(&format!(
            "{{ [ ! -L {t} ] && [ -f {t} ]; }} || refuse {t}\n"
        ));
        if let (Some(o), true) = (&chown, f.owner.is_some() || f.group.is_some()) {
            lines.push_str(&format!("chown -h -- {} {t}\n", quote(o)));
        }
        if let Some(m) = f.mode {
            lines.push_str(&format!("chmod {m:04o} -- {t}\n"));
        }
    }
    Some(FileChange {
        lines,
        as_root,
        content: content.then_some(f.content.as_slice()),
    })
}

/// How many packages to install, and the line that does it. An interrupted dpkg (a run that
/// timed out or was killed) is finished first; another apt holding the lock is waited for.
fn packages_line(want: &Wanted, mismatches: &[Mismatch]) -> Option<(usize, String)> {
    let packages: Vec<String> = want
        .packages
        .iter()
        .filter(|(name, _)| {
            mismatches.iter().any(|m| {
                matches!(m, Mismatch::PackageMissing { name: n, .. } | Mismatch::VersionDiffers { name: n, .. } if n == name)
            })
        })
        .map(|(name, _)| quote(name))
        .collect();
    if packages.is_empty() {
        return None;
    }
    Some((
        packages.len(),
        format!(
            "export DEBIAN_FRONTEND=noninteractive\n\
             if [ -n \"$(ls -A /var/lib/dpkg/updates 2>/dev/null)\" ]; then\n  \
             echo 'homelabcmd: an interrupted dpkg run is finished first (dpkg --configure -a)' >&2\n  \
             dpkg --force-confold --configure -a < /dev/null\nfi\n\
             apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confold {} < /dev/null\n",
            packages.join(" ")
        ),
    ))
}
