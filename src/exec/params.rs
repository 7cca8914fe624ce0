//! Typed parameter values: whether `PARAM=VALUE` fits its declared type (unit, container,
//! path under a prefix, whole number in a range, one of a list). Each type admits a small,
//! plain character set, so a value never needs more than its quoting to be safe, and looks in
//! the audit trail like what it is.

use crate::fleet::check_unit;
use crate::fleet::model::ParamType;

/// The longest path accepted (Linux's PATH_MAX), and the longest part of one (NAME_MAX).
const PATH_MAX: usize = 4096;
const NAME_MAX: usize = 255;

/// Why a value does not fit its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum BadValue {
    #[error("control characters (newlines, tabs) are not allowed")]
    Control,
    #[error("`{{` and `}}` are not allowed in a value")]
    Brace,
    #[error("a unit name may not start with `-`")]
    UnitDash,
    #[error("it {0}")]
    Unit(String),
    #[error(
        "a container name is letters, digits, `_`, `.` and `-`, starting with a letter or digit"
    )]
    Container,
    #[error("an absolute path without `.`, `..` or `//` is needed")]
    PathShape,
    #[error("a path may hold only ASCII letters, digits and `/._-+@:,=%`")]
    PathCharacters,
    #[error("a path is at most {PATH_MAX} bytes, each part at most {NAME_MAX}")]
    PathLength,
    #[error("the path must be under {0}")]
    PathPrefix(String),
    #[error("a whole number is needed")]
    NotANumber,
    #[error("write the number plainly (no `+`, leading zeros or `-0`)")]
    NumberForm,
    #[error("a whole number from {min} to {max} is needed")]
    OutOfRange { min: i64, max: i64 },
    #[error("one of {0} is needed")]
    NotAChoice(String),
}

/// Whether `value` fits `kind`; the reason when it does not.
pub(crate) fn check_value(kind: &ParamType, value: &str) -> Result<(), BadValue> {
    if value.chars().any(char::is_control) {
        return Err(BadValue::Control);
    }
    // Only a listed choice may hold a brace (and fleet.yaml's choices cannot); elsewhere a
    // brace could only be an attempt to write a placeholder.
    if !matches!(kind, ParamType::Choice { .. }) && value.contains(['{', '}']) {
        return Err(BadValue::Brace);
    }
    match kind {
        ParamType::Unit if value.starts_with('-') => Err(BadValue::UnitDash),
        ParamType::Unit => check_unit(value).map_or(Ok(()), |why| Err(BadValue::Unit(why))),
        ParamType::Container => check_container(value),
        ParamType::Path { prefixes } => check_path(prefixes, value),
        ParamType::Int { min, max } => check_int(*min, *max, value),
        ParamType::Choice { values } => {
            if values.iter().any(|v| v == value) {
                Ok(())
            } else {
                Err(BadValue::NotAChoice(values.join(", ")))
            }
        }
    }
}

fn check_container(value: &str) -> Result<(), BadValue> {
    let ok = !value.is_empty()
        && value.len() <= 128
        && value.starts_with(|c: char| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if ok { Ok(()) } else { Err(BadValue::Container) }
}

fn check_path(prefixes: &[String], value: &str) -> Result<(), BadValue> {
    if !value.starts_with('/')
        || value.split('/').any(|c| c == ".." || c == ".")
        || value.contains("//")
    {
        return Err(BadValue::PathShape);
    }
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+@:,=%".contains(c);
    if !value.chars().all(plain) {
        return Err(BadValue::PathCharacters);
    }
    if value.len() > PATH_MAX || value.split('/').any(|c| c.len() > NAME_MAX) {
        return Err(BadValue::PathLength);
    }
    let under = |p: &String| {
        let p = p.trim_end_matches('/');
        value == p || value.starts_with(&format!("{p}/"))
    };
    if prefixes.iter().any(under) {
        Ok(())
    } else {
        Err(BadValue::PathPrefix(prefixes.join(" or ")))
    }
}

fn check_int(min: i64, max: i64, value: &str) -> Result<(), BadValue> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(BadValue::NotANumber);
    }
    let n: i64 = value
        .parse()
        .map_err(|_| BadValue::OutOfRange { min, max })?;
    if n.to_string() != value {
        return Err(BadValue::NumberForm);
    }
    if (min..=max).contains(&n) {
        Ok(())
    } else {
        Err(BadValue::OutOfRange { min, max })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injection_attempts_are_refused() {
        let unit = ParamType::Unit;
        for bad in [
            "nginx; rm -rf /",
            "$(reboot)",
            "`id`",
            "a\nb",
            "'x'",
            "--now",
            "a b",
            "-h",
            "{x}",
        ] {
            assert!(check_value(&unit, bad).is_err(), "{bad}");
        }
        assert!(check_value(&unit, "pihole-FTL.service").is_ok());
        let path = ParamType::Path {
            prefixes: vec!["/var/log".into()],
        };
        assert!(check_value(&path, "/var/log/syslog").is_ok());
        assert!(check_value(&path, "/var/log/nginx/access.log.1").is_ok());
        for bad in [
            "/var/log/../../etc/shadow",
            "/var/logs",
            "var/log/x",
            "/var/log/x\n",
            "/var/log/{b}",
            "/var/log/x $(id)",
            "/var/log/\u{202e}x",
        ] {
            assert!(check_value(&path, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_are_written_plainly() {
        let int = ParamType::Int { min: -5, max: 500 };
        for good in ["0", "1", "-5", "500"] {
            assert_eq!(check_value(&int, good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("+1", BadValue::NotANumber),
            ("007", BadValue::NumberForm),
            ("-0", BadValue::NumberForm),
            ("0x10", BadValue::NotANumber),
            (" 1", BadValue::NotANumber),
            ("", BadValue::NotANumber),
            ("-", BadValue::NotANumber),
            ("501", BadValue::OutOfRange { min: -5, max: 500 }),
            (
                "99999999999999999999",
                BadValue::OutOfRange { min: -5, max: 500 },
            ),
        ] {
            assert_eq!(check_value(&int, bad), Err(why), "{bad}");
        }
    }
}
