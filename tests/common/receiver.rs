//! A loopback HTTP receiver standing in for Slack, a webhook or ntfy: a std `TcpListener`
//! thread that records every request (method, path, headers, body) and answers from a script
//! of statuses (then 200 `ok`, as Slack's incoming webhooks do). One request per connection.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One answer: status, extra headers, body.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
    /// Wait this long before answering (beyond the receiver's own delay).
    pub(crate) delay: Duration,
}

impl Answer {
    pub(crate) fn status(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// 200, but only after `secs` (longer than the hub waits).
    pub(crate) fn hanging(secs: u64) -> Self {
        Self {
            delay: Duration::from_secs(secs),
            ..Self::status(200, "ok")
        }
    }

    /// 429 with `Retry-After: secs`, as Slack rate-limits.
    pub(crate) fn rate_limited(secs: u64) -> Self {
        Self {
            status: 429,
            headers: vec![("Retry-After".into(), secs.to_string())],
            body: "rate_limited".into(),
            delay: Duration::ZERO,
        }
    }
}

/// One request as received, with the status it was answered.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) at: Instant,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) answered: u16,
}

impl Received {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The idempotency key (the `Idempotency-Key` header).
    pub(crate) fn key(&self) -> String {
        self.header("Idempotency-Key")
            .expect("every request carries Idempotency-Key")
            .to_string()
    }
}

#[derive(Default)]
struct State {
    script: VecDeque<Answer>,
    received: Vec<Received>,
    /// How long to wait before answering each request.
    delay: Duration,
}

pub(crate) struct Receiver {
    pub(crate) port: u16,
    state: Arc<Mutex<State>>,
}

impl Receiver {
    /// Listen on 127.0.0.1 (a free port) and answer `script` in order, then 200.
    pub(crate) fn start(script: Vec<Answer>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the receiver");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            script: script.into(),
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || serve_one(stream, &shared));
            }
        });
        Self { port, state }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Wait this long before each answer (a slow receiver).
    pub(crate) fn set_delay(&self, delay: Duration) {
        self.state.lock().unwrap().delay = delay;
    }

    pub(crate) fn requests(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    /// The requests answered 2xx.
    pub(crate) fn accepted(&self) -> Vec<Received> {
        self.requests()
            .into_iter()
            .filter(|r| (200..300).contains(&r.answered))
            .collect()
    }

    /// Wait (up to `secs`) until `done` holds for the requests so far; panics with them if not.
    pub(crate) fn wait_until(
        &self,
        secs: u64,
        done: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let seen = self.requests();
            if done(&seen) {
                return seen;
            }
            assert!(
                Instant::now() < deadline,
                "the receiver did not get what was expected within {secs} s; it got:\n{:#?}",
                seen.iter()
                    .map(|r| (r.answered, r.header("Idempotency-Key").map(str::to_string)))
                    .collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn serve_one(stream: TcpStream, state: &Mutex<State>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if let Some((k, v)) = h.trim_end().split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let (answer, delay) = {
        let mut s = state.lock().unwrap();
        let answer = s
            .script
            .pop_front()
            .unwrap_or_else(|| Answer::status(200, "ok"));
        (answer, s.delay)
    };
    std::thread::sleep(delay + answer.delay);
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n",
        answer.status,
        answer.body.len()
    );
    for (k, v) in &answer.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut stream = reader.into_inner();
    // Record only what was answered: a request the hub gave up on (killed) is not "received".
    if stream.write_all(head.as_bytes()).is_ok() && stream.write_all(answer.body.as_bytes()).is_ok()
    {
        state.lock().unwrap().received.push(Received {
            at: Instant::now(),
            method,
            path,
            headers,
            body,
            answered: answer.status,
        });
    }
}
