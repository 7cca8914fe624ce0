//! The current time, which tests can fix with `HOMELABCMD_NOW` (RFC 3339 or unix seconds).
//!
//! For tests of a running `serve`, `HOMELABCMD_NOW=@/path/to/file` reads the time from that
//! file on every call, so the test moves the hub's clock by replacing the file (atomically:
//! write another file and rename it over, or a reader may find it empty). Test-only: a
//! missing or unreadable file means the real time.

use jiff::Timestamp;

pub(crate) const NOW_VAR: &str = "HOMELABCMD_NOW";

/// Now, or the time `HOMELABCMD_NOW` names (or its `@file` holds).
pub(crate) fn now() -> Timestamp {
    std::env::var(NOW_VAR)
        .ok()
        .and_then(|v| match v.strip_prefix('@') {
            Some(path) => std::fs::read_to_string(path)
                .ok()
                .and_then(|text| parse(text.trim())),
            None => parse(&v),
        })
        .unwrap_or_else(Timestamp::now)
}

fn parse(text: &str) -> Option<Timestamp> {
    match text.parse::<i64>() {
        Ok(secs) => Timestamp::from_second(secs).ok(),
        Err(_) => text.parse().ok(),
    }
}

/// RFC 3339 in UTC, to the second: `2026-11-25T17:40:57Z`.
pub(crate) fn rfc3339(unix: i64) -> String {
    Timestamp::from_second(unix)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}
