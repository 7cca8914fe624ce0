//! Completions and man pages are generated from the clap tree and committed; these tests fail
//! when they are stale. Regenerate with `cargo run -- generate-docs .` and commit.

use std::path::Path;

use crate::common::TestEnv;

#[test]
fn committed_completions_and_man_pages_are_current() {
    let env = TestEnv::empty();
    env.run(&["generate-docs", env.home.to_str().unwrap()])
        .code(0);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["completions", "man"] {
        let mut fresh: Vec<_> = std::fs::read_dir(env.home.join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        let mut committed: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        fresh.sort();
        committed.sort();
        assert_eq!(
            fresh, committed,
            "{dir}/ is stale: run `cargo run -- generate-docs .` and commit"
        );
        for name in fresh {
            let a = std::fs::read(env.home.join(dir).join(&name)).unwrap();
            let b = std::fs::read(root.join(dir).join(&name)).unwrap();
            assert!(
                a == b,
                "{dir}/{} is stale: run `cargo run -- generate-docs .` and commit",
                name.to_string_lossy()
            );
        }
    }
}

#[test]
fn completions_command_prints_the_committed_script() {
    let env = TestEnv::empty();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (shell, file) in [
        ("bash", "homelabcmd.bash"),
        ("zsh", "_homelabcmd"),
        ("fish", "homelabcmd.fish"),
    ] {
        let run = env.run(&["completions", shell]);
        run.code(0);
        let committed = std::fs::read_to_string(root.join("completions").join(file)).unwrap();
        assert!(
            run.stdout == committed,
            "completions {shell} differ from completions/{file}: run `cargo run -- generate-docs .`"
        );
    }
    env.run(&["completions", "powershell"]).code(2);
}

#[test]
fn help_and_version_succeed_and_bad_usage_exits_2() {
    let env = TestEnv::empty();
    let run = env.run(&["--help"]);
    run.code(0);
    assert!(run.stdout.contains("Manage a homelab fleet from the shell"));
    assert_eq!(
        env.run(&["--version"]).code(0).stdout,
        format!("homelabcmd {}\n", env!("CARGO_PKG_VERSION"))
    );
    let run = env.run(&["machines", "--no-such-flag"]);
    run.code(2);
    assert!(
        run.stderr
            .starts_with("error: unexpected argument '--no-such-flag' found"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let env = TestEnv::fleet();
    let mut cmd = env.cmd(&["packs", "show", "base"]);
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// A line with its variable parts made comparable: runs of spaces become one, and tokens
/// that differ from run to run — hashes and commit ids (7+ hex digits), durations (`52ms`,
/// `1.8s`), host key fingerprints, the test hosts' loopback addresses and ports — become
/// placeholders.
fn comparable(line: &str) -> String {
    line.split_whitespace()
        .map(|t| {
            let number = |s: &str| !s.is_empty() && s.parse::<f64>().is_ok();
            if t.len() >= 7 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
                "<hex>"
            } else if t
                .strip_suffix("ms")
                .or_else(|| t.strip_suffix('s'))
                .is_some_and(number)
            {
                "<duration>"
            } else if t.starts_with("SHA256:") {
                "<fingerprint>"
            } else if t.starts_with("127.") && t.contains(':') {
                "<address>"
            } else {
                t
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Assert that README.md shows `output` (what `$ command` printed in a real run) right after
/// the line `$ command`, up to hashes and durations.
pub(crate) fn assert_readme_shows(command: &str, output: &str) {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let lines: Vec<String> = readme.lines().map(comparable).collect();
    let want: Vec<String> = output.lines().map(comparable).collect();
    let prompt = comparable(&format!("$ {command}"));
    let found = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| **l == prompt)
        .any(|(i, _)| lines.get(i + 1..i + 1 + want.len()) == Some(&want[..]));
    assert!(
        found,
        "README.md does not show this real output after `$ {command}`:\n{output}"
    );
    eprintln!("README shows `$ {command}` as run");
}

#[test]
fn the_readme_audit_tour_is_a_real_run() {
    use crate::common::sshd::{SshFleet, Sudo};
    let ssh = SshFleet::start(&[Sudo::NoPassword, Sudo::NoPassword]);
    let extra = "commands:\n  echo-word:\n    run: \"echo {word}\"\n    params: { word: { type: choice, values: [hello, world] } }\n  whoami-root: { run: \"id -u\", sudo: true }\n";
    let env = TestEnv::with_files(&[("fleet.yaml", &ssh.fleet_yaml(extra))]);
    env.run(&["hosts", "trust", "--yes", "host1", "host2"])
        .code(0);
    env.commit("trust the hosts");
    env.run(&["exec", "host1", "echo-word", "word=hello"])
        .code(0);
    env.run(&["exec", "host2", "whoami-root"]).code(0);
    for command in ["audit", "audit show 5", "audit verify"] {
        let args: Vec<&str> = command.split(' ').collect();
        let run = env.run(&args);
        run.code(0);
        assert_readme_shows(&format!("homelabcmd {command}"), &run.stdout);
    }
    // The README deletes an entry with the sqlite3 shell; python's sqlite3 does the same here.
    let db = env.path("data/homelab.db");
    let deleted = std::process::Command::new("python3")
        .args(["-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM audit_log WHERE id = 2'); c.commit()"])
        .arg(&db)
        .status()
        .unwrap();
    assert!(deleted.success());
    let run = env.run(&["audit", "verify"]);
    run.code(1);
    assert_readme_shows("homelabcmd audit verify", &run.stderr);
}
