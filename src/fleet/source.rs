//! Where fleet files are read from: a git commit (the default, so cron applies what was
//! reviewed), or the work tree with `--worktree`. Also tells when the two differ.

use std::path::{Path, PathBuf};

use git2::{DiffOptions, ObjectType, Oid, Repository, StatusOptions};

/// Git's file mode for a symbolic link.
const GIT_LINK: i32 = 0o120000;

/// The files and symbolic links under a directory of the fleet.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub(crate) files: std::collections::HashSet<String>,
    pub(crate) links: std::collections::HashSet<String>,
}

impl Listing {
    /// The link at `path` or at one of its parent directories, if any.
    pub(crate) fn link_on_the_way(&self, path: &str) -> Option<&str> {
        let mut end = 0;
        for part in path.split('/') {
            end += part.len();
            if let Some(link) = self.links.get(&path[..end]) {
                return Some(link);
            }
            end += 1;
        }
        None
    }
}

/// How the operator asked to find and read the fleet.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceOptions {
    /// `--repo` or `$HOMELABCMD_REPO`; else the repository around the current directory.
    pub(crate) repo: Option<PathBuf>,
    /// `--rev`; `HEAD` when not given.
    pub(crate) rev: Option<String>,
    /// `--worktree`: read the files on disk.
    pub(crate) worktree: bool,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum SourceError {
    #[error("{0} is not inside a fleet repository")]
    NoRepo(PathBuf),
    #[error("cannot open the git repository at {path}: {message}")]
    Git { path: PathBuf, message: String },
    #[error("the repository at {0} belongs to another user")]
    NotOwner(PathBuf),
    #[error("the repository at {0} has no commits yet")]
    NoCommits(PathBuf),
    #[error("`{rev}` does not name a commit in {path}: {message}")]
    BadRev {
        rev: String,
        path: PathBuf,
        message: String,
    },
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    #[error("{path} is a symbolic link; fleet files may not be links")]
    Symlink { path: String },
}

impl SourceError {
    pub(crate) fn hints(&self) -> Vec<String> {
        match self {
            Self::NoRepo(_) => vec![
                "pass --repo DIR or set HOMELABCMD_REPO to the fleet repository".into(),
                "or create one here with `homelabcmd init`".into(),
            ],
            Self::NoCommits(_) => {
                vec![
                    "commit fleet.yaml and packs/, or read the files on disk with --worktree"
                        .into(),
                ]
            }
            Self::BadRev { .. } => {
                vec!["use a branch, tag or commit id, e.g. --rev main or --rev HEAD~1".into()]
            }
            Self::Symlink { .. } => vec![
                "a link could ship a file from outside the repository (~/.ssh/id_ed25519) to every machine: put the file itself in the repository".into(),
            ],
            Self::NotOwner(path) => vec![
                format!(
                    "if you trust its owner, add it to git's safe.directory: `git config --global --add safe.directory {}`",
                    path.display()
                ),
                "(the hub's image trusts /fleet, the read-only mount, in /etc/gitconfig)".into(),
            ],
            Self::Git { .. } | Self::Read { .. } => vec![],
        }
    }
}

/// An opened fleet repository at one commit, or its work tree.
pub(crate) struct Snapshot {
    repo: Option<Repository>,
    /// The fleet directory on disk (where fleet.yaml lives).
    root: PathBuf,
    /// The fleet directory inside the repository, `""` when it is the top.
    prefix: String,
    commit: Option<Commit>,
}

