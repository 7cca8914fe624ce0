//! Adversarial: packs at apply time, against real sshd hosts (tests/common/sshd.rs) — a sudo
//! password where sudo needs none, files too large for a command line, a 0600 file's content
//! watched for in every process's arguments, modes and owners the pack leaves unset, a link or
//! directory where a file should be, directory owners, probes too large for one answer, a slow
//! package step, and terminal escapes in a machine's files. Each asserts the documented exit
//! code and what is (or is not) on the host afterwards.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::TestEnv;
use crate::common::sshd::{SshFleet, SshHost, Sudo};

/// Run a command on the test machine; panics on failure.
fn sh(script: &str) {
    let out = Command::new("sh").arg("-c").arg(script).output().unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Write `bytes` at `rel` under the host's home, owned by its user, with `mode`.
fn put(host: &SshHost, rel: &str, bytes: &[u8], mode: u32) {
    let path = host.home.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    sh(&format!(
        "chown -R {u}:{u} {}",
        host.home.display(),
        u = host.user
    ));
}

/// A fleet repository for `ssh`'s hosts (each with the pack `test`), `files` committed beside
/// it, the hosts' keys trusted. `ssh_extra` goes into every host's `ssh: { }`.
fn fleet_env(ssh: &SshFleet, pack: &str, files: &[(&str, &[u8])], ssh_extra: &str) -> TestEnv {
    let fleet = ssh
        .fleet_yaml("commands:\n  cat-root: { run: \"cat\", sudo: true }\n  whoami-root: { run: \"id -u\", sudo: true }\n")
        .replace("    ssh: {", "    packs: [test]\n    ssh: {")
        .replace(
            &format!("identity: {} }}", ssh.key.display()),
            &format!("identity: {}{ssh_extra} }}", ssh.key.display()),
        );
    let env = TestEnv::with_files(&[("packs/test.yaml", pack)]);
    for (path, bytes) in files {
        env.write_bytes(path, bytes);
    }
    if ssh_extra.contains("secret:sudo_pw") {
        env.run(&["secrets", "init"]).code(0);
        env.set_secret("sudo_pw", PASSWORD);
    }
    env.write("fleet.yaml", &fleet);
    env.commit("the test pack");
    let ids: Vec<&str> = ssh.hosts.iter().map(|h| h.name.as_str()).collect();
    let mut args = vec!["hosts", "trust", "--yes"];
    args.extend(&ids);
    env.run(&args).code(0);
    env.commit("trust");
    env
}

/// Every byte of the database and its journal files.
fn database_bytes(env: &TestEnv) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        if let Ok(bytes) = std::fs::read(env.path(&format!("data/homelab.db{suffix}"))) {
            all.extend(bytes);
        }
    }
    assert!(!all.is_empty(), "no database");
    all
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A path outside any home that a test writes to, removed when the test ends (even failing).
struct Scratch(String);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        let _ = std::fs::remove_file(&self.0);
    }
}

const PASSWORD: &str = "Tr0ub4dor-and-3-hlc-sudo-pw";

