//! Tests of `--import`: the text edit of fleet.yaml (every original byte kept, hostile names
//! written literally) and the import into a real work tree (known_hosts, refusals, atomicity).

use std::net::IpAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::import::{ImportError, Settings, import};
use super::insert::{Entry, add, scalar};
use super::{Candidate, Origin, SshAnswer};
use crate::fleet::{MachineType, SourceOptions};

const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOCzrTPGZg7JjCtwyefEV/Ea/MED2g37yfvPZz406rnt";
const KEY_FP: &str = "SHA256:sNRMpkK7ECrrDC14p5I8u6N32griKdwKsSk3gRznT84";
const OTHER_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIByAd+rFoJGcbGC/cRpDX44UjtsMRvDyzMDhZHPFPAO+";

/// Comments everywhere, blank lines, odd quoting, groups and trailing comments after the
/// machines, and no newline at the end.
const COMMENTED: &str = r#"# The fleet.   
version: 1 # one

defaults:   # inherited
  ssh: { user: 'ops' , port: 22 }

machines:   # the machines
  # first
  nas:
    name: "NAS  box"   # quoted
    address: 'nas.lan'
    tags: [ storage , "x-y" ]

  # second, flow
  pi: { address: 10.0.0.9, name: 'Pi # not a comment' }   # trailing
  # a comment indented like a machine

# groups after machines
groups:
  all: { machines: [nas, pi] }
# the end, no newline"#;

fn entry(id: &str, name: &str) -> Entry {
    Entry {
        id: id.into(),
        name: name.into(),
        kind: "server",
        address: format!("{id}.lan"),
        tailscale: false,
        tdp_w: None,
        packs: Vec::new(),
        tags: Vec::new(),
        port: None,
    }
}

