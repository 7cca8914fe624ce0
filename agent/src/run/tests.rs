//! The delivery loop against a fake hub: batching, retries, refusals, stop.

use super::*;
use crate::config::Hub;
use crate::deliver::Delivery;
use crate::testutil::{FakeHub, TempDir};
use homelabcmd_proto::Heartbeat;
use std::path::Path;
use std::time::Duration;

fn config(state_dir: &Path, hub_url: &str) -> Config {
    Config {
        hub: Some(Hub {
            url: hub_url.to_owned(),
            api_key: "machine-token".to_owned(),
            machine_id: "nas".to_owned(),
        }),
        interval: Duration::from_secs(60),
        state_dir: state_dir.to_owned(),
        buffer_max: 100,
        retry_delay: Duration::ZERO,
        docker_socket: state_dir.join("no-docker.sock"),
    }
}

fn agent(dir: &TempDir, hub_url: &str) -> Agent {
    let config = config(dir.path(), hub_url);
    Agent::open(config, Stop::new()).unwrap()
}

impl Agent {
    fn deliver(&mut self) -> Delivery {
        self.courier.as_mut().unwrap().deliver()
    }
}

fn sample(secs: i64) -> Sample {
    Sample {
        time: homelabcmd_proto::time::format_rfc3339(secs),
        cpu_percent: 3.0,
        memory: Default::default(),
        filesystems: vec![],
        network: vec![],
        load: Default::default(),
        uptime_secs: 1,
        os: Default::default(),
        updates: Default::default(),
        services: vec![],
        docker: Default::default(),
    }
}

fn heartbeat(r: &crate::testutil::Received) -> Heartbeat {
    serde_json::from_str(&r.body).unwrap()
}

const REPLY: &str = r#"{"accepted":2,"duplicates":0,"services":["ssh","plex"],"interval_secs":30}"#;

#[test]
fn delivers_oldest_first_in_batches_and_adopts_the_reply() {
    let hub = FakeHub::start(vec![(Some(200), REPLY.into()); 3]);
    let dir = TempDir::new("run-batches");
    let mut a = agent(&dir, &hub.url);
    a.courier.as_mut().unwrap().batch_max = 2;
    for t in 0..5 {
        a.shared.spool().push(&sample(1_000 + t)).unwrap();
    }
    assert_eq!(a.deliver(), Delivery::Complete);
    let got = hub.requests();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].request_line, "POST /api/v1/heartbeat HTTP/1.1");
    assert!(
        got[0]
            .headers
            .iter()
            .any(|h| h == "authorization: Bearer machine-token"
                || h == "Authorization: Bearer machine-token"),
        "{:?}",
        got[0].headers
    );
    let beats: Vec<Heartbeat> = got.iter().map(heartbeat).collect();
    assert_eq!(beats.iter().map(|b| b.seq).collect::<Vec<_>>(), [1, 2, 3]);
    let times: Vec<i64> = beats
        .iter()
        .flat_map(|b| &b.samples)
        .map(|s| homelabcmd_proto::time::parse_rfc3339(&s.time).unwrap())
        .collect();
    assert_eq!(times, [1_000, 1_001, 1_002, 1_003, 1_004]);
    assert_eq!(beats[0].machine_id, "nas");
    assert_eq!(beats[0].agent_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(a.shared.buffered(), 0);
    assert_eq!(a.shared.interval(), Duration::from_secs(30));
    // Seq and services survive a restart.
    let again = agent(&dir, &hub.url);
    assert_eq!(again.shared.state().state.seq, 3);
    assert_eq!(again.shared.state().state.services, ["ssh", "plex"]);
}

#[test]
fn retries_then_keeps_the_buffer_until_the_hub_is_back() {
    let answers = vec![
        (Some(503), String::new()),
        (Some(502), String::new()),
        (Some(500), String::new()),
        (Some(503), String::new()),
    ];
    let hub = FakeHub::start(answers);
    let dir = TempDir::new("run-retry");
    let mut a = agent(&dir, &hub.url);
    a.shared.spool().push(&sample(1)).unwrap();
    assert_eq!(a.deliver(), Delivery::Pending);
    assert_eq!(hub.requests().len(), 3, "three tries");
    assert_eq!(a.shared.buffered(), 1);
    a.shared.spool().push(&sample(2)).unwrap();
    // One more failure, then the hub answers.
    assert_eq!(a.deliver(), Delivery::Complete);
    let got = hub.requests();
    assert_eq!(got.len(), 5);
    assert_eq!(heartbeat(&got[4]).samples.len(), 2);
    assert_eq!(heartbeat(&got[4]).seq, 5, "every request has its own seq");
    assert_eq!(a.shared.buffered(), 0);
}

