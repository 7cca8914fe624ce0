//! `discover ssh` against a real sshd host (tests/common/sshd.rs): an unknown host key is
//! refused with its fingerprint unless accepted; the facts are this machine's (the sshd runs
//! here); each scan is stored, and `discover history` and `discover show` read it back.

use std::process::Command;

use crate::common::TestEnv;
use crate::common::sshd::{SshFleet, Sudo};

fn sh(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap();
    assert!(out.status.success(), "{cmd} {args:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The host key sshd offers (`ssh-ed25519 AAAA…`) and its SHA256 fingerprint, by OpenSSH's
/// own tools.
fn host_key(address: &str, port: u16) -> (String, String) {
    let scan = sh(
        "ssh-keyscan",
        &["-t", "ed25519", "-p", &port.to_string(), address],
    );
    let line = scan.lines().find(|l| !l.starts_with('#')).unwrap();
    let key = line.split_once(' ').unwrap().1.to_string();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), format!("{key}\n")).unwrap();
    let listed = sh("ssh-keygen", &["-l", "-f", file.path().to_str().unwrap()]);
    (key, listed.split_whitespace().nth(1).unwrap().to_string())
}

fn os_release_pretty_name() -> String {
    let text = std::fs::read_to_string("/etc/os-release").unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("PRETTY_NAME="))
        .unwrap();
    line["PRETTY_NAME=".len()..].trim_matches('"').to_string()
}

#[test]
fn a_device_scan_is_refused_until_its_key_is_accepted_then_stored() {
    let ssh = SshFleet::start(&[Sudo::None]);
    let h = &ssh.hosts[0];
    let env = TestEnv::fleet();
    let (key, fp) = host_key(&h.address, h.port);
    let port = h.port.to_string();
    let identity = ssh.key.to_str().unwrap();
    let args = [
        "discover",
        "ssh",
        &h.address,
        "--port",
        &port,
        "--user",
        &h.user,
        "--identity",
        identity,
    ];

    let run = env.run(&args);
    run.code(4);
    assert_eq!(
        run.stderr,
        format!(
            "error: {}:{port} is not in known_hosts; it offers ssh-ed25519 {fp}\n\
             hint: verify the fingerprint out of band, then pass --accept-new-host-key (for a fleet machine: `homelabcmd hosts trust ID`)\n",
            h.address
        )
    );
    let run = env.run(&["discover", "history", "-o", "json"]);
    run.code(0);
    assert_eq!(
        run.json(),
        serde_json::json!({ "scans": [] }),
        "a refused scan is not stored"
    );

    let mut accepted = args.to_vec();
    accepted.extend(["--accept-new-host-key", "-o", "json"]);
    let run = env.run(&accepted);
    run.code(0);
    let scan = run.json();
    let facts = &scan["facts"];
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap()
        .trim()
        .to_string();
    assert_eq!(facts["hostname"], hostname.as_str());
    assert_eq!(facts["os"], os_release_pretty_name().as_str());
    assert_eq!(facts["kernel"], sh("uname", &["-sr"]).as_str());
    assert_eq!(facts["cpu_cores"], sh("nproc", &[]).parse::<u64>().unwrap());
    assert!(facts["memory_bytes"].as_u64().unwrap() > 0, "{facts}");
    assert!(facts["uptime_secs"].as_u64().is_some(), "{facts}");
    let mounts: Vec<&str> = facts["disks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["mount"].as_str().unwrap())
        .collect();
    assert!(mounts.contains(&"/"), "{mounts:?}");
    assert_eq!(
        facts["docker"],
        Command::new("sh")
            .args(["-c", "command -v docker"])
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(
        (scan["id"].clone(), scan["host"].clone()),
        (1.into(), h.address.as_str().into())
    );
    assert_eq!(scan["time"], "2026-11-25T12:00:00Z");
    let banner = {
        use std::io::BufRead;
        let stream = std::net::TcpStream::connect((h.address.as_str(), h.port)).unwrap();
        let mut line = String::new();
        std::io::BufReader::new(stream)
            .read_line(&mut line)
            .unwrap();
        line.trim_end().to_string()
    };
    let expected_id: String = hostname.split('.').next().unwrap().to_ascii_lowercase();
    assert_eq!(
        scan["candidates"],
        serde_json::json!([{
            "id": expected_id, "hostname": hostname, "dns_name": null, "addresses": [h.address],
            "os": os_release_pretty_name(), "origin": "ssh", "online": true,
            "last_seen": "2026-11-25T12:00:00Z", "tags": [], "in_fleet": null,
            "ssh": { "address": h.address, "port": h.port, "open": true, "banner": banner,
                     "host_key": key, "fingerprint": fp, "error": null }
        }])
    );

    // Stored: `show` gives back the very same value; `history` lists it.
    let run = env.run(&["discover", "show", "1", "-o", "json"]);
    run.code(0);
    assert_eq!(run.json(), scan);
    let run = env.run(&["discover", "history", "-o", "json"]);
    run.code(0);
    assert_eq!(run.json(), serde_json::json!({ "scans": [scan] }));
    let run = env.run(&["discover", "history"]);
    run.code(0);
    let row: Vec<&str> = run
        .stdout
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        &row[..4],
        &[
            "1",
            "2026-11-25T12:00:00Z",
            h.address.as_str(),
            hostname.as_str()
        ]
    );
    let run = env.run(&["discover", "show", "1"]);
    run.code(0);
    let field = |name: &str| {
        run.stdout
            .lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
            .unwrap_or_else(|| panic!("no {name} in\n{}", run.stdout))
    };
    assert_eq!(field("hostname"), hostname);
    assert_eq!(field("kernel"), sh("uname", &["-sr"]));
    assert!(
        run.stdout.lines().any(|l| l.starts_with("/ ")),
        "{}",
        run.stdout
    );

    let run = env.run(&["discover", "show", "7"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: no scan 7\nhint: `homelabcmd discover history` lists the stored scans\n"
    );
}

#[test]
fn a_fleet_machine_is_scanned_with_its_settings_and_pinned_key() {
    let ssh = SshFleet::start(&[Sudo::None]);
    let env = TestEnv::with_files(&[("fleet.yaml", &ssh.fleet_yaml(""))]);
    env.run(&["hosts", "trust", "--yes", "host1"]).code(0);
    env.commit("trust");
    let run = env.run(&["discover", "ssh", "host1", "-o", "json"]);
    run.code(0);
    let scan = run.json();
    assert_eq!(scan["host"], "host1");
    assert_eq!(scan["candidates"][0]["in_fleet"], "host1");
    assert_eq!(
        scan["candidates"][0]["addresses"],
        serde_json::json!([ssh.hosts[0].address])
    );

    // An address nothing listens on fails alone, as unreachable (exit 3).
    let run = env.run(&[
        "discover",
        "ssh",
        "127.0.0.1",
        "--port",
        "1",
        "--accept-new-host-key",
    ]);
    run.code(3);
    assert_eq!(
        run.stderr,
        "error: connection refused by 127.0.0.1:1 (is sshd running?)\n"
    );
}
