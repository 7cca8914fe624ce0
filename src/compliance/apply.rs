//! Turning a plan into shell: one run for what the SSH user may change (its home), one through
//! sudo (other paths, owners, packages). The script is fixed; what to change travels on its
//! stdin as records, each file's content after its record — never in a script or an argument.
//! A file is read with `head -c SIZE` into a temporary file in the target's directory, checked
//! against its SHA-256, given its owner and mode, and renamed over the target (`mv -T`).
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

/// The script that writes files, creates directories and sets modes and owners. It is the
/// same for every machine: what to do comes on its stdin, one record per line — kind, size,
/// SHA-256, mode, owner (`-` when none), path, separated by tabs — and a file's content right
/// after its record, read with `head -c SIZE`. Paths and owners are data read by `read`,
/// never shell text, and the script stays small however many files there are.
pub(crate) const CHANGES: &str = r#"set -eu
umask 022
tmp=
trap '[ -z "$tmp" ] || rm -f -- "$tmp"' EXIT
tab=$(printf '\t')
refuse() { printf 'homelabcmd: %s is not a regular file (a link or a directory?): not replaced\n' "$1" >&2; exit 1; }
refuse_dir() { printf 'homelabcmd: %s is not a directory (a link?): not changed\n' "$1" >&2; exit 1; }
while IFS=$tab read -r kind size sum mode own path; do
  case $kind in
  F)
    { [ ! -L "$path" ] && { [ ! -e "$path" ] || [ -f "$path" ]; }; } || refuse "$path"
    dir=$(dirname -- "$path"); mkdir -p -- "$dir"
    tmp=$(mktemp -- "$dir/.homelabcmd.XXXXXX")
    head -c "$size" > "$tmp"
    [ "$(sha256sum < "$tmp")" = "$sum  -" ] || { printf 'homelabcmd: the content of %s arrived damaged\n' "$path" >&2; exit 1; }
    [ "$own" = - ] || chown -h -- "$own" "$tmp"
    chmod "$mode" -- "$tmp"
    mv -T -f -- "$tmp" "$path"
    tmp= ;;
  M)
    { [ ! -L "$path" ] && [ -f "$path" ]; } || refuse "$path"
    [ "$own" = - ] || chown -h -- "$own" "$path"
    [ "$mode" = - ] || chmod "$mode" -- "$path" ;;
  D)
    [ ! -L "$path" ] || refuse_dir "$path"
    mkdir -p -- "$path"
    [ "$own" = - ] || chown -h -- "$own" "$path"
    [ "$mode" = - ] || chmod "$mode" -- "$path" ;;
  *) printf 'homelabcmd: unexpected record %s\n' "$kind" >&2; exit 1 ;;
  esac
done
"#;

/// A value that cannot travel in a record (a tab or line break in it).
#[derive(Debug, Clone, thiserror::Error)]
#[error("`{0}` has a tab or line break: it cannot be applied")]
pub(crate) struct ScriptError(String);

/// One record of the stream [`CHANGES`] reads.
pub(crate) fn record(
    out: &mut Vec<u8>,
    kind: char,
    content: Option<(&[u8], &str)>,
    mode: Option<u32>,
    owner: Option<&str>,
    path: &str,
) -> Result<(), ScriptError> {
    for value in [owner.unwrap_or("-"), path] {
        if value.contains(['\t', '\n', '\r']) || value.is_empty() {
            return Err(ScriptError(value.to_string()));
        }
    }
    let (size, sum) = match content {
        Some((bytes, sum)) => (bytes.len().to_string(), sum),
        None => ("-".to_string(), "-"),
    };
    let mode = mode.map_or("-".to_string(), |m| format!("{m:04o}"));
    let line = format!(
        "{kind}\t{size}\t{sum}\t{mode}\t{}\t{path}\n",
        owner.unwrap_or("-")
    );
    out.extend_from_slice(line.as_bytes());
    if let Some((bytes, _)) = content {
        out.extend_from_slice(bytes);
    }
    Ok(())
}

