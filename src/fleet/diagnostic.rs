//! Problems found in fleet files, each tied to `file:line:col`, with a hint of what is valid.

use std::fmt::{self, Write as _};

/// A 1-based line and column in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Pos {
    pub(crate) line: usize,
    pub(crate) col: usize,
}

impl Pos {
    /// The top of a file, for problems with the file as a whole.
    pub(crate) const START: Pos = Pos { line: 1, col: 1 };
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    /// The path inside the fleet repository, e.g. `fleet.yaml` or `packs/base.yaml`.
    pub(crate) file: String,
    pub(crate) pos: Pos,
    /// Where the offending text ends; used to underline it when it is on one line.
    pub(crate) end: Option<Pos>,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
    /// The spot holds a secret written in clear: show no excerpt of it.
    pub(crate) secret: bool,
}

impl Diagnostic {
    pub(crate) fn new(file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            pos,
            end: None,
            message: message.into(),
            hint: None,
            secret: false,
        }
    }

    pub(crate) fn to(mut self, end: Pos) -> Self {
        self.end = Some(end);
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Render as `file:line:col: message`, the source line with the spot underlined, and a
    /// `hint:` line. `source` is the file's text, when it is at hand.
    pub(crate) fn render(&self, source: Option<&str>) -> String {
        let mut out = format!("{self}\n");
        let source = source.filter(|_| !self.secret);
        if let Some(line) = source.and_then(|s| s.lines().nth(self.pos.line.wrapping_sub(1))) {
            let number = self.pos.line.to_string();
            let pad = " ".repeat(number.len());
            let line = line.trim_end();
            let start = self.pos.col.saturating_sub(1);
            let width = match self.end {
                Some(end) if end.line == self.pos.line && end.col > self.pos.col => {
                    end.col - self.pos.col
                }
                _ => 1,
            };
            // Columns count characters; the caret line repeats tabs so it lines up.
            let lead: String = line
                .chars()
                .take(start)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, " {number} | {line}");
            let _ = writeln!(out, " {pad} | {lead}{}", "^".repeat(width.min(80)));
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  hint: {hint}");
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.pos.line, self.pos.col, self.message
        )
    }
}

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// "did you mean `x`? valid: a, b, c" — or just the list when nothing is close.
pub(crate) fn suggest(word: &str, what: &str, candidates: &[&str]) -> String {
    let list = if candidates.is_empty() {
        format!("there are no {what}")
    } else {
        format!("valid {what}: {}", candidates.join(", "))
    };
    match nearest(word, candidates.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? {list}"),
        None => list,
    }
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos() {
        let packs = ["base", "developer-lite", "developer-max"];
        assert_eq!(nearest("developer-mx", packs), Some("developer-max"));
        assert_eq!(nearest("bsae", packs), Some("base"));
        assert_eq!(nearest("webserver", packs), None);
    }

    #[test]
    fn render_underlines_the_span() {
        let d = Diagnostic::new("fleet.yaml", Pos { line: 2, col: 8 }, "unknown pack `bsae`")
            .to(Pos { line: 2, col: 12 })
            .hint("did you mean `base`?");
        assert_eq!(
            d.render(Some("a: 1\npacks: [bsae]\n")),
            "fleet.yaml:2:8: unknown pack `bsae`\n 2 | packs: [bsae]\n   |        ^^^^\n  hint: did you mean `base`?\n"
        );
    }
}
