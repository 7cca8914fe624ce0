//! Benchmark: `homelabcmd validate` on a generated fleet of 500 machines and 20 packs, read
//! from a git commit, beside the floor: reading the same bytes and parsing them as YAML.
//!
//! Run: `cargo bench --bench validate`. Prints a table for BENCHMARKS.md.

use std::path::Path;
use std::process::Command;

#[path = "common/mod.rs"]
mod common;

use common::{commit_repo, ms, time};

const MACHINES: usize = 500;
const PACKS: usize = 20;
const RUNS: usize = 60;

fn main() {
    // HOMELABCMD_BENCH_FLEET=DIR only writes the generated fleet there, to look at or profile.
    if let Some(dir) = std::env::var_os("HOMELABCMD_BENCH_FLEET") {
        generate(Path::new(&dir));
        return;
    }
    let dir = std::env::temp_dir().join(format!("homelabcmd-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let files = generate(&dir);
    let bytes: usize = files
        .iter()
        .map(|f| std::fs::metadata(dir.join(f)).unwrap().len() as usize)
        .sum();
    let bin = env!("CARGO_BIN_EXE_homelabcmd");

    let run = |args: &[&str]| {
        let out = Command::new(bin)
            .args(args)
            .arg("--repo")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let commit = time(RUNS, || run(&["validate"]));
    let worktree = time(RUNS, || run(&["validate", "--worktree"]));
    let process_floor = time(RUNS, || {
        assert!(
            Command::new(bin)
                .arg("--version")
                .output()
                .unwrap()
                .status
                .success()
        );
    });
    let floor = time(RUNS, || {
        for f in &files {
            let text = std::fs::read_to_string(dir.join(f)).unwrap();
            let mut events = 0usize;
            for event in granit_parser::Parser::new_from_str(&text) {
                event.unwrap();
                events += 1;
            }
            std::hint::black_box(events);
        }
    });

    println!(
        "fleet: {MACHINES} machines, {PACKS} packs, {} YAML files, {} KiB, {RUNS} runs each",
        files.len(),
        bytes / 1024
    );
    println!("| what | min | median | p90 |");
    println!("|---|---|---|---|");
    for (what, s) in [
        (
            "`homelabcmd validate` (whole process, from the commit)",
            &commit,
        ),
        (
            "`homelabcmd validate --worktree` (whole process)",
            &worktree,
        ),
        (
            "floor: read the files + parse the YAML (in process)",
            &floor,
        ),
        ("process start: `homelabcmd --version`", &process_floor),
    ] {
        println!(
            "| {what} | {} | {} | {} |",
            ms(s[0]),
            ms(s[s.len() / 2]),
            ms(s[s.len() * 9 / 10])
        );
    }
    let ratio = commit[commit.len() / 2].as_secs_f64()
        / (floor[floor.len() / 2] + process_floor[process_floor.len() / 2]).as_secs_f64();
    println!("ratio, median validate / (floor + process start): {ratio:.2}x");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Write the fleet, its packs and their source files, and commit them with the system git.
fn generate(dir: &Path) -> Vec<String> {
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let mut fleet = String::from(
        "version: 1\ndefaults:\n  ssh: { user: homelabcmd, port: 22 }\n  offline_after: 180s\n  thresholds: { disk: [80, 90], ram: 85, cpu: 90 }\nmachines:\n",
    );
    for i in 0..MACHINES {
        let kind = if i % 10 == 9 { "workstation" } else { "server" };
        fleet.push_str(&format!(
            "  host-{i:03}:\n    name: Host {i}\n    type: {kind}\n    address: host-{i:03}.tail1234.ts.net\n    tdp_w: {}\n    location: rack-{}\n    services: [sshd, docker, node-exporter]\n    packs: [pack-{:02}]\n    tags: [rack{}, {kind}]\n",
            20 + i % 80,
            i % 4,
            i % PACKS,
            i % 4
        ));
    }
    fleet.push_str("groups:\n  first-ten: { machines: [host-000, host-001, host-002, host-003, host-004, host-005, host-006, host-007, host-008, host-009], stagger: 5m }\n");
    write("fleet.yaml", &fleet);
    let mut files = vec!["fleet.yaml".to_string()];
    for p in 0..PACKS {
        let mut pack = format!("description: generated pack {p}\n");
        if p > 0 {
            pack.push_str(&format!("extends: pack-{:02}\n", p - 1));
        }
        pack.push_str("files:\n");
        for f in 0..10 {
            let src = format!("files/p{p:02}/f{f}.conf");
            write(
                &format!("packs/{src}"),
                &format!("# pack {p} file {f}\nkey = value\n"),
            );
            pack.push_str(&format!(
                "  - {{ path: ~/.config/p{p:02}/f{f}.conf, source: {src}, mode: \"0644\" }}\n"
            ));
        }
        pack.push_str(&format!(
            "directories:\n  - {{ path: ~/.config/p{p:02}, mode: \"0755\" }}\npackages:\n"
        ));
        for k in 0..10 {
            pack.push_str(&format!("  - pkg-{p:02}-{k}: \">= 1.{k}\"\n"));
        }
        let name = format!("packs/pack-{p:02}.yaml");
        write(&name, &pack);
        files.push(name);
    }
    commit_repo(dir, &[]);
    files
}