/// Scripts for the mismatches of one machine.
pub(crate) fn scripts(
    want: &Wanted,
    facts: &Facts,
    mismatches: &[Mismatch],
) -> Result<Scripts, ScriptError> {
    let mut s = Scripts::default();
    let (mut user, mut root) = (Script::default(), Script::default());
    for (path, mode, owner) in &want.dirs {
        let Some(created) = dir_change(path, mismatches) else {
            continue;
        };
        if created {
            s.summary.directories += 1;
        } else {
            s.summary.modes += 1;
        }
        let script = if in_home(path, &facts.home) && owner.is_none() {
            &mut user
        } else {
            &mut root
        };
        let t = target(path, &facts.home);
        record(&mut script.input, 'D', None, *mode, owner.as_deref(), &t)?;
    }
    for f in &want.files {
        let Some(change) = file_change(f, facts, mismatches) else {
            continue;
        };
        if change.content {
            s.summary.files += 1;
        } else {
            s.summary.modes += 1;
        }
        let script = if change.as_root { &mut root } else { &mut user };
        let t = target(&f.path, &facts.home);
        let content = change
            .content
            .then_some((f.content.as_slice(), f.sha256.as_str()));
        let kind = if change.content { 'F' } else { 'M' };
        record(
            &mut script.input,
            kind,
            content,
            change.mode,
            change.chown.as_deref(),
            &t,
        )?;
    }
    for script in [&mut user, &mut root] {
        if !script.input.is_empty() {
            script.text = CHANGES.to_string();
        }
    }
    if let Some((count, line)) = packages_line(want, mismatches) {
        s.summary.packages = count;
        if root.text.is_empty() {
            root.text = "set -eu\n".to_string();
        }
        root.text.push_str(&line);
        root.installs_packages = true;
    }
    s.user = user;
    s.root = root;
    Ok(s)
}

fn in_home(path: &str, home: &str) -> bool {
    path.starts_with("~/") || path.starts_with(&format!("{}/", home.trim_end_matches('/')))
}

/// Whether a directory needs work: Some(true) to create it, Some(false) for its mode or
/// owner only.
fn dir_change(path: &str, mismatches: &[Mismatch]) -> Option<bool> {
    let mut change = None;
    for m in mismatches {
        match m {
            Mismatch::DirMissing { path: p } if p == path => return Some(true),
            Mismatch::DirModeDiffers { path: p, .. }
            | Mismatch::DirOwnerDiffers { path: p, .. }
                if p == path =>
            {
                change = Some(false)
            }
            _ => {}
        }
    }
    change
}

/// What to do for one file.
struct FileChange {
    /// Write the content (else only the mode or owner changes).
    content: bool,
    as_root: bool,
    /// The mode to set (None: leave it).
    mode: Option<u32>,
    /// `owner`, `owner:group` or `:group` to set (None: leave it).
    chown: Option<String>,
}

