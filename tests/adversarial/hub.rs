//! Adversarial: the hub's front door. Hostile heartbeats against the real `serve` (malformed,
//! oversized, deeply nested, invalid numbers, overflow, control characters in every name,
//! wrong and borrowed tokens, wrong content types, chunked bodies over the limit), each with
//! its status and nothing stored; and hostile clients (slow headers, slow bodies, a wrong
//! token with a huge body, hundreds of half-open connections) that must not hold the hub.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{Hub, TestEnv, heartbeat, http_post_with, sample};

const NOW: &str = "2026-11-25T12:00:00Z";
/// `serve --client-timeout` in these tests.
const CLIENT_TIMEOUT_SECS: u64 = 2;

fn fleet() -> TestEnv {
    TestEnv::with_files(&[(
        "fleet.yaml",
        "version: 1\nmachines:\n  web1:\n    address: web1.lan\n  db1:\n    address: db1.lan\n",
    )])
}

fn start(env: &TestEnv) -> Hub {
    Hub::start(
        env,
        Some(NOW),
        &["--client-timeout", &CLIENT_TIMEOUT_SECS.to_string()],
    )
}

fn token(env: &TestEnv, machine: &str) -> String {
    let run = env.run(&["agent", "token", machine]);
    run.code(0);
    run.stdout.trim().to_string()
}

/// What the store holds: (machine, sample time) for every machine, from `status -o json`.
fn stored(env: &TestEnv) -> Vec<(String, Value)> {
    let doc = env.run(&["status", "-o", "json"]).json();
    let mut out: Vec<(String, Value)> = doc["machines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap().to_string(),
                m["sample_time"].clone(),
            )
        })
        .collect();
    for u in doc["unregistered"].as_array().into_iter().flatten() {
        out.push((
            u["id"].as_str().unwrap().to_string(),
            u["last_seen"].clone(),
        ));
    }
    out
}

/// Sends raw bytes (a head, then the body in pieces, ignoring a server that stops reading)
/// and reads the answer: (status, body). Status 0: the connection closed without one.
fn raw(port: u16, head: &str, body: &[&[u8]]) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    for piece in body {
        if stream.write_all(piece).is_err() {
            break;
        }
    }
    crate::common::read_answer(&mut stream)
}

fn good() -> Value {
    sample("2026-11-25T11:59:00Z", 10.0)
}

/// A one-sample heartbeat of web1 with `f` applied to the sample.
fn with(f: impl Fn(&mut Value)) -> Vec<u8> {
    let mut s = good();
    f(&mut s);
    heartbeat("web1", vec![s])
}

/// A heartbeat of web1 with `f` applied to the whole document.
fn doc(f: impl Fn(&mut Value)) -> Vec<u8> {
    let mut d: Value = serde_json::from_slice(&heartbeat("web1", vec![good()])).unwrap();
    f(&mut d);
    serde_json::to_vec(&d).unwrap()
}

/// The good heartbeat with one JSON value replaced by raw text (invalid JSON numbers).
fn replace(from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(heartbeat("web1", vec![good()])).unwrap();
    assert!(text.contains(from), "{from} in {text}");
    text.replacen(from, to, 1).into_bytes()
}

