//! Where the fleet is read from: HEAD by default, `--rev`, `--worktree`, `--repo` and
//! `$HOMELABCMD_REPO`, and the warning when the work tree differs from the commit read.

use crate::common::{FLEET, TestEnv};

const TWO_MACHINES: &str = "\
version: 1
machines:
  web1:
    address: web1.lan
    packs: [base]
  web2:
    address: web2.lan
";

fn ids(env: &TestEnv, args: &[&str]) -> (Vec<String>, String) {
    let mut all = vec!["machines", "-o", "json"];
    all.extend_from_slice(args);
    let run = env.run(&all);
    run.code(0);
    let ids = run.json()["machines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    (ids, run.stderr)
}

#[test]
fn reads_head_and_warns_about_uncommitted_changes() {
    let env = TestEnv::fleet();
    let head = env.git(&["rev-parse", "--short=7", "HEAD"]);
    env.write("fleet.yaml", TWO_MACHINES);

    let (machines, stderr) = ids(&env, &[]);
    assert_eq!(machines, ["web1"]);
    assert_eq!(
        stderr,
        format!(
            "warning: fleet.yaml differs in the work tree from commit {head} (HEAD); reading the commit\n\
             hint: pass --worktree to read the uncommitted files, or commit them\n"
        )
    );

    let (machines, stderr) = ids(&env, &["--worktree"]);
    assert_eq!(machines, ["web1", "web2"]);
    assert_eq!(stderr, "");

    // -q silences the warning, not the data.
    let (machines, stderr) = ids(&env, &["-q"]);
    assert_eq!((machines.len(), stderr.as_str()), (1, ""));
}

#[test]
fn untracked_and_deleted_fleet_files_count_as_changes() {
    let env = TestEnv::fleet();
    env.write("packs/extra.yaml", "description: new\n");
    std::fs::remove_file(env.path("packs/files/bashrc")).unwrap();
    env.write("notes.txt", "not a fleet file\n");
    let (_, stderr) = ids(&env, &[]);
    assert!(
        stderr.starts_with(
            "warning: packs/extra.yaml, packs/files/bashrc differ in the work tree from commit "
        ),
        "{stderr}"
    );
}

#[test]
fn rev_reads_an_older_commit() {
    let env = TestEnv::fleet();
    let first = env.git(&["rev-parse", "--short=7", "HEAD"]);
    env.write("fleet.yaml", TWO_MACHINES);
    env.commit("add web2");

    assert_eq!(ids(&env, &[]).0, ["web1", "web2"]);
    let (machines, stderr) = ids(&env, &["--rev", "HEAD~1"]);
    assert_eq!(machines, ["web1"]);
    // The work tree holds the newer fleet, so it differs from the commit read.
    assert_eq!(
        stderr.lines().next().unwrap(),
        format!(
            "warning: fleet.yaml differs in the work tree from commit {first} (HEAD~1); reading the commit"
        )
    );
    env.git(&["tag", "v1", "HEAD~1"]);
    assert_eq!(ids(&env, &["--rev", "v1"]).0, ["web1"]);
}

#[test]
fn repo_flag_env_and_subdirectories_locate_the_fleet() {
    let env = TestEnv::fleet();
    let elsewhere = env.home.clone();
    let repo = env.repo.to_str().unwrap();

    let run = env.run_in(&elsewhere, &["machines", "-o", "json", "--repo", repo]);
    assert_eq!(run.code(0).json()["machines"][0]["id"], "web1");

    let mut cmd = env.cmd(&["machines", "-o", "json"]);
    cmd.current_dir(&elsewhere).env("HOMELABCMD_REPO", repo);
    let run = crate::common::run(cmd);
    assert_eq!(run.code(0).json()["machines"][0]["id"], "web1");

    std::fs::create_dir_all(env.path("packs/files/deep")).unwrap();
    let run = env.run_in(&env.path("packs/files/deep"), &["validate", "-q"]);
    run.code(0);
}

#[test]
fn a_fleet_in_a_subdirectory_of_a_larger_repository() {
    let env = TestEnv::with_files(&[
        ("README", "monorepo\n"),
        ("infra/fleet.yaml", FLEET),
        ("infra/packs/base.yaml", "description: b\n"),
    ]);
    let run = env.run_in(&env.path("infra"), &["validate"]);
    run.code(0);
    assert!(run.stdout.starts_with("ok: commit "), "{}", run.stdout);
    env.write("infra/fleet.yaml", "version: 1\nmachines: {}\n");
    let run = env.run(&["validate", "--repo", "infra"]);
    assert!(
        run.stderr
            .starts_with("warning: fleet.yaml differs in the work tree"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_repository_commits_and_revisions_are_clear_errors() {
    let env = TestEnv::empty();
    let run = env.run(&["machines"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: {} is not inside a fleet repository\n\
             hint: pass --repo DIR or set HOMELABCMD_REPO to the fleet repository\n\
             hint: or create one here with `homelabcmd init`\n",
            env.repo.display()
        )
    );

    env.git(&["init", "-q"]);
    env.write("fleet.yaml", FLEET);
    let run = env.run(&["validate"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: the repository at {} has no commits yet\n\
             hint: commit fleet.yaml and packs/, or read the files on disk with --worktree\n",
            env.repo.display()
        )
    );
    // The work tree works without a commit (an unknown pack is the only problem).
    let run = env.run(&["validate", "--worktree", "-o", "json"]);
    assert_eq!(
        run.code(2).json()["errors"][0]["message"],
        "unknown pack `base`"
    );

    let env = TestEnv::fleet();
    let run = env.run(&["validate", "--rev", "no-such-branch"]);
    run.code(2);
    assert!(
        run.stderr
            .starts_with("error: `no-such-branch` does not name a commit in "),
        "{}",
        run.stderr
    );
    let run = env.run(&["validate", "--rev", "HEAD", "--worktree"]);
    run.code(2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}

#[test]
fn a_fleet_yaml_only_in_the_work_tree_is_named() {
    let env = TestEnv::with_files(&[("README", "x\n")]);
    env.write("fleet.yaml", FLEET);
    let run = env.run(&["validate"]);
    run.code(2);
    assert!(
        run.stderr.contains("fleet.yaml:1:1: there is no fleet.yaml in commit ")
            && run.stderr.contains(
                "  hint: fleet.yaml exists in the work tree but not in this commit: commit it, or read it with --worktree\n"
            ),
        "{}",
        run.stderr
    );
}
