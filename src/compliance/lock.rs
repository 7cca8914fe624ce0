//! The fleet lock (`fleet.lock` beside the database): held while `diff`, `apply` or serve's
//! GitOps loop work on the machines, so that two of them — say, cron and a person — never do
//! at once. Released when the file is dropped.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub(crate) enum LockError {
    #[error("another diff or apply is running")]
    Busy(PathBuf),
    #[error("cannot lock {path}: {message}")]
    Io { path: PathBuf, message: String },
}

/// Take the lock in `dir` (created if missing), or say who has it.
pub(crate) fn hold(dir: &Path) -> Result<std::fs::File, LockError> {
    let path = dir.join("fleet.lock");
    let io = |e: std::io::Error| LockError::Io {
        path: path.clone(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(LockError::Busy(path)),
        Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
    }
}
