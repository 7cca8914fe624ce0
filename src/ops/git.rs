//! Running the operator's own `git` executable (so their SSH configuration, keys and
//! credential helpers apply): fixed arguments, no shell, stdin closed, never a prompt, and a
//! timeout after which git and everything it started (ssh) are killed as one process group.

use std::io::Read;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Why a git command did not succeed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum GitError {
    #[error("cannot run `git`: {0}")]
    Missing(std::io::Error),
    #[error("`{command}` failed ({status}): {stderr}")]
    Failed {
        command: String,
        status: String,
        /// What git said, as it said it (escape before showing it).
        stderr: String,
    },
    #[error("`{command}` did not finish within {secs}s and was stopped")]
    Timeout { command: String, secs: u64 },
}

/// Run `git ARGS` in `dir`; its stdout on success.
pub(crate) fn run(dir: &Path, args: &[&str], timeout: Duration) -> Result<String, GitError> {
    let command = format!("git {}", args.join(" "));
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        // A hook's or a caller's repository must not stand in for the one named by `-C`.
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_COMMON_DIR")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(GitError::Missing)?;
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                kill_group(child.id());
                let _ = child.wait();
                return Err(GitError::Timeout {
                    command,
                    secs: timeout.as_secs(),
                });
            }
            Err(e) => return Err(GitError::Missing(e)),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if status.success() {
        Ok(stdout)
    } else {
        Err(GitError::Failed {
            command,
            status: status.to_string(),
            stderr: stderr.trim_end().to_string(),
        })
    }
}

/// Read a pipe to its end on a thread of its own (so a chatty git never blocks on a full pipe).
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Kill git and what it started (ssh): they share the process group git leads.
fn kill_group(pid: u32) {
    if let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_git_says_what_it_ran_and_what_git_said() {
        let dir = tempfile::tempdir().expect("temp dir");
        let e = run(dir.path(), &["rev-parse", "HEAD"], Duration::from_secs(30))
            .expect_err("not a repository");
        assert!(
            matches!(&e, GitError::Failed { command, stderr, .. }
                if command == "git rev-parse HEAD" && stderr.contains("not a git repository")),
            "{e:?}"
        );
    }
}
