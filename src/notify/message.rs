//! What one notification says, before any target's format: a title as the PRD shows it
//! ("🔴 Critical: plex stopped on OMV MediaServer"), detail lines (value, threshold, suggested
//! action, a link to the machine), and for a storm one title that counts them ("3 machines
//! offline: a, b, c") with one line per alert. Text from machines is cleaned of control
//! characters here, once; each format escapes what its syntax needs.

use crate::alerts::{AlertEvent, Severity, Transition};

/// What a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// Alerts that made this transition (one, or a storm of them).
    Alerts(Transition),
    /// `homelabcmd notify test`.
    Test,
}

/// One notification, ready for a target's format.
#[derive(Debug, Clone)]
pub(crate) struct Message {
    /// The idempotency key: the same on every attempt to deliver this message.
    pub(crate) key: String,
    /// ntfy's sequence id: the notification this one starts, or replaces (a resolve).
    pub(crate) sequence_id: String,
    pub(crate) subject: Subject,
    /// The highest severity among the events.
    pub(crate) severity: Severity,
    pub(crate) title: String,
    pub(crate) lines: Vec<String>,
    /// The machine's page, when the message is about one machine and the hub's external
    /// URL is known.
    pub(crate) link: Option<String>,
    pub(crate) events: Vec<AlertEvent>,
}

/// How many names a storm's title lists before "and N more".
const TITLE_NAMES: usize = 5;

impl Message {
    /// The message for `events` (one, or a storm; all with the same transition).
    pub(crate) fn for_events(
        key: String,
        sequence_id: String,
        events: Vec<AlertEvent>,
        external_url: Option<&str>,
    ) -> Self {
        let transition = events.first().map_or(Transition::Opened, |e| e.transition);
        let severity = events
            .iter()
            .map(|e| e.severity)
            .max()
            .unwrap_or(Severity::Low);
        let one_machine = events
            .first()
            .filter(|first| events.iter().all(|e| e.machine_id == first.machine_id));
        let link = one_machine.and_then(|e| machine_link(external_url?, &e.machine_id));
        let (title, mut lines) = match events.as_slice() {
            [event] => (headline(event), details(event)),
            _ => (
                storm_title(transition, severity, &events),
                storm_lines(&events),
            ),
        };
        if let Some(link) = &link {
            lines.push(format!("Machine: {link}"));
        }
        Self {
            key,
            sequence_id,
            subject: Subject::Alerts(transition),
            severity,
            title,
            lines,
            link,
            events,
        }
    }

    /// The message `notify test` sends to `target`.
    pub(crate) fn test(key: String, target: &str) -> Self {
        Self {
            sequence_id: key.clone(),
            key,
            subject: Subject::Test,
            severity: Severity::Low,
            title: "🔔 Test from homelabcmd".into(),
            lines: vec![format!(
                "If you can read this, notifications to target `{}` work.",
                clean(target)
            )],
            link: None,
            events: Vec::new(),
        }
    }

    /// The title and the lines, as plain text.
    pub(crate) fn plain_text(&self) -> String {
        std::iter::once(self.title.as_str())
            .chain(self.lines.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// "🔴 Critical", "🟠 High", "🟡 Medium", "🔵 Low".
pub(crate) fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "🔴 Critical",
        Severity::High => "🟠 High",
        Severity::Medium => "🟡 Medium",
        Severity::Low => "🔵 Low",
    }
}

/// "🔴 Critical: plex stopped on OMV MediaServer", "✅ Resolved: …", "⏰ Still open: …",
/// "🔴 Critical — worse: …" (an alert whose severity rose).
fn headline(e: &AlertEvent) -> String {
    let what = format!("{} on {}", clean(&e.summary), clean(&e.machine_name));
    match e.transition {
        Transition::Opened => format!("{}: {what}", severity_label(e.severity)),
        Transition::Resolved => format!("✅ Resolved: {what}"),
        Transition::Reminder => format!("⏰ Still open — {}: {what}", severity_label(e.severity)),
        Transition::Escalated => format!("{} — worse: {what}", severity_label(e.severity)),
    }
}

fn details(e: &AlertEvent) -> Vec<String> {
    let mut lines = Vec::new();
    match (&e.value, &e.threshold) {
        (Some(v), Some(t)) => lines.push(format!("Value: {} (threshold {})", clean(v), clean(t))),
        (Some(v), None) => lines.push(format!("Value: {}", clean(v))),
        (None, Some(t)) => lines.push(format!("Threshold: {}", clean(t))),
        (None, None) => {}
    }
    if let Some(action) = e
        .action
        .as_deref()
        .filter(|_| e.transition != Transition::Resolved)
    {
        lines.push(format!("Suggested action: {}", clean(action)));
    }
    lines
}

/// "🔴 3 machines offline: a, b, c", "✅ 3 machines back online: …", "🟠 4 alerts: …".
fn storm_title(transition: Transition, severity: Severity, events: &[AlertEvent]) -> String {
    let n = events.len();
    let all_offline = events.iter().all(|e| e.rule == "offline");
    let names: Vec<String> = if all_offline {
        events.iter().map(|e| clean(&e.machine_name)).collect()
    } else {
        events
            .iter()
            .map(|e| format!("{} on {}", clean(&e.summary), clean(&e.machine_name)))
            .collect()
    };
    let mut listed = names
        .iter()
        .take(TITLE_NAMES)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if n > TITLE_NAMES {
        listed.push_str(&format!(" and {} more", n - TITLE_NAMES));
    }
    let emoji = severity_label(severity)
        .split(' ')
        .next()
        .unwrap_or_default();
    match (transition, all_offline) {
        (Transition::Opened, true) => format!("{emoji} {n} machines offline: {listed}"),
        (Transition::Opened, false) => format!("{emoji} {n} alerts: {listed}"),
        (Transition::Resolved, true) => format!("✅ {n} machines back online: {listed}"),
        (Transition::Resolved, false) => format!("✅ {n} alerts resolved: {listed}"),
        (Transition::Reminder, _) => format!("⏰ {n} alerts still open: {listed}"),
        (Transition::Escalated, _) => format!("{emoji} {n} alerts worse: {listed}"),
    }
}

/// One line per alert of a storm: its headline and value.
fn storm_lines(events: &[AlertEvent]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            let mut line = format!("• {}", headline(e));
            if let Some(v) = &e.value {
                line.push_str(&format!(" ({})", clean(v)));
            }
            line
        })
        .collect()
}