#[test]
fn a_sudo_password_never_reaches_the_command_nor_the_store() {
    // host1: sudo needs no password, yet the fleet gives one; host2: sudo needs it.
    let ssh = SshFleet::start(&[Sudo::NoPassword, Sudo::Password(PASSWORD)]);
    let dir = format!("/tmp/hlc-adv-sudo-{}", ssh.hosts[1].user);
    let _scratch = Scratch(dir.clone());
    let pack = format!(
        "description: a file outside the home\nfiles:\n  - {{ path: {dir}/app.conf, content: \"written as root\\n\" }}\n"
    );
    let env = fleet_env(&ssh, &pack, &[], ", sudo_password: secret:sudo_pw");

    // `cat` through sudo reads its own (empty) stdin: nothing of the password.
    let run = env.run(&["exec", "host1", "cat-root"]);
    run.code(0);
    assert!(!run.stdout.contains("Tr0ub4dor"), "{}", run.stdout);
    assert_eq!(run.stdout, "");
    let run = env.run(&["exec", "host2", "cat-root"]);
    run.code(0);
    assert_eq!(run.stdout, "");
    // The real password still works where sudo needs it.
    let run = env.run(&["exec", "host2", "whoami-root"]);
    run.code(0);
    assert_eq!(run.stdout, "0\n");
    // apply through sudo with the password: the content follows the password line on stdin.
    let run = env.run(&["apply", "host2", "--yes"]);
    run.code(0);
    assert_eq!(
        std::fs::read_to_string(format!("{dir}/app.conf")).unwrap(),
        "written as root\n"
    );
    let meta = std::fs::metadata(format!("{dir}/app.conf")).unwrap();
    assert_eq!((meta.uid(), meta.mode() & 0o7777), (0, 0o644));
    // A wrong password is refused (exit 4), not run.
    env.set_secret("sudo_pw", "not-the-password");
    env.commit("a wrong password");
    let run = env.run(&["exec", "host2", "whoami-root"]);
    run.code(4);
    assert!(
        run.stderr.contains("sudo refused on host2"),
        "{}",
        run.stderr
    );
    // Nowhere in the audit trail or the database file.
    let audit = env.run(&["audit", "-o", "json"]);
    assert!(!audit.stdout.contains("Tr0ub4dor"));
    assert!(!contains(&database_bytes(&env), PASSWORD.as_bytes()));
}

#[test]
fn big_files_and_many_files_apply_and_converge() {
    let ssh = SshFleet::start(&[Sudo::None]);
    // 5 MB of bytes that do not compress into a short command line.
    let mut big = Vec::with_capacity(5_000_000);
    let mut x: u32 = 2_463_534_242;
    while big.len() < 5_000_000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        big.extend_from_slice(&x.to_le_bytes());
    }
    let mut pack = String::from(
        "description: big and many\nfiles:\n  - { path: ~/big/blob.bin, source: files/blob.bin }\n",
    );
    let mut files: Vec<(String, Vec<u8>)> = vec![("packs/files/blob.bin".into(), big.clone())];
    // Long paths too: the probe names every path several times, far over the kernel's
    // 128 KiB limit for one argument.
    let deep = "d".repeat(240);
    for i in 0..200 {
        pack.push_str(&format!(
            "  - {{ path: ~/many/{deep}/f{i:03}.conf, source: files/f{i:03}.conf }}\n"
        ));
        files.push((
            format!("packs/files/f{i:03}.conf"),
            format!("file {i}\n").repeat(i + 1).into_bytes(),
        ));
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let env = fleet_env(&ssh, &pack, &refs, "");
    let run = env.run(&["apply", "host1", "--yes"]);
    run.code(0);
    assert!(
        run.stdout
            .ends_with("host1  ✓ now compliant (write 201 files)\n"),
        "{}",
        run.stdout
    );
    let home = &ssh.hosts[0].home;
    assert!(std::fs::read(home.join("big/blob.bin")).unwrap() == big);
    for i in [0, 99, 199] {
        assert_eq!(
            std::fs::read_to_string(home.join(format!("many/{deep}/f{i:03}.conf"))).unwrap(),
            format!("file {i}\n").repeat(i + 1)
        );
    }
    env.run(&["diff", "host1"]).code(0);
    let run = env.run(&["apply", "host1", "--yes"]);
    run.code(0);
    assert!(run.stdout.ends_with("nothing to apply\n"), "{}", run.stdout);
}

/// Standard base64 of `bytes` (to look for an encoded copy of a secret).
fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    bytes
        .chunks(3)
        .flat_map(|c| {
            let n = c
                .iter()
                .enumerate()
                .fold(0u32, |a, (i, b)| a | (u32::from(*b) << (16 - 8 * i)));
            (0..4).map(move |i| {
                if i <= c.len() {
                    T[(n >> (18 - 6 * i) & 63) as usize] as char
                } else {
                    '='
                }
            })
        })
        .collect()
}

