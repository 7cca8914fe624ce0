//! Turning a plan into shell: one script for what the SSH user may change (its home), one run
//! through sudo (other paths, owners, packages). Files are written atomically — a temporary
//! file created in the same directory with its final mode and owner, then renamed — and
//! parent directories are created. Every step is idempotent, so an interrupted apply
//! converges when run again.

use super::plan::{Mismatch, Wanted};
use super::probe::{Facts, base64_encode};
use crate::remote::session::quote;

/// The scripts that bring a machine to its packs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scripts {
    /// Run as the SSH user.
    pub(crate) user: String,
    /// Run through sudo (empty when nothing needs root).
    pub(crate) root: String,
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

/// Scripts for the mismatches of one machine.
pub(crate) fn scripts(want: &Wanted, facts: &Facts, mismatches: &[Mismatch]) -> Scripts {
    let home = &facts.home;
    let in_home =
        |p: &str| p.starts_with("~/") || p.starts_with(&format!("{}/", home.trim_end_matches('/')));
    let mut s = Scripts::default();
    let (mut user, mut root) = (String::new(), String::new());
    for (path, mode, owner) in &want.dirs {
        let missing = mismatches
            .iter()
            .any(|m| matches!(m, Mismatch::DirMissing { path: p } if p == path));
        let wrong_mode = mismatches
            .iter()
            .any(|m| matches!(m, Mismatch::DirModeDiffers { path: p, .. } if p == path));
        if !missing && !wrong_mode {
            continue;
        }
        let t = quote(&target(path, home));
        let mut line = format!("mkdir -p -- {t}\n");
        if let Some(m) = mode {
            line.push_str(&format!("chmod {m:04o} -- {t}\n"));
        }
        if let Some(o) = owner {
            line.push_str(&format!("chown {} -- {t}\n", quote(o)));
        }
        if missing {
            s.summary.directories += 1;
        } else {
            s.summary.modes += 1;
        }
        if in_home(path) && owner.is_none() {
            user.push_str(&line)
        } else {
            root.push_str(&line)
        }
    }
    for f in &want.files {
        let content = mismatches.iter().any(|m| {
            matches!(m, Mismatch::FileMissing { path } | Mismatch::NotAFile { path } | Mismatch::ContentDiffers { path, .. } if *path == f.path)
        });
        let meta = mismatches.iter().any(|m| {
            matches!(m, Mismatch::ModeDiffers { path, .. } | Mismatch::OwnerDiffers { path, .. } if *path == f.path)
        });
        if !content && !meta {
            continue;
        }
        let t = quote(&target(&f.path, home));
        let mode = format!("{:04o}", f.mode.unwrap_or(0o644));
        let owner = match (&f.owner, &f.group) {
            (None, None) => None,
            (Some(o), None) => Some(o.clone()),
            (None, Some(g)) => Some(format!(":{g}")),
            (Some(o), Some(g)) => Some(format!("{o}:{g}")),
        };
        let mut line = String::new();
        if content {
            s.summary.files += 1;
            line.push_str(&format!(
                "d=$(dirname -- {t}); mkdir -p -- \"$d\"\ntmp=$(mktemp -- \"$d/.homelabcmd.XXXXXX\")\nprintf '%s' {} | base64 -d > \"$tmp\"\nchmod {mode} -- \"$tmp\"\n",
                quote(&base64_encode(&f.content))
            ));
            if let Some(o) = &owner {
                line.push_str(&format!("chown {} -- \"$tmp\"\n", quote(o)));
            }
            line.push_str(&format!("mv -f -- \"$tmp\" {t}\n"));
        } else {
            s.summary.modes += 1;
            line.push_str(&format!("chmod {mode} -- {t}\n"));
            if let Some(o) = &owner {
                line.push_str(&format!("chown {} -- {t}\n", quote(o)));
            }
        }
        if in_home(&f.path) && owner.is_none() {
            user.push_str(&line)
        } else {
            root.push_str(&line)
        }
    }
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
    if !packages.is_empty() {
        s.summary.packages = packages.len();
        root.push_str(&format!(
            "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold {}\n",
            packages.join(" ")
        ));
    }
    let wrap = |body: String| {
        if body.is_empty() {
            body
        } else {
            format!("set -eu\numask 022\n{body}")
        }
    };
    s.user = wrap(user);
    s.root = wrap(root);
    s
}
