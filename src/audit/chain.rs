//! The hash chain: each entry's hash covers the previous entry's hash and every field of its
//! own, id included, in a canonical length-prefixed encoding; `verify` walks the log and
//! names the first entry that was edited, deleted, reordered or replaced.
//!
//! `hash = SHA-256(prev_hash || encoding)`, the first entry's `prev_hash` 32 zero bytes. The
//! encoding is a version tag, then each field in a fixed order: integers as 8 bytes big
//! endian, strings and bytes as an 8-byte big-endian length and the bytes, an optional value
//! as one byte 0 (none) or 1 followed by the value. No two different entries encode alike.
//! The store also keeps a head (the last entry's id and hash, updated with each append) so a
//! deleted last entry is found too.

use std::collections::HashMap;
use std::ops::ControlFlow;

use ring::digest;
use serde::Serialize;

use super::AuditEntry;
use crate::store::{Store, StoreError};

/// A SHA-256 hash.
pub(crate) type Hash = [u8; 32];

/// The `prev_hash` of the first entry.
pub(crate) const GENESIS: Hash = [0; 32];

/// Changing the encoding means a new tag (and verifying old entries with the old one).
const TAG: &[u8] = b"homelabcmd audit entry v1";

/// Every hashed field of an entry, borrowed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'a> {
    pub(crate) id: i64,
    pub(crate) time: i64,
    pub(crate) user: &'a str,
    pub(crate) machine: Option<&'a str>,
    pub(crate) action: &'a str,
    pub(crate) name: &'a str,
    pub(crate) command: &'a str,
    pub(crate) exit_code: Option<i64>,
    pub(crate) duration_ms: Option<i64>,
    pub(crate) output: &'a [u8],
    pub(crate) output_omitted: i64,
    pub(crate) fleet_commit: Option<&'a str>,
}

/// `SHA-256(prev || canonical encoding of fields)`.
pub(crate) fn entry_hash(prev: &[u8], f: &Fields<'_>) -> Hash {
    let mut h = Hasher(digest::Context::new(&digest::SHA256));
    h.0.update(prev);
    h.bytes(TAG);
    h.int(f.id);
    h.int(f.time);
    h.bytes(f.user.as_bytes());
    h.opt_bytes(f.machine.map(str::as_bytes));
    h.bytes(f.action.as_bytes());
    h.bytes(f.name.as_bytes());
    h.bytes(f.command.as_bytes());
    h.opt_int(f.exit_code);
    h.opt_int(f.duration_ms);
    h.bytes(f.output);
    h.int(f.output_omitted);
    h.opt_bytes(f.fleet_commit.map(str::as_bytes));
    let mut out = [0; 32];
    out.copy_from_slice(h.0.finish().as_ref());
    out
}

struct Hasher(digest::Context);

