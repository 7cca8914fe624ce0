//! Running a helper program (`apt-get`, `systemctl`) with a deadline: its output is read on
//! threads so a full pipe cannot stall it, and it is killed when the deadline passes.

use std::fmt;
use std::io::{self, Read};
use std::process::{Command, ExitStatus, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub(crate) struct Output {
    pub(crate) status: ExitStatus,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

#[derive(Debug)]
pub(crate) enum RunError {
    /// The program could not be started (not installed, no permission, ...).
    Spawn(io::Error),
    Wait(io::Error),
    TimedOut(Duration),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Spawn(e) => write!(f, "could not start: {e}"),
            RunError::Wait(e) => write!(f, "could not wait for it: {e}"),
            RunError::TimedOut(t) => write!(f, "timed out after {} s", t.as_secs()),
        }
    }
}

/// Runs `cmd` with stdin closed; kills it after `timeout`.
pub(crate) fn run(cmd: &mut Command, timeout: Duration) -> Result<Output, RunError> {
    let deadline = Instant::now() + timeout;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(RunError::Spawn)?;
    let stdout = child.stdout.take().map(reader);
    let stderr = child.stderr.take().map(reader);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::TimedOut(timeout));
            }
            Ok(None) => thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                let _ = child.kill();
                return Err(RunError::Wait(e));
            }
        }
    };
    // A grandchild could keep the pipes open: wait for the readers only until the deadline.
    let collect = |h: Option<JoinHandle<Vec<u8>>>| {
        let h = h?;
        while !h.is_finished() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(5));
        }
        h.is_finished().then(|| h.join().ok()).flatten()
    };
    let text = |b: Option<Vec<u8>>| String::from_utf8_lossy(&b.unwrap_or_default()).into_owned();
    Ok(Output {
        status,
        stdout: text(collect(stdout)),
        stderr: text(collect(stderr)),
    })
}

fn reader(mut pipe: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_and_timeout() {
        let out = run(
            Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]),
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(out.stdout, "out\n");
        assert_eq!(out.stderr, "err\n");
        assert_eq!(out.status.code(), Some(3));

        // Larger than a pipe buffer: must not stall.
        let out = run(
            Command::new("sh").args(["-c", "yes inst | head -c 300000"]),
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(out.stdout.len(), 300_000);

        let start = Instant::now();
        let err = run(Command::new("sleep").arg("5"), Duration::from_millis(200)).unwrap_err();
        assert!(matches!(err, RunError::TimedOut(_)));
        assert!(start.elapsed() < Duration::from_secs(3));

        let err = run(
            &mut Command::new("/nonexistent/prog"),
            Duration::from_secs(1),
        );
        assert!(matches!(err, Err(RunError::Spawn(_))));
    }
}