/// `{external}/m/{id}` (the status page's machine view), with the id as one escaped path segment.
fn machine_link(external: &str, machine_id: &str) -> Option<String> {
    let mut url = reqwest::Url::parse(external.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.path_segments_mut()
        .ok()?
        .pop_if_empty()
        .extend(["m", machine_id]);
    Some(url.to_string())
}

/// Text from a machine or the store on one line: control characters (newlines, escapes)
/// become spaces, so no field can forge lines, headers or terminal sequences.
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn event(id: i64, machine: &str, rule: &str, transition: Transition) -> AlertEvent {
        AlertEvent {
            alert_id: id,
            transition,
            at: 1_764_000_000,
            machine_id: machine.to_lowercase().replace(' ', "-"),
            machine_name: machine.into(),
            rule: rule.into(),
            subject: None,
            severity: Severity::Critical,
            summary: if rule == "offline" {
                "offline".into()
            } else {
                "plex stopped".into()
            },
            value: None,
            threshold: None,
            action: Some("restart-service".into()),
        }
    }

    #[test]
    fn one_alert_reads_as_the_prd_shows_it() {
        let mut e = event(7, "OMV MediaServer", "service", Transition::Opened);
        e.value = Some("93 %".into());
        e.threshold = Some("90 %".into());
        let m = Message::for_events(
            e.idempotency_key(),
            "alert-7".into(),
            vec![e],
            Some("https://hub.example/"),
        );
        assert_eq!(
            m.plain_text(),
            "🔴 Critical: plex stopped on OMV MediaServer\n\
             Value: 93 % (threshold 90 %)\n\
             Suggested action: restart-service\n\
             Machine: https://hub.example/m/omv-mediaserver"
        );
    }

    #[test]
    fn an_escalation_says_it_got_worse_under_its_own_key() {
        let mut e = event(7, "NAS", "disk", Transition::Escalated);
        e.summary = "disk / at 93 %".into();
        let key = e.idempotency_key();
        assert_eq!(key, "alert-7-escalated-critical");
        let m = Message::for_events(key, "alert-7".into(), vec![e], None);
        assert!(
            m.plain_text()
                .starts_with("🔴 Critical — worse: disk / at 93 % on NAS\n"),
            "{}",
            m.plain_text()
        );
    }

    #[test]
    fn a_storm_is_one_title_listing_the_machines() {
        let events: Vec<_> = (1..=7)
            .map(|i| event(i, &format!("host{i}"), "offline", Transition::Opened))
            .collect();
        let m = Message::for_events("storm-1-opened".into(), "s".into(), events, None);
        assert_eq!(
            m.title,
            "🔴 7 machines offline: host1, host2, host3, host4, host5 and 2 more"
        );
        assert_eq!(m.lines.len(), 7);
        assert_eq!(m.link, None, "several machines: no single link");
    }

    #[test]
    fn control_characters_cannot_forge_lines() {
        let mut e = event(1, "evil\r\nX-Injected: 1", "service", Transition::Resolved);
        e.summary = "a\u{1b}[2Jb".into();
        let m = Message::for_events("k".into(), "k".into(), vec![e], None);
        assert_eq!(m.title, "✅ Resolved: a [2Jb on evil  X-Injected: 1");
        assert!(m.lines.is_empty(), "a resolve suggests no action");
    }
}
