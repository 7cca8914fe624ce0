//! `homelabcmd secrets`: the identity and secrets.yaml, set/get/list/rm, recipients, the
//! name binding, interop with the `age` CLI (Debian's age package), validation of
//! `secret:NAME`, and that no value reaches output unless asked for with `get --reveal`.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::json;

use crate::common::{Run, TestEnv};

/// The key of age's published test vectors: the demo secrets of this repository use it.
const DEMO_KEY: &str = "AGE-SECRET-KEY-1GQ9778VQXMMJVE8SK7J6VT8UJ4HDQAJUVSFCWCM02D8GEWQ72PVQ2Y5J33";
const DEMO_PUBLIC: &str = "age1t7rxyev2z3rw82stdlrrepyc39nvn86l5078zqkf5uasdy86jp6svpy7pa";

const NEXT: &str = "Next: commit secrets.yaml (homelabcmd reads the committed fleet).\n";

/// A value distinctive enough to search every output for.
const SECRET: &str = "s3cr3t-Zebra-Quokka-42";

fn identity_path(env: &TestEnv) -> PathBuf {
    env.home.join(".config/homelabcmd/identity.txt")
}

/// The public key recorded in an identity file (`# public key: age1…`).
fn public_key(identity: &Path) -> String {
    std::fs::read_to_string(identity)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .expect("a public key comment")
        .to_string()
}

