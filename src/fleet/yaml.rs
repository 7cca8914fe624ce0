//! A YAML document as a tree of nodes that remember where they were written.
//!
//! serde-style deserialization stops at the first problem; fleet validation wants every problem
//! in one run, each with its line and column. So the files are parsed once into this tree (with
//! the same parser serde-saphyr uses, granit-parser), and `decode` walks it collecting errors.
//! Scalars keep their source text and whether they were plain, so `mode: 0644` can mean octal.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle, Span};

use super::diagnostic::Pos;

/// One YAML node and where it starts.
#[derive(Debug, Clone)]
/// Scalars borrow from the source text where they can (most do), so parsing allocates little.
pub(crate) struct Node<'a> {
    pub(crate) pos: Pos,
    /// Where the node ends (for a scalar: just past its text), used to underline it.
    pub(crate) end: Pos,
    pub(crate) kind: Kind<'a>,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind<'a> {
    /// A scalar's text after escape processing; `plain` when it was written without quotes
    /// or block indicators (so `null`, `true`, `12` keep their YAML meaning).
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
    },
    Seq(Vec<Node<'a>>),
    Map(Vec<(Node<'a>, Node<'a>)>),
}

/// A YAML syntax problem: where, and what the parser said.
#[derive(Debug, Clone)]
pub(crate) struct SyntaxError {
    pub(crate) pos: Pos,
    pub(crate) message: String,
}

impl Node<'_> {
    /// The scalar text, if this is a scalar.
    pub(crate) fn as_scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// True for an empty document, `~`, `null` or an empty value (`key:`).
    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, plain: true }
            if matches!(&**text, "" | "~" | "null" | "Null" | "NULL"))
    }

    /// What kind of YAML value this is, for "expected X, found Y" messages.
    pub(crate) fn describe(&self) -> &'static str {
        match &self.kind {
            Kind::Map(_) => "a mapping",
            Kind::Seq(_) => "a list",
            Kind::Scalar { .. } if self.is_null() => "nothing (null)",
            Kind::Scalar { .. } => "a scalar",
        }
    }
}

fn pos(marker: &granit_parser::Marker) -> Pos {
    Pos {
        line: marker.line(),
        col: marker.col() + 1,
    }
}

/// Parse one YAML document. An empty file is a null node.
pub(crate) fn parse(text: &str) -> Result<Node<'_>, SyntaxError> {
    let mut builder = Builder::default();
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| SyntaxError {
            pos: pos(e.marker()),
            message: e.info(),
        })?;
        if builder.push(event, span)? {
            break;
        }
    }
    Ok(builder.root.unwrap_or(Node {
        pos: Pos { line: 1, col: 1 },
        end: Pos { line: 1, col: 1 },
        kind: Kind::Scalar {
            text: Cow::Borrowed(""),
            plain: true,
        },
    }))
}

/// The most nodes that aliases may add to one document. Each `*alias` is a deep copy of its
/// anchor, so nine levels of ten aliases ("billion laughs") would expand to 10^9 nodes and
/// exhaust memory; a real fleet of 500 machines has a few tens of thousands of nodes in all.
pub(crate) const MAX_ALIAS_NODES: usize = 100_000;

/// The deepest nesting of lists and mappings accepted (a fleet needs fewer than ten levels);
/// deeper input is refused instead of exhausting the stack of whoever walks the tree.
pub(crate) const MAX_DEPTH: usize = 64;

enum Frame<'a> {
    Seq(Node<'a>, usize),
    /// The mapping, its anchor, a key waiting for its value, and which entries came from `<<`.
    Map(Node<'a>, usize, Option<Node<'a>>, Vec<bool>),
}

/// An open collection: the frame and the number of nodes completed inside it so far.
type Open<'a> = (Frame<'a>, usize);

#[derive(Default)]
struct Builder<'a> {
    stack: Vec<Open<'a>>,
    /// Each anchor with its node and that node's size in nodes (aliases inside it counted).
    anchors: Vec<(usize, Node<'a>, usize)>,
    /// Nodes added by aliases so far.
    expanded: usize,
    root: Option<Node<'a>>,
}

