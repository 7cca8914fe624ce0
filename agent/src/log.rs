//! Log lines on stderr: one plain line per event, prefixed with the RFC 3339 UTC time. No
//! logging framework; `log!` formats like `format!`.

use std::fmt::Arguments;
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now (0 if the clock is before 1970).
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Writes `2026-11-25T17:40:57Z message` to stderr. Errors writing to stderr are ignored.
pub(crate) fn line(message: Arguments<'_>) {
    let time = homelabcmd_proto::time::format_rfc3339(unix_now());
    if cfg!(test) {
        eprintln!("{time} {message}"); // captured by the test harness
        return;
    }
    // Not eprintln!: a broken stderr (journald restarted) must not panic the agent.
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{time} {message}");
}

/// "1 sample", "3 samples".
pub(crate) fn samples(n: usize) -> String {
    if n == 1 {
        "1 sample".to_owned()
    } else {
        format!("{n} samples")
    }
}

/// `log!("sent {n} samples")`: one time-stamped line on stderr.
macro_rules! log {
    ($($arg:tt)*) => {
        $crate::log::line(format_args!($($arg)*))
    };
}
pub(crate) use log;