struct Commit {
    id: Oid,
    tree: Oid,
    rev: String,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Snapshot {
    pub(crate) fn open(opts: &SourceOptions, cwd: &Path) -> Result<Self, SourceError> {
        // Like the git CLI, trust the object store instead of re-hashing every object read
        // (a third of the cost of loading a large fleet). `git fsck` is the tool for that.
        git2::opts::strict_hash_verification(false);
        let git_err = |path: &Path, e: git2::Error| match e.code() {
            // libgit2's safe.directory check, as git's: a repository of another user.
            git2::ErrorCode::Owner => SourceError::NotOwner(path.to_path_buf()),
            _ => SourceError::Git {
                path: path.to_path_buf(),
                message: e.message().to_string(),
            },
        };
        let (repo, root) = match &opts.repo {
            Some(dir) => {
                let dir = cwd.join(dir);
                match Repository::discover(&dir) {
                    Ok(repo) => (Some(repo), dir),
                    Err(_) if opts.worktree && dir.join("fleet.yaml").is_file() => (None, dir),
                    Err(e) if e.code() == git2::ErrorCode::NotFound => {
                        return Err(SourceError::NoRepo(dir));
                    }
                    Err(e) => return Err(git_err(&dir, e)),
                }
            }
            None => match Repository::discover(cwd) {
                Ok(repo) => {
                    let top = repo.workdir().unwrap_or(cwd).to_path_buf();
                    // The nearest directory holding fleet.yaml, up to the repository's top.
                    let root = cwd
                        .ancestors()
                        .take_while(|d| d.starts_with(&top))
                        .find(|d| d.join("fleet.yaml").is_file())
                        .unwrap_or(&top)
                        .to_path_buf();
                    (Some(repo), root)
                }
                Err(_) if opts.worktree && cwd.join("fleet.yaml").is_file() => {
                    (None, cwd.to_path_buf())
                }
                Err(e) if e.code() == git2::ErrorCode::Owner => {
                    return Err(git_err(cwd, e));
                }
                Err(_) => return Err(SourceError::NoRepo(cwd.to_path_buf())),
            },
        };
        let prefix = match repo.as_ref().and_then(Repository::workdir) {
            Some(top) => {
                let top = top.canonicalize().unwrap_or_else(|_| top.to_path_buf());
                let here = root.canonicalize().unwrap_or_else(|_| root.clone());
                here.strip_prefix(&top)
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default()
            }
            None => String::new(),
        };
        let commit = match (&repo, opts.worktree) {
            (Some(repo), false) => {
                let rev = opts.rev.clone().unwrap_or_else(|| "HEAD".into());
                if rev == "HEAD" && repo.head().is_err() {
                    return Err(SourceError::NoCommits(root));
                }
                let object = repo
                    .revparse_single(&rev)
                    .map_err(|e| SourceError::BadRev {
                        rev: rev.clone(),
                        path: root.clone(),
                        message: e.message().to_string(),
                    })?;
                let commit = object.peel_to_commit().map_err(|e| SourceError::BadRev {
                    rev: rev.clone(),
                    path: root.clone(),
                    message: e.message().to_string(),
                })?;
                Some(Commit {
                    id: commit.id(),
                    tree: commit.tree_id(),
                    rev,
                })
            }
            _ => None,
        };
        Ok(Self {
            repo,
            root,
            prefix,
            commit,
        })
    }

    /// The fleet directory on disk.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// The commit being read, in full hex; None when reading the work tree.
    pub(crate) fn commit_id(&self) -> Option<String> {
        self.commit.as_ref().map(|c| c.id.to_string())
    }

    /// The committer time of the commit being read (unix seconds); None for the work tree.
    pub(crate) fn commit_time(&self) -> Option<i64> {
        let (repo, commit) = (self.repo.as_ref()?, self.commit.as_ref()?);
        repo.find_commit(commit.id).ok().map(|c| c.time().seconds())
    }

    /// "commit 1a2b3c4 (HEAD)" or "the work tree at /path".
    pub(crate) fn describe(&self) -> String {
        match &self.commit {
            Some(c) => format!("commit {:.7} ({})", c.id.to_string(), c.rev),
            None => format!("the work tree at {}", self.root.display()),
        }
    }

    fn repo_path(&self, path: &str) -> String {
        if self.prefix.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.prefix)
        }
    }

    /// The bytes of a file of the fleet (path relative to the fleet directory), if it exists.
    pub(crate) fn read(&self, path: &str) -> Result<Option<Vec<u8>>, SourceError> {
        let err = |message: String| SourceError::Read {
            path: path.to_string(),
            message,
        };
        match (&self.repo, &self.commit) {
            (Some(repo), Some(commit)) => {
                let tree = repo
                    .find_tree(commit.tree)
                    .map_err(|e| err(e.message().into()))?;
                let Ok(entry) = tree.get_path(Path::new(&self.repo_path(path))) else {
                    return Ok(None);
                };
                if entry.kind() != Some(ObjectType::Blob) {
                    return Ok(None);
                }
                if entry.filemode() == GIT_LINK {
                    return Err(SourceError::Symlink {
                        path: path.to_string(),
                    });
                }
                let blob = repo
                    .find_blob(entry.id())
                    .map_err(|e| err(e.message().into()))?;
                Ok(Some(blob.content().to_vec()))
            }
            _ => match self
                .no_link(path)
                .and_then(|()| std::fs::read(self.root.join(path)))
            {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory
                    ) =>
                {
                    Ok(None)
                }
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    Err(SourceError::Symlink {
                        path: path.to_string(),
                    })
                }
                Err(e) => Err(err(e.to_string())),
            },
        }
    }

    /// In the work tree: an error (InvalidData) when `path` or any directory on the way to it
    /// from the fleet directory is a symbolic link, so that reading never follows one.
    fn no_link(&self, path: &str) -> std::io::Result<()> {
        let mut at = self.root.clone();
        for part in Path::new(path).components() {
            at.push(part);
            match std::fs::symlink_metadata(&at) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "a symbolic link",
                    ));
                }
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Every file under `dir`, as paths relative to the fleet directory (`packs/files/bashrc`),
    /// with the symbolic links found on the way (files or directories; never followed). One
    /// walk, so checking many paths costs one lookup each.
    pub(crate) fn files_under(&self, dir: &str) -> Listing {
        let mut out = Listing::default();
        match (&self.repo, &self.commit) {
            (Some(repo), Some(commit)) => {
                let sub = repo
                    .find_tree(commit.tree)
                    .ok()
                    .and_then(|t| t.get_path(Path::new(&self.repo_path(dir))).ok())
                    .and_then(|e| repo.find_tree(e.id()).ok());
                if let Some(tree) = sub {
                    let _ = tree.walk(git2::TreeWalkMode::PreOrder, |parent, entry| {
                        if entry.kind() == Some(ObjectType::Blob)
                            && let Ok(name) = entry.name()
                        {
                            let path = format!("{dir}/{parent}{name}");
                            if entry.filemode() == GIT_LINK {
                                out.links.insert(path);
                            } else {
                                out.files.insert(path);
                            }
                        }
                        git2::TreeWalkResult::Ok
                    });
                }
            }
            _ => self.walk_worktree(dir, &mut out),
        }
        out
    }

    fn walk_worktree(&self, dir: &str, out: &mut Listing) {
        let mut stack = vec![self.root.join(dir)];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let path = entry.path();
                let Ok(rel) = path.strip_prefix(&self.root) else {
                    continue;
                };
                let rel = rel.to_string_lossy().into_owned();
                match entry.file_type() {
                    Ok(t) if t.is_symlink() => {
                        out.links.insert(rel);
                    }
                    Ok(t) if t.is_dir() => stack.push(path),
                    Ok(t) if t.is_file() => {
                        out.files.insert(rel);
                    }
                    _ => {}
                }
            }
        }
    }

    /// Names of the regular files directly inside `dir`, sorted.
    pub(crate) fn list(&self, dir: &str) -> Result<Vec<String>, SourceError> {
        let mut names = Vec::new();
        match (&self.repo, &self.commit) {
            (Some(repo), Some(commit)) => {
                let tree = repo.find_tree(commit.tree).map_err(|e| SourceError::Read {
                    path: dir.to_string(),
                    message: e.message().into(),
                })?;
                let Ok(entry) = tree.get_path(Path::new(&self.repo_path(dir))) else {
                    return Ok(names);
                };
                let Ok(sub) = repo.find_tree(entry.id()) else {
                    return Ok(names);
                };
                for e in sub.iter() {
                    if e.kind() == Some(ObjectType::Blob)
                        && let Ok(name) = e.name()
                    {
                        names.push(name.to_string());
                    }
                }
            }
            _ => {
                let Ok(read) = std::fs::read_dir(self.root.join(dir)) else {
                    return Ok(names);
                };
                for entry in read.flatten() {
                    if entry
                        .file_type()
                        .is_ok_and(|t| t.is_file() || t.is_symlink())
                        && let Ok(name) = entry.file_name().into_string()
                    {
                        names.push(name);
                    }
                }
            }
        }
        names.sort();
        Ok(names)
    }

    /// What it takes to ask, on another thread, which fleet files differ in the work tree
    /// from the commit being read. None when reading the work tree.
    pub(crate) fn dirty_check(&self, paths: &[&str]) -> Option<DirtyCheck> {
        let (Some(repo), Some(commit)) = (&self.repo, &self.commit) else {
            return None;
        };
        Some(DirtyCheck {
            git_dir: repo.path().to_path_buf(),
            commit: commit.id,
            tree: commit.tree,
            prefix: self.prefix.clone(),
            pathspecs: paths.iter().map(|p| self.repo_path(p)).collect(),
        })
    }
}

