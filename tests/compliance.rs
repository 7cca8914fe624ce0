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
