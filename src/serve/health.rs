//! The probe behind `homelabcmd healthcheck`: one GET of the hub's `/healthz` over a plain TCP
//! connection (std only — the hub's image has no shell, curl or wget), all within one deadline.
//! Healthy means status 200 with the body `ok`; anything else is a `HealthError` saying why in
//! one line, with the hub's text escaped.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// At most this much of the answer is read.
const MAX_ANSWER: u64 = 16 * 1024;

#[derive(Debug, thiserror::Error)]
pub(crate) enum HealthError {
    #[error("`{0}` is not an http://HOST[:PORT][/PATH] URL")]
    Url(String),
    #[error("cannot resolve {0}")]
    Resolve(String),
    #[error("cannot connect to {addr}: {source}")]
    Connect {
        addr: String,
        source: std::io::Error,
    },
    #[error("no answer from {addr} within {secs}s")]
    Timeout { addr: String, secs: u64 },
    #[error("reading the answer of {addr}: {source}")]
    Io {
        addr: String,
        source: std::io::Error,
    },
    #[error("{addr} did not answer in HTTP")]
    NotHttp { addr: String },
    #[error("{addr} answered {status} `{body}`, not 200 `ok`")]
    Unhealthy {
        addr: String,
        status: u16,
        body: String,
    },
}

/// Where to ask: host (a name, an IPv4 address, or an IPv6 address without brackets), port,
/// path.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct HealthUrl {
    host: String,
    port: u16,
    path: String,
}

impl HealthUrl {
    pub(crate) fn parse(url: &str) -> Result<Self, HealthError> {
        let bad = || HealthError::Url(crate::text::escape_line(url));
        let rest = url.strip_prefix("http://").ok_or_else(bad)?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => {
                let (host, after) = v6.split_once(']').ok_or_else(bad)?;
                (host, after.strip_prefix(':'))
            }
            None => match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            },
        };
        let port = match port {
            Some(p) => p.parse().map_err(|_| bad())?,
            None => 80,
        };
        let printable = |s: &str| s.chars().all(|c| c.is_ascii_graphic());
        if host.is_empty() || !printable(host) || !printable(path) {
            return Err(bad());
        }
        Ok(Self {
            host: host.to_string(),
            port,
            path: path.to_string(),
        })
    }

    fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// GET `url` and judge the answer, all within `timeout`.
pub(crate) fn probe(url: &HealthUrl, timeout: Duration) -> Result<(), HealthError> {
    let deadline = Instant::now() + timeout;
    let addr = url.authority();
    let left = || deadline.saturating_duration_since(Instant::now());
    let timed_out = || HealthError::Timeout {
        addr: addr.clone(),
        secs: timeout.as_secs(),
    };
    let addrs: Vec<SocketAddr> = (url.host.as_str(), url.port)
        .to_socket_addrs()
        .map_err(|_| HealthError::Resolve(addr.clone()))?
        .collect();
    let mut stream = connect(&addrs, &addr, &left)?;
    let io = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => timed_out(),
        _ => HealthError::Io {
            addr: addr.clone(),
            source,
        },
    };
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: homelabcmd-healthcheck\r\nConnection: close\r\n\r\n",
        url.path, addr
    );
    stream
        .set_write_timeout(Some(left().max(Duration::from_millis(1))))
        .map_err(io)?;
    stream.write_all(request.as_bytes()).map_err(io)?;
    let mut answer = Vec::new();
    let mut limited = (&stream).take(MAX_ANSWER);
    let mut buf = [0u8; 4096];
    loop {
        let remaining = left();
        if remaining.is_zero() {
            return Err(timed_out());
        }
        stream.set_read_timeout(Some(remaining)).map_err(io)?;
        match limited.read(&mut buf).map_err(io)? {
            0 => break,
            n => answer.extend_from_slice(&buf[..n]),
        }
    }
    judge(&addr, &answer)
}

/// Connect to the first address that answers, within what is left of the deadline.
fn connect(
    addrs: &[SocketAddr],
    addr: &str,
    left: &dyn Fn() -> Duration,
) -> Result<TcpStream, HealthError> {
    let mut last = None;
    for a in addrs {
        let remaining = left();
        if remaining.is_zero() {
            break;
        }
        match TcpStream::connect_timeout(a, remaining) {
            Ok(stream) => return Ok(stream),
            Err(e) => last = Some(e),
        }
    }
    Err(HealthError::Connect {
        addr: addr.to_string(),
        source: last.unwrap_or_else(|| std::io::ErrorKind::TimedOut.into()),
    })
}

/// 200 with the body `ok` (and a line end) is healthy.
fn judge(addr: &str, answer: &[u8]) -> Result<(), HealthError> {
    let text = String::from_utf8_lossy(answer);
    let not_http = || HealthError::NotHttp {
        addr: addr.to_string(),
    };
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(not_http)?;
    let status: u16 = head
        .strip_prefix("HTTP/1.")
        .and_then(|rest| rest.get(2..5))
        .and_then(|code| code.parse().ok())
        .ok_or_else(not_http)?;
    if status == 200 && body.trim() == "ok" {
        return Ok(());
    }
    let body: String = body.trim().chars().take(80).collect();
    Err(HealthError::Unhealthy {
        addr: addr.to_string(),
        status,
        body: crate::text::escape_line(&body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(host: &str, port: u16, path: &str) -> HealthUrl {
        HealthUrl {
            host: host.into(),
            port,
            path: path.into(),
        }
    }

    #[test]
    fn urls() {
        let parse = |s| HealthUrl::parse(s).map_err(|e| e.to_string());
        assert_eq!(
            parse("http://127.0.0.1:8080/healthz"),
            Ok(url("127.0.0.1", 8080, "/healthz"))
        );
        assert_eq!(parse("http://hub.lan"), Ok(url("hub.lan", 80, "/")));
        assert_eq!(parse("http://[::1]:9/x"), Ok(url("::1", 9, "/x")));
        assert_eq!(url("::1", 9, "/").authority(), "[::1]:9");
        for bad in [
            "https://h/",
            "h:1/",
            "http://:80/",
            "http://h:99999/",
            "http://h/a b",
            "http://[::1/",
        ] {
            assert_eq!(
                parse(bad),
                Err(format!("`{bad}` is not an http://HOST[:PORT][/PATH] URL")),
                "{bad}"
            );
        }
    }

    #[test]
    fn answers() {
        let judged = |a: &str| judge("h:1", a.as_bytes()).map_err(|e| e.to_string());
        assert_eq!(
            judged("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nok\n"),
            Ok(())
        );
        assert_eq!(
            judged("HTTP/1.1 503 Service Unavailable\r\n\r\nstarting\x1b[2J"),
            Err("h:1 answered 503 `starting\\u{1b}[2J`, not 200 `ok`".into())
        );
        assert_eq!(
            judged("HTTP/1.1 200 OK\r\n\r\nfine"),
            Err("h:1 answered 200 `fine`, not 200 `ok`".into())
        );
        assert_eq!(
            judged("SSH-2.0-OpenSSH\r\n"),
            Err("h:1 did not answer in HTTP".into())
        );
    }
}
