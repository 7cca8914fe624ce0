//! The candidates as a table: one row per candidate, every text a source reported escaped.

use crate::discover::{Candidate, SshAnswer};
use crate::monitor::state::ago;
use crate::output::{Output, Table, escape_line};

/// The table of `candidates`; `now` (unix seconds) dates "last seen".
pub(super) fn render(out: &Output, candidates: &[Candidate], now: i64) -> String {
    let mut table = Table::new(&[
        "ID", "NAME", "ADDRESS", "OS", "SEEN", "TAGS", "IN FLEET", "SSH",
    ]);
    for c in candidates {
        let address = c
            .addresses
            .first()
            .map(ToString::to_string)
            .unwrap_or_else(|| "-".into());
        table.row(vec![
            escape_line(&c.id),
            escape_line(c.dns_name.as_deref().unwrap_or(&c.hostname)),
            address,
            escape_line(c.os.as_deref().unwrap_or("-")),
            seen(c, now),
            if c.tags.is_empty() {
                "-".into()
            } else {
                escape_line(&c.tags.join(","))
            },
            c.in_fleet.clone().unwrap_or_else(|| "-".into()),
            c.ssh.as_ref().map_or_else(|| "-".into(), ssh),
        ]);
    }
    table.render(out)
}

/// `online`, or when it was last seen.
fn seen(c: &Candidate, now: i64) -> String {
    if c.online == Some(true) {
        return "online".into();
    }
    let last = c
        .last_seen
        .as_deref()
        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
        .map(|t| ago(now - t.as_second()));
    match (c.online, last) {
        (_, Some(last)) => last,
        (Some(false), None) => "offline".into(),
        _ => "-".into(),
    }
}

/// The host key's type and fingerprint, or why there is none.
fn ssh(a: &SshAnswer) -> String {
    match (&a.host_key, &a.fingerprint, &a.error) {
        (Some(key), Some(fp), _) => {
            let kind = key.split_whitespace().next().unwrap_or_default();
            escape_line(&format!("{kind} {fp}"))
        }
        (_, _, Some(error)) => escape_line(error),
        _ => "-".into(),
    }
}
