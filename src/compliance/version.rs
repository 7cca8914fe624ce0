//! Debian version ordering (dpkg's `verrevcmp`: epoch, upstream, revision; `~` sorts before
//! everything, letters before other characters), for package constraints like `curl: ">= 8.5"`.

use std::cmp::Ordering;

use crate::fleet::pack::{Constraint, Op};

/// Compare two Debian versions.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    let (ea, ua, ra) = split(a);
    let (eb, ub, rb) = split(b);
    ea.cmp(&eb)
        .then_with(|| verrevcmp(ua, ub))
        .then_with(|| verrevcmp(ra, rb))
}

/// Whether `installed` satisfies the constraint.
pub(crate) fn satisfies(installed: &str, c: &Constraint) -> bool {
    let o = compare(installed, &c.version);
    match c.op {
        Op::Ge => o != Ordering::Less,
        Op::Gt => o == Ordering::Greater,
        Op::Eq => o == Ordering::Equal,
        Op::Le => o != Ordering::Greater,
        Op::Lt => o == Ordering::Less,
    }
}

fn split(v: &str) -> (u64, &str, &str) {
    let (epoch, rest) = match v.split_once(':') {
        Some((e, r)) if e.chars().all(|c| c.is_ascii_digit()) => (e.parse().unwrap_or(0), r),
        _ => (0, v),
    };
    match rest.rsplit_once('-') {
        Some((u, r)) => (epoch, u, r),
        None => (epoch, rest, ""),
    }
}

fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        // The non-digit prefix, character by character.
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let ac = order(a.get(i).copied().filter(|c| !c.is_ascii_digit()));
            let bc = order(b.get(j).copied().filter(|c| !c.is_ascii_digit()));
            if ac != bc {
                return ac.cmp(&bc);
            }
            if i < a.len() && !a[i].is_ascii_digit() {
                i += 1;
            }
            if j < b.len() && !b[j].is_ascii_digit() {
                j += 1;
            }
        }
        // The digit run, as a number.
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        let si = i;
        let sj = j;
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let (na, nb) = (&a[si..i], &b[sj..j]);
        let o = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_ordering() {
        use Ordering::*;
        for (a, b, o) in [
            ("1.0", "1.0", Equal),
            ("7.88.1-10+deb12u5", "7.88", Greater),
            ("8.2.0", "8.5", Less),
            ("1.0~rc1", "1.0", Less),
            ("1:0.1", "2.0", Greater),
            ("2.39.2-1.1", "2.39", Greater),
            ("1.0a", "1.0", Greater),
            ("1.0-1", "1.0-1ubuntu1", Less),
            ("10", "9", Greater),
            ("1.001", "1.1", Equal),
        ] {
            assert_eq!(compare(a, b), o, "{a} vs {b}");
        }
        let c = Constraint {
            op: Op::Ge,
            version: "8.5".into(),
        };
        assert!(!satisfies("8.2.0", &c));
        assert!(satisfies("8.5.0-2", &c));
    }
}
