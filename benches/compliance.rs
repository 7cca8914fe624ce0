//! `homelabcmd diff --all` and `apply --all` beside ansible and pyinfra on the same loopback
//! sshd fleet in the same run (`cargo bench --bench compliance`; needs root, openssh-server,
//! sudo, `pip install ansible-core pyinfra` and python3-apt for the peers; a peer is timed only
//! when every run of it succeeds). The pack: 8 files and a directory in the SSH user's home,
//! 5 packages (already installed, so only checked); half of the 10 hosts drifted (a file
//! edited, one missing, one with the wrong mode).

#[path = "common/mod.rs"]
mod common;
#[path = "../tests/common/sshd.rs"]
#[allow(dead_code)]
mod sshd;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, commit_repo, ms, pct};
use sshd::{SshFleet, Sudo};

const HOSTS: usize = 10;
const PACKAGES: [&str; 5] = ["bash", "coreutils", "dpkg", "tar", "gzip"];

fn content(i: usize) -> String {
    (0..40)
        .map(|l| {
            format!(
                "# file {i} line {l}: some configuration value = {}\n",
                l * i
            )
        })
        .collect()
}

fn sh(cmd: &str, args: &[&str]) {
    assert!(
        Command::new(cmd).args(args).status().unwrap().success(),
        "{cmd} {args:?}"
    );
}

/// Put every host in its starting state: hosts 0-4 drifted, 5-9 compliant.
fn reset(ssh: &SshFleet) {
    for (n, h) in ssh.hosts.iter().enumerate() {
        let dir = h.home.join(".bench");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for i in 1..=8 {
            std::fs::write(dir.join(format!("f{i}.conf")), content(i)).unwrap();
        }
        if n < HOSTS / 2 {
            std::fs::write(dir.join("f1.conf"), "edited by hand\n").unwrap();
            std::fs::remove_file(dir.join("f2.conf")).unwrap();
        }
        sh("chmod", &["-R", "u=rwX,go=rX", dir.to_str().unwrap()]);
        if n < HOSTS / 2 {
            sh("chmod", &["0600", dir.join("f3.conf").to_str().unwrap()]);
        }
        sh(
            "chown",
            &["-R", &format!("{0}:{0}", h.user), dir.to_str().unwrap()],
        );
    }
}

fn timed(runs: usize, ssh: &SshFleet, reset_each: bool, mut f: impl FnMut()) -> Vec<Duration> {
    let mut out = Vec::new();
    for _ in 0..runs {
        if reset_each {
            reset(ssh);
        }
        let t = Instant::now();
        f();
        out.push(t.elapsed());
    }
    out.sort();
    out
}