/// How a case authenticates.
enum Auth {
    Web1,
    None,
    Header(&'static str, String),
    Headers(Vec<(&'static str, String)>),
}

struct Case {
    what: &'static str,
    auth: Auth,
    body: Vec<u8>,
    status: u16,
}

fn case(what: &'static str, body: Vec<u8>, status: u16) -> Case {
    Case {
        what,
        auth: Auth::Web1,
        body,
        status,
    }
}

/// Every name a heartbeat carries, each set to a text with a control character.
fn control_character_cases() -> Vec<Case> {
    type Set = fn(&mut Value, Value);
    let fields: Vec<(&'static str, Set)> = vec![
        ("hostname", |s, v| s["os"]["hostname"] = v),
        ("distribution", |s, v| s["os"]["distribution"] = v),
        ("os version", |s, v| s["os"]["version"] = v),
        ("kernel", |s, v| s["os"]["kernel"] = v),
        ("arch", |s, v| s["os"]["arch"] = v),
        ("mount", |s, v| s["filesystems"][0]["mount"] = v),
        ("device", |s, v| s["filesystems"][0]["device"] = v),
        ("fs_type", |s, v| s["filesystems"][0]["fs_type"] = v),
        ("interface", |s, v| s["network"][0]["name"] = v),
        ("unit name", |s, v| {
            s["services"] = json!([{"name": v, "active_state": "active", "sub_state": "running"}]);
        }),
        ("unit state", |s, v| {
            s["services"] =
                json!([{"name": "ssh.service", "active_state": v, "sub_state": "running"}]);
        }),
        ("container name", |s, v| {
            s["docker"] = json!({"available": true, "containers": [{"name": v, "image": "i", "state": "running", "status": "Up"}]});
        }),
        ("container image", |s, v| {
            s["docker"] = json!({"available": true, "containers": [{"name": "c", "image": v, "state": "running", "status": "Up"}]});
        }),
        ("container status", |s, v| {
            s["docker"] = json!({"available": true, "containers": [{"name": "c", "image": "i", "state": "running", "status": v}]});
        }),
        ("update manager", |s, v| s["updates"]["manager"] = v),
    ];
    let texts = [
        "web1\u{0}",
        "a\nb",
        "\u{1b}]0;owned\u{7}",
        "x\u{9b}31m",
        "\u{7f}",
    ];
    fields
        .into_iter()
        .enumerate()
        .map(|(i, (what, set))| {
            let text = texts[i % texts.len()];
            Case {
                what,
                auth: Auth::Web1,
                body: with(|s| set(s, json!(text))),
                status: 422,
            }
        })
        .collect()
}

fn hostile_cases(env: &TestEnv) -> Vec<Case> {
    let db1 = token(env, "db1");
    let ghost = token(env, "ghost");
    let web1 = token(env, "web1");
    let bearer = |t: &str| format!("Bearer {t}");
    let mut cases = vec![
        case("empty body", vec![], 400),
        case("not JSON", b"hello".to_vec(), 400),
        case(
            "truncated JSON",
            b"{\"machine_id\": \"web1\", ".to_vec(),
            400,
        ),
        case("an array", b"[]".to_vec(), 422),
        case("null", b"null".to_vec(), 422),
        // Refused at the second `[`: a heartbeat is an object.
        case("100k nested arrays", vec![b'['; 100_000], 422),
        case(
            "100k nested arrays in an unknown field",
            {
                let mut text = String::from("{\"machine_id\":\"web1\",\"x\":");
                text.push_str(&"[".repeat(100_000));
                text.into_bytes()
            },
            400,
        ),
        case(
            "nested objects in a field",
            {
                let mut text = String::from("{\"machine_id\":\"web1\",\"x\":");
                text.push_str(&"{\"a\":".repeat(50_000));
                text.into_bytes()
            },
            400,
        ),
        case(
            "NaN",
            replace("\"cpu_percent\":10.0", "\"cpu_percent\":NaN"),
            400,
        ),
        case(
            "Infinity",
            replace("\"cpu_percent\":10.0", "\"cpu_percent\":Infinity"),
            400,
        ),
        case(
            "1e999",
            replace("\"cpu_percent\":10.0", "\"cpu_percent\":1e999"),
            400,
        ),
        case(
            "u64 overflow",
            replace(
                "\"uptime_secs\":86400",
                "\"uptime_secs\":18446744073709551616",
            ),
            422,
        ),
        case(
            "negative memory",
            with(|s| s["memory"]["total"] = json!(-1)),
            422,
        ),
        case(
            "negative load",
            with(|s| s["load"]["one"] = json!(-0.5)),
            422,
        ),
        case(
            "CPU over 100",
            with(|s| s["cpu_percent"] = json!(100.5)),
            422,
        ),
        case(
            "CPU as a string",
            with(|s| s["cpu_percent"] = json!("10")),
            422,
        ),
        case(
            "used memory over the total",
            with(|s| s["memory"]["used"] = json!(1u64 << 40)),
            422,
        ),
        case("samples not a list", doc(|d| d["samples"] = json!({})), 422),
        case(
            "no machine_id",
            doc(|d| {
                d.as_object_mut().unwrap().remove("machine_id");
            }),
            422,
        ),
        case(
            "no samples field",
            doc(|d| {
                d.as_object_mut().unwrap().remove("samples");
            }),
            422,
        ),
        case("empty samples", doc(|d| d["samples"] = json!([])), 422),
        case(
            "1001 samples",
            heartbeat("web1", (0..1001).map(|_| good()).collect()),
            422,
        ),
        case(
            "empty machine_id",
            doc(|d| d["machine_id"] = json!("")),
            403,
        ),
        case(
            "machine_id with NUL",
            doc(|d| d["machine_id"] = json!("web1\u{0}")),
            403,
        ),
        case(
            "agent_version with ESC",
            doc(|d| d["agent_version"] = json!("1.0\u{1b}[2J")),
            422,
        ),
        case(
            "a 1 MiB hostname",
            with(|s| s["os"]["hostname"] = json!("h".repeat(1 << 20))),
            422,
        ),
        case(
            "duplicate keys",
            {
                let text = String::from_utf8(heartbeat("web1", vec![good()])).unwrap();
                text.replacen("{", "{\"machine_id\":\"db1\",", 1)
                    .into_bytes()
            },
            422,
        ),
        case(
            "a time from the future",
            with(|s| s["time"] = json!("2026-11-25T13:00:00Z")),
            422,
        ),
        case(
            "a time too old",
            with(|s| s["time"] = json!("2026-09-01T00:00:00Z")),
            422,
        ),
        case("not a time", with(|s| s["time"] = json!("yesterday")), 422),
        case("a body over 4 MiB", vec![b' '; 5 << 20], 413),
        Case {
            what: "no token",
            auth: Auth::None,
            body: heartbeat("web1", vec![good()]),
            status: 401,
        },
        Case {
            what: "a wrong token",
            auth: Auth::Header("Authorization", bearer(&"ab".repeat(32))),
            body: heartbeat("web1", vec![good()]),
            status: 401,
        },
        Case {
            what: "a token that is not hex",
            auth: Auth::Header("Authorization", bearer("not-a-token")),
            body: heartbeat("web1", vec![good()]),
            status: 401,
        },
        Case {
            what: "the Basic scheme",
            auth: Auth::Header("Authorization", format!("Basic {web1}")),
            body: heartbeat("web1", vec![good()]),
            status: 401,
        },
        Case {
            what: "another machine's token",
            auth: Auth::Header("Authorization", bearer(&db1)),
            body: heartbeat("web1", vec![good()]),
            status: 403,
        },
        Case {
            what: "the token of an unregistered id, unnamed",
            auth: Auth::Header("Authorization", bearer(&ghost)),
            body: heartbeat("ghost", vec![good()]),
            status: 401,
        },
        Case {
            what: "the token of an unregistered id, named as web1",
            auth: Auth::Headers(vec![
                ("Authorization", bearer(&ghost)),
                ("X-Homelab-Machine", "web1".into()),
            ]),
            body: heartbeat("web1", vec![good()]),
            status: 401,
        },
        Case {
            what: "the token of an unregistered id, named, speaking for web1",
            auth: Auth::Headers(vec![
                ("Authorization", bearer(&ghost)),
                ("X-Homelab-Machine", "ghost".into()),
            ]),
            body: heartbeat("web1", vec![good()]),
            status: 403,
        },
        Case {
            what: "text/plain",
            auth: Auth::Headers(vec![
                ("Authorization", bearer(&web1)),
                ("Content-Type", "text/plain".into()),
            ]),
            body: heartbeat("web1", vec![good()]),
            status: 415,
        },
    ];
    cases.extend(control_character_cases());
    cases
}

#[test]
fn hostile_heartbeats_are_refused_and_store_nothing() {
    let env = fleet();
    let hub = start(&env);
    let web1 = token(&env, "web1");
    let cases = hostile_cases(&env);
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut wrong = Vec::new();
    for c in &cases {
        let headers: Vec<(&str, String)> = match &c.auth {
            Auth::Web1 => vec![
                ("Authorization", format!("Bearer {web1}")),
                ("Content-Type", "application/json".into()),
            ],
            Auth::None => vec![("Content-Type", "application/json".into())],
            Auth::Header(name, value) => vec![
                (name, value.clone()),
                ("Content-Type", "application/json".into()),
            ],
            Auth::Headers(list) => list.clone(),
        };
        let borrowed: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let (code, reply) = http_post_with(hub.port, "/api/v1/heartbeat", &borrowed, &c.body);
        let error = serde_json::from_str::<Value>(&reply)
            .ok()
            .and_then(|r| r["error"].as_str().map(str::to_string));
        if code != c.status || error.is_none() {
            wrong.push(format!(
                "{}: HTTP {code} (expected {}), {}",
                c.what,
                c.status,
                reply.chars().take(200).collect::<String>()
            ));
        }
        let now = stored(&env);
        assert!(
            now.iter().all(|(_, t)| t.is_null()),
            "{}: something was stored: {now:?}",
            c.what
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(stored(&env).len(), 2, "no unregistered machine appeared");
    // Still serving.
    let (code, reply) = hub.post(Some(&web1), &heartbeat("web1", vec![good()]));
    assert_eq!(code, 200, "{reply}");
    assert_eq!(
        stored(&env)[0],
        ("web1".to_string(), json!("2026-11-25T11:59:00Z"))
    );
}

#[test]
fn a_chunked_body_over_the_limit_is_refused() {
    let env = fleet();
    let hub = start(&env);
    let web1 = token(&env, "web1");
    let head = format!(
        "POST /api/v1/heartbeat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {web1}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let chunk = format!("{:x}\r\n{}\r\n", 1 << 20, " ".repeat(1 << 20)).into_bytes();
    let pieces: Vec<&[u8]> = (0..6)
        .map(|_| chunk.as_slice())
        .chain([&b"0\r\n\r\n"[..]])
        .collect();
    let (code, reply) = raw(hub.port, &head, &pieces);
    assert_eq!(code, 413, "{reply}");
    assert!(stored(&env).iter().all(|(_, t)| t.is_null()));
    let (code, _) = hub.post(Some(&web1), &heartbeat("web1", vec![good()]));
    assert_eq!(code, 200);
}

#[test]
fn a_wrong_token_is_answered_before_the_body_is_sent() {
    let env = fleet();
    let hub = start(&env);
    let mut stream = TcpStream::connect(("127.0.0.1", hub.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    // A 4 MB body is announced and never sent: the answer must not wait for it.
    let head = format!(
        "POST /api/v1/heartbeat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 4000000\r\n\r\n",
        "ab".repeat(32)
    );
    stream.write_all(head.as_bytes()).unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 512];
    let n = stream.read(&mut buf).expect("an answer before the body");
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(text.starts_with("HTTP/1.1 401 "), "{text}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// Opens a connection that sends half a request line and nothing more.
fn half_open(port: u16) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(b"POST /api/v1/heart").unwrap();
    stream
}

/// Whether the hub closed the connection (EOF or reset) within `within`.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => true, // EOF, after an answer (408, 400) or none
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn a_client_that_sends_half_a_request_line_is_disconnected() {
    let env = fleet();
    let hub = start(&env);
    let mut stream = half_open(hub.port);
    let started = Instant::now();
    assert!(
        closed_within(&mut stream, Duration::from_secs(CLIENT_TIMEOUT_SECS + 5)),
        "still open after {:?}",
        started.elapsed()
    );
    assert!(started.elapsed() >= Duration::from_millis(CLIENT_TIMEOUT_SECS * 1000 - 200));
}

#[test]
fn a_body_that_stops_halfway_is_answered_408() {
    let env = fleet();
    let hub = start(&env);
    let web1 = token(&env, "web1");
    let mut stream = TcpStream::connect(("127.0.0.1", hub.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(CLIENT_TIMEOUT_SECS + 5)))
        .unwrap();
    let body = heartbeat("web1", vec![good()]);
    let head = format!(
        "POST /api/v1/heartbeat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {web1}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body[..body.len() / 2]).unwrap();
    let started = Instant::now();
    let (code, reply) = crate::common::read_answer(&mut stream);
    assert_eq!(code, 408, "{reply}");
    assert!(started.elapsed() < Duration::from_secs(CLIENT_TIMEOUT_SECS + 3));
    assert!(stored(&env).iter().all(|(_, t)| t.is_null()));
}

#[test]
fn four_hundred_slow_clients_do_not_starve_a_heartbeat_and_are_all_dropped() {
    let env = fleet();
    let hub = start(&env);
    let web1 = token(&env, "web1");
    let slow: Vec<TcpStream> = (0..400).map(|_| half_open(hub.port)).collect();
    let started = Instant::now();
    let (code, reply) = hub.post(Some(&web1), &heartbeat("web1", vec![good()]));
    assert_eq!(code, 200, "{reply}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    std::thread::sleep(Duration::from_secs(CLIENT_TIMEOUT_SECS + 2));
    let open = slow
        .iter()
        .filter(|s| !closed_within(&mut s.try_clone().unwrap(), Duration::from_millis(50)))
        .count();
    assert_eq!(open, 0, "slow connections still open");
}
