//! Adding machine entries to fleet.yaml's text without touching a byte of what is there: the
//! end of the `machines:` mapping is found from the spanned parse the fleet loader uses, the
//! entries are written in the file's own indentation, list style and line endings, every
//! value quoted as a YAML scalar, and the result is parsed again and compared with the
//! original, so a hostile host name can neither break the file nor inject keys.

use super::import::ImportError;
use crate::fleet::YamlKind as Kind;
use crate::fleet::YamlNode as Node;
use crate::fleet::diagnostic::Pos;

/// One machine entry to write. Every text is written quoted when it needs to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) kind: &'static str,
    pub(crate) address: String,
    pub(crate) tailscale: bool,
    pub(crate) tdp_w: Option<u32>,
    pub(crate) packs: Vec<String>,
    pub(crate) tags: Vec<String>,
    /// `ssh: { port: N }`, when SSH answered on a port other than the fleet's default.
    pub(crate) port: Option<u16>,
}

/// How the file writes its machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    /// Column (0-based) of the machine ids.
    indent: usize,
    /// Columns a machine's fields sit right of its id.
    step: usize,
    /// `[a, b]` (else one `- a` per line).
    flow_lists: bool,
    /// Columns the `-` of a block list sits right of its key.
    dash: usize,
    /// A blank line between machines.
    spaced: bool,
    crlf: bool,
}

/// Where the new entries go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spot {
    /// At this byte offset, the start of a line (or the end of a file without a final newline,
    /// when `newline_first`).
    Block { at: usize, newline_first: bool },
    /// Before the `}` at this offset of a flow mapping (`machines: {}`); `comma` when entries
    /// precede.
    Flow { at: usize, comma: bool },
}

/// The text with `entries` added at the end of `machines:`; checked by parsing it again.
pub(crate) fn add(text: &str, entries: &[Entry]) -> Result<String, ImportError> {
    let root = crate::fleet::parse_yaml(text).map_err(|e| layout(e.message))?;
    let machines = machines_node(&root)?;
    let src = Source::new(text);
    let lay = detect(&src, machines.1);
    let spot = spot(&src, machines)?;
    let nl = if lay.crlf { "\r\n" } else { "\n" };
    let (at, insert) = match spot {
        Spot::Block { at, newline_first } => {
            let mut out = String::new();
            if newline_first {
                out.push_str(nl);
            }
            for e in entries {
                if lay.spaced {
                    out.push_str(nl);
                }
                out.push_str(&block(e, &lay).join(nl));
                out.push_str(nl);
            }
            (at, out)
        }
        Spot::Flow { at, comma } => {
            let flows: Vec<String> = entries.iter().map(flow).collect();
            let sep = if comma { ", " } else { "" };
            (at, format!("{sep}{}", flows.join(", ")))
        }
    };
    let new = format!("{}{insert}{}", &text[..at], &text[at..]);
    verify(&root, &new, entries)?;
    Ok(new)
}

fn layout(message: impl Into<String>) -> ImportError {
    ImportError::Layout(message.into())
}

/// The `machines` key and its value.
fn machines_node<'n, 'a>(root: &'n Node<'a>) -> Result<(&'n Node<'a>, &'n Node<'a>), ImportError> {
    let Kind::Map(top) = &root.kind else {
        return Err(layout("fleet.yaml is not a mapping"));
    };
    let mut found = top
        .iter()
        .filter(|(k, _)| k.as_scalar() == Some("machines"));
    match (found.next(), found.next()) {
        (Some((k, v)), None) => Ok((k, v)),
        (None, _) => Err(layout("fleet.yaml has no `machines:`")),
        (Some(_), Some(_)) => Err(layout("fleet.yaml has `machines:` twice")),
    }
}

