//! The probe: one POSIX `sh` script, sent in one SSH round trip, that reports every fact a
//! plan needs — each file's kind, hash, size, mode and owner (and its content only when the
//! hash differs from what the pack expects, within a budget), each directory, the installed
//! version of each package — and its parser. Nothing is needed on the target but sh,
//! coreutils and dpkg.

use std::collections::BTreeMap;

use crate::remote::session::quote;

/// What to look at.
#[derive(Debug, Clone, Default)]
pub(crate) struct Request {
    /// (path as written in the pack, `~/` allowed; the expected SHA-256 in hex).
    pub(crate) files: Vec<(String, String)>,
    pub(crate) dirs: Vec<String>,
    pub(crate) packages: Vec<String>,
}

/// The most content of one file the probe sends (a larger one is "too large to show").
pub(crate) const CONTENT_LIMIT: u64 = 1 << 20;
/// The most content the probe sends in all, so that its output stays far below the session's
/// output limit (4 MiB) and the `END` line always arrives.
pub(crate) const CONTENT_BUDGET: u64 = 2 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileFact {
    Missing,
    /// Something that is not a regular file is there (`stat`'s name for it: "symbolic link",
    /// "directory", ...). Symbolic links are not followed.
    NotAFile {
        found: String,
    },
    Present {
        sha256: String,
        size: u64,
        mode: u32,
        owner: String,
        group: String,
        /// The content, sent only when the hash differs from the expected one and it fits
        /// the limits ([`CONTENT_LIMIT`], [`CONTENT_BUDGET`]).
        content: Option<Vec<u8>>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DirFact {
    Missing,
    /// Something that is not a directory (a symbolic link to one included) is there.
    NotADir {
        found: String,
    },
    Present {
        mode: u32,
        owner: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Manager {
    Apt,
    /// Another package manager (named), or none.
    Unsupported(Option<String>),
    #[default]
    Unknown,
}

/// What the probe found, keyed like the request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Facts {
    pub(crate) home: String,
    /// The SSH user and its primary group (what a file it writes is owned by).
    pub(crate) user: String,
    pub(crate) user_group: String,
    pub(crate) files: BTreeMap<String, FileFact>,
    pub(crate) dirs: BTreeMap<String, DirFact>,
    pub(crate) manager: Manager,
    /// Installed packages and their versions (absent: not installed).
    pub(crate) packages: BTreeMap<String, String>,
}

/// A path for the remote shell: `~/x` becomes `"$HOME"/'x'`, everything else is quoted.
pub(crate) fn shell_path(path: &str) -> String {
    match path.strip_prefix("~/") {
        Some(rest) => format!("\"$HOME\"/{}", quote(rest)),
        None => quote(path),
    }
}

/// The command that runs a probe sent on its stdin (the script is not an argument, so its
/// size is not limited by the kernel's limit on one argument).
pub(crate) const RUN: &str = "sh -s";

/// The probe script for `req`. It starts a handful of processes whatever the number of files
/// (one `stat` and one `sha256sum` over all of them, `base64` only for files that differ, one
/// `dpkg-query`), since process starts are most of its cost.
pub(crate) fn script(req: &Request) -> String {
    let mut s = String::from(
        "export LC_ALL=C\nprintf 'H\\t%s\\n' \"$HOME\"\nu=${SUDO_USER:-$(id -un)}\nprintf 'U\\t%s\\t%s\\n' \"$u\" \"$(id -gn -- \"$u\")\"\n",
    );
    let files: Vec<String> = req.files.iter().map(|(p, _)| shell_path(p)).collect();
    let dirs: Vec<String> = req.dirs.iter().map(|p| shell_path(p)).collect();
    let all: Vec<&String> = files.iter().chain(&dirs).collect();
    if !all.is_empty() {
        let list: Vec<&str> = all.iter().map(|p| p.as_str()).collect();
        s.push_str(&format!(
            "stat -c 'S\t%F\t%a\t%U\t%G\t%s\t%n' -- {} 2>/dev/null\n",
            list.join(" ")
        ));
    }
    if !files.is_empty() {
        // Only regular files are hashed — never through a link, never a FIFO or a device,
        // which could block or never end. Content only for files whose hash differs from the
        // expected one, each at most CONTENT_LIMIT and all together at most CONTENT_BUDGET.
        s.push_str(&format!(
            "set --\nfor p in {}; do\n  if [ -f \"$p\" ] && [ ! -L \"$p\" ]; then set -- \"$@\" \"$p\"; fi\ndone\n\
             budget={CONTENT_BUDGET}\n[ $# -eq 0 ] || sha256sum -- \"$@\" 2>/dev/null | while read -r s p; do\n  case \"$p\" in\n",
            files.join(" ")
        ));
        for (i, ((_, sha), path)) in req.files.iter().zip(&files).enumerate() {
            s.push_str(&format!("    {path}) i={i}; e={};;\n", quote(sha)));
        }
        s.push_str(&format!(
            "    *) continue;;\n  esac\n  printf 'X\\t%s\\t%s\\n' \"$i\" \"$s\"\n  [ \"$s\" != \"$e\" ] || continue\n  n=$(stat -c %s -- \"$p\")\n  if [ \"$n\" -le {CONTENT_LIMIT} ] && [ \"$n\" -le \"$budget\" ]; then\n    budget=$((budget - n))\n    printf 'C\\t%s\\t' \"$i\"; head -c \"$n\" < \"$p\" | base64 -w0; printf '\\n'\n  fi\ndone\n",
        ));
    }
    s.push_str("if command -v dpkg-query >/dev/null 2>&1; then\n  printf 'M\\tapt\\n'\n");
    if !req.packages.is_empty() {
        let names: Vec<String> = req.packages.iter().map(|p| quote(p)).collect();
        s.push_str(&format!(
            "  dpkg-query -W -f='P\\t${{Package}}\\t${{Version}}\\t${{db:Status-Abbrev}}\\n' {} 2>/dev/null\n",
            names.join(" ")
        ));
    }
    s.push_str(
        "else\n  m=''\n  for x in dnf yum pacman zypper apk; do command -v $x >/dev/null 2>&1 && m=$x && break; done\n  printf 'M\\tunsupported\\t%s\\n' \"$m\"\nfi\nprintf 'END\\n'\n",
    );
    s
}

/// A requested path as the machine names it (`~/` expanded with its home).
fn expanded(path: &str, home: &str) -> String {
    match path.strip_prefix("~/") {
        Some(rest) => format!("{}/{rest}", home.trim_end_matches('/')),
        None => path.to_string(),
    }
}

/// One `stat` line: the kind of file (`%F`), mode, owner, group, size.
struct Stat {
    kind: String,
    mode: u32,
    owner: String,
    group: String,
    size: u64,
}

/// The probe's output could not be read.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum ProbeError {
    #[error("the probe's output was cut short")]
    CutShort,
    #[error("the probe sent content that is not base64")]
    NotBase64,
}

/// Parse the probe's output; an error when it is cut short or not the probe's.
pub(crate) fn parse(req: &Request, output: &str) -> Result<Facts, ProbeError> {
    let mut facts = Facts::default();
    let mut ended = false;
    let mut stats: BTreeMap<String, Stat> = BTreeMap::new();
    let mut hashes: BTreeMap<usize, String> = BTreeMap::new();
    let mut contents: BTreeMap<usize, Vec<u8>> = BTreeMap::new();
    for line in output.lines() {
        let f: Vec<&str> = line.splitn(7, '\t').collect();
        match f.first().copied() {
            Some("H") => facts.home = f.get(1).unwrap_or(&"").to_string(),
            Some("U") => {
                facts.user = f.get(1).unwrap_or(&"").to_string();
                facts.user_group = f.get(2).unwrap_or(&"").to_string();
            }
            Some("S") if f.len() == 7 => {
                stats.insert(
                    f[6].to_string(),
                    Stat {
                        kind: f[1].to_string(),
                        mode: u32::from_str_radix(f[2], 8).unwrap_or(0),
                        owner: f[3].to_string(),
                        group: f[4].to_string(),
                        size: f[5].parse().unwrap_or(0),
                    },
                );
            }
            Some("X") => {
                if let (Some(i), Some(sha)) = (f.get(1).and_then(|i| i.parse().ok()), f.get(2)) {
                    hashes.insert(i, sha.to_string());
                }
            }
            Some("C") => {
                if let Some(i) = f.get(1).and_then(|i| i.parse().ok()) {
                    let bytes =
                        base64_decode(f.get(2).unwrap_or(&"")).ok_or(ProbeError::NotBase64)?;
                    contents.insert(i, bytes);
                }
            }
            Some("M") => {
                facts.manager = match f.get(1).copied() {
                    Some("apt") => Manager::Apt,
                    _ => Manager::Unsupported(
                        f.get(2).filter(|s| !s.is_empty()).map(|s| s.to_string()),
                    ),
                }
            }
            Some("P") => {
                // Only "ii" (installed, ok) counts; "rc" is a removed package's config.
                if f.get(3).is_some_and(|s| s.starts_with("ii"))
                    && let (Some(name), Some(version)) = (f.get(1), f.get(2))
                {
                    facts.packages.insert(name.to_string(), version.to_string());
                }
            }
            Some("END") => ended = true,
            _ => {}
        }
    }
    if !ended || facts.home.is_empty() {
        return Err(ProbeError::CutShort);
    }
    place(req, &mut facts, &stats, &hashes, contents);
    Ok(facts)
}

/// Each requested file and directory's fact, from the `stat` lines, hashes and contents.
fn place(
    req: &Request,
    facts: &mut Facts,
    stats: &BTreeMap<String, Stat>,
    hashes: &BTreeMap<usize, String>,
    mut contents: BTreeMap<usize, Vec<u8>>,
) {
    for (i, (path, _)) in req.files.iter().enumerate() {
        let fact = match stats.get(&expanded(path, &facts.home)) {
            None => FileFact::Missing,
            Some(st) if st.kind.starts_with("regular") => FileFact::Present {
                sha256: hashes.get(&i).cloned().unwrap_or_default(),
                size: st.size,
                mode: st.mode,
                owner: st.owner.clone(),
                group: st.group.clone(),
                content: contents.remove(&i),
            },
            Some(st) => FileFact::NotAFile {
                found: st.kind.clone(),
            },
        };
        facts.files.insert(path.clone(), fact);
    }
    for path in &req.dirs {
        let fact = match stats.get(&expanded(path, &facts.home)) {
            None => DirFact::Missing,
            Some(st) if st.kind == "directory" => DirFact::Present {
                mode: st.mode,
                owner: st.owner.clone(),
            },
            Some(st) => DirFact::NotADir {
                found: st.kind.clone(),
            },
        };
        facts.dirs.insert(path.clone(), fact);
    }
}

/// Standard base64 (no line breaks), as `base64 -w0` writes it.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let bytes: Vec<u8> = text.bytes().filter(|c| *c != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let v: Vec<u8> = chunk.iter().map(|c| val(*c)).collect::<Option<_>>()?;
        let n = v
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, x)| acc | (u32::from(*x) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Standard base64, to check the decoder against.
    fn base64_encode(bytes: &[u8]) -> String {
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn base64_round_trips() {
        for text in ["", "a", "ab", "abc", "abcd", "hello world\n", "\u{0}\u{ff}"] {
            assert_eq!(
                base64_decode(&base64_encode(text.as_bytes())).unwrap(),
                text.as_bytes()
            );
        }
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
    }

    #[test]
    fn the_probe_runs_in_a_real_shell() {
        let dir = std::env::temp_dir().join(format!("probe-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("a.txt"), "hello\n").unwrap();
        std::fs::write(dir.join("b txt"), "hello\n").unwrap();
        let p = |n: &str| dir.join(n).display().to_string();
        let hello = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03".to_string();
        let req = Request {
            files: vec![
                (p("a.txt"), hello.clone()),
                (p("b txt"), "0".repeat(64)),
                (p("none"), hello),
                (p("sub"), String::new()),
            ],
            dirs: vec![p("sub"), p("nodir")],
            packages: vec!["dpkg".into(), "no-such-package-x".into()],
        };
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(script(&req))
            .output()
            .unwrap();
        let facts = parse(&req, &String::from_utf8_lossy(&out.stdout)).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        // Content only when the hash differs (and a space in a name is no problem).
        assert!(matches!(
            &facts.files[&p("a.txt")],
            FileFact::Present { content: None, .. }
        ));
        assert!(
            matches!(&facts.files[&p("b txt")], FileFact::Present { content: Some(c), .. } if c == b"hello\n")
        );
        assert_eq!(facts.files[&p("none")], FileFact::Missing);
        assert_eq!(
            facts.files[&p("sub")],
            FileFact::NotAFile {
                found: "directory".into()
            }
        );
        assert!(matches!(facts.dirs[&p("sub")], DirFact::Present { .. }));
        assert_eq!(facts.dirs[&p("nodir")], DirFact::Missing);
        assert_eq!(facts.manager, Manager::Apt);
        assert!(
            facts.packages.contains_key("dpkg")
                && !facts.packages.contains_key("no-such-package-x")
        );
    }
}
