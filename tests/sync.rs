//! `sync` against real git repositories: a bare "remote", the fleet clone (the TestEnv's
//! repository) and an author's clone that pushes to the remote. A fast-forward lists what
//! arrived and is audited; a diverged remote, a dirty work tree and a remote forced back
//! behind the commit `apply` last applied (a real apply over a loopback sshd) are refused with
//! nothing changed; `serve --sync-every` follows the remote and /metrics shows it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::sshd::{SshFleet, Sudo};
use crate::common::{Hub, Run, TestEnv};

/// The author's commits carry this time, so listed commits read the same every run.
const AUTHOR_DATE: &str = "2026-11-20T10:00:00Z";

/// The remote and an author's clone of it, beside the fleet repository.
struct Remote {
    _tmp: tempfile::TempDir,
    author: PathBuf,
}

/// Run git in `dir` (HOME from the env, a fixed identity and date); its trimmed stdout.
fn git(env: &TestEnv, dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Author",
            "-c",
            "user.email=author@example.invalid",
        ])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("HOME", &env.home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", AUTHOR_DATE)
        .env("GIT_COMMITTER_DATE", AUTHOR_DATE)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Push the fleet repository to a new bare remote (as `origin`, upstream of main) and clone
/// it for an author.
fn remote_for(env: &TestEnv) -> Remote {
    let tmp = tempfile::tempdir().unwrap();
    let bare = tmp.path().join("remote.git");
    let author = tmp.path().join("author");
    git(
        env,
        tmp.path(),
        &["init", "-q", "--bare", "-b", "main", "remote.git"],
    );
    git(
        env,
        &env.repo,
        &["remote", "add", "origin", bare.to_str().unwrap()],
    );
    git(env, &env.repo, &["push", "-q", "-u", "origin", "main"]);
    git(
        env,
        tmp.path(),
        &["clone", "-q", bare.to_str().unwrap(), "author"],
    );
    Remote { _tmp: tmp, author }
}

impl Remote {
    /// The author commits a change to `path` and pushes; the new commit's id.
    fn push(&self, env: &TestEnv, path: &str, text: &str, message: &str) -> String {
        let file = self.author.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
        git(env, &self.author, &["add", "-A"]);
        git(env, &self.author, &["commit", "-q", "-m", message]);
        git(env, &self.author, &["push", "-q", "origin", "main"]);
        git(env, &self.author, &["rev-parse", "HEAD"])
    }
}

/// Run the binary with its database in HOME, outside the repository.
fn hlc(env: &TestEnv, args: &[&str]) -> Run {
    let db = env.home.join("homelab.db");
    let mut all = vec!["--db", db.to_str().unwrap()];
    all.extend_from_slice(args);
    env.run(&all)
}

fn head(env: &TestEnv) -> String {
    env.git(&["rev-parse", "HEAD"])
}

#[test]
fn sync_fast_forwards_lists_the_commits_escaped_and_audits_it() {
    let env = TestEnv::fleet();
    let remote = remote_for(&env);
    let old = head(&env);
    let c1 = remote.push(&env, "packs/files/bashrc", "# bashrc v2\n", "bashrc: v2");
    let c2 = remote.push(
        &env,
        "notes.txt",
        "hi\n",
        "notes \u{1b}[2J\u{202e} from the remote",
    );

    let run = hlc(&env, &["sync"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        format!(
            "origin/main: {old:.10} -> {c2:.10} (2 new commit(s))\n  \
             {c2:.10}  2026-11-20T10:00:00Z  notes \\u{{1b}}[2J\\u{{202e}} from the remote\n  \
             {c1:.10}  2026-11-20T10:00:00Z  bashrc: v2\n"
        )
    );
    assert_eq!(run.stderr, "");
    assert_eq!(head(&env), c2);
    assert_eq!(
        std::fs::read_to_string(env.path("packs/files/bashrc")).unwrap(),
        "# bashrc v2\n"
    );

    // Again: nothing new, in both formats.
    let run = hlc(&env, &["sync"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        format!("origin/main: already up to date at {c2:.10}\n")
    );
    let json = hlc(&env, &["sync", "-o", "json"]);
    json.code(0);
    assert_eq!(
        json.json(),
        serde_json::json!({
            "outcome": "up_to_date", "remote": "origin", "branch": "main",
            "old": c2, "new": c2, "ahead": 0, "pulled": [],
        })
    );

    // The sync that moved the fleet is audited (the up-to-date ones are not).
    let audit = hlc(&env, &["audit", "--action", "sync", "-o", "json"]).json();
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!(entries[0]["name"], "origin/main");
    assert_eq!(entries[0]["fleet_commit"], c2.as_str());
    assert_eq!(
        entries[0]["command"],
        format!("git fetch origin refs/heads/main; git merge --ff-only {c2} (was {old})")
    );
    assert_eq!(entries[0]["machine"], serde_json::Value::Null);

    // What the README shows is a real run.
    let fleet = format!(
        "{}  pihole-backup: {{ address: pihole2.lan }}\n",
        crate::common::FLEET
    );
    remote.push(&env, "fleet.yaml", &fleet, "fleet: add pihole-backup");
    remote.push(&env, "notes.txt", "curl\n", "packs: curl everywhere");
    for _ in 0..2 {
        let run = hlc(&env, &["sync"]);
        run.code(0);
        crate::docs::assert_readme_shows("homelabcmd sync", &run.stdout);
    }
}

#[test]
fn sync_refuses_a_diverged_remote_and_changes_nothing() {
    let env = TestEnv::fleet();
    let remote = remote_for(&env);
    let theirs = remote.push(&env, "notes.txt", "theirs\n", "theirs");
    env.write("notes.txt", "ours\n");
    let ours = env.commit("ours");

    let run = hlc(&env, &["sync", "--remote", "origin", "--branch", "main"]);
    run.code(4);
    assert_eq!(run.stdout, "");
    let dir = env.repo.display();
    assert_eq!(
        run.stderr,
        format!(
            "error: origin/main ({theirs:.10}) and the local branch ({ours:.10}) have diverged: not a fast-forward; nothing was changed\n\
             hint: see both sides: `git -C {dir} log --oneline --graph {ours:.10} {theirs:.10}`\n\
             hint: then rebase or merge by hand and push; or, if the remote is right, `git -C {dir} reset --hard {theirs:.10}` (drops the local commits)\n"
        )
    );
    assert_eq!(head(&env), ours);
    assert_eq!(env.git(&["status", "--porcelain"]), "");
    assert_eq!(
        std::fs::read_to_string(env.path("notes.txt")).unwrap(),
        "ours\n"
    );
}

#[test]
fn sync_refuses_a_dirty_work_tree_and_bad_names() {
    let env = TestEnv::fleet();
    let remote = remote_for(&env);
    let before = head(&env);
    remote.push(&env, "notes.txt", "new\n", "new notes");
    env.write("fleet.yaml", "version: 1\nmachines: {}\n");

    let run = hlc(&env, &["sync"]);
    run.code(4);
    let dir = env.repo.display();
    assert_eq!(
        run.stderr,
        format!(
            "error: the work tree has uncommitted changes to tracked files (fleet.yaml); nothing was changed\n\
             hint: commit or stash them (`git -C {dir} status`, `git -C {dir} stash`), then sync again\n"
        )
    );
    assert_eq!(head(&env), before);
    assert_eq!(
        std::fs::read_to_string(env.path("fleet.yaml")).unwrap(),
        "version: 1\nmachines: {}\n"
    );
    assert!(!env.path("notes.txt").exists());

    // A remote name that git would take for an option never reaches git.
    let run = hlc(&env, &["sync", "--remote=--upload-pack=touch /tmp/x"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: `--upload-pack=touch /tmp/x` is not a valid remote name\n"
    );
    let run = hlc(&env, &["sync", "--rev", "HEAD~1"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: sync moves the checked-out branch; --rev and --worktree do not apply\n\
         hint: use --branch to follow another branch of the remote\n"
    );
    // Nor a password in a URL.
    let run = hlc(
        &env,
        &[
            "sync",
            "--remote",
            "https://me:s3cret@git.example/fleet.git",
        ],
    );
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: the remote URL has a password in it; refusing to pass it to git on a command line\n\
         hint: a command line shows in process lists and shell history: name a configured remote (`git remote -v`) that uses an SSH key or a credential helper\n"
    );
    // An unreachable remote: git's failure, exit 3, nothing changed.
    env.git(&["checkout", "-q", "--", "fleet.yaml"]);
    let run = hlc(&env, &["sync", "--remote", "/nonexistent/remote.git"]);
    run.code(3);
    assert!(
        run.stderr.contains("error: `git fetch --quiet --no-tags -- /nonexistent/remote.git refs/heads/main` failed (exit status: 128)\n"),
        "{}",
        run.stderr
    );
    assert_eq!(head(&env), before);
}

const PACK: &str = "description: sync test
files:
  - { path: ~/.hl-sync/motd, source: files/motd, mode: \"0644\" }
";

#[test]
fn sync_refuses_a_remote_forced_back_behind_the_last_applied_commit() {
    let ssh = SshFleet::start(&[Sudo::None]);
    let fleet = ssh
        .fleet_yaml("")
        .replace("    ssh: {", "    packs: [test]\n    ssh: {");
    let env = TestEnv::with_files(&[
        ("fleet.yaml", &fleet),
        ("packs/test.yaml", PACK),
        ("packs/files/motd", "one\n"),
    ]);
    hlc(&env, &["hosts", "trust", "--yes", "host1"]).code(0);
    let first = env.commit("trust");
    let remote = remote_for(&env);
    let second = remote.push(&env, "packs/files/motd", "two\n", "motd: two");
    hlc(&env, &["sync"]).code(0);
    hlc(&env, &["apply", "--all", "--yes"]).code(0);
    let h1 = &ssh.hosts[0];
    assert_eq!(
        std::fs::read_to_string(h1.home.join(".hl-sync/motd")).unwrap(),
        "two\n"
    );

    // Someone forces the remote back to the first commit: sync refuses, naming both.
    git(
        &env,
        &remote.author,
        &["push", "-q", "-f", "origin", &format!("{first}:main")],
    );
    let run = hlc(&env, &["sync"]);
    run.code(4);
    let dir = env.repo.display();
    assert_eq!(
        run.stderr,
        format!(
            "error: origin/main is at {first:.10}, an ancestor of (older than) the last applied commit {second:.10} (applied 2026-11-25T12:00:00Z): refusing to move the fleet back; nothing was changed\n\
             hint: an older history was pushed (a force-push, or a replayed branch): find out why before anything else\n\
             hint: if the last applied commit {second:.10} was never pushed, push it (`git -C {dir} push`)\n\
             hint: to roll back on purpose: check the older commit out in {dir} and run `homelabcmd apply` from it; it becomes the last applied commit\n"
        )
    );
    assert_eq!(head(&env), second);

    // An unrelated history is refused the same way.
    let tmp = tempfile::tempdir().unwrap();
    git(&env, tmp.path(), &["init", "-q", "-b", "main", "other"]);
    let other = tmp.path().join("other");
    std::fs::write(other.join("fleet.yaml"), "version: 1\nmachines: {}\n").unwrap();
    git(&env, &other, &["add", "-A"]);
    git(&env, &other, &["commit", "-q", "-m", "replayed"]);
    let run = hlc(&env, &["sync", "--remote", other.to_str().unwrap()]);
    run.code(4);
    assert!(
        run.stderr.contains(&format!(
            ", not a descendant of (unrelated to) the last applied commit {second:.10} "
        )),
        "{}",
        run.stderr
    );
    assert_eq!(head(&env), second);
}

/// GET over a fresh connection: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let head = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    crate::common::read_answer(&mut stream)
}

#[test]
fn serve_sync_every_follows_the_remote_and_metrics_show_it() {
    let env = TestEnv::fleet();
    let remote = remote_for(&env);
    let db = env.home.join("homelab.db");
    let hub = Hub::start(
        &env,
        None,
        &["--db", db.to_str().unwrap(), "--sync-every", "1s"],
    );
    let new = remote.push(&env, "notes.txt", "new\n", "notes");

    // Wait (bounded, not timed) for a sync that brought the commit.
    let want = format!("homelab_sync_commit_info{{commit=\"{new}\",outcome=\"updated\"}} 1\n");
    let deadline = Instant::now() + Duration::from_secs(60);
    let metrics = loop {
        let (status, body) = get(hub.port, "/metrics");
        assert_eq!(status, 200);
        if body.contains(&want) || Instant::now() > deadline {
            break body;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(metrics.contains(&want), "{metrics}");
    assert!(metrics.contains("\nhomelab_sync_ok 1\n"), "{metrics}");
    assert!(
        metrics.contains("\nhomelab_sync_failures_total 0\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("\n# TYPE homelab_sync_last_success_timestamp_seconds gauge\nhomelab_sync_last_success_timestamp_seconds "),
        "{metrics}"
    );
    crate::web::promtool_check(&metrics);
    assert_eq!(head(&env), new);
    let (_, page) = get(hub.port, "/");
    assert!(
        page.contains(&format!(
            ": updated at <span class=\"m\">{new:.10}</span></p>"
        )),
        "{page}"
    );

    // The remote is rewritten (a sibling of HEAD): refused, counted, HEAD stays.
    git(
        &env,
        &remote.author,
        &["commit", "-q", "--amend", "-m", "notes, rewritten"],
    );
    git(
        &env,
        &remote.author,
        &["push", "-q", "-f", "origin", "main"],
    );
    let want = format!("homelab_sync_commit_info{{commit=\"{new}\",outcome=\"refused\"}} 1\n");
    let deadline = Instant::now() + Duration::from_secs(60);
    let metrics = loop {
        let (_, body) = get(hub.port, "/metrics");
        if body.contains(&want) || Instant::now() > deadline {
            break body;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(metrics.contains(&want), "{metrics}");
    assert!(metrics.contains("\nhomelab_sync_ok 0\n"), "{metrics}");
    assert!(
        !metrics.contains("\nhomelab_sync_failures_total 0\n"),
        "{metrics}"
    );
    assert_eq!(head(&env), new);
    let (_, page) = get(hub.port, "/");
    assert!(page.contains(": refused at "), "{page}");
    assert!(page.contains("have diverged: not a fast-forward"), "{page}");
    hub.stop();
}

#[test]
fn serve_apply_after_sync_brings_a_pushed_change_to_the_machines() {
    let ssh = SshFleet::start(&[Sudo::None]);
    let fleet = ssh
        .fleet_yaml("")
        .replace("    ssh: {", "    packs: [test]\n    ssh: {");
    let env = TestEnv::with_files(&[
        ("fleet.yaml", &fleet),
        ("packs/test.yaml", PACK),
        ("packs/files/motd", "one\n"),
    ]);
    hlc(&env, &["hosts", "trust", "--yes", "host1"]).code(0);
    env.commit("trust");
    let remote = remote_for(&env);
    let db = env.home.join("homelab.db");
    let hub = Hub::start(
        &env,
        None,
        &[
            "--db",
            db.to_str().unwrap(),
            "--sync-every",
            "1s",
            "--apply-after-sync",
        ],
    );
    let second = remote.push(&env, "packs/files/motd", "two\n", "motd: two");

    // Wait (bounded, not timed) for the loop to sync and apply, and record the commit applied.
    let want = format!("homelab_fleet_applied_commit_info{{commit=\"{second}\"}} 1\n");
    let deadline = Instant::now() + Duration::from_secs(90);
    let metrics = loop {
        let (_, body) = get(hub.port, "/metrics");
        if body.contains(&want) || Instant::now() > deadline {
            break body;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(metrics.contains(&want), "{metrics}");
    crate::web::promtool_check(&metrics);
    let motd = ssh.hosts[0].home.join(".hl-sync/motd");
    assert_eq!(std::fs::read_to_string(&motd).unwrap(), "two\n");
    hub.stop();
    assert_eq!(head(&env), second);
    // Audited as `apply` would be, with the commit synced; and that commit is now the one a
    // rewound remote may not go back behind.
    let audit = hlc(&env, &["audit", "--action", "apply", "-o", "json"]).json();
    let entries = audit["entries"].as_array().unwrap();
    assert!(!entries.is_empty(), "{audit}");
    assert!(
        entries.iter().any(|e| e["fleet_commit"] == second.as_str()),
        "{audit}"
    );
    git(&env, &remote.author, &["reset", "-q", "--hard", "HEAD~1"]);
    git(
        &env,
        &remote.author,
        &["push", "-q", "-f", "origin", "main"],
    );
    let run = hlc(&env, &["sync"]);
    run.code(4);
    assert!(
        run.stderr.contains(&format!(
            "an ancestor of (older than) the last applied commit {second:.10} "
        )),
        "{}",
        run.stderr
    );
}
