//! The fleet page's filters, from the query string so that they work without JavaScript and
//! can be bookmarked: `q` (id or name contains), `tag`, `type` and `state` (a machine state,
//! or `warning`, `paused`, `alerting`).

use crate::fleet::{Machine, MachineType};
use crate::monitor::state::State;
use crate::monitor::status::MachineStatus;

/// What the fleet page shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Filter {
    pub(crate) text: String,
    pub(crate) tag: String,
    pub(crate) kind: Option<MachineType>,
    pub(crate) state: Option<StateFilter>,
}

/// The states one can filter by: the machine states, and three that cut across them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StateFilter {
    Is(State),
    Warning,
    Paused,
    /// With open or acknowledged alerts.
    Alerting,
}

impl StateFilter {
    pub(crate) const ALL: [(&'static str, StateFilter); 7] = [
        ("online", Self::Is(State::Online)),
        ("offline", Self::Is(State::Offline)),
        ("away", Self::Is(State::Away)),
        ("unknown", Self::Is(State::Unknown)),
        ("warning", Self::Warning),
        ("paused", Self::Paused),
        ("alerting", Self::Alerting),
    ];
}

impl Filter {
    /// Parse a raw query string; unknown keys and values are ignored.
    pub(crate) fn parse(query: Option<&str>) -> Self {
        let mut f = Self::default();
        for pair in query.unwrap_or("").split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            let value = value.trim();
            match key {
                "q" => f.text = value.chars().take(100).collect(),
                "tag" => f.tag = value.chars().take(100).collect(),
                "type" => {
                    f.kind = match value {
                        "server" => Some(MachineType::Server),
                        "workstation" => Some(MachineType::Workstation),
                        _ => None,
                    }
                }
                "state" => {
                    f.state = StateFilter::ALL
                        .iter()
                        .find(|(n, _)| *n == value)
                        .map(|(_, s)| *s)
                }
                _ => {}
            }
        }
        f
    }

    pub(crate) fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Whether the machine is shown; `alerting`: it has open or acknowledged alerts.
    pub(crate) fn keeps(&self, m: &Machine, s: &MachineStatus, alerting: bool) -> bool {
        let text = self.text.to_lowercase();
        (text.is_empty()
            || m.id.to_lowercase().contains(&text)
            || m.name.to_lowercase().contains(&text))
            && (self.tag.is_empty() || m.tags.contains(&self.tag))
            && self.kind.is_none_or(|k| k == m.kind)
            && match self.state {
                None => true,
                Some(StateFilter::Is(state)) => s.state == state,
                Some(StateFilter::Warning) => !s.warnings.is_empty(),
                Some(StateFilter::Paused) => s.paused,
                Some(StateFilter::Alerting) => alerting,
            }
    }
}

/// Percent-decoding of a query value (`+` is a space); bad escapes are kept as they are.
pub(crate) fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_parse() {
        let f = Filter::parse(Some("q=Media+srv&tag=dns&type=workstation&state=away&x=1"));
        assert_eq!(f.text, "Media srv");
        assert_eq!(f.tag, "dns");
        assert_eq!(f.kind, Some(MachineType::Workstation));
        assert_eq!(f.state, Some(StateFilter::Is(State::Away)));
        assert_eq!(decode("a%2Fb%zz%4"), "a/b%zz%4");
        assert_eq!(decode("é%"), "é%");
        assert!(Filter::parse(Some("state=bogus")).is_empty());
        assert_eq!(
            Filter::parse(Some("state=alerting")).state,
            Some(StateFilter::Alerting)
        );
    }
}
