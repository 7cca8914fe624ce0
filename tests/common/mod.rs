//! `TestEnv`: a temporary fleet repository (real git), its own HOME and database, a fixed
//! clock, and a cleared environment, so each test runs the binary hermetically.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_homelabcmd");

/// A minimal valid fleet: one server with the `base` pack.
pub(crate) const FLEET: &str = "\
version: 1
machines:
  web1:
    address: web1.lan
    packs: [base]
";

pub(crate) const BASE_PACK: &str = "\
description: the base pack
files:
  - { path: ~/.bashrc, source: files/bashrc, mode: \"0644\" }
packages:
  - curl: \">= 7.88\"
";

pub(crate) struct TestEnv {
    _tmp: tempfile::TempDir,
    pub(crate) repo: PathBuf,
    pub(crate) home: PathBuf,
    pub(crate) now: String,
}

/// What a run of the binary did.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// Assert the exit code, printing both streams when it differs.
    pub(crate) fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code, expected,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl TestEnv {
    /// An empty repository directory (not yet a git repository).
    pub(crate) fn empty() -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let repo = tmp.path().join("fleet");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&repo).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        Self {
            _tmp: tmp,
            repo,
            home,
            now: "2026-11-25T12:00:00Z".into(),
        }
    }

    /// A git repository holding `files`, committed.
    pub(crate) fn with_files(files: &[(&str, &str)]) -> Self {
        let env = Self::empty();
        env.git(&["init", "-q", "-b", "main"]);
        for (path, text) in files {
            env.write(path, text);
        }
        env.commit("initial fleet");
        env
    }

    /// The minimal valid fleet, committed.
    pub(crate) fn fleet() -> Self {
        Self::with_files(&[
            ("fleet.yaml", FLEET),
            ("packs/base.yaml", BASE_PACK),
            ("packs/files/bashrc", "# bashrc\n"),
        ])
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.repo.join(rel)
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub(crate) fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.repo.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Run the system's git in the repository; panics on failure.
    pub(crate) fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.invalid",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&self.repo)
            .env("HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Commit everything; returns the new commit id.
    pub(crate) fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// A command for the binary with a cleared environment, HOME and clock fixed, run from
    /// the repository.
    pub(crate) fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(&self.repo)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("HOMELABCMD_NOW", &self.now)
            .env("NO_COLOR", "1");
        cmd
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        run(self.cmd(args))
    }

    pub(crate) fn run_in(&self, dir: &Path, args: &[&str]) -> Run {
        let mut cmd = self.cmd(args);
        cmd.current_dir(dir);
        run(cmd)
    }
}

pub(crate) fn run(mut cmd: Command) -> Run {
    let out = cmd.output().expect("homelabcmd runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