impl<'a> Builder<'a> {
    /// Feed one event; true when the first document is complete.
    fn push(&mut self, event: Event<'a>, span: Span) -> Result<bool, SyntaxError> {
        let start = pos(&span.start);
        let end = pos(&span.end);
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let node = Node {
                    pos: start,
                    end,
                    kind: Kind::Scalar {
                        text,
                        plain: style == ScalarStyle::Plain,
                    },
                };
                self.complete(node, anchor, 1)
            }
            Event::SequenceStart(_, anchor, _) => {
                let node = Node {
                    pos: start,
                    end,
                    kind: Kind::Seq(Vec::new()),
                };
                self.open(Frame::Seq(node, anchor), start)
            }
            Event::MappingStart(_, anchor, _) => {
                let node = Node {
                    pos: start,
                    end,
                    kind: Kind::Map(Vec::new()),
                };
                self.open(Frame::Map(node, anchor, None, Vec::new()), start)
            }
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some((Frame::Seq(mut node, anchor) | Frame::Map(mut node, anchor, ..), inside)) => {
                    node.end = end;
                    self.complete(node, anchor, inside + 1)
                }
                None => Ok(false),
            },
            Event::Alias(id) => self.alias(id, start),
            Event::DocumentEnd => Ok(self.root.is_some()),
            _ => Ok(false),
        }
    }

    fn open(&mut self, frame: Frame<'a>, at: Pos) -> Result<bool, SyntaxError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(SyntaxError {
                pos: at,
                message: format!("lists and mappings are nested more than {MAX_DEPTH} deep"),
            });
        }
        self.stack.push((frame, 0));
        Ok(false)
    }

    /// `*id`: a copy of the anchored node, refused once aliases have added too many nodes.
    fn alias(&mut self, id: usize, at: Pos) -> Result<bool, SyntaxError> {
        let (node, size) = self
            .anchors
            .iter()
            .rev()
            .find(|(a, ..)| *a == id)
            .map(|(_, n, size)| (n, *size))
            .ok_or_else(|| SyntaxError {
                pos: at,
                message: "alias to an unknown anchor".into(),
            })?;
        self.expanded = self.expanded.saturating_add(size);
        if self.expanded > MAX_ALIAS_NODES {
            return Err(SyntaxError {
                pos: at,
                message: format!(
                    "aliases expand to more than {MAX_ALIAS_NODES} nodes (nested aliases that multiply, a \"billion laughs\" document?)"
                ),
            });
        }
        let node = node.clone();
        self.complete(node, 0, size)
    }

    /// A node is finished: remember it under its anchor and add it to its parent.
    fn complete(
        &mut self,
        node: Node<'a>,
        anchor: usize,
        size: usize,
    ) -> Result<bool, SyntaxError> {
        if anchor != 0 {
            self.anchors.push((anchor, node.clone(), size));
        }
        if let Some((_, inside)) = self.stack.last_mut() {
            *inside = inside.saturating_add(size);
        }
        match self.stack.last_mut().map(|(frame, _)| frame) {
            None => {
                self.root = Some(node);
                Ok(false)
            }
            Some(Frame::Seq(seq, _)) => {
                if let Kind::Seq(items) = &mut seq.kind {
                    items.push(node);
                }
                Ok(false)
            }
            Some(Frame::Map(map, _, pending, merged)) => {
                let Some(key) = pending.take() else {
                    *pending = Some(node);
                    return Ok(false);
                };
                if let Kind::Map(entries) = &mut map.kind {
                    insert_entry(entries, merged, key, node)?;
                }
                Ok(false)
            }
        }
    }
}

/// Add `key: value` to a mapping, expanding a `<<` merge key
/// (keys written in the mapping itself win, as in YAML 1.1). `merged[i]` tells whether entry
/// `i` came from a merge.
fn insert_entry<'a>(
    entries: &mut Vec<(Node<'a>, Node<'a>)>,
    merged: &mut Vec<bool>,
    key: Node<'a>,
    value: Node<'a>,
) -> Result<(), SyntaxError> {
    if matches!(&key.kind, Kind::Scalar { text, plain: true } if text == "<<") {
        let sources = match value.kind {
            Kind::Seq(items) => items,
            _ => vec![value],
        };
        for source in sources {
            let Kind::Map(source_entries) = source.kind else {
                return Err(SyntaxError {
                    pos: source.pos,
                    message: "a merge key `<<` takes a mapping or a list of mappings".into(),
                });
            };
            for (k, v) in source_entries {
                if !entries.iter().any(|(e, _)| e.as_scalar() == k.as_scalar()) {
                    entries.push((k, v));
                    merged.push(true);
                }
            }
        }
        return Ok(());
    }
    // A key written in the mapping itself replaces one that came from a merge. Other
    // duplicates stay, so that the decoder reports them with both positions and goes on.
    let existing = key.as_scalar().and_then(|text| {
        entries
            .iter()
            .zip(merged.iter())
            .position(|((k, _), m)| *m && k.as_scalar() == Some(text))
    });
    if let Some(i) = existing {
        entries[i] = (key, value);
        merged[i] = false;
        return Ok(());
    }
    entries.push((key, value));
    merged.push(false);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let root = parse("a: 1\nb:\n  - x\n").unwrap();
        let Kind::Map(entries) = &root.kind else {
            panic!("not a map")
        };
        assert_eq!(entries[1].0.pos, Pos { line: 2, col: 1 });
        let Kind::Seq(items) = &entries[1].1.kind else {
            panic!("not a seq")
        };
        assert_eq!(items[0].pos, Pos { line: 3, col: 5 });
    }

    #[test]
    fn duplicate_keys_and_merges() {
        let root = parse("a: 1\na: 2\n").unwrap();
        assert!(matches!(&root.kind, Kind::Map(e) if e.len() == 2));
        let root = parse("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n").unwrap();
        let Kind::Map(entries) = &root.kind else {
            panic!()
        };
        let Kind::Map(c) = &entries[1].1.kind else {
            panic!()
        };
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn alias_expansion_is_bounded() {
        // Nine levels of ten aliases: 10^9 nodes if copied. Refused at the alias that
        // crosses the limit, quickly and without the memory.
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..=9 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let err = parse(&text).unwrap_err();
        assert!(
            err.message.contains("aliases expand to more than"),
            "{err:?}"
        );
        assert_eq!(err.pos.line, 5, "{err:?}");
        // Ordinary reuse is fine.
        assert!(parse("d: &d {x: 1}\na: *d\nb: *d\n").is_ok());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let err = parse(&deep(100)).unwrap_err();
        assert!(err.message.contains("nested more than 64"), "{err:?}");
        // Far deeper: the parser's own limit answers first; an error either way, no crash.
        assert!(parse(&deep(100_000)).is_err());
        assert!(parse(&format!("{}1{}", "[".repeat(20), "]".repeat(20))).is_ok());
    }

    #[test]
    fn syntax_error_has_position() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.line >= 1, "{err:?}");
    }
}
