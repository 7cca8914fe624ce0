//! `discover network` against real sshd hosts on loopback (tests/common/sshd.rs), a silent
//! listener and closed addresses: exactly the hosts with an open port are found, with their
//! banners; oversized and malformed ranges are refused with a clear error.

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, TcpListener, TcpStream};

use crate::common::TestEnv;
use crate::common::sshd::{SshFleet, Sudo};

/// The first line an SSH server sends, read with std (not homelabcmd's probe).
fn banner(address: &str, port: u16) -> String {
    let stream = TcpStream::connect((address, port)).unwrap();
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).unwrap();
    line.trim_end().to_string()
}

/// The /27 holding `address`, and the address `offset` past its start.
fn slash27(address: &str) -> (String, Ipv4Addr) {
    let ip: Ipv4Addr = address.parse().unwrap();
    let base = u32::from(ip) & !31;
    (format!("{}/27", Ipv4Addr::from(base)), Ipv4Addr::from(base))
}

#[test]
fn a_range_yields_exactly_the_hosts_with_an_open_port() {
    let ssh = SshFleet::start(&[Sudo::None, Sudo::None]);
    let (h1, h2) = (&ssh.hosts[0], &ssh.hosts[1]);
    let (range, base) = slash27(&h1.address);
    assert_eq!(slash27(&h2.address).0, range, "the hosts straddle a /27");
    // A silent listener on a third address of the range, on host1's port: open, no banner.
    let silent_ip = (1..31)
        .map(|i| Ipv4Addr::from(u32::from(base) + i).to_string())
        .find(|a| {
            *a != h1.address && *a != h2.address && TcpListener::bind((a.as_str(), h1.port)).is_ok()
        })
        .unwrap();
    let silent = TcpListener::bind((silent_ip.as_str(), h1.port)).unwrap();
    let env = TestEnv::with_files(&[(
        "fleet.yaml",
        &format!(
            "version: 1\nmachines:\n  host1:\n    address: {}\n",
            h1.address
        ),
    )]);
    let ports = format!("{},{}", h1.port, h2.port);
    let run = env.run(&[
        "discover",
        "network",
        &range,
        "--ports",
        &ports,
        "--no-dns",
        "--timeout",
        "0.5",
        "-o",
        "json",
    ]);
    run.code(0);
    let ssh_answer = |h: &crate::common::sshd::SshHost| {
        serde_json::json!({
            "address": h.address, "port": h.port, "open": true, "banner": banner(&h.address, h.port),
            "host_key": null, "fingerprint": null, "error": null
        })
    };
    let candidate = |address: &str, in_fleet: Option<&str>, ssh: serde_json::Value| {
        serde_json::json!({
            "id": format!("host-{}", address.replace('.', "-")),
            "hostname": address, "dns_name": null, "addresses": [address], "os": null,
            "origin": "network", "online": true, "last_seen": "2026-11-25T12:00:00Z", "tags": [],
            "in_fleet": in_fleet, "ssh": ssh
        })
    };
    let mut expected = vec![
        (
            h1.address.clone(),
            candidate(&h1.address, Some("host1"), ssh_answer(h1)),
        ),
        (
            h2.address.clone(),
            candidate(&h2.address, None, ssh_answer(h2)),
        ),
        (
            silent_ip.clone(),
            candidate(&silent_ip, None, serde_json::Value::Null),
        ),
    ];
    expected.sort_by_key(|(a, _)| a.parse::<Ipv4Addr>().unwrap());
    let expected: Vec<_> = expected.into_iter().map(|(_, c)| c).collect();
    assert_eq!(run.json(), serde_json::json!({ "candidates": expected }));
    drop(silent);

    // The table names the same hosts, and nothing else.
    let run = env.run(&[
        "discover",
        "network",
        &range,
        "--ports",
        &ports,
        "-n",
        "--timeout",
        "0.5",
    ]);
    run.code(0);
    let ids: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let mut want = vec![
        format!("host-{}", h1.address.replace('.', "-")),
        format!("host-{}", h2.address.replace('.', "-")),
    ];
    want.sort_by_key(|id| id.rsplit('-').next().unwrap().parse::<u32>().unwrap());
    assert_eq!(ids, want, "{}", run.stdout);
}

#[test]
fn large_and_malformed_ranges_are_refused_clearly() {
    let env = TestEnv::fleet();
    let run = env.run(&["discover", "network", "10.0.0.0/15"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: 10.0.0.0/15 has 131072 addresses, more than a /16 (65536)\n\
         hint: scan a smaller range, or pass --force if you mean it\n"
    );
    let run = env.run(&["discover", "network", "10.0.0.300/24"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: `10.0.0.300/24` is not a CIDR range: `10.0.0.300` is not an IPv4 or IPv6 address\n\
         hint: write it as ADDRESS/PREFIX, e.g. 192.168.1.0/24 or fd00::/120\n"
    );
    let run = env.run(&["discover", "network", "fd00::"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: `fd00::` is not a CIDR range: the `/PREFIX` is missing\n\
         hint: add the prefix: `fd00::/120` for 256 addresses, `fd00::/128` for one\n"
    );
    let run = env.run(&["discover", "network", "10.0.0.0/4", "--force"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: 0.0.0.0/4 has more than 16777216 addresses (a /8), too many even with --force\n\
         hint: split the range into parts of at most a /8\n"
    );
}

#[test]
fn an_ipv6_range_is_probed_too() {
    let Ok(listener) = TcpListener::bind("[::1]:0") else {
        return; // no IPv6 on this machine
    };
    let port = listener.local_addr().unwrap().port();
    let env = TestEnv::fleet();
    let port = port.to_string();
    let run = env.run(&[
        "discover",
        "network",
        "::1/128",
        "--ports",
        &port,
        "-n",
        "--timeout",
        "0.3",
        "-o",
        "json",
    ]);
    run.code(0);
    assert_eq!(
        run.json(),
        serde_json::json!({ "candidates": [{
            "id": "host-1", "hostname": "::1", "dns_name": null, "addresses": ["::1"], "os": null,
            "origin": "network", "online": true, "last_seen": "2026-11-25T12:00:00Z", "tags": [],
            "in_fleet": null, "ssh": null
        }]})
    );
}
