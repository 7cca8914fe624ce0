//! `--import` end to end: `discover network` finds a real sshd host on loopback, and importing
//! it adds its machine entry to a heavily commented fleet.yaml in the work tree — every
//! original byte kept, in one piece around the insertion — pins its host key in known_hosts,
//! prints the diff, commits nothing, and never replaces a machine.

use crate::common::TestEnv;
use crate::common::sshd::{SshFleet, Sudo};

const FLEET: &str = concat!(
    "# The lab's fleet.   Trailing spaces and all.\n",
    "version: 1\n",
    "\n",
    "machines:\n",
    "  # the NAS, bought in 2021\n",
    "  nas:\n",
    "    name: \"NAS\"          # quoted on purpose\n",
    "    address: 10.9.9.9     # static lease\n",
    "    tdp_w: 20\n",
    "\n",
    "# groups come after the machines\n",
    "groups:\n",
    "  storage: { machines: [nas], stagger: 30m }\n",
    "# a last comment and no final newline",
);

#[test]
fn a_discovered_host_is_imported_byte_for_byte_with_its_key_pinned() {
    let ssh = SshFleet::start(&[Sudo::None]);
    let host = &ssh.hosts[0];
    let env = TestEnv::with_files(&[("fleet.yaml", FLEET)]);
    let head = env.git(&["rev-parse", "HEAD"]);
    let id = format!("host-{}", host.address.replace('.', "-"));
    let range = format!("{}/32", host.address);
    let port = host.port.to_string();
    let discover = |extra: &[&str]| {
        let mut args = vec!["discover", "network", &range, "--ports", &port, "-n"];
        args.extend_from_slice(extra);
        env.run(&args)
    };

    let run = discover(&[
        "--import",
        &id,
        "--type",
        "workstation",
        "--tdp",
        "30",
        "--tags",
        "lab",
    ]);
    run.code(0);
    let fingerprint = crate::common::sshd::fingerprint_of(&host.public_key());
    assert!(
        run.stdout.starts_with(&format!(
            "added {id} ({}): host key {fingerprint} pinned\n\ndiff --git a/fleet.yaml b/fleet.yaml\n",
            host.address
        )),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with(
        "fleet.yaml and known_hosts changed in the work tree (not committed): review the diff, then commit\n"
    ));

    // Every original byte, in one piece before and after the inserted entry, which sits at
    // the end of `machines:` (after the NAS, before the comment about groups).
    let after = std::fs::read_to_string(env.path("fleet.yaml")).unwrap();
    let prefix = common_prefix(FLEET, &after);
    let suffix = common_suffix(&FLEET[prefix..], &after[prefix..]);
    assert_eq!(
        prefix + suffix,
        FLEET.len(),
        "an original byte changed:\n{after}"
    );
    let inserted = &after[prefix..after.len() - suffix];
    assert!(
        FLEET[..prefix].ends_with("    tdp_w: 20\n"),
        "inserted at {prefix}:\n{after}"
    );
    assert!(inserted.starts_with(&format!("  {id}:\n")), "{inserted:?}");

    // The result is a valid fleet with the machine as asked.
    env.run(&["--worktree", "validate"]).code(0);
    let machines = env.run(&["--worktree", "machines", "-o", "json"]);
    let imported = machines.json()["machines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id.as_str())
        .cloned()
        .unwrap_or_else(|| panic!("{}", machines.stdout));
    assert_eq!(imported["type"], "workstation");
    assert_eq!(imported["address"], host.address.as_str());
    assert_eq!(imported["tdp_w"], 30);
    assert_eq!(imported["tags"], serde_json::json!(["lab"]));

    // The key the host really has, pinned under the address and port homelabcmd connects to.
    let known = std::fs::read_to_string(env.path("known_hosts")).unwrap();
    let line = format!("[{}]:{} {}", host.address, host.port, host.public_key());
    assert!(
        known.lines().any(|l| l.starts_with(&line)),
        "{known}\nwanted: {line}"
    );

    // Nothing was committed: the operator reviews and commits.
    assert_eq!(env.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(
        env.git(&["status", "--short"]),
        "M fleet.yaml\n?? known_hosts" // the helper trims the leading space of " M"
    );

    // Importing it again is refused and changes nothing; so is an unknown id.
    let run = discover(&["--import", &id]);
    run.code(2);
    assert!(run.stderr.contains(&format!("`{id}`")), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(env.path("fleet.yaml")).unwrap(),
        after
    );
    assert_eq!(
        std::fs::read_to_string(env.path("known_hosts")).unwrap(),
        known
    );
    let run = discover(&["--import", "nope"]);
    run.code(2);
    assert!(
        run.stderr.contains(&format!(
            "error: no candidate `nope` was found\nhint: candidates: {id}\n"
        )),
        "{}",
        run.stderr
    );
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.bytes()
        .rev()
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count()
}
