//! `homelabcmd agent install --all` on 10 loopback sshd hosts beside ansible-playbook doing
//! the same in the same run (`cargo bench --bench agent_install`; needs root and
//! openssh-server; the peer needs `pip install ansible-core`, else it is skipped). Each run is
//! cold: a fresh process, fresh connections, nothing installed (everything removed between
//! runs, untimed). systemd cannot run here, so both start the agent as a background process
//! (`--init none`; in ansible: copy + template + command). homelabcmd is timed twice: with
//! its wait for every agent's first heartbeat at the real hub, and with `--no-wait` (the
//! same work as the playbook, which does not wait).

#[path = "common/mod.rs"]
mod common;
#[path = "../tests/common/sshd.rs"]
#[allow(dead_code)]
mod sshd;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, commit_repo, which};
use sshd::{SshFleet, Sudo};

const HOSTS: usize = 10;
const RUNS: usize = 3;

fn main() {
    let ssh = SshFleet::start(&[Sudo::NoPassword; HOSTS]);
    let dir = std::env::temp_dir().join(format!("homelabcmd-bench-agent-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let repo = dir.join("fleet");
    commit_repo(&repo, &[("fleet.yaml".into(), ssh.fleet_yaml(""))]);
    let mut trust = vec!["hosts", "trust", "--yes"];
    let ids: Vec<String> = ssh.hosts.iter().map(|h| h.name.clone()).collect();
    trust.extend(ids.iter().map(String::as_str));
    ok(Command::new(BIN).args(&trust).current_dir(&repo));
    ok(Command::new("git")
        .args(["add", "known_hosts"])
        .current_dir(&repo));
    ok(Command::new("git")
        .args(["-c", "user.name=b", "-c", "user.email=b@example.invalid"])
        .args(["commit", "-qm", "trust"])
        .current_dir(&repo));
    let (mut hub, url) = hub(&repo);
    let roots = dir.join("roots");
    let root = format!("{}/{{machine}}", roots.display());
    let agent = agent_binary();
    let agent_dir = agent.parent().unwrap().to_path_buf();
    let size = std::fs::metadata(&agent).unwrap().len();
    let remove = || {
        ok(Command::new(BIN)
            .current_dir(&repo)
            .args(["agent", "remove", "--all", "--root", &root]))
    };
    let install = |extra: &[&str]| {
        remove();
        let t = Instant::now();
        ok(Command::new(BIN)
            .current_dir(&repo)
            .args([
                "agent",
                "install",
                "--all",
                "--init",
                "none",
                "--root",
                &root,
                "--hub-url",
                &url,
                "--agent-dir",
                agent_dir.to_str().unwrap(),
            ])
            .args(extra));
        t.elapsed()
    };
    let waited: Vec<Duration> = (0..RUNS).map(|_| install(&[])).collect();
    let no_wait: Vec<Duration> = (0..RUNS).map(|_| install(&["--no-wait"])).collect();
    let ansible = which("ansible-playbook").then(|| {
        playbook(&dir, &ssh, &repo, &roots, &agent, &url);
        (0..RUNS)
            .map(|_| {
                remove();
                let t = Instant::now();
                ok(Command::new("ansible-playbook")
                    .current_dir(&dir)
                    .env("ANSIBLE_CONFIG", dir.join("ansible.cfg"))
                    .args([
                        "-i",
                        "inventory.ini",
                        "-f",
                        &HOSTS.to_string(),
                        "install.yml",
                    ]));
                t.elapsed()
            })
            .collect::<Vec<_>>()
    });
    remove();
    let _ = hub.kill();
    let _ = hub.wait();
    println!("agent binary: {} ({size} bytes)", agent.display());
    println!("| {HOSTS} hosts, cold, whole process | median | runs |\n|---|---|---|");
    let line = |name: &str, s: &[Duration]| {
        let mut s = s.to_vec();
        s.sort();
        let all: Vec<String> = s
            .iter()
            .map(|d| format!("{:.2} s", d.as_secs_f64()))
            .collect();
        println!(
            "| {name} | **{:.2} s** | {} |",
            s[s.len() / 2].as_secs_f64(),
            all.join(", ")
        );
    };
    line(
        "homelabcmd agent install --all (waits for 10 heartbeats)",
        &waited,
    );
    line("homelabcmd agent install --all --no-wait", &no_wait);
    match &ansible {
        Some(s) => line("ansible-playbook (copy + template + command)", s),
        None => println!("| ansible-playbook | not installed (pip install ansible-core) | |"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn ok(cmd: &mut Command) {
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
}

/// The static agent if it was built (`.ci/build-agent x86_64`), else this build's own.
fn agent_binary() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist/homelabcmd-agent-x86_64");
    if dist.is_file() {
        return dist;
    }
    Path::new(BIN).with_file_name("homelabcmd-agent")
}

/// The real hub on 127.0.0.1, with the fleet's database: (process, URL).
fn hub(repo: &Path) -> (Child, String) {
    let mut child = Command::new(BIN)
        .current_dir(repo)
        .args(["serve", "--host", "127.0.0.1", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut first).unwrap();
    // Keep reading what it prints, so that its writes never meet a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let port = first
        .split("listening on 127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no port in {first:?}"))
        .to_string();
    (child, format!("http://127.0.0.1:{port}"))
}

/// The equivalent playbook: directories, the binary (copy), the config with the token
/// (template, 0600), and the agent started in the background (command), through sudo.
fn playbook(dir: &Path, ssh: &SshFleet, repo: &Path, roots: &Path, agent: &Path, url: &str) {
    let key = ssh.key.display();
    let mut inventory = String::from("[fleet]\n");
    for h in &ssh.hosts {
        let token = Command::new(BIN)
            .current_dir(repo)
            .args(["agent", "token", &h.name])
            .output()
            .unwrap();
        inventory.push_str(&format!(
            "{} ansible_host={} ansible_port={} ansible_user={} ansible_ssh_private_key_file={key} root={} token={}\n",
            h.name, h.address, h.port, h.user, roots.join(&h.name).display(),
            String::from_utf8_lossy(&token.stdout).trim()
        ));
    }
    std::fs::write(dir.join("inventory.ini"), inventory).unwrap();
    std::fs::write(
        dir.join("ansible.cfg"),
        format!(
            "[defaults]\nhost_key_checking = True\ninterpreter_python = auto_silent\n[ssh_connection]\nssh_args = -o UserKnownHostsFile={} -o ControlMaster=no\n",
            repo.join("known_hosts").display()
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("agent.conf.j2"),
        format!("HOMELAB_AGENT_HUB_URL={url}\nHOMELAB_AGENT_API_KEY={{{{ token }}}}\nHOMELAB_AGENT_SERVER_ID={{{{ inventory_hostname }}}}\nHOMELAB_AGENT_STATE_DIR={{{{ root }}}}/var/lib/homelabcmd-agent\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("install.yml"),
        format!(
            r#"- hosts: all
  become: true
  gather_facts: false
  tasks:
    - file: {{ path: "{{{{ root }}}}/{{{{ item }}}}", state: directory }}
      loop: [usr/local/bin, etc/homelabcmd]
    - file: {{ path: "{{{{ root }}}}/var/lib/homelabcmd-agent", state: directory, mode: "0700" }}
    - copy: {{ src: "{agent}", dest: "{{{{ root }}}}/usr/local/bin/homelabcmd-agent", mode: "0755" }}
    - template: {{ src: agent.conf.j2, dest: "{{{{ root }}}}/etc/homelabcmd/agent.conf", mode: "0600" }}
    - shell: cd "{{{{ root }}}}/var/lib/homelabcmd-agent"; nohup setsid "{{{{ root }}}}/usr/local/bin/homelabcmd-agent" --config "{{{{ root }}}}/etc/homelabcmd/agent.conf" >> agent.log 2>&1 < /dev/null & echo $! > "{{{{ root }}}}/var/lib/homelabcmd-agent/agent.pid"
"#,
            agent = agent.display()
        ),
    )
    .unwrap();
}