/// Every process's arguments, sampled until `stop`; true if one held a needle.
fn watch_arguments(stop: Arc<AtomicBool>, needles: Vec<Vec<u8>>) -> std::thread::JoinHandle<bool> {
    std::thread::spawn(move || {
        let mut seen = false;
        while !stop.load(Ordering::SeqCst) {
            for entry in std::fs::read_dir("/proc").unwrap().flatten() {
                if let Ok(args) = std::fs::read(entry.path().join("cmdline"))
                    && needles.iter().any(|n| contains(&args, n))
                {
                    seen = true;
                }
            }
        }
        seen
    })
}

#[test]
fn a_0600_files_content_is_never_in_a_process_s_arguments() {
    let ssh = SshFleet::start(&[Sudo::NoPassword]);
    let secret = "hlc-private-key-material-0600-".repeat(1000); // 30 000 bytes
    let outside = format!("/tmp/hlc-adv-ps-{}", ssh.hosts[0].user);
    let _scratch = Scratch(outside.clone());
    let pack = format!(
        "description: a private file\nfiles:\n  - {{ path: ~/.hl-adv/id_test, source: files/id_test, mode: \"0600\" }}\n  - {{ path: {outside}, source: files/id_test, mode: \"0600\", owner: root }}\n"
    );
    let env = fleet_env(
        &ssh,
        &pack,
        &[("packs/files/id_test", secret.as_bytes())],
        "",
    );
    let needles = vec![
        b"hlc-private-key-material".to_vec(),
        base64(&secret.as_bytes()[..60]).into_bytes(),
    ];
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch_arguments(Arc::clone(&stop), needles);
    for round in 0..3 {
        put(&ssh.hosts[0], ".hl-adv/id_test", b"old\n", 0o600);
        let _ = std::fs::remove_file(&outside);
        let run = env.run(&["apply", "host1", "--yes"]);
        run.code(0);
        assert!(
            run.stdout.ends_with("✓ now compliant (write 2 files)\n"),
            "round {round}: {}",
            run.stdout
        );
    }
    stop.store(true, Ordering::SeqCst);
    let seen = watcher.join().unwrap();
    let written = std::fs::read_to_string(ssh.hosts[0].home.join(".hl-adv/id_test")).unwrap();
    assert_eq!(written, secret);
    assert!(!seen, "the file's content was in a process's arguments");
}

