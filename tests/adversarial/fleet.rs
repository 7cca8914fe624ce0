//! Adversarial fleet repositories: symbolic links under packs/ that would ship a file from
//! outside the repository (in a commit and in the work tree), owners and groups that chown
//! would read as options, YAML aliases that multiply ("billion laughs") and nesting that
//! would exhaust a stack. Each is refused with exit 2 at file:line:col; nothing else runs.

use std::os::unix::fs::symlink;
use std::process::Command;

use crate::common::{BASE_PACK, BIN, FLEET, TestEnv, run};

/// A fleet whose base pack ships `packs/files/secret` (and `packs/files/bashrc`).
fn fleet_with_secret_file() -> TestEnv {
    TestEnv::with_files(&[
        ("fleet.yaml", FLEET),
        (
            "packs/base.yaml",
            "files:\n  - { path: ~/.bashrc, source: files/bashrc }\n  - { path: ~/.config/k, source: files/secret }\n",
        ),
        ("packs/files/bashrc", "# bashrc\n"),
        ("packs/files/secret", "harmless\n"),
    ])
}

/// A private key outside the repository, as an attacker's link would target.
fn outside_key(env: &TestEnv) -> std::path::PathBuf {
    let key = env.home.join(".ssh/id_ed25519");
    std::fs::create_dir_all(key.parent().unwrap()).unwrap();
    std::fs::write(&key, "-----BEGIN OPENSSH PRIVATE KEY-----\nTOP-SECRET\n").unwrap();
    key
}

fn assert_link_refused(env: &TestEnv, args: &[&str], link: &str) {
    let out = env.run(args);
    out.code(2);
    assert!(
        out.stderr.contains(&format!(
            "`{link}` is a symbolic link; packs may not contain links"
        )),
        "{args:?}\n{}",
        out.stderr
    );
    assert!(out.stderr.contains("packs/base.yaml:3:"), "{}", out.stderr);
    assert!(!out.stdout.contains("TOP-SECRET") && !out.stderr.contains("TOP-SECRET"));
}

#[test]
fn a_symlinked_pack_file_is_refused_in_the_work_tree_and_in_a_commit() {
    let env = fleet_with_secret_file();
    let key = outside_key(&env);
    std::fs::remove_file(env.path("packs/files/secret")).unwrap();
    symlink(&key, env.path("packs/files/secret")).unwrap();
    // The work tree: reading would follow the link to the key.
    assert_link_refused(&env, &["validate", "--worktree"], "packs/files/secret");
    assert_link_refused(
        &env,
        &["packs", "show", "base", "--worktree"],
        "packs/files/secret",
    );
    // Committed: git stores the link itself; it is refused all the same.
    env.commit("a link");
    assert_link_refused(&env, &["validate"], "packs/files/secret");
}

#[test]
fn a_symlinked_directory_under_packs_is_refused() {
    let env = fleet_with_secret_file();
    let key = outside_key(&env);
    std::fs::remove_dir_all(env.path("packs/files")).unwrap();
    symlink(key.parent().unwrap(), env.path("packs/files")).unwrap();
    std::fs::write(env.home.join(".ssh/secret"), "TOP-SECRET\n").unwrap();
    std::fs::write(env.home.join(".ssh/bashrc"), "TOP-SECRET\n").unwrap();
    assert_link_refused(&env, &["validate", "--worktree"], "packs/files");
    env.commit("a directory link");
    assert_link_refused(&env, &["validate"], "packs/files");
}

#[test]
fn a_symlinked_pack_definition_is_refused() {
    let env = TestEnv::fleet();
    let outside = env.home.join("evil.yaml");
    std::fs::write(&outside, BASE_PACK).unwrap();
    std::fs::remove_file(env.path("packs/base.yaml")).unwrap();
    symlink(&outside, env.path("packs/base.yaml")).unwrap();
    for args in [&["validate", "--worktree"][..], &["validate"][..]] {
        if args.len() == 1 {
            env.commit("pack as a link");
        }
        let out = env.run(args);
        out.code(2);
        assert!(
            out.stderr
                .contains("packs/base.yaml is a symbolic link; fleet files may not be links"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn owners_and_groups_that_chown_could_misread_are_refused() {
    let cases = [
        ("owner", "--reference=/etc/shadow"),
        ("owner", "-R"),
        ("owner", "root:root"),
        ("owner", "root 0"),
        ("owner", "a;b"),
        ("owner", "$(id)"),
        ("owner", "../root"),
        ("owner", ""),
        ("owner", "9root"),
        ("owner", "x\\u001b[2J"),
        ("group", "--from=root"),
        ("group", "adm,root"),
        ("group", "a/b"),
        ("owner", "averyveryveryveryverylongusername1"),
    ];
    for (field, value) in cases {
        let pack = format!(
            "files:\n  - {{ path: /etc/x.conf, source: files/bashrc, {field}: \"{value}\" }}\n"
        );
        let env = TestEnv::with_files(&[
            ("fleet.yaml", FLEET),
            ("packs/base.yaml", &pack),
            ("packs/files/bashrc", "# bashrc\n"),
        ]);
        let out = env.run(&["validate"]);
        out.code(2);
        assert!(
            out.stderr.starts_with("packs/base.yaml:2:")
                && (out.stderr.contains(&format!("is not a valid {field} name"))
                    || value.is_empty() && out.stderr.contains("must not be empty")),
            "{field}: {value:?}\n{}",
            out.stderr
        );
        assert!(
            !out.stderr.contains('\u{1b}'),
            "raw escape in {:?}",
            out.stderr
        );
    }
    // Valid names, numeric ids and a directory's user:group pass.
    let pack = "files:\n  - { path: /etc/x.conf, source: files/bashrc, owner: www-data, group: \"1000\" }\n  - { path: /etc/y.conf, source: files/bashrc, owner: _apt, group: adm }\ndirectories:\n  - { path: /srv/app, owner: \"root:adm\" }\n";
    let env = TestEnv::with_files(&[
        ("fleet.yaml", FLEET),
        ("packs/base.yaml", pack),
        ("packs/files/bashrc", "# bashrc\n"),
    ]);
    env.run(&["validate"]).code(0);
}

#[test]
fn a_billion_laughs_fleet_is_refused_quickly_and_in_little_memory() {
    let mut text =
        String::from("version: 1\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=9 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("x{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("machines: {}\n");
    let env = TestEnv::with_files(&[("fleet.yaml", &text)]);
    // 512 MiB of address space: the expansion would need many GiB.
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v 524288; exec {BIN} validate"))
        .current_dir(&env.repo)
        .env("HOME", &env.home);
    let started = std::time::Instant::now();
    let out = run(cmd);
    out.code(2);
    assert!(
        out.stderr.starts_with("fleet.yaml:6:")
            && out
                .stderr
                .contains("aliases expand to more than 100000 nodes"),
        "{}",
        out.stderr
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn deeply_nested_yaml_is_refused() {
    for depth in [100, 100_000] {
        let text = format!(
            "version: 1\nmachines: {{}}\nx: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let env = TestEnv::with_files(&[("fleet.yaml", &text)]);
        let out = env.run(&["validate"]);
        out.code(2);
        assert!(out.stderr.starts_with("fleet.yaml:3:"), "{}", out.stderr);
        // Refused as too deep by us (or, far deeper, by the parser's own limit), not as an
        // unknown key after building the whole tree.
        assert!(
            out.stderr.contains("nested more than 64 deep")
                || depth > 256 && out.stderr.contains("recursion limit"),
            "{}",
            out.stderr
        );
    }
}
