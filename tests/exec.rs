//! `exec` and `hosts trust` against real OpenSSH servers on loopback (tests/common/sshd.rs):
//! one and many hosts, a stopped host, unknown and changed host keys, wrong credentials,
//! sudo, a command timeout, and injection attempts refused before any connection.

use crate::common::TestEnv;
use crate::common::sshd::{SshFleet, Sudo};

const COMMANDS: &str = "commands:
  whoami-root: { run: \"id -u\", sudo: true }
  sleepy: { run: \"sleep 5\" }
  echo-word:
    run: \"echo {word}\"
    params: { word: { type: choice, values: [hello, world] } }
";

/// A fleet repository for `ssh`'s hosts, with their keys trusted and committed.
fn trusted(ssh: &SshFleet) -> TestEnv {
    let env = TestEnv::with_files(&[("fleet.yaml", &ssh.fleet_yaml(COMMANDS))]);
    let ids: Vec<&str> = ssh.hosts.iter().map(|h| h.name.as_str()).collect();
    let mut args = vec!["hosts", "trust", "--yes"];
    args.extend(&ids);
    let run = env.run(&args);
    run.code(0);
    env.commit("trust the hosts");
    env
}

#[test]
fn exec_on_one_host_and_on_many() {
    let ssh = SshFleet::start(&[Sudo::NoPassword, Sudo::NoPassword, Sudo::NoPassword]);
    let env = trusted(&ssh);

    let run = env.run(&["exec", "host1", "uptime"]);
    run.code(0);
    assert!(run.stdout.contains("load average"), "{}", run.stdout);

    let run = env.run(&["exec", "--all", "echo-word", "word=hello", "-o", "json"]);
    run.code(0);
    let doc = run.json();
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for (r, h) in results.iter().zip(&ssh.hosts) {
        assert_eq!(
            (
                r["machine"].as_str(),
                r["ok"].as_bool(),
                r["stdout"].as_str()
            ),
            (Some(h.name.as_str()), Some(true), Some("hello\n"))
        );
    }
    // sudo without a password runs as root; the table for many machines.
    let run = env.run(&["exec", "--all", "whoami-root"]);
    run.code(0);
    for h in &ssh.hosts {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.starts_with(&h.name) && l.contains(" 0  ") && l.ends_with("0")),
            "{}",
            run.stdout
        );
    }
    // Every run is in the audit trail, one entry per machine, after the three trusts; a
    // command through sudo also gets an `exec-start` entry per machine before it runs.
    let audit = env.run(&["audit", "--limit", "100", "-o", "json"]).json();
    let entries = audit["entries"].as_array().expect("entries");
    let count = |action: &str| entries.iter().filter(|e| e["action"] == action).count();
    assert_eq!(
        (count("trust"), count("exec"), count("exec-start")),
        (3, 7, 3)
    );
    let newest = &entries[0];
    assert_eq!(
        (newest["name"].as_str(), newest["exit_code"].as_i64()),
        (Some("whoami-root"), Some(0))
    );
    assert_eq!(newest["command"], "sudo id -u");
    env.run(&["audit", "verify"]).code(0);
}

