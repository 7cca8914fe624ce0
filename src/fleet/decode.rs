//! Typed reading of a YAML tree: maps with known keys, strings, numbers, durations, lists.
//! Every problem becomes a `Diagnostic` and decoding goes on, so one run reports them all.

use std::time::Duration;

use super::diagnostic::{Diagnostic, suggest};
use super::yaml::{Kind, Node};

/// Decodes nodes of one file, collecting diagnostics.
pub(crate) struct Decoder<'a> {
    pub(crate) file: &'a str,
    pub(crate) errors: &'a mut Vec<Diagnostic>,
}

/// The entries of a mapping whose keys were checked against the known ones.
pub(crate) struct Fields<'n> {
    entries: Vec<(&'n str, &'n Node<'n>, &'n Node<'n>)>,
}

impl<'n> Fields<'n> {
    pub(crate) fn get(&self, key: &str) -> Option<&'n Node<'n>> {
        self.entries
            .iter()
            .find(|(k, _, v)| *k == key && !v.is_null())
            .map(|(_, _, v)| *v)
    }
}

impl<'a> Decoder<'a> {
    /// Report a problem at `node`.
    pub(crate) fn error(&mut self, node: &Node, message: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::new(self.file, node.pos, message);
        let d = if matches!(node.kind, Kind::Scalar { .. }) {
            d.to(node.end)
        } else {
            d
        };
        self.errors.push(d);
        self.errors.last_mut().expect("just pushed")
    }