fn file_change(f: &WantFile, facts: &Facts, mismatches: &[Mismatch]) -> Option<FileChange> {
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
    let pack_sets_owner = f.owner.is_some() || f.group.is_some();
    let chown = match (&owner, &group) {
        _ if !as_root || (!content && !pack_sets_owner) => None,
        (None, None) => None,
        (Some(o), None) => Some(o.clone()),
        (None, Some(g)) => Some(format!(":{g}")),
        (Some(o), Some(g)) => Some(format!("{o}:{g}")),
    };
    let mode = if content {
        Some(f.mode.or(existing.as_ref().map(|e| e.0)).unwrap_or(0o644))
    } else {
        f.mode
    };
    Some(FileChange {
        content,
        as_root,
        mode,
        chown,
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
    Some((packages.len(), install_lines(DPKG_UPDATES, &packages)))
}

/// Where dpkg journals a run in progress: files here mean a run was interrupted.
const DPKG_UPDATES: &str = "/var/lib/dpkg/updates";

/// Finish an interrupted dpkg run (files in `updates`, or packages `dpkg --audit` names as
/// half-installed or unconfigured) with `dpkg --configure -a`, then install `packages`
/// (quoted). Both checks are cheap: a directory listing and a read of dpkg's status.
fn install_lines(updates: &str, packages: &[String]) -> String {
    format!(
        "export DEBIAN_FRONTEND=noninteractive\n\
         if [ -n \"$(ls -A {updates} 2>/dev/null)\" ] || [ -n \"$(dpkg --audit 2>/dev/null)\" ]; then\n  \
         echo 'homelabcmd: an interrupted dpkg run is finished first (dpkg --configure -a)' >&2\n  \
         dpkg --force-confold --configure -a < /dev/null\nfi\n\
         apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confold {} < /dev/null\n",
        packages.join(" "),
        updates = quote(updates),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compliance::plan::sha256_hex;

    #[test]
    fn contents_go_on_stdin_never_into_the_scripts() {
        let secret = b"-----BEGIN PRIVATE KEY----- hlc-unit-secret\n".to_vec();
        let file = |path: &str, owner: Option<&str>| WantFile {
            path: path.into(),
            sha256: sha256_hex(&secret),
            content: secret.clone(),
            mode: Some(0o600),
            owner: owner.map(str::to_string),
            group: None,
            from: "test".into(),
        };
        let want = Wanted {
            files: vec![file("~/.ssh/key", None), file("/etc/key", Some("root"))],
            ..Default::default()
        };
        let facts = Facts {
            home: "/home/u".into(),
            user: "u".into(),
            user_group: "u".into(),
            ..Default::default()
        };
        let mismatches = vec![
            Mismatch::FileMissing {
                path: "~/.ssh/key".into(),
            },
            Mismatch::FileMissing {
                path: "/etc/key".into(),
            },
        ];
        let s = scripts(&want, &facts, &mismatches).unwrap();
        assert_eq!(s.user.text, CHANGES);
        assert_eq!(s.root.text, CHANGES);
        let record = |path: &str, owner: &str| {
            let mut r = format!(
                "F\t{}\t{}\t0600\t{owner}\t{path}\n",
                secret.len(),
                sha256_hex(&secret)
            )
            .into_bytes();
            r.extend_from_slice(&secret);
            r
        };
        assert_eq!(s.user.input, record("/home/u/.ssh/key", "-"));
        assert_eq!(s.root.input, record("/etc/key", "root"));
        // A tab or line break cannot be smuggled into a record.
        let mut bad = want;
        bad.files[0].path = "~/a\nD\t-\t-\t-\t-\t/etc".into();
        let mismatches = vec![Mismatch::FileMissing {
            path: bad.files[0].path.clone(),
        }];
        assert!(scripts(&bad, &facts, &mismatches).is_err());
    }

    #[test]
    fn an_interrupted_dpkg_is_finished_before_installing() {
        let dir = std::env::temp_dir().join(format!("hlc-dpkg-test-{}", std::process::id()));
        let (bin, updates) = (dir.join("bin"), dir.join("updates"));
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::create_dir_all(&updates).unwrap();
        let log = dir.join("log");
        for tool in ["dpkg", "apt-get"] {
            let path = bin.join(tool);
            std::fs::write(
                &path,
                format!("#!/bin/sh\necho \"{tool} $*\" >> '{}'\n", log.display()),
            )
            .unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let script = install_lines(&updates.display().to_string(), &[quote("sl")]);
        let run = || {
            let _ = std::fs::remove_file(&log);
            let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("set -eu\n{script}"))
                .env("PATH", path)
                .output()
                .unwrap();
            assert!(out.status.success());
            std::fs::read_to_string(&log).unwrap()
        };
        let clean = run();
        std::fs::write(updates.join("0001"), "").unwrap();
        let interrupted = run();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            clean.lines().filter(|l| l.contains("--configure")).count(),
            0
        );
        assert!(clean.ends_with("apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confold sl\n"), "{clean}");
        let lines: Vec<&str> = interrupted.lines().collect();
        assert_eq!(
            lines[0], "dpkg --force-confold --configure -a",
            "{interrupted}"
        );
        assert!(lines[1].starts_with("apt-get install"), "{interrupted}");
    }
}
