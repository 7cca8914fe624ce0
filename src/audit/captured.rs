//! `CapturedOutput`: a command's stdout and stderr, kept within `OUTPUT_LIMIT` bytes while it
//! streams in. The start and the end are kept (the end usually says what went wrong); the
//! middle is counted and replaced by one marker line.

use std::collections::VecDeque;

/// The most output bytes an audit entry keeps (the marker line comes on top).
pub(crate) const OUTPUT_LIMIT: usize = 64 * 1024;
/// Of which the first bytes…
const HEAD: usize = 16 * 1024;
/// …and the last bytes.
const TAIL: usize = OUTPUT_LIMIT - HEAD;

/// A command's output for the audit log, bounded however much the command prints.
///
/// `push` stdout and stderr chunks as they arrive (interleaved as a terminal would show
/// them); memory never exceeds `OUTPUT_LIMIT`. When more arrived, the first 16 KiB and the
/// last 48 KiB are kept and `omitted` counts what was left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CapturedOutput {
    head: Vec<u8>,
    tail: VecDeque<u8>,
    omitted: u64,
}

impl CapturedOutput {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Add a chunk of output.
    pub(crate) fn push(&mut self, mut bytes: &[u8]) {
        if self.head.len() < HEAD {
            let n = bytes.len().min(HEAD - self.head.len());
            self.head.extend_from_slice(&bytes[..n]);
            bytes = &bytes[n..];
        }
        if bytes.len() >= TAIL {
            self.omitted += (self.tail.len() + bytes.len() - TAIL) as u64;
            self.tail.clear();
            self.tail.extend(&bytes[bytes.len() - TAIL..]);
            return;
        }
        self.tail.extend(bytes);
        if self.tail.len() > TAIL {
            let excess = self.tail.len() - TAIL;
            self.tail.drain(..excess);
            self.omitted += excess as u64;
        }
    }

    /// Whether anything was left out.
    pub(crate) fn is_truncated(&self) -> bool {
        self.omitted > 0
    }

    /// What the audit log stores: the kept bytes (with a marker line where the middle was
    /// left out) and how many bytes were left out. A cut never splits a UTF-8 character.
    pub(crate) fn stored(&self) -> (Vec<u8>, u64) {
        let mut bytes = self.head.clone();
        let tail: Vec<u8> = self.tail.iter().copied().collect();
        if !self.is_truncated() {
            bytes.extend_from_slice(&tail);
            return (bytes, 0);
        }
        let head_cut = partial_char_at_end(&bytes);
        bytes.truncate(bytes.len() - head_cut);
        let tail_cut = tail
            .iter()
            .take(3)
            .take_while(|b| is_continuation(**b))
            .count();
        let omitted = self.omitted + (head_cut + tail_cut) as u64;
        bytes.extend_from_slice(marker(omitted).as_bytes());
        bytes.extend_from_slice(&tail[tail_cut..]);
        (bytes, omitted)
    }
}

impl From<&[u8]> for CapturedOutput {
    fn from(bytes: &[u8]) -> Self {
        let mut out = Self::new();
        out.push(bytes);
        out
    }
}

/// The line that stands for the omitted middle.
pub(crate) fn marker(omitted: u64) -> String {
    format!("\n[homelabcmd: {omitted} bytes of output omitted]\n")
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// How many bytes at the end of `bytes` are an incomplete UTF-8 character.
fn partial_char_at_end(bytes: &[u8]) -> usize {
    for back in 1..=bytes.len().min(4) {
        let b = bytes[bytes.len() - back];
        if is_continuation(b) {
            continue;
        }
        let len = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        return if len > back { back } else { 0 };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_output_is_kept_whole() {
        let out = CapturedOutput::from(&b"hello\n"[..]);
        assert_eq!(out.stored(), (b"hello\n".to_vec(), 0));
        assert!(!out.is_truncated());
        let exact = vec![b'x'; OUTPUT_LIMIT];
        assert_eq!(
            CapturedOutput::from(&exact[..]).stored(),
            (exact.clone(), 0)
        );
    }

    #[test]
    fn large_output_keeps_head_and_tail_in_any_chunking() {
        let data: Vec<u8> = (0..200_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let whole = CapturedOutput::from(&data[..]).stored();
        for chunk in [1, 7, 1000, 50_000] {
            let mut out = CapturedOutput::new();
            for c in data.chunks(chunk) {
                out.push(c);
            }
            assert_eq!(out.stored(), whole, "chunks of {chunk}");
        }
        let (bytes, omitted) = whole;
        assert_eq!(omitted, (200_000 - OUTPUT_LIMIT) as u64);
        let marker = marker(omitted);
        assert_eq!(bytes.len(), OUTPUT_LIMIT + marker.len());
        assert_eq!(&bytes[..HEAD], &data[..HEAD]);
        assert_eq!(&bytes[HEAD..HEAD + marker.len()], marker.as_bytes());
        assert_eq!(&bytes[HEAD + marker.len()..], &data[data.len() - TAIL..]);
    }

    #[test]
    fn cuts_do_not_split_characters() {
        for (prefix, suffix) in [("", ""), ("x", "z"), ("xy", "z"), ("xy", "")] {
            let data = format!("{prefix}{}{suffix}", "€".repeat(100_000)); // 3 bytes each
            let (bytes, omitted) = CapturedOutput::from(data.as_bytes()).stored();
            let text = String::from_utf8(bytes).expect("valid UTF-8");
            assert!(text.starts_with(prefix) && text.ends_with(suffix));
            let kept = text.len() - marker(omitted).len();
            assert_eq!(kept as u64 + omitted, data.len() as u64);
            assert!(kept <= OUTPUT_LIMIT);
        }
    }
}