#[test]
fn a_stopped_host_fails_alone() {
    let mut ssh = SshFleet::start(&[Sudo::None, Sudo::None, Sudo::None]);
    let env = trusted(&ssh);
    ssh.hosts[1].stop();
    let run = env.run(&["exec", "--all", "uptime", "-o", "json"]);
    run.code(3);
    let doc = run.json();
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results[0]["ok"], true);
    assert_eq!(results[2]["ok"], true);
    assert_eq!(
        results[1]["error"],
        format!(
            "connection refused by {}:{} (is sshd running?)",
            ssh.hosts[1].address, ssh.hosts[1].port
        )
    );
    assert!(
        run.stderr
            .contains("error: 1 of 3 machines: 1 unreachable\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_and_changed_host_keys_are_refused() {
    let mut ssh = SshFleet::start(&[Sudo::None]);
    let env = TestEnv::with_files(&[("fleet.yaml", &ssh.fleet_yaml(""))]);
    // Not trusted yet.
    let run = env.run(&["exec", "host1", "uptime"]);
    run.code(4);
    assert!(
        run.stderr
            .contains("host1: the host key of host1 is not trusted (it offers SHA256:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: check the fingerprint, then `homelabcmd hosts trust host1` and commit known_hosts"), "{}", run.stderr);

    // Trusted in the work tree but not committed: still refused from the commit.
    env.run(&["hosts", "trust", "host1", "--yes"]).code(0);
    env.run(&["exec", "host1", "uptime"]).code(4);
    env.run(&["exec", "host1", "uptime", "--worktree"]).code(0);
    env.commit("trust host1");
    env.run(&["exec", "host1", "uptime"]).code(0);
    let pinned = std::fs::read_to_string(env.path("known_hosts")).unwrap();

    // The machine is "reinstalled": a new host key.
    ssh.hosts[0].stop();
    ssh.hosts[0].new_host_key();
    ssh.hosts[0].start();
    let run = env.run(&["exec", "host1", "uptime"]);
    run.code(4);
    assert!(
        run.stderr
            .contains("the host key of host1 CHANGED: pinned SHA256:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(", offered SHA256:"), "{}", run.stderr);
    // trust does not replace it either.
    let run = env.run(&["hosts", "trust", "host1", "--yes"]);
    run.code(4);
    assert!(
        run.stderr
            .starts_with("host1: the key CHANGED: pinned SHA256:"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(env.path("known_hosts")).unwrap(),
        pinned,
        "known_hosts untouched"
    );
}

#[test]
fn wrong_credentials_and_refused_sudo_are_refused() {
    let ssh = SshFleet::start(&[Sudo::None]);
    let env = trusted(&ssh);
    let other = env.home.join("other_key");
    let out = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(out.status.success());
    let fleet = ssh
        .fleet_yaml(COMMANDS)
        .replace(&ssh.key.display().to_string(), &other.display().to_string());
    env.write("fleet.yaml", &fleet);
    let run = env.run(&["exec", "host1", "uptime", "--worktree"]);
    run.code(4);
    assert!(
        run.stderr.contains(&format!(
            "host1: authentication as {} on host1 failed (tried: {})",
            ssh.hosts[0].user,
            other.display()
        )),
        "{}",
        run.stderr
    );
    // The right key, but no sudo rights.
    let run = env.run(&["exec", "host1", "whoami-root"]);
    run.code(4);
    assert!(
        run.stderr
            .contains("host1: sudo refused on host1: sudo: a password is required"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_command_that_runs_too_long_times_out() {
    let ssh = SshFleet::start(&[Sudo::None]);
    let env = trusted(&ssh);
    let started = std::time::Instant::now();
    let run = env.run(&["exec", "host1", "sleepy", "--timeout", "1s"]);
    run.code(3);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(4),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        run.stderr
            .contains("host1: the command did not finish within 1s"),
        "{}",
        run.stderr
    );
}

#[test]
fn injection_attempts_are_refused_before_connecting() {
    // host1's address answers nothing: a refusal must come before any connection attempt.
    let env = TestEnv::with_files(&[(
        "fleet.yaml",
        "version: 1\nmachines:\n  host1:\n    address: 127.0.0.1\n    ssh: { port: 1 }\ncommands:\n  tail-log:\n    run: \"tail -n {lines} {file}\"\n    params:\n      file: { type: path, prefix: [/var/log] }\n      lines: { type: int, min: 1, max: 500 }\n",
    )]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["restart-service", "service=nginx; rm -rf /"],
            "`service=nginx; rm -rf /` refused: it is not a systemd unit name",
        ),
        (
            &["restart-service", "service=$(reboot)"],
            "`service=$(reboot)` refused: it is not a systemd unit name",
        ),
        (
            &["restart-service", "service=`id`"],
            "`service=`id`` refused: it is not a systemd unit name",
        ),
        (
            &["restart-service", "service=a\nb"],
            "`service=a\\nb` refused: control characters (newlines, tabs) are not allowed",
        ),
        (
            &["restart-service", "service='x'"],
            "`service='x'` refused: it is not a systemd unit name",
        ),
        (
            &["restart-service", "service=--now"],
            "`service=--now` refused: a unit name may not start with `-`",
        ),
        (
            &["docker-stop", "container=-rm"],
            "`container=-rm` refused: a container name is letters, digits, `_`, `.` and `-`, starting with a letter or digit",
        ),
        (
            &["tail-log", "file=/var/log/../../etc/shadow", "lines=5"],
            "`file=/var/log/../../etc/shadow` refused: an absolute path without `.`, `..` or `//` is needed",
        ),
        (
            &["tail-log", "file=/etc/shadow", "lines=5"],
            "`file=/etc/shadow` refused: the path must be under /var/log",
        ),
        (
            &["tail-log", "file=/var/log/syslog", "lines=5; id"],
            "`lines=5; id` refused: a whole number is needed",
        ),
        (
            &["tail-log", "file=/var/log/syslog"],
            "`tail-log` needs `lines=…`",
        ),
        (&["rm", "/"], "`rm` is not on the command whitelist"),
        (
            &["restart-service", "unit=nginx"],
            "`restart-service` has no parameter `unit`",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["exec", "host1"];
        all.extend_from_slice(args);
        let run = env.run(&all);
        assert_eq!(run.code, 4, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with(&format!("error: {message}\nhint: ")),
            "{args:?}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn sudo_with_a_password_from_the_encrypted_secrets() {
    let ssh = SshFleet::start(&[Sudo::Password("correct horse battery")]);
    // Both the SSH key and the sudo password come from the encrypted secrets.
    let fleet = ssh.fleet_yaml(COMMANDS).replace(
        &format!("identity: {} }}", ssh.key.display()),
        "identity: secret:host1_key, sudo_password: secret:host1_sudo }",
    );
    let env = TestEnv::with_files(&[("fleet.yaml", &fleet)]);
    env.run(&["secrets", "init"]).code(0);
    env.set_secret("host1_sudo", "correct horse battery");
    env.set_secret("host1_key", &std::fs::read_to_string(&ssh.key).unwrap());
    env.commit("host1's sudo password, encrypted");
    env.run(&["hosts", "trust", "host1", "--yes"]).code(0);
    env.commit("trust host1, its sudo password");

    let run = env.run(&["exec", "host1", "whoami-root"]);
    run.code(0);
    assert_eq!(run.stdout, "0\n");
    // The password went to sudo on stdin: it is in no output, no audit entry.
    let audit = env.run(&["audit", "show", "5"]);
    for text in [
        &run.stdout,
        &run.stderr,
        &audit.stdout,
        &env.run(&["audit", "-o", "json"]).stdout,
    ] {
        assert!(!text.contains("correct horse"), "{text}");
    }
    assert!(audit.stdout.contains("sudo id -u"), "{}", audit.stdout);
}

#[test]
fn a_workstation_that_is_away_fails_fast_with_its_last_seen_time() {
    let env = TestEnv::with_files(&[(
        "fleet.yaml",
        "version: 1\nmachines:\n  desk:\n    type: workstation\n    address: 127.0.0.1\n    ssh: { port: 1 }\n",
    )]);
    // The hub heard from it three hours before "now".
    let hub = crate::common::Hub::start(&env, Some("2026-11-25T09:00:00Z"), &[]);
    let token = env
        .run(&["agent", "token", "desk"])
        .stdout
        .trim()
        .to_string();
    let body = crate::common::heartbeat(
        "desk",
        vec![crate::common::sample("2026-11-25T09:00:00Z", 1.0)],
    );
    assert_eq!(hub.post(Some(&token), &body).0, 200);
    drop(hub);
    let started = std::time::Instant::now();
    let run = env.run(&["exec", "desk", "uptime"]);
    run.code(3);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(
        run.stderr.starts_with("desk: desk is a workstation that is away (last seen 3h ago): connection refused by 127.0.0.1:1 (is sshd running?)\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn unresolvable_names_and_silent_servers_are_told_apart() {
    // A server that accepts TCP but never speaks SSH.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let env = TestEnv::with_files(&[(
        "fleet.yaml",
        &format!(
            "version: 1\nmachines:\n  ghost:\n    address: no-such-host.invalid\n  mute:\n    address: 127.0.0.1\n    ssh: {{ port: {port} }}\n"
        ),
    )]);
    let run = env.run(&[
        "exec",
        "--all",
        "uptime",
        "--connect-timeout",
        "1s",
        "-o",
        "json",
    ]);
    run.code(3);
    let doc = run.json();
    assert_eq!(
        doc["results"][0]["error"],
        "`no-such-host.invalid` does not resolve"
    );
    assert_eq!(
        doc["results"][1]["error"],
        format!("no answer from 127.0.0.1:{port} within 1s")
    );
    drop(silent);
}

#[test]
fn reboots_in_a_staggered_group_are_spaced() {
    let ssh = SshFleet::start(&[Sudo::None, Sudo::None]);
    // `reboot` redefined harmlessly (fleet.yaml may redefine built-ins): it prints the time.
    let extra = "groups:\n  pair: { machines: [host1, host2], stagger: 2s }\ncommands:\n  reboot: { run: \"date +%s.%N\" }\n";
    let env = TestEnv::with_files(&[("fleet.yaml", &ssh.fleet_yaml(extra))]);
    env.run(&["hosts", "trust", "--yes", "host1", "host2"])
        .code(0);
    env.commit("trust");
    let run = env.run(&["exec", "pair", "reboot", "-o", "json"]);
    run.code(0);
    let doc = run.json();
    let at: Vec<f64> = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["stdout"].as_str().unwrap().trim().parse().unwrap())
        .collect();
    // The second reboot starts at least 2 s after the first one started; each `date` runs a
    // moment after its command starts, so allow for that moment differing between the two.
    assert!(
        at[1] - at[0] >= 1.8,
        "the second reboot came {:.2}s after the first",
        at[1] - at[0]
    );
    // Other commands on the group are not spaced.
    let started = std::time::Instant::now();
    env.run(&["exec", "pair", "uptime"]).code(0);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

#[test]
fn a_value_cannot_bring_in_another_placeholder() {
    // The issue's reproduction: on the old renderer `a`'s value picked up `{b}`, whose value
    // then ran `touch` on the machine.
    let ssh = SshFleet::start(&[Sudo::None]);
    let extra = "commands:
  compare-logs:
    run: \"diff {a} {b}\"
    params:
      a: { type: path, prefix: [/var/log] }
      b: { type: path, prefix: [/var/log] }
  echo-paths:
    run: \"echo {a}{b} {a}\"
    params:
      a: { type: path, prefix: [/var/log] }
      b: { type: path, prefix: [/var/log] }
";
    let env = TestEnv::with_files(&[("fleet.yaml", &ssh.fleet_yaml(extra))]);
    env.run(&["hosts", "trust", "--yes", "host1"]).code(0);
    env.commit("trust");
    let run = env.run(&[
        "exec",
        "host1",
        "compare-logs",
        "a=/var/log/{b}",
        "b=/var/log/x $(touch ~/pwned)",
    ]);
    run.code(4);
    assert_eq!(
        run.stderr,
        "error: `a=/var/log/{b}` refused: `{` and `}` are not allowed in a value\n\
         hint: `homelabcmd exec --list` shows each command's parameters\n"
    );
    assert!(!ssh.hosts[0].home.join("pwned").exists(), "touch ran");
    let audit = env.run(&["audit", "-o", "json"]).json();
    assert!(
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["action"] != "exec"),
        "{audit}"
    );
    // Allowed values render in one pass: each placeholder replaced once, by its quoted value.
    let run = env.run(&[
        "exec",
        "host1",
        "echo-paths",
        "b=/var/log/y",
        "a=/var/log/x",
    ]);
    run.code(0);
    assert_eq!(run.stdout, "/var/log/x/var/log/y /var/log/x\n");
    let audit = env.run(&["audit", "-o", "json"]).json();
    assert_eq!(
        audit["entries"][0]["command"],
        "echo '/var/log/x''/var/log/y' '/var/log/x'"
    );
}

#[test]
fn each_machine_is_audited_as_it_finishes_and_a_killed_run_leaves_a_true_record() {
    let ssh = SshFleet::start(&[Sudo::None, Sudo::None]);
    // `reboot` redefined harmlessly; the second machine waits out a long stagger.
    let extra = "groups:\n  pair: { machines: [host1, host2], stagger: 10m }\ncommands:\n  reboot: { run: \"echo rebooting\" }\n";
    let env = TestEnv::with_files(&[("fleet.yaml", &ssh.fleet_yaml(extra))]);
    env.run(&["hosts", "trust", "--yes", "host1", "host2"])
        .code(0);
    env.commit("trust");
    let mut child = KillOnDrop(
        env.cmd(&["exec", "pair", "reboot"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let execs = || -> Vec<serde_json::Value> {
        let doc = env.run(&["audit", "--limit", "100", "-o", "json"]).json();
        let entries = doc["entries"].as_array().unwrap().clone();
        entries
            .into_iter()
            .filter(|e| e["action"] != "trust")
            .collect()
    };
    let started = std::time::Instant::now();
    while !execs().iter().any(|e| e["action"] == "exec") {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "no audit entry for host1 while host2 waits its stagger: {:?}",
            execs()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(child.0.try_wait().unwrap().is_none(), "exec ended early");
    child.0.kill().unwrap(); // SIGKILL
    child.0.wait().unwrap();
    let summary: Vec<(String, String, Option<i64>, String)> = execs()
        .iter()
        .rev()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["machine"].as_str().unwrap().to_string(),
                e["exit_code"].as_i64(),
                e["command"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let entry = |action: &str, exit| {
        (
            action.to_string(),
            "host1".to_string(),
            exit,
            "echo rebooting".to_string(),
        )
    };
    // host1: started (a reboot is disruptive), then finished; host2: nothing, it never ran.
    assert_eq!(summary, [entry("exec-start", None), entry("exec", Some(0))]);
    env.run(&["audit", "verify"]).code(0);
}

#[test]
fn a_disruptive_command_does_not_run_unless_its_start_is_recorded() {
    let ssh = SshFleet::start(&[Sudo::None]);
    let extra = "commands:\n  reboot: { run: \"touch ~/rebooted\" }\n";
    let env = TestEnv::with_files(&[("fleet.yaml", &ssh.fleet_yaml(extra))]);
    env.run(&["hosts", "trust", "--yes", "host1"]).code(0);
    env.commit("trust");
    // The database refuses `exec-start` entries (and only those).
    let out = std::process::Command::new("python3")
        .args(["-c", "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute(\"CREATE TRIGGER no_start BEFORE INSERT ON audit_log WHEN NEW.action = 'exec-start' BEGIN SELECT RAISE(ABORT, 'no room'); END\")\nc.commit()"])
        .arg(env.path("data/homelab.db"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let run = env.run(&["exec", "host1", "reboot"]);
    run.code(3);
    assert_eq!(
        run.stderr,
        "host1: not run: its audit entry could not be written: cannot use the database \
         ./data/homelab.db: no room\nerror: 1 of 1 machine: 1 not run\n"
    );
    assert!(!ssh.hosts[0].home.join("rebooted").exists(), "it ran");
    let audit = env.run(&["audit", "-o", "json"]).json();
    let newest = &audit["entries"][0];
    assert_eq!(
        (newest["action"].as_str(), newest["exit_code"].as_i64()),
        (Some("exec"), None)
    );
}

/// A child process killed (SIGKILL) when the test ends, even when an assertion fails.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

const ESCAPES: &str = "commands:
  hostile: { run: \"printf 'ok \\\\033]0;pwned\\\\007\\\\033[2J\\\\n'; printf 'err\\\\033[31m\\\\n' >&2\" }
";

#[test]
fn remote_output_cannot_drive_the_terminal() {
    let ssh = SshFleet::start(&[Sudo::None, Sudo::None]);
    let env = TestEnv::with_files(&[("fleet.yaml", &ssh.fleet_yaml(ESCAPES))]);
    env.run(&["hosts", "trust", "--yes", "host1", "host2"])
        .code(0);
    env.commit("trust");
    let raw = "ok \u{1b}]0;pwned\u{7}\u{1b}[2J\n";
    let shown = r"ok \u{1b}]0;pwned\u{7}\u{1b}[2J";
    // The table for many machines, and -v's whole outputs: always escaped.
    let run = env.run(&["exec", "--all", "hostile", "-v"]);
    run.code(0);
    assert!(
        !run.stdout.contains(['\u{1b}', '\u{7}']),
        "{:?}",
        run.stdout
    );
    assert_eq!(run.stdout.matches(shown).count(), 4, "{}", run.stdout);
    assert_eq!(run.stdout.matches(r"err\u{1b}[31m").count(), 2);
    // One machine, stdout to a pipe: byte for byte what the command printed, like ssh;
    // its stderr is escaped.
    let run = env.run(&["exec", "host1", "hostile"]);
    run.code(0);
    assert_eq!(run.stdout, raw);
    assert_eq!(run.stderr, "err\\u{1b}[31m\n");
    // One machine on a terminal: escaped.
    let screen = on_terminal(&env, "exec host1 hostile");
    assert!(!screen.contains(['\u{1b}', '\u{7}']), "{screen:?}");
    assert!(screen.contains(shown), "{screen:?}");
}

/// What a terminal (a pty from util-linux's `script`) shows when `args` run on it.
fn on_terminal(env: &TestEnv, args: &str) -> String {
    let out = std::process::Command::new("script")
        .args([
            "-q",
            "-e",
            "-c",
            &format!("{} {args}", crate::common::BIN),
            "/dev/null",
        ])
        .current_dir(&env.repo)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &env.home)
        .env("HOMELABCMD_NOW", &env.now)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs (util-linux)");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}