impl Hasher {
    fn int(&mut self, v: i64) {
        self.0.update(&v.to_be_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.0.update(&(b.len() as u64).to_be_bytes());
        self.0.update(b);
    }
    fn opt_int(&mut self, v: Option<i64>) {
        match v {
            None => self.0.update(&[0]),
            Some(v) => {
                self.0.update(&[1]);
                self.int(v);
            }
        }
    }
    fn opt_bytes(&mut self, b: Option<&[u8]>) {
        match b {
            None => self.0.update(&[0]),
            Some(b) => {
                self.0.update(&[1]);
                self.bytes(b);
            }
        }
    }
}

impl AuditEntry {
    /// The fields the hash covers, with the stored output.
    pub(crate) fn fields<'a>(&'a self, output: &'a [u8]) -> Fields<'a> {
        Fields {
            id: self.id,
            time: self.time,
            user: &self.user,
            machine: self.machine.as_deref(),
            action: &self.action,
            name: &self.name,
            command: &self.command,
            exit_code: self.exit_code,
            duration_ms: self.duration_ms,
            output,
            output_omitted: self.output_omitted,
            fleet_commit: self.fleet_commit.as_deref(),
        }
    }
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A hash written as 64 hex digits.
pub(crate) fn parse_hex(text: &str) -> Option<Hash> {
    let text = text.trim();
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verification {
    /// Entries in the log.
    pub(crate) entries: u64,
    /// The head as recorded: the last entry's id and hash.
    pub(crate) head: Option<(i64, Vec<u8>)>,
    /// With `expect_head`: the entry whose hash it is.
    pub(crate) expected_at: Option<i64>,
    /// The first thing wrong; None when the chain is intact.
    pub(crate) problem: Option<Problem>,
}

/// The first thing wrong with the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Problem {
    /// The first bad entry's id (None when the problem is not one entry's, e.g. the head).
    pub(crate) entry: Option<i64>,
    pub(crate) kind: ProblemKind,
    /// A sentence naming the entry and what is wrong.
    pub(crate) message: String,
}

/// The kinds of tampering `verify` tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ProblemKind {
    /// An entry's fields do not match its hash.
    Edited,
    /// Entries are missing: a gap in the ids, or fewer entries than the head records.
    Missing,
    /// An entry links to another entry than the one before it.
    OutOfOrder,
    /// An entry's link does not match the one before it, though its own hash does: the one
    /// before was replaced with a recomputed hash (or this one forged).
    BrokenLink,
    /// The last entry was replaced with a recomputed hash: it differs from the head.
    HeadMismatch,
    /// The head record was deleted.
    HeadMissing,
    /// Entries after the one the head records: added outside homelabcmd.
    NotInHead,
    /// `--expect-head`'s hash is not the hash of any entry.
    ExpectedHeadMissing,
}

/// Walk the whole log in id order (in one read transaction, so appends meanwhile are not
/// mistaken for tampering) and report the first problem. `expect_head`: a hash recorded
/// earlier from `audit verify`, which must still be the hash of an entry.
pub(crate) fn verify(
    store: &Store,
    expect_head: Option<&Hash>,
) -> Result<Verification, StoreError> {
    store.audit_read(|store| {
        let hashes = store.audit_hashes()?;
        let head = store.audit_head()?;
        let index: HashMap<&[u8], i64> = hashes.iter().map(|(id, h)| (h.as_slice(), *id)).collect();
        let mut walk = Walk {
            index: &index,
            last: None,
            problem: None,
        };
        store.audit_walk(|entry, output| walk.step(entry, output))?;
        let last = walk.last.map(|(id, hash)| (id, hash.to_vec()));
        let mut problem = walk.problem;
        if problem.is_none() {
            problem = check_head(hashes.len() as u64, last.as_ref(), head.as_ref());
        }
        let expected_at = expect_head.and_then(|h| index.get(h.as_slice()).copied());
        if problem.is_none()
            && let Some(hash) = expect_head
            && expected_at.is_none()
        {
            problem = Some(Problem {
                entry: None,
                kind: ProblemKind::ExpectedHeadMissing,
                message: format!(
                    "the expected head {} is not in the log (an entry up to it was rewritten or deleted)",
                    hex(hash)
                ),
            });
        }
        Ok(Verification {
            entries: hashes.len() as u64,
            head,
            expected_at,
            problem,
        })
    })
}

/// The walk's state: the last good entry, or the first problem.
struct Walk<'i> {
    index: &'i HashMap<&'i [u8], i64>,
    last: Option<(i64, Hash)>,
    problem: Option<Problem>,
}

impl Walk<'_> {
    fn step(&mut self, entry: &AuditEntry, output: &[u8]) -> ControlFlow<()> {
        match self.check(entry, output) {
            Ok(hash) => {
                self.last = Some((entry.id, hash));
                ControlFlow::Continue(())
            }
            Err(problem) => {
                self.problem = Some(problem);
                ControlFlow::Break(())
            }
        }
    }

    fn check(&self, entry: &AuditEntry, output: &[u8]) -> Result<Hash, Problem> {
        let (last_id, expected_prev) = self.last.unwrap_or((0, GENESIS));
        let id = entry.id;
        let problem = |kind, message: String| Problem {
            entry: Some(id),
            kind,
            message,
        };
        if id != last_id + 1 {
            let from = last_id + 1;
            let message = if last_id == 0 {
                format!(
                    "{} (deleted): the log starts at entry {id}",
                    missing(from, id - 1)
                )
            } else {
                format!(
                    "{} (deleted): the log goes from entry {last_id} to entry {id}",
                    missing(from, id - 1)
                )
            };
            return Err(Problem {
                entry: Some(from),
                kind: ProblemKind::Missing,
                message,
            });
        }
        let hash = entry_hash(&entry.prev_hash, &entry.fields(output));
        let self_ok = entry.hash == hash;
        let link_ok = entry.prev_hash == expected_prev;
        let before = if last_id == 0 {
            "the start of the log".to_string()
        } else {
            format!("entry {last_id}")
        };
        match (link_ok, self_ok) {
            (true, true) => Ok(hash),
            (true, false) => Err(problem(
                ProblemKind::Edited,
                format!("entry {id} was edited (its fields do not match its hash)"),
            )),
            (false, _) if self.index.contains_key(entry.prev_hash.as_slice()) => {
                let after = self.index[entry.prev_hash.as_slice()];
                Err(problem(
                    ProblemKind::OutOfOrder,
                    format!(
                        "entry {id} is out of order (it was written after entry {after}, not after {before})"
                    ),
                ))
            }
            (false, false) => Err(problem(
                ProblemKind::Edited,
                format!(
                    "entry {id} was edited (neither its fields nor its link to {before} match its hash)"
                ),
            )),
            (false, true) if last_id == 0 => Err(problem(
                ProblemKind::BrokenLink,
                format!(
                    "entry {id} does not start the log (its previous hash is not zero: it was forged)"
                ),
            )),
            (false, true) => Err(problem(
                ProblemKind::BrokenLink,
                format!(
                    "entry {id} does not follow entry {last_id} (entry {last_id} was replaced and its hash recomputed, or entry {id} was forged)"
                ),
            )),
        }
    }
}

