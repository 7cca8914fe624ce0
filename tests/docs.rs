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