fn run(cmd: &mut Command, ok_codes: &[i32]) {
    let out = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        ok_codes.contains(&code),
        "{cmd:?} exited {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn main() {
    let ssh = SshFleet::start(&[Sudo::NoPassword; HOSTS]);
    let root = std::env::temp_dir().join(format!(
        "homelabcmd-bench-compliance-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&root);
    let repo = root.join("fleet");
    let mut pack = String::from("description: bench\nfiles:\n");
    let mut files = vec![];
    for i in 1..=8 {
        pack.push_str(&format!(
            "  - {{ path: ~/.bench/f{i}.conf, source: files/f{i}.conf, mode: \"0644\" }}\n"
        ));
        files.push((format!("packs/files/f{i}.conf"), content(i)));
    }
    pack.push_str("directories:\n  - { path: ~/.bench, mode: \"0755\" }\npackages:\n");
    for p in PACKAGES {
        pack.push_str(&format!("  - {p}\n"));
    }
    files.push(("packs/bench.yaml".into(), pack));
    files.push((
        "fleet.yaml".into(),
        ssh.fleet_yaml("")
            .replace("    ssh: {", "    packs: [bench]\n    ssh: {"),
    ));
    commit_repo(&repo, &files);
    let mut trust = vec!["hosts".to_string(), "trust".into(), "--yes".into()];
    trust.extend(ssh.hosts.iter().map(|h| h.name.clone()));
    run(Command::new(BIN).args(&trust).current_dir(&repo), &[0]);
    for args in [
        &["add", "known_hosts"][..],
        &[
            "-c",
            "user.name=b",
            "-c",
            "user.email=b@example.invalid",
            "commit",
            "-qm",
            "trust",
        ],
    ] {
        run(Command::new("git").args(args).current_dir(&repo), &[0]);
    }
    let known = repo.join("known_hosts");
    let key = ssh.key.display().to_string();

    // ansible: the same pack as a playbook.
    let mut inventory = String::from("[fleet]\n");
    let mut pyinv = String::from("hosts = [\n");
    for h in &ssh.hosts {
        inventory.push_str(&format!(
            "{} ansible_host={} ansible_port={} ansible_user={} ansible_ssh_private_key_file={key} ansible_python_interpreter=/usr/bin/python3\n",
            h.name, h.address, h.port, h.user
        ));
        pyinv.push_str(&format!(
            "    (\"{}\", {{\"ssh_hostname\": \"{}\", \"ssh_port\": {}, \"ssh_user\": \"{}\", \"ssh_key\": \"{key}\", \"ssh_known_hosts_file\": \"{}\"}}),\n",
            h.name, h.address, h.port, h.user, known.display()
        ));
    }
    pyinv.push_str("]\n");
    let mut playbook = String::from(
        "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.file: { path: ~/.bench, state: directory, mode: \"0755\" }\n",
    );
    let mut deploy = String::from(
        "from pyinfra.operations import apt, files\nfiles.directory(path=\".bench\", mode=\"755\")\n",
    );
    for i in 1..=8 {
        let src = repo.join(format!("packs/files/f{i}.conf"));
        playbook.push_str(&format!(
            "    - ansible.builtin.copy: {{ src: {}, dest: ~/.bench/f{i}.conf, mode: \"0644\" }}\n",
            src.display()
        ));
        deploy.push_str(&format!(
            "files.put(src=\"{}\", dest=\".bench/f{i}.conf\", mode=\"644\")\n",
            src.display()
        ));
    }
    playbook.push_str(&format!(
        "    - ansible.builtin.apt: {{ name: [{}], state: present }}\n      become: true\n",
        PACKAGES.join(", ")
    ));
    deploy.push_str(&format!(
        "apt.packages(packages={PACKAGES:?}, _sudo=True)\n"
    ));
    std::fs::write(root.join("inventory.ini"), inventory).unwrap();
    std::fs::write(root.join("inventory.py"), pyinv).unwrap();
    std::fs::write(root.join("playbook.yml"), playbook).unwrap();
    std::fs::write(root.join("deploy.py"), deploy).unwrap();
    std::fs::write(
        root.join("ansible.cfg"),
        format!(
            "[defaults]\nhost_key_checking = True\nforks = {HOSTS}\n[ssh_connection]\npipelining = True\nssh_args = -o UserKnownHostsFile={} -o ControlMaster=auto -o ControlPersist=10s\n",
            known.display()
        ),
    )
    .unwrap();
    // ansible as its users tune it: pipelining, and one SSH master connection per host reused
    // by every task of a run; each run gets a fresh control directory, so it starts cold.
    let runs = std::cell::Cell::new(0);
    let ansible = |check: bool| {
        runs.set(runs.get() + 1);
        let control = root.join(format!("cp{}", runs.get()));
        let mut c = Command::new("ansible-playbook");
        c.current_dir(&root)
            .env("ANSIBLE_CONFIG", root.join("ansible.cfg"))
            .env("ANSIBLE_SSH_CONTROL_PATH_DIR", control)
            .args(["-i", "inventory.ini", "playbook.yml"]);
        if check {
            c.args(["--check", "--diff"]);
        }
        c
    };
    let pyinfra = |dry: bool| {
        let mut c = Command::new("pyinfra");
        c.current_dir(&root).args([
            "-y",
            "--parallel",
            &HOSTS.to_string(),
            "inventory.py",
            "deploy.py",
        ]);
        if dry {
            c.args(["--dry", "--diff"]);
        }
        c
    };
    let have = |p: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {p}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };

    reset(&ssh);
    let ours_diff = timed(10, &ssh, false, || {
        run(
            Command::new(BIN).current_dir(&repo).args(["diff", "--all"]),
            &[1],
        )
    });
    let ours_apply = timed(5, &ssh, true, || {
        run(
            Command::new(BIN)
                .current_dir(&repo)
                .args(["apply", "--all", "--yes"]),
            &[0],
        )
    });
    // A peer's time counts only when its run succeeded: `run` panics on any other exit code
    // (ansible's 2 means failed hosts). Its apt module needs python3-apt on the target, or it
    // tries to install it with `apt-get update` (no network here) and fails.
    let apt_for_ansible = Command::new("/usr/bin/python3")
        .args(["-c", "import apt"])
        .output()
        .is_ok_and(|o| o.status.success());
    if have("ansible-playbook") && !apt_for_ansible {
        eprintln!("ansible: not timed: python3-apt is missing (apt-get install python3-apt)");
    }
    let ans = (have("ansible-playbook") && apt_for_ansible).then(|| {
        (
            timed(3, &ssh, true, || run(&mut ansible(true), &[0])),
            timed(3, &ssh, true, || run(&mut ansible(false), &[0])),
        )
    });
    let py = have("pyinfra").then(|| {
        (
            timed(3, &ssh, true, || run(&mut pyinfra(true), &[0])),
            timed(3, &ssh, true, || run(&mut pyinfra(false), &[0])),
        )
    });
    println!("| 10 hosts, 5 drifted | check (diff) | apply |\n|---|---|---|");
    println!(
        "| homelabcmd `diff --all` / `apply --all --yes` | **{}** | **{}** |",
        ms(pct(&ours_diff, 0.5)),
        ms(pct(&ours_apply, 0.5))
    );
    let cell = |s: &Option<(Vec<Duration>, Vec<Duration>)>, i: usize| {
        s.as_ref().map_or("not installed".into(), |(a, b)| {
            ms(pct(if i == 0 { a } else { b }, 0.5))
        })
    };
    println!(
        "| ansible-playbook `--check --diff` / run | {} | {} |",
        cell(&ans, 0),
        cell(&ans, 1)
    );
    println!(
        "| pyinfra `--dry --diff` / run | {} | {} |",
        cell(&py, 0),
        cell(&py, 1)
    );
    println!(
        "(medians: homelabcmd 10 diffs and 5 applies, peers 3 each; every apply starts from the same drift)"
    );
    let _ = std::fs::remove_dir_all(&root);
}