/// After an intact walk: does the log end where the head says?
fn check_head(
    count: u64,
    last: Option<&(i64, Vec<u8>)>,
    head: Option<&(i64, Vec<u8>)>,
) -> Option<Problem> {
    let last_id = last.map_or(0, |(id, _)| *id);
    match (last, head) {
        (None, None) => None,
        (Some(_), None) => Some(Problem {
            entry: None,
            kind: ProblemKind::HeadMissing,
            message: format!(
                "the head is missing (deleted): nothing records which of the {count} entries is the last"
            ),
        }),
        (_, Some((head_id, _))) if *head_id > last_id => {
            let ends = if last_id == 0 {
                "the log is empty".to_string()
            } else {
                format!("the log ends at entry {last_id}")
            };
            Some(Problem {
                entry: Some(last_id + 1),
                kind: ProblemKind::Missing,
                message: format!(
                    "{} (deleted): {ends} but the head records entry {head_id}",
                    missing(last_id + 1, *head_id)
                ),
            })
        }
        (Some((id, hash)), Some((head_id, head_hash))) if head_id == id => {
            (hash != head_hash).then(|| Problem {
                entry: Some(*id),
                kind: ProblemKind::HeadMismatch,
                message: format!(
                    "entry {id} was replaced (its hash was recomputed, but the head records the original)"
                ),
            })
        }
        (_, Some((head_id, _))) => {
            let first = head_id + 1;
            let added = if first == last_id {
                format!("entry {first} was")
            } else {
                format!("entries {first} to {last_id} were")
            };
            Some(Problem {
                entry: Some(first),
                kind: ProblemKind::NotInHead,
                message: format!(
                    "{added} added outside homelabcmd (the head records entry {head_id} as the last)"
                ),
            })
        }
    }
}

/// "entry 3 is missing", "entries 3 to 5 are missing".
fn missing(from: i64, to: i64) -> String {
    if from == to {
        format!("entry {from} is missing")
    } else {
        format!("entries {from} to {to} are missing")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(user: &'a str, machine: Option<&'a str>) -> Fields<'a> {
        Fields {
            id: 1,
            time: 1_795_608_000,
            user,
            machine,
            action: "exec",
            name: "uptime",
            command: "uptime",
            exit_code: Some(0),
            duration_ms: Some(12),
            output: b"up 3 days\n",
            output_omitted: 0,
            fleet_commit: None,
        }
    }

    #[test]
    fn the_encoding_is_pinned() {
        // A change here breaks every stored chain: bump TAG and keep the old encoding.
        assert_eq!(
            hex(&entry_hash(&GENESIS, &fields("alice", Some("web1")))),
            "8f4f71988681dc9afb5416bd189ca89c658a1cfb43474b4a70e64702ee4c65f0"
        );
    }

    #[test]
    fn field_boundaries_and_absence_are_unambiguous() {
        let a = entry_hash(&GENESIS, &fields("ab", Some("c")));
        let b = entry_hash(&GENESIS, &fields("a", Some("bc")));
        let c = entry_hash(&GENESIS, &fields("a", None));
        let d = entry_hash(&GENESIS, &fields("a", Some("")));
        assert!(a != b && c != d);
        let mut other = fields("a", None);
        other.id = 2;
        assert!(entry_hash(&GENESIS, &other) != c);
        assert!(entry_hash(&[1; 32], &fields("a", None)) != c);
    }

    #[test]
    fn hex_round_trips() {
        let h = entry_hash(&GENESIS, &fields("a", None));
        assert_eq!(parse_hex(&hex(&h)), Some(h));
        assert_eq!(parse_hex(&hex(&h).to_uppercase()), Some(h));
        assert_eq!(parse_hex("abc"), None);
        assert_eq!(parse_hex(&"g".repeat(64)), None);
    }
}