#[test]
fn modes_and_owners_the_pack_leaves_unset_are_kept() {
    let ssh = SshFleet::start(&[Sudo::NoPassword]);
    let host = &ssh.hosts[0];
    let dir = format!("/tmp/hlc-adv-keep-{}", host.user);
    let _scratch = Scratch(dir.clone());
    let pack = format!(
        "description: no modes, no owners\nfiles:\n  - {{ path: ~/.hl-adv/private.conf, content: \"new\\n\" }}\n  - {{ path: {dir}/app.conf, content: \"new\\n\" }}\n  - {{ path: ~/.hl-adv/open.conf, content: \"new\\n\", mode: \"0644\" }}\n"
    );
    put(host, ".hl-adv/private.conf", b"old\n", 0o600);
    put(host, ".hl-adv/open.conf", b"old\n", 0o600);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(format!("{dir}/app.conf"), "old\n").unwrap();
    sh(&format!(
        "chown -R {u}:{u} {dir} && chmod 0640 {dir}/app.conf",
        u = host.user
    ));
    let env = fleet_env(&ssh, &pack, &[], "");
    // The plan says which mode changes; nothing else changes mode.
    let run = env.run(&["apply", "host1", "--dry-run"]);
    run.code(0);
    assert!(
        run.stdout
            .contains("  mode of ~/.hl-adv/open.conf: 0600, expected 0644\n"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.matches("mode of").count(), 1, "{}", run.stdout);
    env.run(&["apply", "host1", "--yes"]).code(0);
    let meta = |p: &Path| {
        let m = std::fs::metadata(p).unwrap();
        (m.uid(), m.gid(), m.mode() & 0o7777)
    };
    let (uid, gid, _) = meta(&host.home.join(".hl-adv"));
    assert_eq!(
        meta(&host.home.join(".hl-adv/private.conf")),
        (uid, gid, 0o600)
    );
    assert_eq!(
        meta(&host.home.join(".hl-adv/open.conf")),
        (uid, gid, 0o644)
    );
    let app = Path::new(&dir).join("app.conf");
    let kept = meta(&app);
    assert_eq!(std::fs::read_to_string(&app).unwrap(), "new\n");
    let diff = env.run(&["diff", "host1"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(kept, (uid, gid, 0o640));
    diff.code(0);
}

#[test]
fn a_link_or_directory_where_a_file_should_be_is_refused_and_left_alone() {
    let ssh = SshFleet::start(&[Sudo::None, Sudo::None]);
    let pack = "description: files and a directory\nfiles:\n  - { path: ~/.hl-adv/app.conf, content: \"x\\n\" }\n  - { path: ~/.hl-adv/other.conf, content: \"y\\n\" }\ndirectories:\n  - { path: ~/.hl-adv/d, mode: \"0700\" }\n";
    // host1: app.conf is a link to a directory; host2: app.conf is a directory, and the
    // packs' directory is a link to another one.
    for h in &ssh.hosts {
        put(h, "victim/keep", b"keep\n", 0o644);
        std::fs::create_dir_all(h.home.join(".hl-adv")).unwrap();
    }
    let (h1, h2) = (&ssh.hosts[0], &ssh.hosts[1]);
    std::os::unix::fs::symlink(h1.home.join("victim"), h1.home.join(".hl-adv/app.conf")).unwrap();
    std::fs::create_dir_all(h1.home.join(".hl-adv/d")).unwrap();
    std::fs::create_dir_all(h2.home.join(".hl-adv/app.conf")).unwrap();
    std::os::unix::fs::symlink(h2.home.join("victim"), h2.home.join(".hl-adv/d")).unwrap();
    for h in &ssh.hosts {
        sh(&format!(
            "chown -R -h {u}:{u} {} && chmod 0755 {}/victim",
            h.home.display(),
            h.home.display(),
            u = h.user
        ));
    }
    let env = fleet_env(&ssh, pack, &[], "");
    let diff = env.run(&["diff", "--all"]);
    let applied = env.run(&["apply", "--all", "--yes"]);
    for h in &ssh.hosts {
        // Nothing written into the linked directory, nothing else changed either.
        let names: Vec<String> = std::fs::read_dir(h.home.join("victim"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["keep"], "{}", h.name);
        let victim = std::fs::metadata(h.home.join("victim")).unwrap();
        assert_eq!(victim.mode() & 0o7777, 0o755);
        assert!(!h.home.join(".hl-adv/other.conf").exists());
    }
    assert!(
        std::fs::symlink_metadata(h1.home.join(".hl-adv/app.conf"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(h2.home.join(".hl-adv/app.conf").is_dir());
    let run = diff;
    run.code(1);
    assert!(run.stdout.contains("host1  ⚠ 3 mismatches\n  ~/.hl-adv/app.conf is a symbolic link, not a regular file (apply will not replace it)\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "  ~/.hl-adv/app.conf is a directory, not a regular file (apply will not replace it)\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "  ~/.hl-adv/d is a symbolic link, not a directory (apply will not replace it)\n"
        ),
        "{}",
        run.stdout
    );

    let run = applied;
    run.code(4);
    assert!(
        run.stdout.contains("host1  ✗ refused: something else is where the packs want a file or directory; nothing changed\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("2 machine(s) refused"),
        "{}",
        run.stderr
    );
}

#[test]
fn directory_owners_are_compared_and_fixed() {
    let ssh = SshFleet::start(&[Sudo::NoPassword]);
    let host = &ssh.hosts[0];
    let dir = format!("/tmp/hlc-adv-owner-{}", host.user);
    let _scratch = Scratch(dir.clone());
    std::fs::create_dir_all(&dir).unwrap();
    sh(&format!(
        "chown {u}:{u} {dir} && chmod 0755 {dir}",
        u = host.user
    ));
    let pack = format!(
        "description: a directory owned by root\ndirectories:\n  - {{ path: {dir}, mode: \"0755\", owner: root }}\n"
    );
    let env = fleet_env(&ssh, &pack, &[], "");
    let run = env.run(&["diff", "host1"]);
    run.code(1);
    assert_eq!(
        run.stdout,
        format!(
            "host1  ⚠ 1 mismatch\n  owner of {dir}/: {}, expected root\n",
            host.user
        )
    );
    env.run(&["apply", "host1", "--yes"]).code(0);
    let owner = std::fs::metadata(&dir).unwrap().uid();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(owner, 0);
}

#[test]
fn large_drifted_files_are_too_large_to_show_not_unchecked() {
    let ssh = SshFleet::start(&[Sudo::None]);
    // Four files of exactly 1 MiB (64-byte lines), each edited on the machine on line 1.
    let text = |i: usize, first: &str| {
        let mut t = format!("{first:<63}\n");
        for n in 1..16384 {
            t.push_str(&format!("file {i} line {n:<51}\n"));
        }
        assert_eq!(t.len(), 1 << 20);
        t
    };
    let mut pack = String::from("description: large files\nfiles:\n");
    let mut files = Vec::new();
    for i in 0..4 {
        pack.push_str(&format!(
            "  - {{ path: ~/large/f{i}.txt, source: files/f{i}.txt }}\n"
        ));
        files.push((format!("packs/files/f{i}.txt"), text(i, "as in the pack")));
        put(
            &ssh.hosts[0],
            &format!("large/f{i}.txt"),
            text(i, "edited on the machine").as_bytes(),
            0o644,
        );
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    let env = fleet_env(&ssh, &pack, &refs, "");
    let run = env.run(&["diff", "host1"]);
    run.code(1);
    assert!(
        run.stdout.starts_with("host1  ⚠ 4 mismatches\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout
            .matches("(too large to show: 1048576 bytes on the machine, 1048576 in the pack)\n")
            .count(),
        2,
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.matches("    -edited on the machine").count(), 2);
    let doc = env.run(&["diff", "host1", "-o", "json"]).json();
    assert_eq!(doc["machines"][0]["state"], "drift");
    assert_eq!(
        doc["machines"][0]["mismatches"][3]["too_large"],
        serde_json::json!({"machine": 1048576, "pack": 1048576})
    );
    env.run(&["apply", "host1", "--yes"]).code(0);
    env.run(&["diff", "host1"]).code(0);
}

/// Hold dpkg's frontend lock (as a running apt would) for `secs` seconds.
fn hold_dpkg_lock(secs: u32) -> std::process::Child {
    let mut child = Command::new("python3")
        .args([
            "-c",
            &format!(
                "import fcntl,time\nf=open('/var/lib/dpkg/lock-frontend','w')\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint('held',flush=True)\ntime.sleep({secs})\n"
            ),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    use std::io::BufRead;
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "held\n");
    child
}

#[test]
fn a_package_step_has_its_own_long_timeout() {
    let ssh = SshFleet::start(&[Sudo::NoPassword]);
    // coreutils is installed and has no newer version: apt-get only waits and does nothing.
    let pack = "description: a slow package step\npackages:\n  - coreutils: \">= 999\"\n";
    let env = fleet_env(&ssh, pack, &[], ", command_timeout: 2s");
    // apt waits for the lock longer than the 2 s command timeout, within --timeout.
    let mut lock = hold_dpkg_lock(5);
    let run = env.run(&["apply", "host1", "--yes"]);
    let _ = lock.wait();
    run.code(1);
    assert!(
        run.stdout
            .contains("host1  ⚠ applied, still 1 mismatch(es):\n  package coreutils: "),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    // --timeout bounds the package step.
    let mut lock = hold_dpkg_lock(5);
    let run = env.run(&["apply", "host1", "--yes", "--timeout", "1s"]);
    let _ = lock.wait();
    run.code(3);
    assert!(
        run.stdout.contains(
            "host1  ✗ system changes (sudo) failed (exit -): the command did not finish within 1s\n"
        ),
        "{}",
        run.stdout
    );
    let run = env.run(&["apply", "host1", "--yes", "--timeout", "soon"]);
    run.code(2);
    assert!(
        run.stderr
            .contains("`soon` is not a duration like 90s, 45m or 2h"),
        "{}",
        run.stderr
    );
}

#[test]
fn terminal_escapes_in_a_machine_s_file_are_shown_escaped() {
    let ssh = SshFleet::start(&[Sudo::None]);
    put(
        &ssh.hosts[0],
        "esc.txt",
        b"\x1b]0;pwned\x07\x1b[2Jhello\n",
        0o644,
    );
    let pack = "description: escapes\nfiles:\n  - { path: ~/esc.txt, content: \"hello\\n\" }\n";
    let env = fleet_env(&ssh, pack, &[], "");
    let run = env.run(&["diff", "host1"]);
    run.code(1);
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
    assert!(!run.stdout.contains('\x07'), "{:?}", run.stdout);
    assert!(
        run.stdout
            .contains("    -\\u{1b}]0;pwned\\u{7}\\u{1b}[2Jhello\n"),
        "{:?}",
        run.stdout
    );
}

#[test]
fn apply_honours_concurrency() {
    let ssh = SshFleet::start(&[Sudo::NoPassword, Sudo::NoPassword, Sudo::NoPassword]);
    let pack = "description: a package step that waits\npackages:\n  - coreutils: \">= 999\"\n";
    let env = fleet_env(&ssh, pack, &[], "");
    // While apt waits for the lock, count the hosts whose package step is running at once
    // (sudo's arguments name the host user's HOME and the apt-get call).
    let homes: Vec<Vec<u8>> = ssh
        .hosts
        .iter()
        .map(|h| format!("HOME={}", h.home.display()).into_bytes())
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut most = 0;
            while !stop.load(Ordering::SeqCst) {
                let mut running = std::collections::BTreeSet::new();
                for entry in std::fs::read_dir("/proc").unwrap().flatten() {
                    let Ok(args) = std::fs::read(entry.path().join("cmdline")) else {
                        continue;
                    };
                    if contains(&args, b"apt-get install") {
                        running.extend(homes.iter().position(|h| contains(&args, h)));
                    }
                }
                most = most.max(running.len());
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            most
        })
    };
    let mut lock = hold_dpkg_lock(3);
    let run = env.run(&["apply", "--all", "--yes", "--concurrency", "1"]);
    let _ = lock.wait();
    stop.store(true, Ordering::SeqCst);
    let most = watcher.join().unwrap();
    assert_eq!(most, 1, "machines applied at once with --concurrency 1");
    run.code(1);
    assert_eq!(
        run.stdout
            .matches("⚠ applied, still 1 mismatch(es):")
            .count(),
        3,
        "{}",
        run.stdout
    );
}

#[test]
fn a_link_to_a_device_or_a_fifo_at_a_file_s_path_does_not_hang_the_check() {
    let ssh = SshFleet::start(&[Sudo::None]);
    let host = &ssh.hosts[0];
    std::fs::create_dir_all(host.home.join(".hl-adv")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", host.home.join(".hl-adv/zero.conf")).unwrap();
    sh(&format!(
        "mkfifo {}",
        host.home.join(".hl-adv/fifo.conf").display()
    ));
    sh(&format!(
        "chown -R -h {u}:{u} {}",
        host.home.display(),
        u = host.user
    ));
    let pack = "description: endless files\nfiles:\n  - { path: ~/.hl-adv/zero.conf, content: \"x\\n\" }\n  - { path: ~/.hl-adv/fifo.conf, content: \"x\\n\" }\n";
    let env = fleet_env(&ssh, pack, &[], ", command_timeout: 5s");
    let run = env.run(&["diff", "host1"]);
    run.code(1);
    assert_eq!(
        run.stdout,
        "host1  ⚠ 2 mismatches\n  ~/.hl-adv/zero.conf is a symbolic link, not a regular file (apply will not replace it)\n  ~/.hl-adv/fifo.conf is a fifo, not a regular file (apply will not replace it)\n"
    );
    env.run(&["apply", "host1", "--yes"]).code(4);
    assert!(
        std::fs::symlink_metadata(host.home.join(".hl-adv/zero.conf"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}
