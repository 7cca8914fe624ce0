//! `homelabcmd init`: a new fleet repository that validates, lists its machines, holds every
//! file of this repository's packs/, and is never written over.

use std::path::Path;

use crate::common::TestEnv;

fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn init_then_validate_round_trip() {
    let env = TestEnv::empty();
    let run = env.run(&["init", "new-fleet"]);
    run.code(0);
    let dir = env.path("new-fleet");
    assert!(
        run.stdout.starts_with(&format!(
            "Created a fleet repository in {} (commit ",
            dir.display()
        )),
        "{}",
        run.stdout
    );

    // One commit, clean work tree: nothing to warn about.
    let log = std::process::Command::new("git")
        .args(["log", "--format=%s"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&log.stdout),
        "Start the fleet repository (homelabcmd init)\n"
    );
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&status.stdout), "");

    let run = env.run_in(&dir, &["validate"]);
    run.code(0);
    assert!(
        run.stdout.ends_with(" (HEAD) is valid: 2 machines (1 server, 1 workstation), 3 packs, 0 groups, 0 commands\n"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr, "");
    let machines = env.run_in(&dir, &["machines", "-o", "json"]).json();
    let ids: Vec<&str> = machines["machines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["nas", "desktop"]);
    let packs = env
        .run_in(&dir, &["packs", "show", "developer-max", "-o", "json"])
        .json();
    assert_eq!(
        packs["chain"],
        serde_json::json!(["base", "developer-lite", "developer-max"])
    );
}

#[test]
fn init_writes_every_file_of_this_repositorys_packs() {
    let env = TestEnv::empty();
    env.run(&["init"]).code(0);
    let ours = files_under(&Path::new(env!("CARGO_MANIFEST_DIR")).join("packs"));
    let theirs = files_under(&env.path("packs"));
    assert_eq!(
        ours, theirs,
        "src/cli/init.rs FILES must list every file under packs/"
    );
    for file in &ours {
        let a = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("packs")
                .join(file),
        )
        .unwrap();
        let b = std::fs::read(env.path("packs").join(file)).unwrap();
        assert_eq!(a, b, "{file}");
    }
}

#[test]
fn init_never_overwrites_and_adds_to_an_existing_repository() {
    let env = TestEnv::with_files(&[("README.md", "my infra\n")]);
    env.run(&["init"]).code(0);
    assert_eq!(env.git(&["rev-list", "--count", "HEAD"]), "2");
    assert_eq!(
        std::fs::read_to_string(env.path("README.md")).unwrap(),
        "my infra\n"
    );

    env.write("fleet.yaml", "# mine\n");
    let run = env.run(&["init"]);
    run.code(2);
    assert!(
        run.stderr.starts_with(&format!(
            "error: {} already holds fleet.yaml, .gitignore, packs/base.yaml and 15 more\n",
            env.repo.display()
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.ends_with(
        "hint: init never overwrites files; choose an empty directory, or check the fleet with `homelabcmd validate`\n"
    ));
    assert_eq!(
        std::fs::read_to_string(env.path("fleet.yaml")).unwrap(),
        "# mine\n"
    );
}