/// The file's text with where each line starts, so positions become offsets quickly.
struct Source<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Source<'t> {
    fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    /// The byte offset of a 1-based line and column (columns count characters).
    fn offset(&self, pos: Pos) -> usize {
        let Some(&start) = self.starts.get(pos.line.saturating_sub(1)) else {
            return self.text.len();
        };
        self.text[start..]
            .char_indices()
            .nth(pos.col.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    /// The character a node starts with (`{` or `[` for a flow collection).
    fn first_char(&self, node: &Node) -> Option<char> {
        self.text[self.offset(node.pos)..].chars().next()
    }
}

/// Where the last thing written inside `node` ends; None for an empty scalar (`key:`).
fn last_end(src: &Source, node: &Node) -> Option<Pos> {
    if matches!(src.first_char(node), Some('{' | '[')) {
        return Some(node.end);
    }
    match &node.kind {
        _ if empty(node) => None,
        Kind::Scalar { .. } => Some(node.end),
        Kind::Seq(items) => items.iter().filter_map(|i| last_end(src, i)).max(),
        Kind::Map(entries) => entries
            .iter()
            .map(|(k, v)| last_end(src, v).unwrap_or(k.end).max(k.end))
            .max(),
    }
}

/// A value left out (`key:`): the parser gives a zero-width `~`.
fn empty(node: &Node) -> bool {
    matches!(&node.kind, Kind::Scalar { plain: true, .. }) && node.pos == node.end
}

fn spot(src: &Source, (key, value): (&Node, &Node)) -> Result<Spot, ImportError> {
    match &value.kind {
        _ if src.first_char(value) == Some('{') => {
            let close = src.offset(value.end).saturating_sub(1);
            if src.text.as_bytes().get(close) != Some(&b'}') {
                return Err(layout("cannot find the `}` that ends `machines:`"));
            }
            let before = src.text[..close].trim_end();
            let comma = !before.ends_with('{') && !before.ends_with(',');
            Ok(Spot::Flow { at: close, comma })
        }
        Kind::Map(_) => after_line(src, last_end(src, value).unwrap_or(key.end)),
        _ if empty(value) => after_line(src, key.end),
        _ => Err(layout(format!(
            "`machines:` is {}, not a mapping of machines",
            value.describe()
        ))),
    }
}

/// The start of the line after the one `end` is on (or `end` itself, at a line's start).
fn after_line(src: &Source, end: Pos) -> Result<Spot, ImportError> {
    let at = src.offset(end);
    if at > 0 && at < src.text.len() && src.text.as_bytes()[at - 1] == b'\n' {
        return Ok(Spot::Block {
            at,
            newline_first: false,
        });
    }
    Ok(match src.text[at..].find('\n') {
        Some(i) => Spot::Block {
            at: at + i + 1,
            newline_first: false,
        },
        None => Spot::Block {
            at: src.text.len(),
            newline_first: true,
        },
    })
}

/// The file's indentation and list style, from the machines it has.
fn detect(src: &Source, machines: &Node) -> Layout {
    let mut lay = Layout {
        indent: 2,
        step: 2,
        flow_lists: true,
        dash: 2,
        spaced: false,
        crlf: src.text.contains("\r\n"),
    };
    let Kind::Map(entries) = &machines.kind else {
        return lay;
    };
    if let Some((k, _)) = entries.first() {
        lay.indent = k.pos.col - 1;
    }
    let block_maps = entries.iter().filter_map(|(k, v)| match &v.kind {
        Kind::Map(fields) if src.first_char(v) != Some('{') => Some((k, fields)),
        _ => None,
    });
    let mut step_found = false;
    for (k, fields) in block_maps {
        if let Some((f, _)) = fields.first()
            && !step_found
            && f.pos.col > k.pos.col
        {
            lay.step = f.pos.col - k.pos.col;
            step_found = true;
        }
        let list = fields
            .iter()
            .find(|(_, v)| matches!(&v.kind, Kind::Seq(items) if !items.is_empty()));
        if let Some((f, v)) = list {
            lay.flow_lists = src.first_char(v) == Some('[');
            if !lay.flow_lists {
                lay.dash = dash_col(src, v).saturating_sub(f.pos.col - 1);
            }
            break;
        }
    }
    if let [(_, first), (second, _), ..] = entries.as_slice()
        && let Some(end) = last_end(src, first)
    {
        let line_start = src.offset(Pos {
            line: second.pos.line,
            col: 1,
        });
        let gap: Vec<&str> = src.text[src.offset(end)..line_start].split('\n').collect();
        let whole_lines = gap.get(1..gap.len().saturating_sub(1)).unwrap_or_default();
        lay.spaced = whole_lines.iter().any(|l| l.trim().is_empty());
    }
    lay
}

/// The 0-based column of the `-` before a block list's first item.
fn dash_col(src: &Source, list: &Node) -> usize {
    let Kind::Seq(items) = &list.kind else {
        return 0;
    };
    let Some(item) = items.first() else { return 0 };
    let start = src.offset(Pos {
        line: item.pos.line,
        col: 1,
    });
    let line = src.text[start..].lines().next().unwrap_or_default();
    line.len() - line.trim_start().len()
}

/// A scalar as YAML text: plain when it is a plain word that means itself, else double-quoted
/// with every character that could end or bend it escaped.
pub(crate) fn scalar(s: &str) -> String {
    const MEANS_ELSE: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null"];
    let word = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && !MEANS_ELSE.contains(&s.to_ascii_lowercase().as_str());
    let ipv4 = s.parse::<std::net::Ipv4Addr>().is_ok();
    if word || ipv4 {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                )
                || crate::text::escape_line(&c.to_string()).len() > c.len_utf8() =>
            {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| scalar(s)).collect();
    format!("[{}]", items.join(", "))
}

/// The entry's fields, each as `key` and YAML text (or the items of a list).
fn fields(e: &Entry) -> Vec<(&'static str, Result<String, &[String]>)> {
    let mut out = vec![
        ("name", Ok(scalar(&e.name))),
        ("type", Ok(e.kind.to_string())),
        ("address", Ok(scalar(&e.address))),
    ];
    if e.tailscale {
        out.push(("connect", Ok("tailscale".into())));
    }
    if let Some(w) = e.tdp_w {
        out.push(("tdp_w", Ok(w.to_string())));
    }
    if !e.packs.is_empty() {
        out.push(("packs", Err(e.packs.as_slice())));
    }
    if !e.tags.is_empty() {
        out.push(("tags", Err(e.tags.as_slice())));
    }
    out
}

/// The entry as block lines (without line ends).
fn block(e: &Entry, lay: &Layout) -> Vec<String> {
    let pad = |n: usize| " ".repeat(n);
    let inner = lay.indent + lay.step;
    let mut lines = vec![format!("{}{}:", pad(lay.indent), scalar(&e.id))];
    for (key, value) in fields(e) {
        match value {
            Ok(v) => lines.push(format!("{}{key}: {v}", pad(inner))),
            Err(items) if lay.flow_lists => {
                lines.push(format!("{}{key}: {}", pad(inner), list(items)));
            }
            Err(items) => {
                lines.push(format!("{}{key}:", pad(inner)));
                for item in items {
                    lines.push(format!("{}- {}", pad(inner + lay.dash), scalar(item)));
                }
            }
        }
    }
    if let Some(port) = e.port {
        lines.push(format!("{}ssh:", pad(inner)));
        lines.push(format!("{}port: {port}", pad(inner + lay.step)));
    }
    lines
}

/// The entry as one flow mapping entry (`id: {name: x, …}`).
fn flow(e: &Entry) -> String {
    let mut parts: Vec<String> = fields(e)
        .into_iter()
        .map(|(key, value)| match value {
            Ok(v) => format!("{key}: {v}"),
            Err(items) => format!("{key}: {}", list(items)),
        })
        .collect();
    if let Some(port) = e.port {
        parts.push(format!("ssh: {{port: {port}}}"));
    }
    format!("{}: {{{}}}", scalar(&e.id), parts.join(", "))
}

/// The new text must parse to the original document with exactly `entries` appended to
/// `machines`, each holding the values it was given, literally.
fn verify(original: &Node, new: &str, entries: &[Entry]) -> Result<(), ImportError> {
    let broke = |what: &str| {
        layout(format!(
            "adding the machines would {what}; nothing was written"
        ))
    };
    let root = crate::fleet::parse_yaml(new).map_err(|_| broke("break the file's YAML"))?;
    let (Kind::Map(old_top), Kind::Map(new_top)) = (&original.kind, &root.kind) else {
        return Err(broke("change the file's structure"));
    };
    if old_top.len() != new_top.len() {
        return Err(broke("change the file's top-level keys"));
    }
    for ((ok, ov), (nk, nv)) in old_top.iter().zip(new_top) {
        if !same(ok, nk) {
            return Err(broke("change the file's top-level keys"));
        }
        if ok.as_scalar() != Some("machines") {
            if !same(ov, nv) {
                return Err(broke("change what follows `machines:`"));
            }
            continue;
        }
        let old = match &ov.kind {
            Kind::Map(m) => m.as_slice(),
            _ => &[],
        };
        let Kind::Map(now) = &nv.kind else {
            return Err(broke("leave `machines:` without a mapping"));
        };
        if now.len() != old.len() + entries.len()
            || !old
                .iter()
                .zip(now)
                .all(|(a, b)| same(&a.0, &b.0) && same(&a.1, &b.1))
        {
            return Err(broke("change the machines already there"));
        }
        for ((k, v), e) in now[old.len()..].iter().zip(entries) {
            if k.as_scalar() != Some(e.id.as_str()) || !holds(v, e) {
                return Err(broke("not write the values literally"));
            }
        }
    }
    Ok(())
}

/// The written machine holds exactly the entry's values.
fn holds(node: &Node, e: &Entry) -> bool {
    let Kind::Map(fields) = &node.kind else {
        return false;
    };
    let get = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k.as_scalar() == Some(key))
            .map(|(_, v)| v)
    };
    let text = |key: &str| get(key).and_then(|v| v.as_scalar().map(str::to_string));
    let words = |key: &str| match get(key).map(|v| &v.kind) {
        Some(Kind::Seq(items)) => items
            .iter()
            .map(|i| i.as_scalar().unwrap_or("\0").to_string())
            .collect(),
        _ => Vec::new(),
    };
    fields.len() == fields_count(e)
        && text("name").as_deref() == Some(e.name.as_str())
        && text("address").as_deref() == Some(e.address.as_str())
        && text("type").as_deref() == Some(e.kind)
        && words("packs") == e.packs
        && words("tags") == e.tags
}

fn fields_count(e: &Entry) -> usize {
    fields(e).len() + usize::from(e.port.is_some())
}

/// Two nodes hold the same YAML (positions aside).
fn same(a: &Node, b: &Node) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::Scalar { text: x, plain: p }, Kind::Scalar { text: y, plain: q }) => {
            x == y && p == q
        }
        (Kind::Seq(x), Kind::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Kind::Map(x), Kind::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(a, b)| same(&a.0, &b.0) && same(&a.1, &b.1))
        }
        _ => false,
    }
}
