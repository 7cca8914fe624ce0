//! `diff` against real sshd hosts (tests/common/sshd.rs): a drifted machine and a compliant
//! one, each kind of mismatch, the unified diff, exit codes, an unreachable machine.

use std::path::Path;

use crate::common::TestEnv;
use crate::common::sshd::{SshFleet, Sudo};

const PACK: &str = "description: test pack
files:
  - { path: ~/.hl-test/a.conf, content: \"alpha\\nbeta\\ngamma\\n\", mode: \"0644\" }
  - { path: ~/.hl-test/b.conf, source: files/b.conf, mode: \"0600\" }
directories:
  - { path: ~/.hl-test, mode: \"0755\" }
packages:
  - dpkg
  - coreutils: \">= 8.0\"
";

fn put(home: &Path, user: &str, rel: &str, text: &str, mode: &str) {
    let path = home.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    for (cmd, arg) in [("chmod", mode), ("chown", &format!("{user}:{user}")[..])] {
        assert!(
            std::process::Command::new(cmd)
                .arg(arg)
                .arg(&path)
                .status()
                .unwrap()
                .success()
        );
    }
    let owner = format!("{user}:{user}");
    assert!(
        std::process::Command::new("chown")
            .arg(&owner)
            .arg(path.parent().unwrap())
            .status()
            .unwrap()
            .success()
    );
}

fn env_for(ssh: &SshFleet, pack: &str) -> TestEnv {
    let fleet = ssh
        .fleet_yaml("")
        .replace("    ssh: {", "    packs: [test]\n    ssh: {");
    let env = TestEnv::with_files(&[
        ("fleet.yaml", &fleet),
        ("packs/test.yaml", pack),
        ("packs/files/b.conf", "beta\n"),
    ]);
    let ids: Vec<&str> = ssh.hosts.iter().map(|h| h.name.as_str()).collect();
    let mut args = vec!["hosts", "trust", "--yes"];
    args.extend(&ids);
    env.run(&args).code(0);
    env.commit("trust");
    env
}

#[test]
fn diff_reports_each_mismatch_and_a_compliant_machine() {
    let ssh = SshFleet::start(&[Sudo::None, Sudo::None]);
    let (h1, h2) = (&ssh.hosts[0], &ssh.hosts[1]);
    // host2 is exactly as the pack wants.
    put(
        &h2.home,
        &h2.user,
        ".hl-test/a.conf",
        "alpha\nbeta\ngamma\n",
        "0644",
    );
    put(&h2.home, &h2.user, ".hl-test/b.conf", "beta\n", "0600");
    assert!(
        std::process::Command::new("chmod")
            .args(["0755"])
            .arg(h2.home.join(".hl-test"))
            .status()
            .unwrap()
            .success()
    );
    // host1 drifted: a.conf edited and too open... too closed, b.conf missing, dir 0700.
    put(
        &h1.home,
        &h1.user,
        ".hl-test/a.conf",
        "alpha\nBETA\ngamma\n",
        "0600",
    );
    assert!(
        std::process::Command::new("chmod")
            .args(["0700"])
            .arg(h1.home.join(".hl-test"))
            .status()
            .unwrap()
            .success()
    );
    let env = env_for(
        &ssh,
        &PACK.replace(
            "  - dpkg\n",
            "  - dpkg\n  - homelabcmd-no-such-package\n  - bash: \">= 999\"\n",
        ),
    );

    let run = env.run(&["diff", "--all"]);
    run.code(1);
    let installed_bash = String::from_utf8_lossy(
        &std::process::Command::new("dpkg-query")
            .args(["-W", "-f=${Version}", "bash"])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert_eq!(
        run.stdout,
        format!(
            "host1  ⚠ 6 mismatches\n\
             \x20 content differs: ~/.hl-test/a.conf\n\
             \x20   --- ~/.hl-test/a.conf (on the machine)\n\
             \x20   +++ ~/.hl-test/a.conf (pack test)\n\
             \x20   @@ -1,3 +1,3 @@\n\
             \x20    alpha\n\
             \x20   -BETA\n\
             \x20   +beta\n\
             \x20    gamma\n\
             \x20 mode of ~/.hl-test/a.conf: 0600, expected 0644\n\
             \x20 missing file ~/.hl-test/b.conf\n\
             \x20 mode of ~/.hl-test/: 0700, expected 0755\n\
             \x20 package homelabcmd-no-such-package is not installed\n\
             \x20 package bash: {installed_bash} installed, >= 999 expected\n\
             host2  ⚠ 2 mismatches\n\
             \x20 package homelabcmd-no-such-package is not installed\n\
             \x20 package bash: {installed_bash} installed, >= 999 expected\n"
        )
    );
    assert_eq!(
        run.stderr,
        "error: 2 of 2 machines drift from their packs\n"
    );
    // The README's diff example is this run's output (stdout, then the error on stderr).
    crate::docs::assert_readme_shows(
        "homelabcmd diff --all",
        &format!("{}{}", run.stdout, run.stderr),
    );
    // JSON for machines; -q for cron.
    let doc = env.run(&["diff", "host1", "-o", "json"]).json();
    assert_eq!(doc["machines"][0]["state"], "drift");
    assert_eq!(
        doc["machines"][0]["mismatches"][2],
        serde_json::json!({"kind": "file_missing", "path": "~/.hl-test/b.conf"})
    );
    let run = env.run(&["diff", "--all", "-q"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (1, "", "")
    );
}

#[test]
fn compliant_machines_exit_0_and_unreachable_ones_are_not_checked() {
    let mut ssh = SshFleet::start(&[Sudo::None, Sudo::None]);
    for h in &ssh.hosts {
        put(
            &h.home,
            &h.user,
            ".hl-test/a.conf",
            "alpha\nbeta\ngamma\n",
            "0644",
        );
        put(&h.home, &h.user, ".hl-test/b.conf", "beta\n", "0600");
        assert!(
            std::process::Command::new("chmod")
                .args(["0755"])
                .arg(h.home.join(".hl-test"))
                .status()
                .unwrap()
                .success()
        );
    }
    let env = env_for(&ssh, PACK);
    let run = env.run(&["diff", "--all", "--stat"]);
    run.code(0);
    assert_eq!(run.stdout, "host1  ✓ compliant\nhost2  ✓ compliant\n");
    ssh.hosts[1].stop();
    let run = env.run(&["diff", "--all"]);
    run.code(3);
    assert_eq!(
        run.stdout,
        format!(
            "host1  ✓ compliant\nhost2  ✗ not checked: connection refused by {}:{} (is sshd running?)\n",
            ssh.hosts[1].address, ssh.hosts[1].port
        )
    );
}

const FILES_ONLY: &str = "description: files only
files:
  - { path: ~/.hl-test/a.conf, content: \"alpha\\nbeta\\ngamma\\n\", mode: \"0644\" }
  - { path: ~/.hl-test/b.conf, source: files/b.conf, mode: \"0600\" }
directories:
  - { path: ~/.hl-test, mode: \"0755\" }
";

#[test]
fn apply_converges_then_does_nothing_and_refuses_a_changed_machine() {
    let mut ssh = SshFleet::start(&[Sudo::None, Sudo::None, Sudo::None]);
    let h1 = &ssh.hosts[0];
    put(&h1.home, &h1.user, ".hl-test/a.conf", "edited\n", "0600");
    let env = env_for(&ssh, FILES_ONLY);

    // Without a terminal and without --yes: nothing happens.
    let run = env.run(&["apply", "host1"]);
    run.code(2);
    assert!(run.stderr.ends_with("error: apply needs confirmation\nhint: review the plan, then pass --yes (cron: `homelabcmd apply --all --yes`)\n"), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("host1  ⚠ 3 mismatches  (will write 2 files)\n"),
        "{}",
        run.stdout
    );

    // A plan reviewed, then the machine changes: refused, nothing written.
    let dry = env.run(&["apply", "host1", "--dry-run"]);
    let plan = dry
        .stdout
        .lines()
        .last()
        .unwrap()
        .strip_prefix("plan ")
        .unwrap()
        .to_string();
    put(
        &h1.home,
        &h1.user,
        ".hl-test/a.conf",
        "edited again\n",
        "0600",
    );
    let run = env.run(&["apply", "host1", "--yes", "--plan", &plan]);
    run.code(4);
    assert!(
        run.stderr.contains("error: the plan is now "),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(h1.home.join(".hl-test/a.conf")).unwrap(),
        "edited again\n"
    );

    // Applied to all; one machine is down and fails alone.
    ssh.hosts[2].stop();
    let run = env.run(&["apply", "--all", "--yes"]);
    run.code(3);
    assert!(run.stdout.contains("\nhost1  ✓ now compliant (write 2 files)\nhost2  ✓ now compliant (write 2 files, create 1 directory)\n"), "{}", run.stdout);
    for h in &ssh.hosts[..2] {
        assert_eq!(
            std::fs::read_to_string(h.home.join(".hl-test/a.conf")).unwrap(),
            "alpha\nbeta\ngamma\n"
        );
        let meta = std::fs::metadata(h.home.join(".hl-test/b.conf")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(meta.permissions().mode() & 0o7777, 0o600);
        // No temporary file left behind.
        let leftovers: Vec<_> = std::fs::read_dir(h.home.join(".hl-test"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".homelabcmd."))
            .collect();
        assert!(leftovers.is_empty());
    }
    ssh.hosts[2].start();
    env.run(&["apply", "--all", "--yes"]).code(0);
    // Idempotent: a second apply does nothing and says so.
    let run = env.run(&["apply", "--all", "--yes"]);
    run.code(0);
    assert!(run.stdout.ends_with("nothing to apply\n"), "{}", run.stdout);
    env.run(&["diff", "--all", "-q"]).code(0);
    // In the audit trail, with the commit applied.
    let audit = env
        .run(&["audit", "--action", "apply", "-o", "json"])
        .json();
    let head = env.git(&["rev-parse", "HEAD"]);
    assert!(
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["fleet_commit"] == head.as_str())
    );
}

#[test]
fn a_missing_package_is_installed_by_apply() {
    // `sl` is a small real Debian package; the simulated hosts share this machine's dpkg.
    let _ = std::process::Command::new("dpkg")
        .args(["--purge", "sl"])
        .output();
    let ssh = SshFleet::start(&[Sudo::NoPassword]);
    let env = env_for(&ssh, "description: a package\npackages:\n  - sl\n");
    let run = env.run(&["diff", "host1"]);
    run.code(1);
    assert_eq!(
        run.stdout,
        "host1  ⚠ 1 mismatch\n  package sl is not installed\n"
    );
    let run = env.run(&["apply", "host1", "--yes"]);
    run.code(0);
    assert!(
        run.stdout
            .ends_with("host1  ✓ now compliant (install 1 package)\n"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    env.run(&["diff", "host1"]).code(0);
    let _ = std::process::Command::new("dpkg")
        .args(["--purge", "sl"])
        .output();
}

#[test]
fn status_and_compliance_show_the_last_check_and_a_second_run_waits_for_the_lock() {
    let ssh = SshFleet::start(&[Sudo::None, Sudo::None]);
    let env = env_for(&ssh, FILES_ONLY);
    let run = env.run(&["compliance"]);
    run.code(0);
    assert!(
        run.stdout
            .ends_with("0 compliant · 0 drift · 0 not checked · 2 never checked\n"),
        "{}",
        run.stdout
    );
    env.run(&["apply", "host1", "--yes"]).code(0);
    env.run(&["diff", "host2"]).code(1);
    let doc = env.run(&["compliance", "-o", "json"]).json();
    assert_eq!(
        doc["summary"],
        serde_json::json!({"compliant": 1, "drift": 1, "not_checked": 0, "never_checked": 0})
    );
    assert_eq!(
        doc["machines"][1]["mismatches"].as_array().unwrap().len(),
        3
    );
    assert_eq!(
        doc["machines"][0]["fleet_commit"],
        env.git(&["rev-parse", "HEAD"]).as_str()
    );
    let status = env.run(&["status", "-o", "json"]).json();
    assert_eq!(status["machines"][1]["compliance"]["state"], "drift");
    assert_eq!(status["machines"][1]["compliance"]["mismatches"], 3);

    // Cron and a person at once: the second refuses instead of racing.
    let lock = std::fs::File::open(env.path("data/fleet.lock")).unwrap();
    lock.lock().unwrap();
    let run = env.run(&["diff", "--all"]);
    run.code(3);
    assert!(
        run.stderr
            .starts_with("error: another diff or apply is running\n"),
        "{}",
        run.stderr
    );
    drop(lock);
    env.run(&["diff", "host1"]).code(0);
}

#[test]
fn serve_checks_a_workstation_when_it_comes_back() {
    let ssh = SshFleet::start(&[Sudo::None]);
    let fleet = ssh.fleet_yaml("").replace(
        "    ssh: {",
        "    type: workstation\n    packs: [test]\n    ssh: {",
    );
    let env = TestEnv::with_files(&[
        ("fleet.yaml", &fleet),
        ("packs/test.yaml", FILES_ONLY),
        ("packs/files/b.conf", "beta\n"),
    ]);
    env.run(&["hosts", "trust", "--yes", "host1"]).code(0);
    env.commit("trust");
    let hub = crate::common::Hub::start(&env, None, &[]);
    let token = env
        .run(&["agent", "token", "host1"])
        .stdout
        .trim()
        .to_string();
    let now = homelabcmd_proto_time_now();
    let body = crate::common::heartbeat("host1", vec![crate::common::sample(&now, 1.0)]);
    assert_eq!(hub.post(Some(&token), &body).0, 200);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let doc = env.run(&["compliance", "-o", "json"]).json();
        if doc["machines"][0]["state"] == "drift" {
            assert_eq!(
                doc["machines"][0]["mismatches"].as_array().unwrap().len(),
                3
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no check recorded: {doc}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// Now, as RFC 3339 (the hub in this test runs on the real clock).
fn homelabcmd_proto_time_now() -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn files_with_an_owner_are_written_through_sudo() {
    let ssh = SshFleet::start(&[Sudo::NoPassword]);
    let pack = "description: owned\nfiles:\n  - { path: ~/owned.conf, content: \"x\\n\", mode: \"0640\", owner: root, group: root }\n";
    let env = env_for(&ssh, pack);
    let run = env.run(&["diff", "host1"]);
    run.code(1);
    assert_eq!(
        run.stdout,
        "host1  ⚠ 1 mismatch\n  missing file ~/owned.conf\n"
    );
    env.run(&["apply", "host1", "--yes"]).code(0);
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = std::fs::metadata(ssh.hosts[0].home.join("owned.conf")).unwrap();
    assert_eq!(
        (meta.uid(), meta.gid(), meta.permissions().mode() & 0o7777),
        (0, 0, 0o640)
    );
    env.run(&["diff", "host1"]).code(0);
}
