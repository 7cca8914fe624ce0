//! `agent install|upgrade|remove|status` against real OpenSSH servers on loopback and the
//! real hub: the real agent installed (without systemd: `--init none`, a background process)
//! reports to the hub; a second install changes nothing; upgrade, remove, reinstall; a
//! wrong sudo password changes nothing; another architecture gets its own binary or a
//! refusal naming the build command; the systemd path's files and `systemctl` calls (a
//! stand-in `systemctl` that records its arguments: systemd cannot run in this container).
//! Hosts share one filesystem, so each installs under its own `--root DIR/{machine}`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common::sshd::{SshFleet, Sudo};
use crate::common::{Hub, TestEnv};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A fleet repository for `ssh`'s hosts, host keys trusted, `secrets` set (name, value).
fn trusted(ssh: &SshFleet, yaml: &str, secrets: &[(&str, &str)]) -> TestEnv {
    let env = TestEnv::with_files(&[("fleet.yaml", yaml)]);
    if !secrets.is_empty() {
        env.run(&["secrets", "init"]).code(0);
    }
    for (name, value) in secrets {
        env.set_secret(name, value);
    }
    if !secrets.is_empty() {
        env.commit("the secrets");
    }
    let ids: Vec<&str> = ssh.hosts.iter().map(|h| h.name.as_str()).collect();
    let mut args = vec!["hosts", "trust", "--yes"];
    args.extend(&ids);
    env.run(&args).code(0);
    env.commit("trust the hosts");
    env
}

/// Stops, when dropped, any agent a failed test left running under `root` (it runs as
/// root, so the host's teardown, which ends its user's processes, would miss it).
struct Roots(PathBuf);

impl Drop for Roots {
    fn drop(&mut self) {
        let Ok(dirs) = std::fs::read_dir(&self.0) else {
            return;
        };
        for dir in dirs.flatten() {
            let pid = dir.path().join("var/lib/homelabcmd-agent/agent.pid");
            if let Ok(pid) = std::fs::read_to_string(pid) {
                let _ = std::process::Command::new("kill").arg(pid.trim()).status();
            }
        }
    }
}

/// The agent's pid under `root`, if it runs.
fn running(root: &Path) -> Option<String> {
    let pid = std::fs::read_to_string(root.join("var/lib/homelabcmd-agent/agent.pid")).ok()?;
    let alive = std::process::Command::new("kill")
        .args(["-0", pid.trim()])
        .status()
        .is_ok_and(|s| s.success());
    alive.then(|| pid.trim().to_string())
}

