//! Writing fleet files in the work tree atomically: each to a temporary file beside it, with
//! the old file's mode, then renamed over it. A file that is a symbolic link is refused, and a
//! file that changed since it was read is left alone, so an edit never clobbers another.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::import::ImportError;

/// Write `after` over `path`, which must still hold `before`.
pub(crate) fn one(path: &Path, before: &str, after: &str) -> Result<(), ImportError> {
    let tmp = stage(path, Some(before), after)?;
    commit(&tmp, path)
}

/// Write two files: both staged first, so that a failure leaves neither changed.
pub(crate) fn both(
    first: (&Path, &str, &str),
    second: (&Path, Option<&str>, &str),
) -> Result<(), ImportError> {
    let a = stage(first.0, Some(first.1), first.2)?;
    let b = match stage(second.0, second.1, second.2) {
        Ok(b) => b,
        Err(e) => {
            let _ = std::fs::remove_file(&a);
            return Err(e);
        }
    };
    if let Err(e) = commit(&a, first.0) {
        let _ = std::fs::remove_file(&b);
        return Err(e);
    }
    if let Err(e) = commit(&b, second.0) {
        // Put the first file back as it was.
        let _ = stage(first.0, Some(first.2), first.1).and_then(|t| commit(&t, first.0));
        return Err(e);
    }
    Ok(())
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ImportError + '_ {
    move |error| ImportError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Check `path` still holds `before` (None: does not exist) and is no link; write `after` to
/// a temporary file beside it with its mode.
fn stage(path: &Path, before: Option<&str>, after: &str) -> Result<PathBuf, ImportError> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(path)(e)),
    };
    if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
        return Err(ImportError::Source(
            crate::fleet::source::SourceError::Symlink {
                path: path.display().to_string(),
            },
        ));
    }
    let now = match &meta {
        Some(_) => Some(std::fs::read(path).map_err(io(path))?),
        None => None,
    };
    if now.as_deref() != before.map(str::as_bytes) {
        return Err(ImportError::Changed(path.to_path_buf()));
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.{}.import.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        if let Some(meta) = &meta {
            file.set_permissions(meta.permissions())?;
        }
        file.write_all(after.as_bytes())?;
        file.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(path)(e));
    }
    Ok(tmp)
}

fn commit(tmp: &Path, path: &Path) -> Result<(), ImportError> {
    std::fs::rename(tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(tmp);
        io(path)(e)
    })
}
