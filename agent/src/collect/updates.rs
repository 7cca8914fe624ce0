//! Pending package updates from the package manager's cache, never refreshing it. With apt:
//! `apt-get -s dist-upgrade` (a simulation that only reads the cache) counts the `Inst ` lines
//! and those from a security suite, and the lists' age says how stale that is. The simulation
//! costs CPU, so its result is kept until dpkg's status or the lists change, or an hour passes.
//! It runs on a thread of its own and a sample waits for it only briefly (`WAIT`): on a busy
//! machine it can take many seconds, and the first heartbeat after an install must not wait
//! for it. Until it answers, the previous result is reported, or (the very first time) no count
//! with a message saying the check is running.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime};

use homelabcmd_proto::{Updates, UpdatesStatus};

use crate::command;

const APT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a sample waits for a running simulation before reporting what it had.
const WAIT: Duration = Duration::from_secs(2);
const RECHECK_AFTER: Duration = Duration::from_secs(3600);
/// A failed simulation is tried again sooner than a good one.
const RETRY_ERROR_AFTER: Duration = Duration::from_secs(300);
/// Managers recognised but not read (yet).
const OTHERS: [&str; 5] = ["dnf", "yum", "pacman", "zypper", "apk"];
const BIN_DIRS: [&str; 3] = ["usr/bin", "sbin", "usr/sbin"];

type Key = (Option<SystemTime>, Option<SystemTime>);
type Simulated = Result<(u32, u32), String>;

#[derive(Debug)]
struct Cached {
    key: Key,
    at: Instant,
    result: Simulated,
}

/// A simulation running on its own thread.
#[derive(Debug)]
struct Running {
    key: Key,
    answer: Receiver<Simulated>,
}

#[derive(Debug)]
pub(crate) struct UpdatesChecker {
    /// `/`, or a fake root in tests.
    root: PathBuf,
    cached: Option<Cached>,
    running: Option<Running>,
    wait: Duration,
}

impl UpdatesChecker {
    pub(crate) fn new() -> UpdatesChecker {
        UpdatesChecker::with_root("/")
    }

