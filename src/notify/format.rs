//! A message in each target's wire format.
//!
//! - **Slack** (incoming webhook): JSON `{text, blocks}`; `text` is the fallback shown in
//!   notifications, the blocks carry the title in bold, the detail lines and a context line
//!   with the idempotency key. Text is escaped for mrkdwn (`&`, `<`, `>`), so a machine's name
//!   cannot make a link or a mention.
//! - **Webhook**: the JSON documented in the README (`idempotency_key`, `kind`, `transition`,
//!   `severity`, `title`, `text`, `link`, `events`: each `AlertEvent` as stored).
//! - **ntfy**: POST to the topic URL; the body is the detail text, headers carry `Title`
//!   (RFC 2047 when not ASCII), `Priority` by severity, `Tags` (emoji), `Click` (the
//!   machine's page) and `X-Sequence-ID`: a resolve uses the sequence id of the notification
//!   it resolves, so ntfy replaces it instead of adding one.
//!
//! Every request carries the key in an `Idempotency-Key` header too.

use serde_json::json;

use super::message::{Message, Subject};
use crate::alerts::{Severity, Transition};
use crate::fleet::model::NotifyKind;

/// The most text Slack shows in one section block.
const SLACK_SECTION_MAX: usize = 2900;

/// An HTTP POST body and the headers that go with it.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) content_type: &'static str,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

/// `message` as `kind` expects it.
pub(crate) fn render(kind: NotifyKind, message: &Message) -> Request {
    let mut request = match kind {
        NotifyKind::Slack => slack(message),
        NotifyKind::Webhook => webhook(message),
        NotifyKind::Ntfy => ntfy(message),
    };
    request
        .headers
        .push(("Idempotency-Key", message.key.clone()));
    request
}

fn slack(m: &Message) -> Request {
    let mut text = format!("*{}*", mrkdwn(&m.title));
    for line in &m.lines {
        let line = match (&m.link, line.strip_prefix("Machine: ")) {
            (Some(link), Some(_)) => format!("<{}|Open the machine's page>", mrkdwn(link)),
            _ => mrkdwn(line),
        };
        if text.len() + line.len() + 1 > SLACK_SECTION_MAX {
            text.push_str("\n…");
            break;
        }
        text.push('\n');
        text.push_str(&line);
    }
    let body = json!({
        "text": mrkdwn(&m.title),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "context", "elements": [
                {"type": "mrkdwn", "text": format!("homelabcmd · {}", mrkdwn(&m.key))}
            ]}
        ]
    });
    json_request(&body)
}

fn webhook(m: &Message) -> Request {
    let (kind, transition) = match m.subject {
        Subject::Alerts(t) => ("alert", Some(t.as_str())),
        Subject::Test => ("test", None),
    };
    let events: Vec<serde_json::Value> = m
        .events
        .iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).unwrap_or_default();
            v["idempotency_key"] = json!(e.idempotency_key());
            v
        })
        .collect();
    let body = json!({
        "idempotency_key": m.key,
        "kind": kind,
        "transition": transition,
        "severity": m.severity,
        "title": m.title,
        "text": m.plain_text(),
        "link": m.link,
        "events": events,
    });
    json_request(&body)
}

fn ntfy(m: &Message) -> Request {
    let priority = match (m.subject, m.severity) {
        (Subject::Test, _) | (Subject::Alerts(Transition::Resolved), _) => "3",
        (_, Severity::Critical) => "5",
        (_, Severity::High) => "4",
        (_, Severity::Medium) => "3",
        (_, Severity::Low) => "2",
    };
    let tag = match (m.subject, m.severity) {
        (Subject::Test, _) => "bell",
        (Subject::Alerts(Transition::Resolved), _) => "white_check_mark",
        (Subject::Alerts(Transition::Reminder), _) => "alarm_clock",
        (_, Severity::Critical) => "rotating_light",
        (_, Severity::High) => "warning",
        (_, Severity::Medium | Severity::Low) => "information_source",
    };
    let mut headers = vec![
        ("Title", header_text(&m.title)),
        ("Priority", priority.to_string()),
        ("Tags", format!("{tag},homelabcmd")),
        ("X-Sequence-ID", m.sequence_id.clone()),
    ];
    if let Some(link) = &m.link {
        headers.push(("Click", link.clone()));
    }
    let body = if m.lines.is_empty() {
        m.title.clone()
    } else {
        m.lines.join("\n")
    };
    Request {
        content_type: "text/plain; charset=utf-8",
        headers,
        body: body.into_bytes(),
    }
}

fn json_request(body: &serde_json::Value) -> Request {
    Request {
        content_type: "application/json",
        headers: Vec::new(),
        body: serde_json::to_vec(body).unwrap_or_default(),
    }
}

/// Slack mrkdwn: `&`, `<` and `>` are the three characters with meaning.
pub(crate) fn mrkdwn(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A header value: ASCII as it is, anything else as an RFC 2047 encoded word (ntfy decodes
/// them; raw UTF-8 in headers is not safe with every proxy).
fn header_text(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    format!("=?UTF-8?B?{}?=", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::message::tests::event;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn slack_text_cannot_make_links_or_mentions() {
        let mut e = event(
            3,
            "<!channel> & <http://evil|x>",
            "service",
            Transition::Opened,
        );
        e.summary = "a <b> & c".into();
        let m = Message::for_events(e.idempotency_key(), "s".into(), vec![e], None);
        let body: serde_json::Value =
            serde_json::from_slice(&render(NotifyKind::Slack, &m).body).unwrap();
        assert_eq!(
            body["text"],
            "🔴 Critical: a &lt;b&gt; &amp; c on &lt;!channel&gt; &amp; &lt;http://evil|x&gt;"
        );
        let section = body["blocks"][0]["text"]["text"].as_str().unwrap();
        assert!(
            !section.contains("<!channel>") && !section.contains("<http"),
            "{section}"
        );
    }

    #[test]
    fn ntfy_titles_that_are_not_ascii_are_encoded_words() {
        let e = event(3, "Küche", "offline", Transition::Opened);
        let m = Message::for_events(e.idempotency_key(), "alert-3".into(), vec![e], None);
        let r = render(NotifyKind::Ntfy, &m);
        let title = &r.headers.iter().find(|(k, _)| *k == "Title").unwrap().1;
        assert!(
            title.starts_with("=?UTF-8?B?") && title.is_ascii(),
            "{title}"
        );
        let priority = &r.headers.iter().find(|(k, _)| *k == "Priority").unwrap().1;
        assert_eq!(priority, "5");
    }
}