#[test]
fn unreachable_hub_keeps_samples() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = TempDir::new("run-down");
    let mut a = agent(&dir, &format!("http://127.0.0.1:{port}"));
    a.shared.spool().push(&sample(1)).unwrap();
    assert_eq!(a.deliver(), Delivery::Pending);
    assert_eq!(a.shared.buffered(), 1);
    assert_eq!(a.shared.state().state.seq, 3);
}

#[test]
fn refusals_drop_auth_errors_keep() {
    let bad = r#"{"error":"sample 0: cpu_percent out of range"}"#;
    let answers = vec![
        (Some(401), r#"{"error":"unknown machine token"}"#.into()),
        (Some(422), bad.into()),
    ];
    let hub = FakeHub::start(answers);
    let dir = TempDir::new("run-refused");
    let mut a = agent(&dir, &hub.url);
    a.shared.spool().push(&sample(1)).unwrap();
    assert_eq!(a.deliver(), Delivery::Pending, "401: kept");
    assert_eq!(a.shared.buffered(), 1);
    assert_eq!(hub.requests().len(), 1, "401 is not retried");
    assert_eq!(a.deliver(), Delivery::Dropped, "422: dropped");
    assert_eq!(a.shared.buffered(), 0);
}

#[test]
fn too_large_halves_the_batch() {
    let hub = FakeHub::start(vec![(Some(413), r#"{"error":"body too large"}"#.into())]);
    let dir = TempDir::new("run-413");
    let mut a = agent(&dir, &hub.url);
    for t in 0..4 {
        a.shared.spool().push(&sample(t)).unwrap();
    }
    assert_eq!(a.deliver(), Delivery::Complete);
    let sizes: Vec<usize> = hub
        .requests()
        .iter()
        .map(|r| heartbeat(r).samples.len())
        .collect();
    assert_eq!(sizes, [4, 2, 2]);
}

#[test]
fn stop_abandons_a_hanging_request() {
    let hub = FakeHub::start(vec![(None, String::new())]);
    let dir = TempDir::new("run-stop");
    let mut a = agent(&dir, &hub.url);
    a.shared.spool().push(&sample(1)).unwrap();
    let stop = a.stop.clone();
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(300));
        stop.request();
    });
    let start = Instant::now();
    assert_eq!(a.deliver(), Delivery::Stopped);
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_eq!(a.shared.buffered(), 1, "unacknowledged: still buffered");
}

#[test]
fn once_collects_spools_and_sends() {
    let hub = FakeHub::start(vec![]);
    let dir = TempDir::new("run-once");
    let mut a = agent(&dir, &hub.url);
    assert_eq!(a.once(), 0);
    let got = hub.requests();
    assert_eq!(got.len(), 1);
    let beat = heartbeat(&got[0]);
    assert_eq!(beat.samples.len(), 1);
    assert!(beat.samples[0].memory.total > 0);
    assert_eq!(a.shared.buffered(), 0);
}

#[test]
fn drops_only_the_samples_refused_for_good_and_keeps_those_for_later() {
    let reply = r#"{"accepted":2,"duplicates":0,"services":[],"interval_secs":0,"refused":[
        {"index":1,"time":"x","reason":"samples[1]: cpu_percent 300 is not between 0 and 100"},
        {"index":3,"time":"y","reason":"samples[3]: time is in the future","retry_later":true}]}"#;
    let hub = FakeHub::start(vec![(Some(200), reply.into())]);
    let dir = TempDir::new("run-refused-some");
    let mut a = agent(&dir, &hub.url);
    for t in 0..4 {
        a.shared.spool().push(&sample(1_000 + t)).unwrap();
    }
    assert_eq!(a.deliver(), Delivery::Pending, "one sample waits for later");
    assert_eq!(hub.requests().len(), 1, "not sent again at once");
    let left = a.shared.spool().oldest(10).unwrap();
    assert_eq!(
        left.iter().map(|(_, s)| s.time.clone()).collect::<Vec<_>>(),
        [sample(1_003).time]
    );
}

#[test]
fn a_whole_batch_refused_without_reasons_is_split_to_find_the_bad_sample() {
    let bad = (
        Some(422),
        r#"{"error":"samples[2]: impossible"}"#.to_string(),
    );
    let ok = (Some(200), REPLY.to_string());
    // [0..4] refused; [0,1] taken; [2,3] refused; [2] refused (dropped); [3] taken.
    let hub = FakeHub::start(vec![bad.clone(), ok.clone(), bad.clone(), bad, ok]);
    let dir = TempDir::new("run-bisect");
    let mut a = agent(&dir, &hub.url);
    for t in 0..4 {
        a.shared.spool().push(&sample(t)).unwrap();
    }
    assert_eq!(a.deliver(), Delivery::Dropped);
    let sizes: Vec<usize> = hub
        .requests()
        .iter()
        .map(|r| heartbeat(r).samples.len())
        .collect();
    assert_eq!(sizes, [4, 2, 2, 1, 1]);
    assert_eq!(a.shared.buffered(), 0);
}