/// Wait until the wall clock is in a later second than now: the hub keeps `last_seen` in
/// whole seconds, and a new heartbeat is told apart from the last one by it.
fn next_second() {
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    };
    let start = now();
    while now() == start {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// (machine, change, heartbeat state) of each result.
fn changes(doc: &serde_json::Value) -> Vec<(String, String, String)> {
    doc["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["machine"].as_str().unwrap_or("?").to_string(),
                r["change"].as_str().unwrap_or("-").to_string(),
                r["heartbeat"]["state"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect()
}

fn row(machine: &str, change: &str, heartbeat: &str) -> (String, String, String) {
    (machine.into(), change.into(), heartbeat.into())
}

#[test]
fn install_reports_to_the_hub_then_upgrade_remove_and_reinstall() {
    let ssh = SshFleet::start(&[Sudo::NoPassword, Sudo::Password("agent sudo pw")]);
    let yaml = ssh.fleet_yaml("").replace(
        &format!("port: {}, identity", ssh.hosts[1].port),
        &format!(
            "port: {}, sudo_password: secret:host2_sudo, identity",
            ssh.hosts[1].port
        ),
    );
    let env = trusted(&ssh, &yaml, &[("host2_sudo", "agent sudo pw")]);
    let hub = Hub::start(&env, None, &[]);
    let roots = Roots(env.home.join("roots"));
    let root = format!("{}/{{machine}}", roots.0.display());
    let url = hub.url();
    let install = |extra: &[&str]| {
        let mut args = vec!["agent", "install", "--init", "none", "--root", &root];
        args.extend(["--hub-url", &url, "-o", "json"]);
        args.extend(extra);
        let mut cmd = env.cmd(&args);
        cmd.env_remove("HOMELABCMD_NOW"); // the hub's clock is the real one
        crate::common::run(cmd)
    };

    let run = install(&["--all"]);
    run.code(0);
    let doc = run.json();
    assert_eq!(
        changes(&doc),
        [
            row("host1", "installed", "arrived"),
            row("host2", "installed", "arrived")
        ]
    );
    for r in doc["results"].as_array().unwrap() {
        assert_eq!(
            (&r["arch"], &r["init"], &r["version"]),
            (&"x86_64".into(), &"none".into(), &VERSION.into())
        );
    }
    // The config holds the machine's token, readable by root only.
    let token = env
        .run(&["agent", "token", "host2"])
        .stdout
        .trim()
        .to_string();
    let host2 = roots.0.join("host2");
    let config = host2.join("etc/homelabcmd/agent.conf");
    assert_eq!(
        std::fs::metadata(&config).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        format!(
            "# Written by `homelabcmd agent install`; rewritten by the next install.\n\
             HOMELAB_AGENT_HUB_URL={url}\nHOMELAB_AGENT_API_KEY={token}\n\
             HOMELAB_AGENT_SERVER_ID=host2\nHOMELAB_AGENT_STATE_DIR={}/var/lib/homelabcmd-agent\n",
            host2.display()
        )
    );
    let pid1 = running(&roots.0.join("host1")).expect("host1's agent runs");

    // Again: nothing differs, nothing is done.
    let run = install(&["--all"]);
    run.code(0);
    assert_eq!(
        changes(&run.json()),
        [
            row("host1", "unchanged", "not-awaited"),
            row("host2", "unchanged", "not-awaited")
        ]
    );
    assert_eq!(
        running(&roots.0.join("host1")).as_deref(),
        Some(pid1.as_str())
    );

    // The store's view: both report this build's version.
    let status = env.run(&["agent", "status", "-o", "json"]).json();
    for m in status["machines"].as_array().unwrap() {
        assert_eq!(
            (&m["version"], &m["current"]),
            (&VERSION.into(), &true.into())
        );
        assert!(m["last_heartbeat"].is_i64(), "{m}");
    }

    // host1 runs an older agent: upgrade replaces it there only.
    let bin = roots.0.join("host1/usr/local/bin/homelabcmd-agent");
    std::fs::remove_file(&bin).unwrap(); // it runs: replaced, not written into
    std::fs::write(
        &bin,
        "#!/bin/sh\necho 'homelabcmd-agent 0.0.9 (heartbeat protocol 1)'\n",
    )
    .unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    next_second();
    let mut cmd = env.cmd(&[
        "agent",
        "upgrade",
        "--all",
        "--init",
        "none",
        "--root",
        &root,
        "--hub-url",
        &url,
        "-o",
        "json",
    ]);
    cmd.env_remove("HOMELABCMD_NOW");
    let run = crate::common::run(cmd);
    run.code(0);
    let doc = run.json();
    assert_eq!(
        changes(&doc),
        [
            row("host1", "upgraded", "arrived"),
            row("host2", "up-to-date", "not-awaited")
        ]
    );
    assert_eq!(doc["results"][0]["version_before"], "0.0.9");
    assert_ne!(running(&roots.0.join("host1")), Some(pid1));

    let probe = env
        .run(&["agent", "status", "--probe", "--root", &root, "-o", "json"])
        .json();
    for m in probe["machines"].as_array().unwrap() {
        assert_eq!(
            (&m["installed"], &m["version"], &m["running"]),
            (&true.into(), &VERSION.into(), &"process".into())
        );
    }

    // Remove: nothing is left, and the agent is stopped. Twice: the second finds nothing.
    let run = env.run(&["agent", "remove", "--all", "--root", &root, "-o", "json"]);
    run.code(0);
    assert_eq!(
        changes(&run.json()),
        [
            row("host1", "removed", "not-awaited"),
            row("host2", "removed", "not-awaited")
        ]
    );
    for host in ["host1", "host2"] {
        let dir = roots.0.join(host);
        assert_eq!(running(&dir), None);
        for path in [
            "usr/local/bin/homelabcmd-agent",
            "etc/homelabcmd",
            "var/lib/homelabcmd-agent",
        ] {
            assert!(!dir.join(path).exists(), "{host}: {path} is left");
        }
    }
    let run = env.run(&["agent", "remove", "host1", "--root", &root, "-o", "json"]);
    run.code(0);
    assert_eq!(
        changes(&run.json()),
        [row("host1", "not-installed", "not-awaited")]
    );
    let probe = env
        .run(&[
            "agent", "status", "host1", "--probe", "--root", &root, "-o", "json",
        ])
        .json();
    assert_eq!(probe["machines"][0]["installed"], false);

    // Reinstall host1: a new heartbeat reaches the hub.
    next_second();
    let run = install(&["host1"]);
    run.code(0);
    assert_eq!(changes(&run.json()), [row("host1", "installed", "arrived")]);

    // One audit entry per machine and run, in a verified chain, without the tokens or the
    // sudo password.
    let audit = env.run(&["audit", "--limit", "100", "-o", "json"]);
    let entries = audit.json()["entries"].as_array().unwrap().clone();
    let agent: Vec<(String, String)> = entries
        .iter()
        .filter(|e| e["action"] == "agent")
        .map(|e| {
            (
                e["machine"].as_str().unwrap().to_string(),
                e["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(agent.len(), 2 + 2 + 2 + 2 + 1 + 1, "{agent:?}");
    assert_eq!(agent[0], ("host1".to_string(), "install".to_string()));
    let shown = env.run(&["audit", "show", &entries[0]["id"].to_string()]);
    for text in [&audit.stdout, &shown.stdout] {
        assert!(!text.contains(&token), "{text}");
        assert!(!text.contains("agent sudo pw"), "{text}");
    }
    env.run(&["audit", "verify"]).code(0);
    env.run(&["agent", "remove", "--all", "--root", &root])
        .code(0);
}

#[test]
fn a_wrong_sudo_password_is_refused_and_changes_nothing() {
    let ssh = SshFleet::start(&[Sudo::Password("the right one")]);
    let yaml = ssh
        .fleet_yaml("")
        .replace("identity:", "sudo_password: secret:host1_sudo, identity:");
    let env = trusted(&ssh, &yaml, &[("host1_sudo", "a wrong one")]);
    let roots = Roots(env.home.join("roots"));
    let root = format!("{}/{{machine}}", roots.0.display());
    let run = env.run(&[
        "agent",
        "install",
        "host1",
        "--init",
        "none",
        "--root",
        &root,
        "--hub-url",
        "http://127.0.0.1:9",
    ]);
    run.code(4);
    assert!(
        run.stderr
            .starts_with("host1: sudo refused on host1: sudo: no password was provided\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint: give the user passwordless sudo"),
        "{}",
        run.stderr
    );
    assert!(!roots.0.exists(), "nothing is written");
    assert!(!run.stderr.contains("a wrong one"));
}

/// A stand-in `systemctl` (systemd cannot run here): records each call in `calls`, and
/// answers `is-active` from a flag that start/restart set and stop/disable clear.
fn fake_systemctl(bin: &Path) -> PathBuf {
    let calls = bin.join("systemctl.calls");
    let script = format!(
        "#!/bin/sh\necho \"$*\" >> '{calls}'\nflag='{flag}'\n\
         case \"$1\" in\n  is-active) [ -f \"$flag\" ] ;;\n  start|restart) touch \"$flag\" ;;\n\
         disable|stop) rm -f \"$flag\" ;;\nesac\n",
        calls = calls.display(),
        flag = bin.join("systemctl.active").display()
    );
    let path = bin.join("systemctl");
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    calls
}

#[test]
fn another_architecture_gets_its_binary_through_systemd_or_a_refusal_naming_the_build() {
    let ssh = SshFleet::start(&[Sudo::NoPassword]);
    let bin = ssh.hosts[0].bin_dir();
    std::fs::write(
        bin.join("uname"),
        "#!/bin/sh\n[ \"$1\" = -m ] && { echo aarch64; exit 0; }\nexec /bin/uname \"$@\"\n",
    )
    .unwrap();
    std::fs::set_permissions(bin.join("uname"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let calls = fake_systemctl(&bin);
    let env = trusted(&ssh, &ssh.fleet_yaml(""), &[]);
    let roots = Roots(env.home.join("roots"));
    let root = format!("{}/{{machine}}", roots.0.display());
    let agents = env.home.join("agents");
    std::fs::create_dir_all(&agents).unwrap();
    let args = [
        "agent",
        "install",
        "host1",
        "--init",
        "systemd",
        "--no-wait",
        "--root",
        &root,
        "--hub-url",
        "http://127.0.0.1:9",
        "--agent-dir",
        agents.to_str().unwrap(),
    ];

    // No aarch64 build: refused, naming the command that builds it.
    let run = env.run(&args);
    run.code(4);
    assert!(
        run.stderr.contains(&format!(
            "host1: no agent binary for aarch64: {}/homelabcmd-agent-aarch64 does not exist (build it with `.ci/build-agent aarch64`)",
            agents.display()
        )),
        "{}",
        run.stderr
    );
    assert!(!roots.0.exists());

    // With one, that is the binary the machine gets, and systemd is told.
    let marker = "#!/bin/sh\necho 'homelabcmd-agent marker-aarch64'\n";
    std::fs::write(agents.join("homelabcmd-agent-aarch64"), marker).unwrap();
    let run = env.run(&args);
    run.code(0);
    assert!(
        run.stdout
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("host1    aarch64  installed")),
        "{}",
        run.stdout
    );
    let dir = roots.0.join("host1");
    assert_eq!(
        std::fs::read_to_string(dir.join("usr/local/bin/homelabcmd-agent")).unwrap(),
        marker
    );
    let unit =
        std::fs::read_to_string(dir.join("etc/systemd/system/homelabcmd-agent.service")).unwrap();
    assert!(
        unit.contains(&format!(
            "\nExecStart={}/usr/local/bin/homelabcmd-agent\n",
            dir.display()
        )),
        "{unit}"
    );
    assert_eq!(
        std::fs::read_to_string(&calls).unwrap(),
        "daemon-reload\nenable --quiet homelabcmd-agent\nrestart homelabcmd-agent\n"
    );
    // Again: unchanged (only the probe's is-active asked).
    let run = env.run(&args);
    run.code(0);
    assert!(run.stdout.contains("unchanged"), "{}", run.stdout);
    let run = env.run(&["agent", "remove", "host1", "--root", &root]);
    run.code(0);
    assert_eq!(
        std::fs::read_to_string(&calls).unwrap(),
        "daemon-reload\nenable --quiet homelabcmd-agent\nrestart homelabcmd-agent\n\
         is-active --quiet homelabcmd-agent\nis-active --quiet homelabcmd-agent\n\
         disable --now --quiet homelabcmd-agent\ndaemon-reload\n"
    );
    assert!(
        !dir.join("etc/systemd/system/homelabcmd-agent.service")
            .exists()
    );
    assert!(!dir.join("usr/local/bin/homelabcmd-agent").exists());
}

/// The static x86_64 agent (`.ci/build-agent x86_64`, which .ci/run runs before the tests)
/// runs on this host without any shared library, and stays under 5 MB. Skipped, saying so,
/// when it was not built (a local `cargo test` without .ci/run).
#[test]
fn the_static_agent_runs_here_without_shared_libraries() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist/homelabcmd-agent-x86_64");
    if !path.is_file() {
        println!(
            "skipped: {} is absent (build it with `.ci/build-agent x86_64`)",
            path.display()
        );
        return;
    }
    let ldd = std::process::Command::new("ldd")
        .arg(&path)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&ldd.stdout),
        String::from_utf8_lossy(&ldd.stderr)
    );
    assert!(
        ["statically linked", "not a dynamic executable"]
            .iter()
            .any(|s| said.trim() == *s),
        "ldd: {said}"
    );
    let version = std::process::Command::new(&path)
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        format!("homelabcmd-agent {VERSION} (heartbeat protocol 1)\n")
    );
    // One sample of this machine, collected by the static binary.
    let state = tempfile::tempdir().unwrap();
    let print = std::process::Command::new(&path)
        .arg("--print")
        .env_clear()
        .env("HOMELAB_AGENT_STATE_DIR", state.path())
        .output()
        .unwrap();
    assert!(
        print.status.success(),
        "{}",
        String::from_utf8_lossy(&print.stderr)
    );
    let sample: serde_json::Value = serde_json::from_slice(&print.stdout).unwrap();
    assert_eq!(sample["os"]["arch"], "x86_64");
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size < 5_000_000, "{size} bytes");
}

#[test]
fn without_systemd_auto_refuses_and_an_unreachable_machine_fails_alone() {
    let mut ssh = SshFleet::start(&[Sudo::NoPassword, Sudo::NoPassword]);
    let env = trusted(&ssh, &ssh.fleet_yaml(""), &[]);
    let roots = Roots(env.home.join("roots"));
    let root = format!("{}/{{machine}}", roots.0.display());
    let args = |init: &'static str| {
        vec![
            "agent".to_string(),
            "install".into(),
            "--all".into(),
            "--no-wait".into(),
            "--init".into(),
            init.into(),
            "--root".into(),
            root.clone(),
            "--hub-url".into(),
            "http://127.0.0.1:9".into(),
        ]
    };
    let auto = args("auto");
    let run = env.run(&auto.iter().map(String::as_str).collect::<Vec<_>>());
    run.code(4);
    assert!(
        run.stderr.starts_with(
            "host1: systemd is not running there (no /run/systemd/system)\n\
             host2: systemd is not running there (no /run/systemd/system)\n\
             error: 2 of 2 machines failed\n\
             hint: for a machine without systemd (a container), `--init none` runs the agent as a background process\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!roots.0.exists());

    ssh.hosts[1].stop();
    let none = args("none");
    let run = env.run(&none.iter().map(String::as_str).collect::<Vec<_>>());
    run.code(3);
    assert!(
        run.stderr.starts_with(&format!(
            "host2: connection refused by {}:{} (is sshd running?)\nerror: 1 of 2 machines failed\n",
            ssh.hosts[1].address, ssh.hosts[1].port
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("host1") && l.contains("installed"))
    );
    assert!(running(&roots.0.join("host1")).is_some());
    env.run(&["agent", "remove", "host1", "--root", &root])
        .code(0);
}