    fn with_root(root: impl Into<PathBuf>) -> UpdatesChecker {
        UpdatesChecker {
            root: root.into(),
            cached: None,
            running: None,
            wait: WAIT,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub(crate) fn check(&mut self) -> Updates {
        let apt_get = self.path("usr/bin/apt-get");
        if !apt_get.exists() {
            let manager = OTHERS.into_iter().find(|name| {
                BIN_DIRS
                    .iter()
                    .any(|dir| self.path(dir).join(name).exists())
            });
            return Updates {
                status: UpdatesStatus::Unsupported,
                manager: manager.map(str::to_owned),
                message: Some(match manager {
                    Some(m) => format!("{m} is not supported yet; only apt is read"),
                    None => "no supported package manager found".to_owned(),
                }),
                ..Updates::default()
            };
        }
        let key = (
            mtime(&self.path("var/lib/dpkg/status")),
            mtime(&self.path("var/lib/apt/lists")),
        );
        let fresh = self.cached.as_ref().is_some_and(|c| {
            let ttl = if c.result.is_ok() {
                RECHECK_AFTER
            } else {
                RETRY_ERROR_AFTER
            };
            c.key == key && c.at.elapsed() < ttl
        });
        if !fresh && self.running.is_none() {
            let (tx, answer) = std::sync::mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name("apt-simulate".into())
                .spawn(move || drop(tx.send(simulate(&apt_get))));
            match spawned {
                Ok(_) => self.running = Some(Running { key, answer }),
                Err(e) => self.done(key, Err(format!("cannot start apt-get: {e}"))),
            }
        }
        self.collect();
        let cache_age_secs = self.cache_age();
        let base = Updates {
            manager: Some("apt".to_owned()),
            cache_age_secs,
            ..Updates::default()
        };
        match self.cached.as_ref().map(|c| &c.result) {
            Some(Ok((pending, security))) => Updates {
                status: UpdatesStatus::Ok,
                pending: Some(*pending),
                security: Some(*security),
                ..base
            },
            Some(Err(message)) => Updates {
                status: UpdatesStatus::Error,
                message: Some(message.clone()),
                ..base
            },
            None => Updates {
                status: UpdatesStatus::Ok,
                message: Some("the first `apt-get -s dist-upgrade` is still running".to_owned()),
                ..base
            },
        }
    }

    /// The running simulation's answer, if it comes within `wait`.
    fn collect(&mut self) {
        let Some(running) = &self.running else { return };
        let key = running.key;
        match running.answer.recv_timeout(self.wait) {
            Ok(result) => self.done(key, result),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                self.done(key, Err("apt-get's check stopped unexpectedly".to_owned()));
            }
        }
    }

    fn done(&mut self, key: Key, result: Simulated) {
        self.running = None;
        self.cached = Some(Cached {
            key,
            at: Instant::now(),
            result,
        });
    }

    /// Seconds since the package lists were refreshed: the newer of the lists directory and
    /// the package cache.
    fn cache_age(&self) -> Option<u64> {
        let newest = [
            mtime(&self.path("var/lib/apt/lists")),
            mtime(&self.path("var/cache/apt/pkgcache.bin")),
        ]
        .into_iter()
        .flatten()
        .max()?;
        Some(
            SystemTime::now()
                .duration_since(newest)
                .unwrap_or_default()
                .as_secs(),
        )
    }
}

fn mtime(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Runs the simulation; Ok((pending, security)) or a one-line reason.
fn simulate(apt_get: &Path) -> Result<(u32, u32), String> {
    let mut cmd = Command::new(apt_get);
    cmd.args([
        "-s",
        "-o",
        "Debug::NoLocking=1",
        "-o",
        "APT::Get::Show-User-Simulation-Note=false",
        "dist-upgrade",
    ])
    .env("LC_ALL", "C")
    // From `/`: it may outlive an agent that is stopping (it runs on its own thread), and
    // must not hold the agent's working directory meanwhile.
    .current_dir("/");
    let out = command::run(&mut cmd, APT_TIMEOUT).map_err(|e| format!("apt-get {e}"))?;
    if !out.status.success() {
        let reason = out
            .stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message")
            .trim();
        return Err(format!(
            "apt-get -s dist-upgrade failed ({}): {reason}",
            out.status
        ));
    }
    Ok(parse_simulation(&out.stdout))
}

/// Counts `Inst ` lines, and those whose target release (the parenthesis) names a security
/// suite: `Inst openssl [3.0.11-1~deb12u1] (3.0.13-1~deb12u1 Debian-Security:12/stable-security
/// [amd64])`.
pub(crate) fn parse_simulation(text: &str) -> (u32, u32) {
    let mut pending = 0_u32;
    let mut security = 0_u32;
    for line in text.lines().filter(|l| l.starts_with("Inst ")) {
        pending += 1;
        let target = line.find('(').map_or(line, |i| &line[i..]);
        if target.to_ascii_lowercase().contains("security") {
            security += 1;
        }
    }
    (pending, security)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{TempDir, write_script};
    use std::fs;

    const SIMULATION: &str = "\
Reading package lists...
Building dependency tree...
Reading state information...
Calculating upgrade...
The following packages will be upgraded:
  libssl3 openssl tzdata
3 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.
Inst libssl3 [3.0.11-1~deb12u1] (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])
Inst openssl [3.0.11-1~deb12u1] (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])
Inst tzdata [2024a-0+deb12u1] (2024b-0+deb12u1 Debian:12.7/stable [all])
Inst security-tools-docs [1.0] (1.1 Debian:12.7/stable [all])
Inst curl [7.81.0-1ubuntu1.15] (7.81.0-1ubuntu1.16 Ubuntu:22.04/jammy-updates, Ubuntu:22.04/jammy-security [amd64])
Conf libssl3 (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])
Conf openssl (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])
Conf tzdata (2024b-0+deb12u1 Debian:12.7/stable [all])
";

    #[test]
    fn counts_pending_and_security() {
        assert_eq!(parse_simulation(SIMULATION), (5, 3));
        assert_eq!(parse_simulation("0 upgraded, 0 newly installed.\n"), (0, 0));
    }

    #[test]
    fn apt_simulation_is_cached_until_dpkg_changes() {
        let root = TempDir::new("updates");
        let r = root.path();
        let counter = r.join("runs");
        write_script(
            &r.join("usr/bin/apt-get"),
            &format!(
                "[ \"$LC_ALL\" = C ] || exit 9\necho x >> {}\ncat <<'EOF'\n{SIMULATION}EOF\n",
                counter.display()
            ),
        );
        fs::create_dir_all(r.join("var/lib/apt/lists")).unwrap();
        fs::create_dir_all(r.join("var/lib/dpkg")).unwrap();
        fs::write(r.join("var/lib/dpkg/status"), "Package: a\n").unwrap();
        let mut checker = UpdatesChecker::with_root(r);
        let u = checker.check();
        assert_eq!(u.status, UpdatesStatus::Ok, "{u:?}");
        assert_eq!(u.manager.as_deref(), Some("apt"));
        assert_eq!((u.pending, u.security), (Some(5), Some(3)));
        assert!(u.cache_age_secs.unwrap() < 60);
        checker.check();
        assert_eq!(
            fs::read_to_string(&counter).unwrap().lines().count(),
            1,
            "cached"
        );
        // dpkg's status changes (a package was installed): ask again.
        let later = SystemTime::now() + Duration::from_secs(5);
        fs::File::options()
            .write(true)
            .open(r.join("var/lib/dpkg/status"))
            .unwrap()
            .set_modified(later)
            .unwrap();
        checker.check();
        assert_eq!(fs::read_to_string(&counter).unwrap().lines().count(), 2);
    }

    #[test]
    fn a_slow_simulation_does_not_hold_the_sample_back() {
        let root = TempDir::new("updates-slow");
        let r = root.path();
        write_script(
            &r.join("usr/bin/apt-get"),
            &format!("sleep 1\ncat <<'EOF'\n{SIMULATION}EOF\n"),
        );
        let mut checker = UpdatesChecker::with_root(r);
        checker.wait = Duration::from_millis(50);
        let u = checker.check();
        assert_eq!(
            (u.status, u.pending, u.security),
            (UpdatesStatus::Ok, None, None)
        );
        assert!(u.message.unwrap().contains("still running"));
        checker.wait = Duration::from_secs(30);
        let u = checker.check();
        assert_eq!(
            (u.status, u.pending, u.security),
            (UpdatesStatus::Ok, Some(5), Some(3))
        );
        assert_eq!(u.message, None);
    }

    #[test]
    fn apt_failure_is_an_error() {
        let root = TempDir::new("updates-fail");
        write_script(
            &root.path().join("usr/bin/apt-get"),
            "echo 'E: The package cache file is corrupted' >&2\nexit 100\n",
        );
        let u = UpdatesChecker::with_root(root.path()).check();
        assert_eq!(u.status, UpdatesStatus::Error);
        assert!(u.message.unwrap().contains("cache file is corrupted"));
        assert_eq!(u.cache_age_secs, None);
    }

    #[test]
    fn other_managers_are_unsupported() {
        let root = TempDir::new("updates-dnf");
        write_script(&root.path().join("usr/bin/dnf"), "exit 0\n");
        let u = UpdatesChecker::with_root(root.path()).check();
        assert_eq!(u.status, UpdatesStatus::Unsupported);
        assert_eq!(u.manager.as_deref(), Some("dnf"));
        let empty = TempDir::new("updates-none");
        let u = UpdatesChecker::with_root(empty.path()).check();
        assert_eq!((u.status, u.manager), (UpdatesStatus::Unsupported, None));
    }
}
