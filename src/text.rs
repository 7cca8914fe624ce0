//! Text from machines and the network made safe to show: control characters (C0, DEL, C1,
//! which include ESC and the 8-bit CSI) and the bidirectional overrides are shown escaped, so
//! a machine cannot move the operator's cursor, recolour, retitle or reorder what is shown.
//! Used by the terminal output and by the core's messages that quote such text.

/// Whether `c` must not reach a terminal as is: control characters (C0, DEL, C1, which
/// include ESC and the 8-bit CSI) and the bidirectional overrides that reorder what is shown.
fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text from a machine or the network, made safe for one line of a terminal: every control
/// character (newlines and tabs too) shown escaped (`\u{1b}`, `\n`), so it cannot move the
/// cursor, change colours or retitle the window.
pub(crate) fn escape_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Like [`escape_line`] for a block of output: newlines and tabs are kept (a `\r` just
/// before a newline is dropped), every other control character is shown escaped.
pub(crate) fn escape_block(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(body) => (body.strip_suffix('\r').unwrap_or(body), "\n"),
            None => (line, ""),
        };
        for (i, part) in body.split('\t').enumerate() {
            if i > 0 {
                out.push('\t');
            }
            out.push_str(&escape_line(part));
        }
        out.push_str(nl);
    }
    out
}

/// Bytes from a machine (command output, file contents) as terminal-safe text: invalid
/// UTF-8 replaced, control characters escaped, lines and tabs kept.
pub(crate) fn remote_text(bytes: &[u8]) -> String {
    escape_block(&String::from_utf8_lossy(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_text_cannot_drive_the_terminal() {
        let hostile = "ok\tcol\r\n\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}abc\rover\n";
        assert_eq!(
            remote_text(hostile.as_bytes()),
            "ok\tcol\n\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{9b}31m\\u{202e}abc\\rover\n"
        );
        assert_eq!(escape_line("a\nb\tc"), "a\\nb\\tc");
        assert_eq!(remote_text(b"\xff\xfeplain"), "\u{fffd}\u{fffd}plain");
    }
}