    /// The entries of a mapping, in file order, with each key's node. Non-scalar keys and
    /// keys written twice are reported.
    pub(crate) fn entries<'n>(
        &mut self,
        node: &'n Node<'n>,
        what: &str,
    ) -> Option<Vec<(&'n str, &'n Node<'n>, &'n Node<'n>)>> {
        let Kind::Map(map) = &node.kind else {
            if !node.is_null() {
                self.error(
                    node,
                    format!(
                        "{what} must be a mapping of `key: value`, found {}",
                        node.describe()
                    ),
                );
            }
            return None;
        };
        let mut out: Vec<(&str, &Node<'_>, &Node<'_>)> = Vec::with_capacity(map.len());
        // Large mappings (`machines:`) find duplicates by hash, small ones by a scan.
        let mut seen: std::collections::HashMap<&str, usize, crate::fleet::FastHash> =
            std::collections::HashMap::default();
        for (key, value) in map {
            let Some(name) = key.as_scalar() else {
                self.error(
                    key,
                    format!(
                        "keys in {what} must be plain words, found {}",
                        key.describe()
                    ),
                );
                continue;
            };
            let earlier = if map.len() > 16 {
                seen.get(name).map(|&i| out[i].1)
            } else {
                out.iter().find(|(k, _, _)| *k == name).map(|e| e.1)
            };
            if let Some(first) = earlier {
                let line = first.pos.line;
                self.error(
                    key,
                    format!("`{name}` is written twice in {what} (first at line {line})"),
                )
                .hint = Some("a key may appear once; merge the two entries".into());
                continue;
            }
            if map.len() > 16 {
                seen.insert(name, out.len());
            }
            out.push((name, key, value));
        }
        Some(out)
    }

    /// A mapping whose keys must be among `known`; unknown keys are reported with the
    /// nearest known one.
    pub(crate) fn fields<'n>(
        &mut self,
        node: &'n Node<'n>,
        what: &str,
        known: &[&str],
    ) -> Option<Fields<'n>> {
        let entries = self.entries(node, what)?;
        let mut kept = Vec::with_capacity(entries.len());
        for (name, key, value) in entries {
            if known.contains(&name) {
                kept.push((name, key, value));
            } else {
                let hint = suggest(name, "keys", known);
                self.error(key, format!("unknown key `{name}` in {what}"))
                    .hint = Some(hint);
            }
        }
        Some(Fields { entries: kept })
    }

    /// Report a required key that is missing, at `at` (the key of what lacks it).
    pub(crate) fn require<'n>(
        &mut self,
        fields: &Fields<'n>,
        at: &Node,
        key: &str,
        what: &str,
        example: &str,
    ) -> Option<&'n Node<'n>> {
        let found = fields.get(key);
        if found.is_none() {
            self.error(at, format!("{what} has no `{key}`")).hint =
                Some(format!("add it, e.g. `{example}`"));
        }
        found
    }

    /// A non-empty string scalar.
    pub(crate) fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.kind {
            Kind::Scalar { text, .. } if !node.is_null() && !text.is_empty() => {
                Some(text.to_string())
            }
            Kind::Scalar { .. } if !node.is_null() => {
                self.error(node, format!("{what} must not be empty"));
                None
            }
            _ => {
                self.error(
                    node,
                    format!("{what} must be text, found {}", node.describe()),
                );
                None
            }
        }
    }

    pub(crate) fn bool(&mut self, node: &Node, what: &str) -> Option<bool> {
        match node.as_scalar() {
            Some("true" | "True" | "TRUE" | "yes") => Some(true),
            Some("false" | "False" | "FALSE" | "no") => Some(false),
            _ => {
                self.error(
                    node,
                    format!("{what} must be true or false, found {}", shown(node)),
                );
                None
            }
        }
    }

    /// A whole number in `min..=max`.
    pub(crate) fn int(&mut self, node: &Node, what: &str, min: i64, max: i64) -> Option<i64> {
        let parsed = node
            .as_scalar()
            .and_then(|t| t.replace('_', "").parse::<i64>().ok());
        match parsed {
            Some(n) if (min..=max).contains(&n) => Some(n),
            Some(n) => {
                self.error(node, format!("{what} is {n}, out of range"))
                    .hint = Some(format!("use a whole number from {min} to {max}"));
                None
            }
            None => {
                self.error(
                    node,
                    format!("{what} must be a whole number, found {}", shown(node)),
                )
                .hint = Some(format!("use a whole number from {min} to {max}"));
                None
            }
        }
    }

    /// A number (integer or decimal) in `min..=max`.
    pub(crate) fn number(&mut self, node: &Node, what: &str, min: f64, max: f64) -> Option<f64> {
        let parsed = node
            .as_scalar()
            .and_then(|t| t.parse::<f64>().ok())
            .filter(|n| n.is_finite());
        match parsed {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.error(
                    node,
                    format!(
                        "{what} must be a number from {min} to {max}, found {}",
                        shown(node)
                    ),
                );
                None
            }
        }
    }

    /// A duration such as `90s`, `30m`, `1h30m`, `7d` (a bare number is seconds), in range.
    pub(crate) fn duration(
        &mut self,
        node: &Node,
        what: &str,
        min: Duration,
        max: Duration,
    ) -> Option<Duration> {
        let range = format!("from {} to {}", fmt_duration(min), fmt_duration(max));
        match node.as_scalar().and_then(parse_duration) {
            Some(d) if d >= min && d <= max => Some(d),
            Some(d) => {
                self.error(node, format!("{what} is {}, out of range", fmt_duration(d)))
                    .hint = Some(format!("use a duration {range}"));
                None
            }
            None => {
                self.error(
                    node,
                    format!("{what} must be a duration, found {}", shown(node)),
                )
                .hint = Some(format!(
                    "write it like `90s`, `30m`, `1h30m` or `2d`, {range}"
                ));
                None
            }
        }
    }

    /// A list of nodes; a lone scalar is not accepted (`tags: web` is a typo for `[web]`).
    pub(crate) fn list<'n>(&mut self, node: &'n Node<'n>, what: &str) -> Option<&'n [Node<'n>]> {
        match &node.kind {
            Kind::Seq(items) => Some(items),
            _ if node.is_null() => Some(&[]),
            _ => {
                let hint = match node.as_scalar() {
                    Some(t) => format!("write a list, e.g. `[{t}]`"),
                    None => "write a list, e.g. `[a, b]`".to_string(),
                };
                self.error(
                    node,
                    format!("{what} must be a list, found {}", node.describe()),
                )
                .hint = Some(hint);
                None
            }
        }
    }

    /// A list of strings, each checked by `valid` (which returns a complaint or None);
    /// duplicates are reported.
    pub(crate) fn words(
        &mut self,
        node: &Node,
        what: &str,
        valid: impl Fn(&str) -> Option<String>,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for item in self.list(node, what).unwrap_or_default() {
            let Some(word) = self.string(item, &format!("each of {what}")) else {
                continue;
            };
            if let Some(complaint) = valid(&word) {
                self.error(item, format!("`{word}` in {what} {complaint}"));
            } else if out.contains(&word) {
                self.error(item, format!("`{word}` is listed twice in {what}"));
            } else {
                out.push(word);
            }
        }
        out
    }
}

/// How a scalar was written, for messages.
fn shown(node: &Node) -> String {
    match node.as_scalar() {
        Some(t) if !node.is_null() => format!("`{t}`"),
        _ => node.describe().to_string(),
    }
}

/// Parse `90`, `90s`, `30m`, `1h30m`, `2d`, `1w`.
pub(crate) fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: u64 = digits.parse().ok()?;
        digits.clear();
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    digits.is_empty().then_some(Duration::from_secs(total))
}

/// `90s`, `30m`, `1h30m`, `2d`: the shortest exact form.
pub(crate) fn fmt_duration(d: Duration) -> String {
    let mut secs = d.as_secs();
    if secs == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_trip() {
        for (text, secs) in [
            ("180", 180),
            ("90s", 90),
            ("30m", 1800),
            ("1h30m", 5400),
            ("2d", 172_800),
        ] {
            assert_eq!(
                parse_duration(text),
                Some(Duration::from_secs(secs)),
                "{text}"
            );
        }
        assert_eq!(fmt_duration(Duration::from_secs(5400)), "1h30m");
        for bad in ["", "m", "3x", "1.5h", "-3s", "30m5"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