/// `new` is `old` with `inserted` at one offset, and nothing else changed. Returns where the
/// inserted text starts and the text (the first difference: a blank line may slide).
fn insertion<'a>(old: &str, new: &'a str) -> (usize, &'a str) {
    let at = old
        .bytes()
        .zip(new.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(old.len());
    let added = new.len() - old.len();
    assert_eq!(&new[..at], &old[..at]);
    assert_eq!(
        &new[at + added..],
        &old[at..],
        "the rest of the file moved intact"
    );
    (at, &new[at..at + added])
}

/// The new file is the original's bytes up to `at`, `inserted`, then the original's rest.
fn assert_inserted(old: &str, new: &str, at: usize, inserted: &str) {
    assert_eq!(new, format!("{}{inserted}{}", &old[..at], &old[at..]));
}

#[test]
fn commented_fleet_keeps_every_byte() {
    let mut e = entry("web", "web");
    e.tdp_w = Some(35);
    e.tags = vec!["a".into(), "b".into()];
    let new = add(COMMENTED, &[e]).unwrap();
    let at = COMMENTED.find("  # a comment indented").unwrap();
    assert_inserted(
        COMMENTED,
        &new,
        at,
        "\n  web:\n    name: web\n    type: server\n    address: web.lan\n    tdp_w: 35\n    tags: [a, b]\n",
    );
}

#[test]
fn machines_last_without_final_newline() {
    let old = "version: 1\nmachines:\n    nas:\n        address: nas.lan\n        packs:\n        - base\n        tags:\n        - x   # c";
    let mut e = entry("pi", "Pi");
    e.tags = vec!["t".into()];
    let new = add(old, &[e]).unwrap();
    assert_eq!(
        new,
        format!(
            "{old}\n    pi:\n        name: Pi\n        type: server\n        address: pi.lan\n        tags:\n        - t\n"
        )
    );
}

#[test]
fn crlf_block_lists_and_indent() {
    let old = "machines:\r\n   nas:\r\n      address: nas.lan\r\n      tags:\r\n        - x\r\ngroups: {}\r\n";
    let mut e = entry("pi", "Pi");
    e.tags = vec!["t".into()];
    e.port = Some(2222);
    let new = add(old, &[e]).unwrap();
    let (_, inserted) = insertion(old, &new);
    assert_eq!(
        inserted,
        "   pi:\r\n      name: Pi\r\n      type: server\r\n      address: pi.lan\r\n      tags:\r\n        - t\r\n      ssh:\r\n         port: 2222\r\n"
    );
}

#[test]
fn empty_and_flow_machines() {
    let old = "version: 1\nmachines:\n# none yet\ngroups: {}\n";
    let new = add(old, &[entry("a", "a")]).unwrap();
    assert_eq!(
        insertion(old, &new).1,
        "  a:\n    name: a\n    type: server\n    address: a.lan\n"
    );
    let old = "machines: {}   # none\n";
    let new = add(old, &[entry("a", "A b")]).unwrap();
    assert_eq!(
        new,
        "machines: {a: {name: \"A b\", type: server, address: a.lan}}   # none\n"
    );
    let old = "machines: {x: {address: x.lan}}\n";
    let new = add(old, &[entry("a", "a"), entry("b", "b")]).unwrap();
    assert_eq!(
        insertion(old, &new).1,
        ", a: {name: a, type: server, address: a.lan}, b: {name: b, type: server, address: b.lan}"
    );
}

#[test]
fn spaced_machines_stay_spaced() {
    let text = include_str!("../cli/init_fleet.yaml");
    let new = add(text, &[entry("pi", "pi")]).unwrap();
    let at = text.find("    packs: [developer-max]\n").unwrap() + 27;
    assert_inserted(
        text,
        &new,
        at,
        "\n  pi:\n    name: pi\n    type: server\n    address: pi.lan\n",
    );
}

#[test]
fn hostile_names_are_written_literally() {
    let hostile = [
        "evil: true",
        "a\nmachines:",
        "\"quoted\"",
        "#x",
        "{",
        "[a, b]",
        "- x",
        "&anchor *alias !tag %dir @at `tick`",
        "---",
        "...",
        "back\\slash \\n",
        "tab\there\r\u{1b}[31m",
        "nul\0",
        "über ☃ 名前",
        "\u{202e}evil\u{2028}\u{2029}\u{85}\u{feff}",
        "'single'",
        " leading and trailing ",
        "",
        "true",
        "null",
        "0x1f",
        "1e3",
    ];
    for name in hostile {
        let new = add(COMMENTED, &[entry("web", name)]).unwrap_or_else(|e| panic!("{name:?}: {e}"));
        insertion(COMMENTED, &new);
        let root = crate::fleet::parse_yaml(&new).unwrap();
        let crate::fleet::YamlKind::Map(top) = &root.kind else {
            panic!()
        };
        let machines = &top
            .iter()
            .find(|(k, _)| k.as_scalar() == Some("machines"))
            .unwrap()
            .1;
        let crate::fleet::YamlKind::Map(ms) = &machines.kind else {
            panic!()
        };
        let (k, v) = ms.last().unwrap();
        assert_eq!(k.as_scalar(), Some("web"));
        let crate::fleet::YamlKind::Map(fields) = &v.kind else {
            panic!()
        };
        assert_eq!(fields[0].1.as_scalar(), Some(name), "{new}");
        let line = new.lines().find(|l| l.starts_with("    name: ")).unwrap();
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
        assert!(!line.contains('\u{202e}'), "{line:?}");
    }
}

#[test]
fn scalars() {
    assert_eq!(scalar("nas"), "nas");
    assert_eq!(scalar("nas.tail1.ts.net"), "nas.tail1.ts.net");
    assert_eq!(scalar("10.0.0.1"), "10.0.0.1");
    assert_eq!(scalar("fd7a::1"), "\"fd7a::1\"");
    assert_eq!(scalar("yes"), "\"yes\"");
    assert_eq!(scalar("No"), "\"No\"");
    assert_eq!(scalar("12"), "\"12\"");
    assert_eq!(scalar("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    assert_eq!(scalar("\u{1b}\u{202e}"), "\"\\u001b\\u202e\"");
}

#[test]
fn unparseable_or_strange_files_are_refused() {
    for text in [
        "machines: [a, b]\n",
        "- a\n",
        "version: 1\n",
        "machines: 3\n",
    ] {
        let err = add(text, &[entry("a", "a")]).unwrap_err();
        assert!(matches!(err, ImportError::Layout(_)), "{text}: {err}");
    }
}

// --- importing into a work tree ---

fn candidate(id: &str, ip: &str, key: Option<&str>) -> Candidate {
    Candidate {
        id: id.into(),
        hostname: id.to_uppercase(),
        dns_name: None,
        addresses: vec![ip.parse::<IpAddr>().unwrap()],
        os: Some("linux".into()),
        origin: Origin::Network,
        online: Some(true),
        last_seen: None,
        tags: Vec::new(),
        in_fleet: None,
        ssh: Some(SshAnswer {
            address: ip.into(),
            port: 22,
            open: true,
            banner: Some("SSH-2.0-OpenSSH_9.2p1".into()),
            host_key: key.map(str::to_string),
            fingerprint: None,
            error: None,
        }),
    }
}

fn settings(ids: &[&str]) -> Settings {
    Settings {
        ids: ids.iter().map(|s| s.to_string()).collect(),
        kind: MachineType::Server,
        tdp_w: None,
        packs: Vec::new(),
        tags: Vec::new(),
    }
}

struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new(fleet: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("fleet.yaml"), fleet).unwrap();
        std::fs::create_dir(dir.path().join("packs")).unwrap();
        std::fs::write(dir.path().join("packs/base.yaml"), "description: base\n").unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    fn read(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.path(name)).ok()
    }

    fn import(
        &self,
        c: &[Candidate],
        s: &Settings,
    ) -> Result<super::import::Imported, ImportError> {
        let opts = SourceOptions {
            repo: Some(self.dir.path().to_path_buf()),
            ..SourceOptions::default()
        };
        import(&opts, Path::new("/"), c, s)
    }
}

