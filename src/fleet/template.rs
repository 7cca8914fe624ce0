//! The `run:` line of a whitelisted command read as a template: shell text and `{name}`
//! placeholders, found in one scan that also tracks the shell's quoting. Validation
//! (`fleet_file.rs`) and rendering (`exec::render`) both read templates through `pieces`, so
//! what was checked is exactly what is rendered.

/// One piece of a template, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    /// Shell text, copied as it is.
    Text(&'a str),
    /// `{name}`: replaced by the parameter's quoted value. `inside` is the quoting the
    /// template wrote around it, if any (validation refuses that: see `Quote`).
    Param {
        name: &'a str,
        inside: Option<Quote>,
    },
}

/// Quotes the template itself opened around a placeholder. A rendered value is already
/// single-quoted, so inside `'…'` the two quotes cancel and the value lands unquoted; inside
/// `"…"` the value's own quotes become literal characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quote {
    Single,
    Double,
}

impl Quote {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::Single => "single quotes",
            Self::Double => "double quotes",
        }
    }

    pub(crate) fn mark(self) -> char {
        match self {
            Self::Single => '\'',
            Self::Double => '"',
        }
    }
}

/// Split `run` into text and placeholders. A placeholder is `{` up to the next `}` (whatever
/// is between is its name; validation says whether it is declared); a `{` without a closing
/// `}`, or escaped with `\` outside single quotes, is text.
pub(crate) fn pieces(run: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut quote: Option<Quote> = None;
    let mut text_start = 0;
    let mut chars = run.char_indices();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some(Quote::Single), '\'') => quote = None,
            (Some(Quote::Single), _) if c != '{' => {}
            (None | Some(Quote::Double), '\\') => {
                chars.next();
            }
            (None, '\'') => quote = Some(Quote::Single),
            (None, '"') => quote = Some(Quote::Double),
            (Some(Quote::Double), '"') => quote = None,
            (_, '{') => {
                let Some(len) = run[i..].find('}') else {
                    break;
                };
                if text_start < i {
                    out.push(Piece::Text(&run[text_start..i]));
                }
                out.push(Piece::Param {
                    name: &run[i + 1..i + len],
                    inside: quote,
                });
                text_start = i + len + 1;
                // Continue after the `}`; the name is not shell text.
                while chars.next().is_some_and(|(j, _)| j < i + len) {}
            }
            _ => {}
        }
    }
    if text_start < run.len() {
        out.push(Piece::Text(&run[text_start..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_placeholders_with_their_quoting() {
        use Piece::{Param, Text};
        assert_eq!(
            pieces("diff {a} {b}"),
            [
                Text("diff "),
                Param {
                    name: "a",
                    inside: None
                },
                Text(" "),
                Param {
                    name: "b",
                    inside: None
                },
            ]
        );
        assert_eq!(
            pieces(r#"grep '{p}' x; echo "a {w}" \{n} {"#),
            [
                Text("grep '"),
                Param {
                    name: "p",
                    inside: Some(Quote::Single)
                },
                Text("' x; echo \"a "),
                Param {
                    name: "w",
                    inside: Some(Quote::Double)
                },
                Text(r#"" \{n} {"#),
            ]
        );
        assert_eq!(
            pieces(r#"a='it''s' --x={n}"#),
            [
                Text("a='it''s' --x="),
                Param {
                    name: "n",
                    inside: None
                }
            ]
        );
        assert_eq!(pieces(""), []);
    }
}