/// A question for git, answerable on another thread (it opens its own repository handle):
/// which fleet files does the work tree change, add or delete relative to the commit read?
#[derive(Debug)]
pub(crate) struct DirtyCheck {
    git_dir: PathBuf,
    commit: Oid,
    tree: Oid,
    prefix: String,
    pathspecs: Vec<String>,
}

impl DirtyCheck {
    pub(crate) fn run(self) -> Vec<String> {
        let Ok(repo) = Repository::open(&self.git_dir) else {
            return Vec::new();
        };
        let strip = |p: &str| match p.strip_prefix(&format!("{}/", self.prefix)) {
            Some(rest) if !self.prefix.is_empty() => rest.to_string(),
            _ => p.to_string(),
        };
        // Reading HEAD (the usual case): git's status, which trusts the index's stat cache
        // instead of hashing every file.
        if repo.head().ok().and_then(|h| h.target()) == Some(self.commit) {
            let mut opts = StatusOptions::new();
            opts.include_untracked(true)
                .recurse_untracked_dirs(true)
                .exclude_submodules(true);
            for p in &self.pathspecs {
                opts.pathspec(p);
            }
            if let Ok(statuses) = repo.statuses(Some(&mut opts)) {
                return statuses
                    .iter()
                    .filter(|e| !e.status().is_ignored())
                    .filter_map(|e| e.path().ok().map(strip))
                    .collect();
            }
        }
        let Ok(tree) = repo.find_tree(self.tree) else {
            return Vec::new();
        };
        let mut opts = DiffOptions::new();
        opts.include_untracked(true).recurse_untracked_dirs(true);
        for p in &self.pathspecs {
            opts.pathspec(p);
        }
        let Ok(diff) = repo.diff_tree_to_workdir(Some(&tree), Some(&mut opts)) else {
            return Vec::new();
        };
        diff.deltas()
            .filter_map(|d| d.new_file().path().or(d.old_file().path()))
            .map(|p| strip(&p.to_string_lossy()))
            .collect()
    }
}