#[test]
fn import_adds_the_machine_and_pins_its_key() {
    let tree = Tree::new(COMMENTED);
    std::fs::set_permissions(
        tree.path("fleet.yaml"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let mut s = settings(&["web"]);
    s.kind = MachineType::Workstation;
    s.packs = vec!["base".into()];
    let done = tree
        .import(
            &[
                candidate("web", "10.0.0.7", Some(KEY)),
                candidate("x", "10.0.0.8", None),
            ],
            &s,
        )
        .unwrap();
    let new = tree.read("fleet.yaml").unwrap();
    assert_inserted(
        COMMENTED,
        &new,
        COMMENTED.find("  # a comment indented").unwrap(),
        "\n  web:\n    name: WEB\n    type: workstation\n    address: 10.0.0.7\n    packs: [base]\n",
    );
    let mode = std::fs::metadata(tree.path("fleet.yaml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    assert_eq!(
        tree.read("known_hosts").unwrap(),
        format!(
            "# Host keys of the fleet, pinned by homelabcmd. Commit this file.\n10.0.0.7 {KEY} web\n"
        )
    );
    assert_eq!(done.added.len(), 1);
    assert_eq!(done.added[0].fingerprint.as_deref(), Some(KEY_FP));
    assert!(done.added[0].pinned);
    let changed: Vec<&str> = done
        .diff
        .lines()
        .filter(|l| l.starts_with(['+', '-']) && !l.starts_with("+++") && !l.starts_with("---"))
        .collect();
    assert!(changed.iter().all(|l| l.starts_with('+')), "{}", done.diff);
    assert_eq!(changed.len(), 6 + 2, "{}", done.diff);
    assert!(
        done.diff.starts_with(
            "diff --git a/fleet.yaml b/fleet.yaml\n--- a/fleet.yaml\n+++ b/fleet.yaml\n@@ "
        ),
        "{}",
        done.diff
    );
    assert!(done.diff.contains("diff --git a/known_hosts b/known_hosts\nnew file mode 100644\n--- /dev/null\n+++ b/known_hosts\n"), "{}", done.diff);
    git_revert(&tree, &done.diff);
    assert_eq!(tree.read("fleet.yaml").unwrap(), COMMENTED);
    assert_eq!(tree.read("known_hosts"), None);
    let leftovers: Vec<_> = std::fs::read_dir(tree.dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn known_hosts_keeps_its_bytes_and_tailscale_gets_connect() {
    let old_fleet = "machines:\n  nas: {address: nas.lan}  # no newline";
    let tree = Tree::new(old_fleet);
    let old_keys = format!("# mine\nnas.lan {OTHER_KEY} nas");
    std::fs::write(tree.path("known_hosts"), &old_keys).unwrap();
    let mut c = candidate("laptop", "100.64.0.2", Some(KEY));
    c.origin = Origin::TailscaleApi;
    c.dns_name = Some("laptop.tail1.ts.net.".into());
    c.ssh.as_mut().unwrap().port = 2222;
    let done = tree.import(&[c], &settings(&["laptop"])).unwrap();
    assert_eq!(
        tree.read("known_hosts").unwrap(),
        format!("{old_keys}\n[laptop.tail1.ts.net]:2222 {KEY} laptop\n")
    );
    assert_eq!(
        tree.read("fleet.yaml").unwrap(),
        "machines:\n  nas: {address: nas.lan}  # no newline\n  laptop:\n    name: LAPTOP\n    type: server\n    address: laptop.tail1.ts.net\n    connect: tailscale\n    ssh:\n      port: 2222\n"
    );
    git_revert(&tree, &done.diff);
    assert_eq!(tree.read("fleet.yaml").unwrap(), old_fleet);
    assert_eq!(tree.read("known_hosts").unwrap(), old_keys);
}

/// The diff is git's: `git apply -R` takes the work tree back to the original bytes.
fn git_revert(tree: &Tree, diff: &str) {
    let mut git = std::process::Command::new("git")
        .args(["apply", "-R", "-"])
        .current_dir(tree.dir.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut git.stdin.take().unwrap(), diff.as_bytes()).unwrap();
    assert!(git.wait().unwrap().success(), "{diff}");
}

/// The refusal, and neither file touched (same bytes, same modification time).
fn refused(tree: &Tree, c: &[Candidate], s: &Settings) -> ImportError {
    std::fs::write(
        tree.path("known_hosts"),
        format!("10.0.0.1 {OTHER_KEY} nas\n"),
    )
    .unwrap();
    let files = ["fleet.yaml", "known_hosts"];
    let before: Vec<_> = files
        .iter()
        .map(|f| {
            (
                tree.read(f),
                std::fs::metadata(tree.path(f)).unwrap().modified().unwrap(),
            )
        })
        .collect();
    let err = tree.import(c, s).unwrap_err();
    let after: Vec<_> = files
        .iter()
        .map(|f| {
            (
                tree.read(f),
                std::fs::metadata(tree.path(f)).unwrap().modified().unwrap(),
            )
        })
        .collect();
    assert_eq!(before, after, "{err}");
    err
}

#[test]
fn existing_machines_are_never_replaced() {
    let tree = Tree::new("machines:\n  nas: {address: 10.0.0.1}\n  pi: {address: pi.lan}\n");
    let err = refused(
        &tree,
        &[candidate("nas", "10.0.0.5", Some(KEY))],
        &settings(&["nas"]),
    );
    assert!(
        matches!(err, ImportError::Exists { ref id } if id == "nas"),
        "{err}"
    );
    let err = refused(
        &tree,
        &[candidate("box", "10.0.0.1", Some(KEY))],
        &settings(&["box"]),
    );
    assert!(
        matches!(err, ImportError::InFleet { ref machine, .. } if machine == "nas"),
        "{err}"
    );
    let mut c = candidate("box2", "10.0.0.2", None);
    c.dns_name = Some("PI.lan".into());
    let err = refused(&tree, &[c.clone()], &settings(&["box2"]));
    assert!(
        matches!(err, ImportError::InFleet { ref machine, .. } if machine == "pi"),
        "{err}"
    );
    c.dns_name = None;
    c.in_fleet = Some("pi".into());
    let err = refused(&tree, &[c], &settings(&["box2"]));
    assert!(matches!(err, ImportError::InFleet { .. }), "{err}");
    // One bad name among good ones: nothing is written.
    let ok = candidate("fine", "10.0.0.3", Some(KEY));
    let err = refused(
        &tree,
        &[ok, candidate("nas", "10.0.0.9", None)],
        &settings(&["fine", "nas"]),
    );
    assert!(matches!(err, ImportError::Exists { .. }), "{err}");
}

#[test]
fn unknown_bad_and_conflicting_candidates_are_refused() {
    let tree = Tree::new("machines:\n  nas: {address: 10.0.0.1}\n");
    let cs = [
        candidate("b", "10.0.0.2", None),
        candidate("a", "10.0.0.3", None),
    ];
    let err = refused(&tree, &cs, &settings(&["c"]));
    assert_eq!(err.hints(), vec!["candidates: a, b".to_string()]);
    let err = refused(
        &tree,
        &[candidate("Bad_Id", "10.0.0.2", None)],
        &settings(&["Bad_Id"]),
    );
    assert!(matches!(err, ImportError::BadId { .. }), "{err}");
    let err = refused(
        &tree,
        &[candidate("b", "10.0.0.2", Some("ssh-ed25519 AAAA"))],
        &settings(&["b"]),
    );
    assert!(matches!(err, ImportError::BadKey { .. }), "{err}");
    // Another key is pinned for the address already.
    let mut c = candidate("b", "10.0.0.1", Some(KEY));
    c.dns_name = None;
    let tree2 = Tree::new("machines:\n  nas: {address: nas.lan}\n");
    let err = refused(&tree2, &[c], &settings(&["b"]));
    assert!(matches!(err, ImportError::KeyChanged { .. }), "{err}");
    // The edited fleet would be invalid (an unknown pack): the error, nothing written.
    let mut s = settings(&["b"]);
    s.packs = vec!["nope".into()];
    let err = refused(&tree, &[candidate("b", "10.0.0.2", None)], &s);
    let ImportError::Edited(crate::fleet::LoadError::Invalid(invalid)) = &err else {
        panic!("{err}")
    };
    assert!(
        invalid.render().contains("fleet.yaml:7:"),
        "{}",
        invalid.render()
    );
}

#[test]
fn links_are_refused() {
    let tree = Tree::new("machines:\n  nas: {address: nas.lan}\n");
    let elsewhere = tree.path("elsewhere");
    std::fs::write(&elsewhere, "").unwrap();
    std::os::unix::fs::symlink(&elsewhere, tree.path("known_hosts")).unwrap();
    let err = tree
        .import(&[candidate("b", "10.0.0.2", Some(KEY))], &settings(&["b"]))
        .unwrap_err();
    assert!(matches!(err, ImportError::Source(_)), "{err}");
    assert_eq!(tree.read("elsewhere").unwrap(), "");
    assert_eq!(
        tree.read("fleet.yaml").unwrap(),
        "machines:\n  nas: {address: nas.lan}\n"
    );
    let real = tree.path("real.yaml");
    std::fs::rename(tree.path("fleet.yaml"), &real).unwrap();
    std::os::unix::fs::symlink(&real, tree.path("fleet.yaml")).unwrap();
    std::fs::remove_file(tree.path("known_hosts")).unwrap();
    let err = tree
        .import(&[candidate("b", "10.0.0.2", None)], &settings(&["b"]))
        .unwrap_err();
    assert!(matches!(err, ImportError::Source(_)), "{err}");
}

#[test]
fn hostile_hostname_imports_to_a_valid_fleet() {
    let tree = Tree::new(COMMENTED);
    let mut c = candidate("evil", "10.0.0.66", None);
    c.hostname = "x: y\nmachines:\n  root: {address: 1.2.3.4} # \u{1b}[2J".into();
    let done = tree.import(&[c.clone()], &settings(&["evil"])).unwrap();
    assert!(done.added[0].fingerprint.is_none());
    assert_eq!(tree.read("known_hosts"), None, "no key, no known_hosts");
    let opts = SourceOptions {
        repo: Some(tree.dir.path().to_path_buf()),
        worktree: true,
        rev: None,
    };
    let snapshot = crate::fleet::Snapshot::open(&opts, Path::new("/")).unwrap();
    let fleet = crate::fleet::load(&snapshot).unwrap();
    assert_eq!(fleet.machine("evil").unwrap().name, c.hostname);
    assert!(fleet.machine("root").is_none());
    assert_eq!(fleet.machines.len(), 3);
}

#[test]
fn multi_line_values_and_wide_characters() {
    let old = "machines:\n  nas:\n    name: |\n      multi ☃\n      line\n\n    address: nas.lan\n  pi: {address: pi.lan,\n       name: \"☃☃\"\n      }  # ☃\ngroups: {}\n";
    let new = add(old, &[entry("a", "a")]).unwrap();
    let at = old.find("groups").unwrap();
    assert_inserted(
        old,
        &new,
        at,
        "  a:\n    name: a\n    type: server\n    address: a.lan\n",
    );
    let old = "machines:\n  nas:\n    address: nas.lan\n    name: |+\n      keep\n\n\n# after\ngroups: {}\n";
    let new = add(old, &[entry("a", "a")]).unwrap();
    insertion(old, &new);
    let old = "machines: {a: {name: \"☃☃☃\", address: a.lan}}  # ☃\n";
    let new = add(old, &[entry("b", "b")]).unwrap();
    assert_eq!(
        new,
        "machines: {a: {name: \"☃☃☃\", address: a.lan}, b: {name: b, type: server, address: b.lan}}  # ☃\n"
    );
}
