//! `homelabcmd init [DIR]`: a new fleet repository with a commented fleet.yaml, the three
//! standard packs, and a first commit.

use std::path::{Path, PathBuf};

use git2::{IndexAddOption, Repository, Signature};
use serde::Serialize;

use super::Context;
use crate::error::Error;

/// Create a fleet repository: git init, a commented fleet.yaml, the Base, Developer Lite and
/// Developer Max packs, and a first commit.
///
/// In a directory that is already inside a git repository, the files are added and committed
/// there. Existing files are never overwritten.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Where to create it [default: the current directory]
    dir: Option<PathBuf>,
}

/// Every file `init` writes, with its content. A test checks that packs/ is all here.
pub(crate) const FILES: &[(&str, &str)] = &[
    ("fleet.yaml", include_str!("init_fleet.yaml")),
    (
        ".gitignore",
        "# homelabcmd's local database and state\ndata/\n",
    ),
    ("packs/base.yaml", include_str!("../../packs/base.yaml")),
    (
        "packs/developer-lite.yaml",
        include_str!("../../packs/developer-lite.yaml"),
    ),
    (
        "packs/developer-max.yaml",
        include_str!("../../packs/developer-max.yaml"),
    ),
    (
        "packs/files/bashrc",
        include_str!("../../packs/files/bashrc"),
    ),
    (
        "packs/files/bashrc.d/10-history.sh",
        include_str!("../../packs/files/bashrc.d/10-history.sh"),
    ),
    (
        "packs/files/bashrc.d/20-aliases.sh",
        include_str!("../../packs/files/bashrc.d/20-aliases.sh"),
    ),
    (
        "packs/files/bashrc.d/30-functions.sh",
        include_str!("../../packs/files/bashrc.d/30-functions.sh"),
    ),
    (
        "packs/files/bashrc.d/40-prompt.sh",
        include_str!("../../packs/files/bashrc.d/40-prompt.sh"),
    ),
    (
        "packs/files/bashrc.d/50-git.sh",
        include_str!("../../packs/files/bashrc.d/50-git.sh"),
    ),
    (
        "packs/files/bashrc.d/60-dev.sh",
        include_str!("../../packs/files/bashrc.d/60-dev.sh"),
    ),
    (
        "packs/files/inputrc",
        include_str!("../../packs/files/inputrc"),
    ),
    (
        "packs/files/tmux.conf",
        include_str!("../../packs/files/tmux.conf"),
    ),
    (
        "packs/files/editorconfig",
        include_str!("../../packs/files/editorconfig"),
    ),
    (
        "packs/files/git/config",
        include_str!("../../packs/files/git/config"),
    ),
    (
        "packs/files/git/ignore",
        include_str!("../../packs/files/git/ignore"),
    ),
    (
        "packs/files/ghostty/config",
        include_str!("../../packs/files/ghostty/config"),
    ),
];

#[derive(Serialize)]
struct Report {
    dir: String,
    commit: String,
    files: Vec<&'static str>,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let dir = match args.dir {
        Some(d) => cx.cwd().join(d),
        None => cx.cwd().to_path_buf(),
    };
    let io = |what: &str, path: &Path, e: std::io::Error| {
        Error::config(format!("cannot {what} {}: {e}", path.display()))
    };
    std::fs::create_dir_all(&dir).map_err(|e| io("create", &dir, e))?;
    let existing: Vec<&str> = FILES
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| dir.join(p).exists())
        .collect();
    if !existing.is_empty() {
        let more = match existing.len() {
            0..=3 => String::new(),
            n => format!(" and {} more", n - 3),
        };
        return Err(Error::config(format!(
            "{} already holds {}{more}",
            dir.display(),
            existing[..existing.len().min(3)].join(", ")
        ))
        .hint("init never overwrites files; choose an empty directory, or check the fleet with `homelabcmd validate`"));
    }
    let git = |e: git2::Error| Error::config(format!("git: {}", e.message()));
    let repo = match Repository::discover(&dir) {
        Ok(repo) if repo.workdir().is_some() => repo,
        _ => Repository::init(&dir).map_err(git)?,
    };
    let top = repo
        .workdir()
        .and_then(|w| w.canonicalize().ok())
        .unwrap_or_else(|| dir.clone());
    let prefix = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.strip_prefix(&top).ok().map(Path::to_path_buf))
        .unwrap_or_default();

    for (path, content) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
        }
        std::fs::write(&target, content).map_err(|e| io("write", &target, e))?;
    }
    let mut index = repo.index().map_err(git)?;
    let paths: Vec<PathBuf> = FILES.iter().map(|(p, _)| prefix.join(p)).collect();
    index
        .add_all(paths.iter(), IndexAddOption::FORCE, None)
        .map_err(git)?;
    index.write().map_err(git)?;
    let tree = repo
        .find_tree(index.write_tree().map_err(git)?)
        .map_err(git)?;
    let signature = repo
        .signature()
        .or_else(|_| Signature::now("homelabcmd", "homelabcmd@localhost"))
        .map_err(git)?;
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    let commit = repo
        .commit(
            Some("HEAD"),
            &signature,
            &signature,
            "Start the fleet repository (homelabcmd init)",
            &tree,
            &parents,
        )
        .map_err(git)?;

    if cx.out.is_json() {
        return cx.out.json(&Report {
            dir: dir.display().to_string(),
            commit: commit.to_string(),
            files: FILES.iter().map(|(p, _)| *p).collect(),
        });
    }
    if !cx.out.quiet {
        cx.out.print(&format!(
            "Created a fleet repository in {} (commit {:.7}):\n\
             \x20 fleet.yaml   two example machines to replace with yours\n\
             \x20 packs/       base, developer-lite, developer-max (+ packs/files/)\n\
             Next: edit fleet.yaml, check it with `homelabcmd validate --worktree`, then commit.\n",
            dir.display(),
            commit.to_string()
        ))?;
    }
    Ok(())
}
