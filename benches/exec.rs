//! `homelabcmd exec` beside its peers on the same loopback sshd fleet in the same run
//! (`cargo bench --bench exec`; needs root, openssh-server, and for the peers `pip install
//! ansible-core pyinfra`): `uptime` on 1 and on 10 cold hosts, with `homelabcmd exec`; plain
//! OpenSSH `ssh host uptime`, one process per host started in parallel; `ansible -m command -a
//! uptime` (forks = hosts); and `pyinfra … exec -- uptime`. Each run is a fresh process with
//! fresh connections (cold), as from cron.

#[path = "common/mod.rs"]
mod common;
#[path = "../tests/common/sshd.rs"]
#[allow(dead_code)]
mod sshd;

use std::process::{Command, Stdio};

use common::{BIN, commit_repo, ms, pct, time, which};
use sshd::{SshFleet, Sudo};

const RUNS: usize = 15;

fn main() {
    let ssh = SshFleet::start(&[Sudo::None; 10]);
    let root = std::env::temp_dir().join(format!("homelabcmd-bench-exec-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let repo = root.join("fleet");
    commit_repo(&repo, &[("fleet.yaml".into(), ssh.fleet_yaml(""))]);
    let ids: Vec<String> = ssh.hosts.iter().map(|h| h.name.clone()).collect();
    let mut trust = vec!["hosts".to_string(), "trust".into(), "--yes".into()];
    trust.extend(ids.iter().cloned());
    assert!(
        Command::new(BIN)
            .args(&trust)
            .current_dir(&repo)
            .output()
            .unwrap()
            .status
            .success()
    );
    let known = repo.join("known_hosts");
    for args in [
        &["add", "known_hosts"][..],
        &[
            "-c",
            "user.name=bench",
            "-c",
            "user.email=b@example.invalid",
            "commit",
            "-qm",
            "trust",
        ],
    ] {
        assert!(
            Command::new("git")
                .args(args)
                .current_dir(&repo)
                .output()
                .unwrap()
                .status
                .success()
        );
    }
    let quiet = |cmd: &mut Command| {
        let out = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };

    // Peers' configuration: an ansible inventory and a pyinfra inventory for the same hosts.
    let key = ssh.key.display().to_string();
    let mut inventory = String::from("[fleet]\n");
    let mut pyinv = String::from("hosts = [\n");
    for h in &ssh.hosts {
        inventory.push_str(&format!(
            "{} ansible_host={} ansible_port={} ansible_user={} ansible_ssh_private_key_file={key}\n",
            h.name, h.address, h.port, h.user
        ));
        pyinv.push_str(&format!(
            "    (\"{}\", {{\"ssh_hostname\": \"{}\", \"ssh_port\": {}, \"ssh_user\": \"{}\", \"ssh_key\": \"{key}\", \"ssh_known_hosts_file\": \"{}\"}}),\n",
            h.name, h.address, h.port, h.user, known.display()
        ));
    }
    pyinv.push_str("]\n");
    std::fs::write(root.join("inventory.ini"), &inventory).unwrap();
    std::fs::write(root.join("inventory.py"), &pyinv).unwrap();
    std::fs::write(
        root.join("ansible.cfg"),
        format!("[defaults]\nhost_key_checking = True\ninterpreter_python = auto_silent\n[ssh_connection]\nssh_args = -o UserKnownHostsFile={} -o ControlMaster=no\n", known.display()),
    )
    .unwrap();

    let mut rows = Vec::new();
    for n in [1usize, 10] {
        let hosts = &ssh.hosts[..n];
        let ours = time(RUNS, || {
            let mut cmd = Command::new(BIN);
            cmd.current_dir(&repo).arg("exec");
            if n == 1 {
                cmd.args([hosts[0].name.as_str(), "uptime"]);
            } else {
                cmd.args(["--all", "uptime"]);
            }
            quiet(&mut cmd);
        });
        let openssh = time(RUNS, || {
            let children: Vec<_> = hosts
                .iter()
                .map(|h| {
                    Command::new("ssh")
                        .args([
                            "-i",
                            &key,
                            "-p",
                            &h.port.to_string(),
                            "-o",
                            "BatchMode=yes",
                            "-o",
                        ])
                        .arg(format!("UserKnownHostsFile={}", known.display()))
                        .args([
                            "-o",
                            "StrictHostKeyChecking=yes",
                            &format!("{}@{}", h.user, h.address),
                            "uptime",
                        ])
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .spawn()
                        .unwrap()
                })
                .collect();
            for mut c in children {
                assert!(c.wait().unwrap().success());
            }
        });
        let pattern = if n == 1 {
            hosts[0].name.clone()
        } else {
            "all".into()
        };
        let ansible = which("ansible").then(|| {
            time(RUNS.min(8), || {
                quiet(
                    Command::new("ansible")
                        .current_dir(&root)
                        .env("ANSIBLE_CONFIG", root.join("ansible.cfg"))
                        .args([
                            &pattern,
                            "-i",
                            "inventory.ini",
                            "-m",
                            "command",
                            "-a",
                            "uptime",
                            "-f",
                            &n.to_string(),
                        ]),
                )
            })
        });
        let pyinfra = which("pyinfra").then(|| {
            time(RUNS.min(8), || {
                let mut cmd = Command::new("pyinfra");
                cmd.current_dir(&root).args(["-y", "inventory.py"]);
                if n == 1 {
                    cmd.args(["--limit", &hosts[0].name]);
                }
                cmd.args(["--parallel", &n.to_string(), "exec", "--", "uptime"]);
                quiet(&mut cmd)
            })
        });
        rows.push((n, ours, openssh, ansible, pyinfra));
    }
    println!(
        "| hosts | homelabcmd exec | parallel OpenSSH `ssh` | ansible -m command | pyinfra exec |\n|---|---|---|---|---|"
    );
    for (n, ours, openssh, ansible, pyinfra) in &rows {
        let cell = |s: &Option<Vec<std::time::Duration>>| {
            s.as_ref()
                .map_or("not installed".into(), |s| ms(pct(s, 0.5)))
        };
        println!(
            "| {n} | **{}** | {} | {} | {} |",
            ms(pct(ours, 0.5)),
            ms(pct(openssh, 0.5)),
            cell(ansible),
            cell(pyinfra)
        );
    }
    println!(
        "(medians of {RUNS} runs for homelabcmd and OpenSSH, {} for ansible and pyinfra)",
        RUNS.min(8)
    );
    let _ = std::fs::remove_dir_all(&root);
}
