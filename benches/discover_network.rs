//! `homelabcmd discover network` beside nmap's connect scan on the same loopback /24 in the
//! same run (`cargo bench --bench discover_network`; needs root, openssh-server and
//! `apt-get install nmap`): 127.0.1.0/24 with a few real sshd hosts (tests/common/sshd.rs) on
//! their own ports, every other address closed. Both probe the same ports on all 254 hosts:
//! nmap with `-Pn` (no host discovery: homelabcmd has none either), `-sT` (connect, as
//! homelabcmd does without root); each with and without reverse DNS. nmap's default resolves
//! every host it thinks up (with -Pn: all 254); homelabcmd resolves only hosts with an open
//! port. nmap's everyday form (host discovery on, its defaults) is shown too.

#[path = "common/mod.rs"]
mod common;
#[path = "../tests/common/sshd.rs"]
#[allow(dead_code)]
mod sshd;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{BIN, commit_repo, ms, pct, time};
use sshd::{SshFleet, Sudo};

const RUNS: usize = 10;
const RANGE: &str = "127.0.1.0/24";

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.stderr(Stdio::piped()).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn main() {
    let ssh = SshFleet::start(&[Sudo::None; 4]);
    assert!(
        ssh.hosts.iter().all(|h| h.address.starts_with("127.0.1.")),
        "the sshd hosts are outside {RANGE}"
    );
    let ports: Vec<String> = ssh.hosts.iter().map(|h| h.port.to_string()).collect();
    let ports = ports.join(",");
    let root = std::env::temp_dir().join(format!("homelabcmd-bench-net-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let repo = root.join("fleet");
    commit_repo(&repo, &[("fleet.yaml".into(), common::small_fleet(3))]);
    let ours = |dns: bool| {
        let mut cmd = Command::new(BIN);
        cmd.args([
            "discover", "network", RANGE, "--ports", &ports, "-o", "json",
        ])
        .current_dir(&repo);
        if !dns {
            cmd.arg("--no-dns");
        }
        cmd
    };
    let nmap = |extra: &[&str]| {
        let mut cmd = Command::new("nmap");
        cmd.args(["-sT", "-p", &ports, "-oG", "-"])
            .args(extra)
            .arg(RANGE);
        cmd
    };
    // Both find the same hosts.
    let found = run_ok(&mut ours(false));
    let found: serde_json::Value = serde_json::from_str(&found).unwrap();
    assert_eq!(
        found["candidates"].as_array().unwrap().len(),
        ssh.hosts.len()
    );
    let has_nmap = Command::new("nmap").arg("--version").output().is_ok();
    if has_nmap {
        let grep = run_ok(&mut nmap(&["-Pn", "-n"]));
        let open = grep.lines().filter(|l| l.contains("/open/")).count();
        assert_eq!(open, ssh.hosts.len(), "{grep}");
    }
    let mut rows: Vec<(&str, Vec<Duration>)> = Vec::new();
    let mut bench = |name: &'static str, make: &dyn Fn() -> Command| {
        let samples = time(RUNS, || {
            run_ok(&mut make());
        });
        rows.push((name, samples));
    };
    bench("homelabcmd discover network --no-dns", &|| ours(false));
    if has_nmap {
        bench("nmap -sT -Pn -n", &|| nmap(&["-Pn", "-n"]));
    }
    bench("homelabcmd discover network (PTR of open hosts)", &|| {
        ours(true)
    });
    if has_nmap {
        bench("nmap -sT -Pn (PTR of all 254)", &|| nmap(&["-Pn"]));
        bench("nmap -sT (host discovery, its defaults)", &|| nmap(&[]));
    }
    println!(
        "{RANGE}, {} ports ({} sshd, the rest closed), {RUNS} runs each after 5 warm-ups",
        ports.split(',').count(),
        ssh.hosts.len()
    );
    println!("| run | median | p90 | min |\n|---|---|---|---|");
    for (name, s) in &rows {
        println!(
            "| {name} | {} | {} | {} |",
            ms(pct(s, 0.5)),
            ms(pct(s, 0.9)),
            ms(s[0])
        );
    }
    if !has_nmap {
        println!("nmap is not installed: `apt-get install nmap` for the comparison");
    }
    let _ = std::fs::remove_dir_all(&root);
}
