//! Benchmark: `homelabcmd sync` beside its peer `git pull --ff-only`, on two clones of the
//! same bare remote (a fleet of 50 machines): nothing new, and one new commit pushed before
//! each run (the push is not timed). sync does more than the pull — a dirty check, the rollback
//! rule against the store, the audit entry — and runs git twice (fetch, merge) plus rev-parse.
//!
//! Run: `cargo bench --bench sync`. Prints a table for BENCHMARKS.md.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "common/mod.rs"]
mod common;

use common::{BIN, commit_repo, ms, pct, small_fleet, time};

const RUNS: usize = 40;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.invalid",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn main() {
    let tmp = std::env::temp_dir().join(format!("homelabcmd-bench-sync-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let author = tmp.join("author");
    commit_repo(&author, &[("fleet.yaml".into(), small_fleet(50))]);
    git(&tmp, &["clone", "-q", "--bare", "author", "remote.git"]);
    git(&author, &["remote", "add", "origin", "../remote.git"]);
    for clone in ["by-sync", "by-pull"] {
        git(&tmp, &["clone", "-q", "remote.git", clone]);
    }
    let db = tmp.join("homelab.db");
    let sync = || {
        let out = Command::new(BIN)
            .args(["--db", db.to_str().unwrap(), "sync", "-q"])
            .current_dir(tmp.join("by-sync"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let pull = || git(&tmp.join("by-pull"), &["pull", "-q", "--ff-only"]);

    let sync_idle = time(RUNS, sync);
    let pull_idle = time(RUNS, pull);
    let mut n = 0;
    let mut push = || {
        n += 1;
        std::fs::write(author.join("notes.txt"), format!("change {n}\n")).unwrap();
        git(&author, &["add", "notes.txt"]);
        git(&author, &["commit", "-qm", &format!("change {n}")]);
        git(&author, &["push", "-q", "origin", "HEAD"]);
    };
    let (mut sync_ff, mut pull_ff) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        push();
        sync_ff.push(timed(sync));
        pull_ff.push(timed(pull));
    }
    sync_ff.sort();
    pull_ff.sort();

    println!("fleet: 50 machines; {RUNS} runs each; both clones of one bare remote on this disk");
    println!("| what | min | median | p90 |");
    println!("|---|---|---|---|");
    for (what, s) in [
        ("`homelabcmd sync`, nothing new", &sync_idle),
        ("peer: `git pull --ff-only`, nothing new", &pull_idle),
        ("`homelabcmd sync`, one new commit", &sync_ff),
        ("peer: `git pull --ff-only`, one new commit", &pull_ff),
    ] {
        println!(
            "| {what} | {} | {} | {} |",
            ms(s[0]),
            ms(pct(s, 0.5)),
            ms(pct(s, 0.9))
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

fn timed(f: impl Fn()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}
