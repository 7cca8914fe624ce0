//! One HTTP POST to a target and what its answer means for delivery: delivered (2xx), retry
//! later (connection errors, timeouts, 5xx, 429 — with the receiver's `Retry-After` when it
//! gives one), or rejected (any other status: the target's configuration is wrong, and
//! sending the same request again would not help). Errors never contain the URL.

use std::time::Duration;

use super::format::Request;
use super::target::TargetUrl;

/// How long one request may take, from connecting to the end of the answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How much of a refusing answer's body is kept, to show why.
const BODY_SHOWN: usize = 300;
/// The longest `Retry-After` honoured.
const RETRY_AFTER_MAX: Duration = Duration::from_secs(3600);

/// What came of one attempt.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    Delivered {
        status: u16,
    },
    /// Worth trying again: `after` is the receiver's `Retry-After`, if it said.
    Retry {
        status: Option<u16>,
        error: String,
        after: Option<Duration>,
    },
    /// A configuration error: the receiver refused this request.
    Rejected {
        status: u16,
        error: String,
    },
}

#[derive(Debug, thiserror::Error)]
#[error("cannot set up the HTTP client: {0}")]
pub(crate) struct ClientError(String);

/// The HTTP client for notifications (rustls with ring; no redirects followed, so a URL
/// that moved is reported rather than followed with its secret path).
#[derive(Debug, Clone)]
pub(crate) struct Sender {
    client: reqwest::Client,
}

impl Sender {
    pub(crate) fn new() -> Result<Self, ClientError> {
        Ok(Self {
            client: http_client(REQUEST_TIMEOUT, CONNECT_TIMEOUT)?,
        })
    }

    /// POST `request` to `url`.
    pub(crate) async fn send(&self, url: &TargetUrl, request: &Request) -> Outcome {
        let mut builder = self
            .client
            .post(url.expose().clone())
            .header(reqwest::header::CONTENT_TYPE, request.content_type)
            .body(request.body.clone());
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.as_str());
        }
        match builder.send().await {
            Ok(response) => judge(response).await,
            Err(e) => Outcome::Retry {
                status: None,
                error: error_text(&e),
                after: None,
            },
        }
    }
}

async fn judge(response: reqwest::Response) -> Outcome {
    let status = response.status();
    let code = status.as_u16();
    if status.is_success() {
        return Outcome::Delivered { status: code };
    }
    let after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| retry_after(v, jiff::Timestamp::now()));
    let body = read_some(response).await;
    let error = if body.is_empty() {
        format!("HTTP {code}")
    } else {
        format!("HTTP {code}: {body}")
    };
    if code == 429 || status.is_server_error() {
        Outcome::Retry {
            status: Some(code),
            error,
            after,
        }
    } else {
        Outcome::Rejected {
            status: code,
            error,
        }
    }
}

/// The start of the body, on one line (it is shown to the operator, escaped at display).
async fn read_some(mut response: reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < BODY_SHOWN {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    bytes.truncate(BODY_SHOWN);
    super::message::clean(String::from_utf8_lossy(&bytes).trim())
}

/// `Retry-After`: seconds, or an HTTP date (RFC 9110), as a delay from `now`.
pub(crate) fn retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    let delay = match value.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => {
            let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
            let secs = at.as_second().saturating_sub(now.as_second()).max(0);
            Duration::from_secs(secs as u64)
        }
    };
    Some(delay.min(RETRY_AFTER_MAX))
}

/// An HTTP client of homelabcmd (notifications, the Tailscale API): rustls with ring, these
/// timeouts, and no redirects followed — a URL that moved is reported rather than followed
/// with its secret path or token.
pub(crate) fn http_client(
    request: Duration,
    connect: Duration,
) -> Result<reqwest::Client, ClientError> {
    // Once per process; a second call finds it installed and that is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(request)
        .connect_timeout(connect)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("homelabcmd/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ClientError(error_text(&e)))
}

/// The error and its causes, without the URL (which may be a secret).
pub(crate) fn error_text(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    if e.is_timeout() {
        parts.push("timed out".to_string());
    }
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p: &String| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    if parts.is_empty() {
        let kind = if e.is_connect() {
            "cannot connect"
        } else if e.is_builder() {
            "the request cannot be built"
        } else {
            "the request failed"
        };
        parts.push(kind.to_string());
    }
    super::message::clean(&parts.join(": "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_or_an_http_date() {
        let now: jiff::Timestamp = "2026-12-04T12:00:00Z".parse().unwrap();
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Fri, 04 Dec 2026 12:01:30 GMT", now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            retry_after("Fri, 04 Dec 2026 11:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("999999", now), Some(RETRY_AFTER_MAX));
        assert_eq!(retry_after("soon", now), None);
    }
}