/// The binary with `input` on stdin and extra environment variables.
fn run_with(env: &TestEnv, args: &[&str], input: &[u8], vars: &[(&str, &str)]) -> Run {
    let mut cmd = env.cmd(args);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("homelabcmd runs");
    // A command that exits before reading its input closes the pipe: then its exit code and
    // stderr below say why, which a panic on the broken pipe here would hide.
    if let Err(e) = child.stdin.take().unwrap().write_all(input) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn set(env: &TestEnv, name: &str, value: &str) -> Run {
    run_with(env, &["secrets", "set", name], value.as_bytes(), &[])
}

/// Neither stream mentions `value`.
fn assert_quiet(run: &Run, value: &str) {
    assert!(
        !run.stdout.contains(value) && !run.stderr.contains(value),
        "the value leaked:\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
}

/// The lines of secrets.yaml that hold entry `name` (its name, mac and value).
fn entry(text: &str, name: &str) -> String {
    let head = format!("  {name}:");
    let mut out = String::new();
    let mut inside = false;
    for line in text.lines() {
        if line == head {
            inside = true;
        } else if inside && !line.starts_with("    ") {
            break;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(!out.is_empty(), "no entry `{name}` in:\n{text}");
    out
}

/// The armored age file of entry `name`, as `age` reads it.
fn armored(text: &str, name: &str) -> String {
    entry(text, name)
        .lines()
        .filter_map(|l| l.strip_prefix("      "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// A fleet repository with an identity and secrets.yaml (recipient `me`).
fn with_secrets() -> TestEnv {
    let env = TestEnv::fleet();
    env.run(&["secrets", "init", "--name", "me"]).code(0);
    env
}

/// A new identity made by Debian's `age-keygen`: (file, public key, secret key).
fn age_keygen(dir: &Path, name: &str) -> (PathBuf, String, String) {
    let path = dir.join(name);
    let out = Command::new("age-keygen")
        .args(["-o", path.to_str().unwrap()])
        .output()
        .expect("age-keygen runs (apt-get install age)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let secret = text
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .unwrap()
        .to_string();
    let public = public_key(&path);
    (path, public, secret)
}

/// `age -d -i IDENTITY` on an armored file: (success, stdout).
fn age_decrypt(identity: &Path, armored: &str, dir: &Path) -> (bool, Vec<u8>) {
    let file = dir.join("value.age");
    std::fs::write(&file, armored).unwrap();
    let out = Command::new("age")
        .args(["-d", "-i"])
        .arg(identity)
        .arg(&file)
        .output()
        .expect("age runs (apt-get install age)");
    (out.status.success(), out.stdout)
}

#[test]
fn init_makes_a_private_identity_and_secrets_yaml() {
    let env = TestEnv::fleet();
    let run = env.run(&["secrets", "init", "--name", "me@laptop"]);
    run.code(0);
    let identity = identity_path(&env);
    let key = public_key(&identity);
    assert!(key.starts_with("age1"), "{key}");
    assert_eq!(
        run.stdout,
        format!(
            "Created an age identity in {} (mode 0600): back it up, without it the secrets cannot be decrypted.\n\
             Public key: {key}\n\
             Created secrets.yaml with this identity as its recipient.\n\
             Next: add secrets with `homelabcmd secrets set NAME`, and commit secrets.yaml.\n",
            identity.display()
        )
    );
    assert_eq!(run.stderr, "");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&identity), 0o600);
    assert_eq!(mode(identity.parent().unwrap()), 0o700);
    let id_text = std::fs::read_to_string(&identity).unwrap();
    assert!(
        id_text.starts_with(&format!(
            "# created: 2026-11-25T12:00:00Z\n# public key: {key}\nAGE-SECRET-KEY-1"
        )),
        "{id_text}"
    );
    assert_eq!(
        std::fs::read_to_string(env.path("secrets.yaml")).unwrap(),
        format!(
            "# secrets.yaml: managed by `homelabcmd secrets`. Names are in clear; each value is encrypted\n\
             # on its own with age to every recipient (`age -d -i IDENTITY` decrypts one), and its `mac`\n\
             # binds it to its name. Change it with `homelabcmd secrets set|rm|recipients`, not by hand.\n\
             version: 1\n\
             recipients:\n  - {{ name: me@laptop, key: {key} }}\n\
             secrets: {{}}\n"
        )
    );
    // Written in the work tree, for the operator to commit (beside it: the database holding
    // the audit entry of the change, at its default ./data/homelab.db).
    assert_eq!(
        env.git(&["status", "--porcelain"]),
        "?? data/\n?? secrets.yaml"
    );

    // Again: nothing is overwritten.
    let run = env.run(&["secrets", "init"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        format!(
            "Using the age identity in {}.\nPublic key: {key}\nsecrets.yaml already lists this identity as a recipient: nothing to change.\n",
            identity.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&identity).unwrap(), id_text);

    // Someone else with the repository: an identity of their own, and what to ask for.
    let other = TestEnv::fleet();
    std::fs::copy(env.path("secrets.yaml"), other.path("secrets.yaml")).unwrap();
    let run = other.run(&["secrets", "init", "-o", "json"]);
    run.code(0);
    let theirs = public_key(&identity_path(&other));
    assert_ne!(theirs, key);
    assert_eq!(
        run.json(),
        json!({
            "identity": {"source": "file", "path": identity_path(&other).display().to_string(), "created": true, "public_key": theirs},
            "file": other.path("secrets.yaml").display().to_string(),
            "created": false,
            "recipient": false
        })
    );
    let run = other.run(&["secrets", "init"]);
    assert_eq!(
        run.stdout,
        format!(
            "Using the age identity in {}.\nPublic key: {theirs}\nsecrets.yaml exists, and this identity is not one of its recipients.\n\
             Next: ask a recipient to run `homelabcmd secrets recipients add {theirs}` and commit it.\n",
            identity_path(&other).display()
        )
    );
}

#[test]
fn set_get_list_rm() {
    let env = with_secrets();
    let run = set(&env, "db_password", &format!("{SECRET}\n"));
    run.code(0);
    assert_eq!(
        run.stdout,
        format!("Added secret `db_password` to secrets.yaml, encrypted to 1 recipient.\n{NEXT}")
    );
    assert_eq!(run.stderr, "");
    let key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
    set(&env, "ssh_key", key).code(0);

    // Without --reveal: it exists, and how to see it.
    let run = env.run(&["secrets", "get", "db_password"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        "Secret `db_password` is set, encrypted to 1 recipient.\nPrint it with `homelabcmd secrets get db_password --reveal`.\n"
    );
    assert_eq!(
        env.run(&["secrets", "get", "db_password", "-o", "json"])
            .json(),
        json!({"name": "db_password", "exists": true})
    );
    // With it: exactly the value (one line: echo's newline dropped; no newline added off a
    // terminal), and a multi-line value exactly as given.
    let run = env.run(&["secrets", "get", "db_password", "--reveal"]);
    run.code(0);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), (SECRET, ""));
    assert_eq!(
        env.run(&["secrets", "get", "ssh_key", "--reveal"]).stdout,
        key
    );

    let run = env.run(&["secrets", "list"]);
    run.code(0);
    let me = public_key(&identity_path(&env));
    assert_eq!(
        run.stdout,
        format!("SECRET\ndb_password\nssh_key\n\nRECIPIENT  KEY\nme         {me}\n")
    );
    assert_eq!(
        env.run(&["secrets", "list", "-o", "json"]).json(),
        json!({"secrets": ["db_password", "ssh_key"], "recipients": [{"name": "me", "key": me}]})
    );

    // Updating keeps the other entry as it was.
    let before = std::fs::read_to_string(env.path("secrets.yaml")).unwrap();
    let run = set(&env, "db_password", "another");
    assert_eq!(
        run.stdout,
        format!("Updated secret `db_password` in secrets.yaml, encrypted to 1 recipient.\n{NEXT}")
    );
    let after = std::fs::read_to_string(env.path("secrets.yaml")).unwrap();
    assert_eq!(entry(&after, "ssh_key"), entry(&before, "ssh_key"));
    assert_ne!(entry(&after, "db_password"), entry(&before, "db_password"));

    let run = env.run(&["secrets", "rm", "ssh_key"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        format!(
            "Removed secret `ssh_key` from secrets.yaml.\nIts value stays in git history: change the secret itself if it must stop working.\n{NEXT}"
        )
    );
    assert_eq!(
        env.run(&["secrets", "list", "-o", "json"]).json()["secrets"],
        json!(["db_password"])
    );

    // Unknown names, bad names, empty values: exit 2, with what would be valid.
    let run = env.run(&["secrets", "get", "db_pasword", "--reveal"]);
    run.code(2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: unknown secret `db_pasword`\nhint: did you mean `db_password`? `homelabcmd secrets list` shows them all\n"
    );
    let run = env.run(&["secrets", "rm", "nope"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: unknown secret `nope`\nhint: add it with `homelabcmd secrets set nope`; secrets: db_password\n"
    );
    let run = set(&env, "-x", "v");
    run.code(2);
    let run = set(&env, "bad/name", "v");
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: `bad/name` is not a valid secret name: it may only hold letters, digits, `_`, `-` and `.`\n\
         hint: a name is 1 to 64 letters, digits, `_`, `-` and `.`, starting with a letter, digit or `_`\n"
    );
    let run = set(&env, "empty", "\n");
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: the value is empty; nothing was changed\nhint: pipe it in: `homelabcmd secrets set empty < FILE`, or run it on a terminal to be asked for it\n"
    );
    // Changes go to the work tree only.
    let run = run_with(&env, &["secrets", "set", "x", "--rev", "HEAD"], b"v", &[]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: --rev reads a commit; `secrets set` changes secrets.yaml in the work tree\nhint: drop --rev: changes go to the work tree, for you to commit\n"
    );
}

#[test]
fn a_value_is_never_taken_from_the_command_line() {
    let env = with_secrets();
    let run = env.run(&["secrets", "set", "db_password", SECRET]);
    run.code(2);
    assert_quiet(&run, SECRET);
    assert_eq!(
        run.stderr,
        "error: `secrets set` takes no value on the command line: it would stay in shell history and `ps`\n\
         hint: pipe it in: `homelabcmd secrets set db_password < FILE`, or run it on a terminal to be asked for it\n"
    );
    assert_eq!(
        env.run(&["secrets", "list", "-o", "json"]).json()["secrets"],
        json!([])
    );
}

/// Run `args` on a terminal (a pty from util-linux's `script`), typing each answer once its
/// prompt shows; (exit code, everything the terminal showed).
fn on_terminal(env: &TestEnv, args: &str, answers: &[(&str, &str)]) -> (i32, String) {
    use std::io::Read;
    use std::sync::{Arc, Mutex};
    let mut child = Command::new("script")
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
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("script runs (util-linux)");
    let screen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&screen);
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let shown = || String::from_utf8_lossy(&screen.lock().unwrap()).into_owned();
    let mut stdin = child.stdin.take().unwrap();
    for (prompt, answer) in answers {
        let mut waited = 0;
        while !shown().contains(prompt) {
            assert!(
                waited < 400,
                "no prompt {prompt:?}; the terminal shows {:?}",
                shown()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
            waited += 1;
        }
        stdin.write_all(format!("{answer}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    let status = child.wait().unwrap();
    drop(stdin);
    reader.join().unwrap();
    (status.code().unwrap_or(-1), shown())
}

#[test]
fn on_a_terminal_set_asks_twice_and_echoes_nothing() {
    let env = with_secrets();
    let first = "Value for `tty_value` (not shown): ";
    let again = "The same again: ";
    let (code, screen) = on_terminal(
        &env,
        "secrets set tty_value",
        &[(first, SECRET), (again, SECRET)],
    );
    assert_eq!(
        (code, screen.as_str()),
        (
            0,
            "Value for `tty_value` (not shown): \r\nThe same again: \r\n\
             Added secret `tty_value` to secrets.yaml, encrypted to 1 recipient.\r\n\
             Next: commit secrets.yaml (homelabcmd reads the committed fleet).\r\n"
        )
    );
    assert_eq!(
        env.run(&["secrets", "get", "tty_value", "--reveal"]).stdout,
        SECRET
    );
    // On a terminal, --reveal ends the value with a newline for the person reading it.
    let (code, screen) = on_terminal(&env, "secrets get tty_value --reveal", &[]);
    assert_eq!((code, screen), (0, format!("{SECRET}\r\n")));

    let (code, screen) = on_terminal(
        &env,
        "secrets set tty_value",
        &[(first, "one"), (again, "two")],
    );
    assert_eq!(
        (code, screen.as_str()),
        (
            2,
            "Value for `tty_value` (not shown): \r\nThe same again: \r\n\
             error: the two values differ; nothing was changed\r\n"
        )
    );
    assert_eq!(
        env.run(&["secrets", "get", "tty_value", "--reveal"]).stdout,
        SECRET
    );
}

#[test]
fn changing_one_secret_changes_one_entry() {
    let env = with_secrets();
    for name in ["alpha", "bravo", "charlie"] {
        set(&env, name, &format!("{name}-value")).code(0);
    }
    env.commit("three secrets");
    let before = std::fs::read_to_string(env.path("secrets.yaml")).unwrap();

    set(&env, "bravo", "bravo-new").code(0);
    let after = std::fs::read_to_string(env.path("secrets.yaml")).unwrap();
    for name in ["alpha", "charlie"] {
        assert_eq!(
            entry(&after, name),
            entry(&before, name),
            "{name} was rewritten"
        );
    }
    let diff = env.git(&["diff", "--", "secrets.yaml"]);
    assert_eq!(diff.matches("\n@@ ").count(), 1, "{diff}");
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect();
    let bravo = format!("{}{}", entry(&before, "bravo"), entry(&after, "bravo"));
    assert!(
        changed.iter().all(|l| bravo.lines().any(|b| b == &l[1..])),
        "lines outside `bravo` changed:\n{diff}"
    );

    // Removing one removes only its lines.
    env.commit("bravo changed");
    env.run(&["secrets", "rm", "alpha"]).code(0);
    let removed = std::fs::read_to_string(env.path("secrets.yaml")).unwrap();
    assert_eq!(removed, after.replace(&entry(&after, "alpha"), ""));
}

#[test]
fn the_age_cli_decrypts_a_value_copied_out() {
    let env = with_secrets();
    let key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
    set(&env, "ssh_key", key).code(0);
    set(
        &env,
        "webhook",
        "https://hooks.slack.com/services/T0/B0/X\n",
    )
    .code(0);
    let text = std::fs::read_to_string(env.path("secrets.yaml")).unwrap();
    let identity = identity_path(&env);
    assert_eq!(
        age_decrypt(&identity, &armored(&text, "ssh_key"), &env.home),
        (true, key.as_bytes().to_vec())
    );
    assert_eq!(
        age_decrypt(&identity, &armored(&text, "webhook"), &env.home),
        (true, b"https://hooks.slack.com/services/T0/B0/X".to_vec())
    );
}

#[test]
fn recipients_add_and_rm_re_encrypt_every_value() {
    let env = with_secrets();
    set(&env, "db_password", SECRET).code(0);
    set(&env, "webhook", "https://example.invalid/hook").code(0);
    let (second_file, second, second_key) = age_keygen(&env.home, "second.txt");
    let as_second = [("HOMELABCMD_ENCRYPTION_KEY", second_key.as_str())];

    // Not yet a recipient: refused, with its public key in the hint.
    let run = run_with(
        &env,
        &["secrets", "get", "db_password", "--reveal"],
        b"",
        &as_second,
    );
    run.code(4);
    assert_eq!(
        run.stderr,
        format!(
            "error: this identity cannot decrypt secret `db_password`: it is not one of its recipients\n\
             hint: ask someone who can read the secrets to run `homelabcmd secrets recipients add {second}`, then pull their commit\n"
        )
    );

    let run = env.run(&["secrets", "recipients", "add", &second, "--name", "second"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        format!(
            "Added recipient second ({second}); re-encrypted 2 secrets to 2 recipients.\n{NEXT}"
        )
    );
    assert_quiet(&run, SECRET);
    let run = run_with(
        &env,
        &["secrets", "get", "db_password", "--reveal"],
        b"",
        &as_second,
    );
    run.code(0);
    assert_eq!(run.stdout, SECRET);
    let text = std::fs::read_to_string(env.path("secrets.yaml")).unwrap();
    assert_eq!(
        age_decrypt(&second_file, &armored(&text, "webhook"), &env.home),
        (true, b"https://example.invalid/hook".to_vec())
    );
    let me = public_key(&identity_path(&env));
    assert_eq!(
        env.run(&["secrets", "list", "-o", "json"]).json()["recipients"],
        json!([{"name": "me", "key": me}, {"name": "second", "key": second}])
    );
    // Adding it again changes nothing.
    let run = env.run(&["secrets", "recipients", "add", &second]);
    run.code(0);
    assert_eq!(
        run.stdout,
        format!("second ({second}) is already a recipient: nothing to change.\n")
    );
    assert_eq!(
        std::fs::read_to_string(env.path("secrets.yaml")).unwrap(),
        text
    );

    let run = env.run(&["secrets", "recipients", "rm", "second", "-o", "json"]);
    run.code(0);
    assert_eq!(
        run.json(),
        json!({
            "recipient": {"name": "second", "key": second}, "change": "removed",
            "reencrypted": 2, "recipients": 1, "file": env.path("secrets.yaml").display().to_string()
        })
    );
    let run = run_with(
        &env,
        &["secrets", "get", "db_password", "--reveal"],
        b"",
        &as_second,
    );
    run.code(4);
    assert_quiet(&run, SECRET);
    let text = std::fs::read_to_string(env.path("secrets.yaml")).unwrap();
    assert!(!age_decrypt(&second_file, &armored(&text, "webhook"), &env.home).0);
    assert_eq!(
        env.run(&["secrets", "get", "db_password", "--reveal"])
            .stdout,
        SECRET
    );

    // Never the last one; unknown ones are named with the valid choices.
    let run = env.run(&["secrets", "recipients", "rm", &me]);
    run.code(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: me ({me}) is the only recipient: without it nobody could decrypt the secrets\n\
             hint: add the new recipient first with `homelabcmd secrets recipients add`, then remove this one\n"
        )
    );
    let run = env.run(&["secrets", "recipients", "rm", "mee"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: `mee` is not a recipient\nhint: did you mean `me`? valid recipients (names or keys): me, {me}\n"
        )
    );
    let run = env.run(&[
        "secrets",
        "recipients",
        "add",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI",
    ]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: `ssh-ed25519 AAAA…` is an SSH key; only age X25519 keys (age1…) are supported\n\
         hint: an age public key looks like age1…; `age-keygen -y IDENTITY` or `homelabcmd secrets init` prints it\n"
    );

    let run = env.run(&[
        "secrets",
        "recipients",
        "add",
        &second,
        "--name",
        "alex desktop",
    ]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: `alex desktop` cannot name a recipient: it must be 1 to 64 letters, digits, `_`, `-`, `.` and `@`, starting with a letter or digit\n\
         hint: name recipients after a person and a machine, e.g. --name alex@desktop\n"
    );

    // An identity that cannot decrypt the values may not re-encrypt them.
    let (_, third, third_key) = age_keygen(&env.home, "third.txt");
    let before = std::fs::read_to_string(env.path("secrets.yaml")).unwrap();
    let run = run_with(
        &env,
        &["secrets", "recipients", "add", &third],
        b"",
        &[("HOMELABCMD_ENCRYPTION_KEY", third_key.as_str())],
    );
    run.code(4);
    assert_eq!(
        run.stderr,
        format!(
            "error: this identity cannot decrypt secret `db_password`: it is not one of its recipients\n\
             hint: ask someone who can read the secrets to run `homelabcmd secrets recipients add {third}`, then pull their commit\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(env.path("secrets.yaml")).unwrap(),
        before
    );
}

#[test]
fn a_ciphertext_moved_to_another_name_is_refused() {
    let env = with_secrets();
    set(&env, "admin_password", SECRET).code(0);
    set(&env, "guest_password", "guest").code(0);
    let text = std::fs::read_to_string(env.path("secrets.yaml")).unwrap();
    let admin = entry(&text, "admin_password");
    let guest = entry(&text, "guest_password");

    // Someone with write access but no identity moves the admin value under the guest name.
    let moved = text.replace(
        &guest,
        &admin.replace("  admin_password:", "  guest_password:"),
    );
    env.write("secrets.yaml", &moved);
    let run = env.run(&["secrets", "get", "guest_password", "--reveal"]);
    run.code(4);
    assert_quiet(&run, SECRET);
    let line = moved
        .lines()
        .position(|l| l == "  guest_password:")
        .unwrap()
        + 1;
    assert_eq!(
        run.stderr,
        format!(
            "error: secret `guest_password` (secrets.yaml:{line}:3) failed its name check: this ciphertext was not written for `guest_password`\n\
             hint: someone moved or edited this entry; find out with `git log -p secrets.yaml`\n\
             hint: restore secrets.yaml from a good commit, or set the value again with `homelabcmd secrets set guest_password`\n"
        )
    );
    // Keeping the guest's own `mac` does not help.
    let indented =
        |armor: String| -> String { armor.lines().map(|l| format!("      {l}\n")).collect() };
    let value_only = text.replace(
        &indented(armored(&guest, "guest_password")),
        &indented(armored(&admin, "admin_password")),
    );
    assert_ne!(value_only, text);
    env.write("secrets.yaml", &value_only);
    env.run(&["secrets", "get", "guest_password", "--reveal"])
        .code(4);
    // Nor does re-encrypting launder it: the recipients stay as they were.
    let (_, other, _) = age_keygen(&env.home, "other.txt");
    let run = env.run(&["secrets", "recipients", "add", &other]);
    run.code(4);
    assert!(
        run.stderr
            .starts_with("error: secret `guest_password` (secrets.yaml:"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(env.path("secrets.yaml")).unwrap(),
        value_only
    );
    // The untouched entry still opens.
    assert_eq!(
        env.run(&["secrets", "get", "admin_password", "--reveal"])
            .stdout,
        SECRET
    );
}

#[test]
fn identities_wrong_missing_or_from_the_environment() {
    let env = with_secrets();
    set(&env, "db_password", SECRET).code(0);

    // The identity file gone: a configuration error, with how to get one.
    let identity = identity_path(&env);
    let saved = std::fs::read(&identity).unwrap();
    std::fs::remove_file(&identity).unwrap();
    let run = env.run(&["secrets", "get", "db_password", "--reveal"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: no age identity: {} does not exist and HOMELABCMD_ENCRYPTION_KEY is not set\n\
             hint: create one with `homelabcmd secrets init`, or set HOMELABCMD_ENCRYPTION_KEY to an AGE-SECRET-KEY-1… string\n",
            identity.display()
        )
    );
    // Garbage in the variable is named, never shown.
    let run = run_with(
        &env,
        &["secrets", "get", "db_password", "--reveal"],
        b"",
        &[("HOMELABCMD_ENCRYPTION_KEY", "AGE-SECRET-KEY-1TYPO")],
    );
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: HOMELABCMD_ENCRYPTION_KEY: not an age X25519 identity (AGE-SECRET-KEY-1…)\n\
         hint: an identity is an AGE-SECRET-KEY-1… line, as written by `homelabcmd secrets init` or `age-keygen`\n"
    );
    // The variable instead of the file: the key of the identity file works from it.
    let key = String::from_utf8(saved)
        .unwrap()
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .unwrap()
        .to_string();
    let as_env = [("HOMELABCMD_ENCRYPTION_KEY", key.as_str())];
    let run = run_with(
        &env,
        &["secrets", "get", "db_password", "--reveal"],
        b"",
        &as_env,
    );
    run.code(0);
    assert_eq!(run.stdout, SECRET);
    assert!(!identity.exists());

    // A fleet started with the variable set writes no identity file.
    let fresh = TestEnv::fleet();
    let demo = [("HOMELABCMD_ENCRYPTION_KEY", DEMO_KEY)];
    let run = run_with(&fresh, &["secrets", "init"], b"", &demo);
    run.code(0);
    assert_eq!(
        run.stdout,
        format!(
            "Using the age identity in HOMELABCMD_ENCRYPTION_KEY.\nPublic key: {DEMO_PUBLIC}\n\
             Created secrets.yaml with this identity as its recipient.\n\
             Next: add secrets with `homelabcmd secrets set NAME`, and commit secrets.yaml.\n"
        )
    );
    assert!(!fresh.home.join(".config").exists());
    run_with(
        &fresh,
        &["secrets", "set", "token"],
        SECRET.as_bytes(),
        &demo,
    )
    .code(0);
    let run = run_with(&fresh, &["secrets", "get", "token", "--reveal"], b"", &demo);
    assert_eq!((run.code, run.stdout.as_str()), (0, SECRET));
    // Without it, this HOME has no identity at all.
    fresh.run(&["secrets", "get", "token", "--reveal"]).code(2);
}

#[test]
fn no_value_reaches_the_output_of_other_commands() {
    let env = with_secrets();
    let (_, second, _) = age_keygen(&env.home, "second.txt");
    let runs = vec![
        set(&env, "db_password", SECRET),
        env.run(&["secrets", "get", "db_password"]),
        env.run(&["secrets", "get", "db_password", "-o", "json"]),
        env.run(&["secrets", "list"]),
        env.run(&["secrets", "list", "-o", "json"]),
        env.run(&["secrets", "recipients", "add", &second, "-o", "json"]),
        env.run(&["secrets", "recipients", "rm", &second]),
        env.run(&["secrets", "get", "db_pasword"]),
        env.run(&["validate", "--worktree", "-o", "json"]),
        run_with(
            &env,
            &["secrets", "set", "db_password", "-o", "json"],
            SECRET.as_bytes(),
            &[],
        ),
        env.run(&["secrets", "rm", "db_password", "-v"]),
    ];
    for run in &runs {
        assert_quiet(run, SECRET);
    }
    assert_eq!(runs[0].code, 0);
    assert_eq!(
        runs[9].json(),
        json!({"name": "db_password", "change": "updated", "file": env.path("secrets.yaml").display().to_string(), "recipients": 1})
    );
}

#[test]
fn validate_checks_secret_references_by_name_only() {
    let fleet = "version: 1\ndefaults:\n  notify:\n    - slack: secret:slack_webhook\nmachines:\n  web1:\n    address: web1.lan\n    ssh: { sudo_password: secret:web1_sudo }\n";
    let env = TestEnv::with_files(&[("fleet.yaml", fleet)]);
    let head = || env.git(&["rev-parse", "--short=7", "HEAD"]);

    // No secrets.yaml: every reference, with how to start.
    let run = env.run(&["validate"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        format!(
            "fleet.yaml:4:14: unknown secret `slack_webhook`: there is no secrets.yaml in commit {h} (HEAD)
 4 |     - slack: secret:slack_webhook
   |              ^^^^^^^^^^^^^^^^^^^^
  hint: create it with `homelabcmd secrets init`, then add the secret with `homelabcmd secrets set slack_webhook`

fleet.yaml:8:27: unknown secret `web1_sudo`: there is no secrets.yaml in commit {h} (HEAD)
 8 |     ssh: {{ sudo_password: secret:web1_sudo }}
   |                           ^^^^^^^^^^^^^^^^
  hint: create it with `homelabcmd secrets init`, then add the secret with `homelabcmd secrets set web1_sudo`
error: the fleet is invalid: 2 problems in 1 file
",
            h = head()
        )
    );

    // secrets.yaml in the work tree only: the committed fleet says where it is.
    env.run(&["secrets", "init"]).code(0);
    set(&env, "slack_webhook", "https://hooks.slack.com/services/X").code(0);
    set(&env, "web1_sudo", SECRET).code(0);
    let run = env.run(&["validate", "-q"]);
    run.code(2);
    assert!(
        run.stderr.contains("  hint: secrets.yaml is in the work tree but not committed: commit it, or use --worktree\n"),
        "{}",
        run.stderr
    );
    let run = env.run(&["validate", "--worktree"]);
    run.code(0);
    env.commit("secrets");
    env.run(&["validate"]).code(0);

    // A typo: the nearest name. No identity is needed, nothing is decrypted.
    std::fs::remove_file(identity_path(&env)).unwrap();
    env.write(
        "fleet.yaml",
        &fleet.replace("secret:web1_sudo", "secret:web1-sudo"),
    );
    let run = env.run(&["validate", "--worktree"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "fleet.yaml:8:27: unknown secret `web1-sudo`
 8 |     ssh: { sudo_password: secret:web1-sudo }
   |                           ^^^^^^^^^^^^^^^^
  hint: did you mean `web1_sudo`? valid secrets (in secrets.yaml): slack_webhook, web1_sudo
error: the fleet is invalid: 1 problem in 1 file
"
    );
    assert_quiet(&run, SECRET);

    // A broken secrets.yaml is a fleet problem of its own, with file:line:col.
    let text = std::fs::read_to_string(env.path("secrets.yaml")).unwrap();
    env.write("fleet.yaml", fleet);
    env.write(
        "secrets.yaml",
        &text.replace("version: 1", "version: 1\nsecret: {}"),
    );
    let run = env.run(&["validate", "--worktree"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "secrets.yaml:5:1: unknown key `secret` in secrets.yaml
 5 | secret: {}
   | ^^^^^^
  hint: did you mean `secrets`? valid keys: version, recipients, secrets
error: the fleet is invalid: 1 problem in 1 file
"
    );
    let run = env.run(&["secrets", "list"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "secrets.yaml:5:1: unknown key `secret` in secrets.yaml
 5 | secret: {}
   | ^^^^^^
  hint: did you mean `secrets`? valid keys: version, recipients, secrets
error: secrets.yaml is invalid: 1 problem
hint: secrets.yaml is written by `homelabcmd secrets`; restore it from git (`git checkout -- secrets.yaml`) if it was edited by hand
"
    );
}

#[test]
fn list_and_get_read_a_commit_with_rev() {
    let env = with_secrets();
    set(&env, "first", "1").code(0);
    env.commit("first");
    set(&env, "second", "2").code(0);
    assert_eq!(
        env.run(&["secrets", "list", "-o", "json"]).json()["secrets"],
        json!(["first", "second"])
    );
    assert_eq!(
        env.run(&["secrets", "list", "-o", "json", "--rev", "HEAD"])
            .json()["secrets"],
        json!(["first"])
    );
    let run = env.run(&["secrets", "get", "second", "--rev", "HEAD"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: unknown secret `second`\nhint: add it with `homelabcmd secrets set second`; secrets: first\n"
    );
    assert_eq!(
        env.run(&["secrets", "get", "first", "--reveal", "--rev", "HEAD"])
            .stdout,
        "1"
    );
}

/// This repository's fleet.yaml refers to two secrets; its secrets.yaml holds fake demo values
/// encrypted to age's published test key, so the example validates and can be decrypted.
#[test]
fn this_repository_s_demo_secrets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let env = TestEnv::empty();
    let repo = root.to_str().unwrap();
    let run = env.run(&["validate", "--worktree", "--repo", repo]);
    run.code(0);
    let demo = [("HOMELABCMD_ENCRYPTION_KEY", DEMO_KEY)];
    let run = run_with(
        &env,
        &["secrets", "list", "-o", "json", "--repo", repo],
        b"",
        &demo,
    );
    assert_eq!(
        run.json(),
        json!({"secrets": ["laptoppro_sudo", "slack_webhook"], "recipients": [{"name": "demo", "key": DEMO_PUBLIC}]})
    );
    let run = run_with(
        &env,
        &[
            "secrets",
            "get",
            "slack_webhook",
            "--reveal",
            "--repo",
            repo,
        ],
        b"",
        &demo,
    );
    run.code(0);
    assert_eq!(
        run.stdout,
        "https://hooks.slack.com/services/DEMO/DEMO/DEMO"
    );
}
