//! The process's log: `tracing` events on stderr, for what runs unattended (the hub, its
//! notifications and remedies). Quiet by default — warnings and errors only; `-v` adds info,
//! `-vv` debug (of homelabcmd's own events; other crates stay at warnings), and `RUST_LOG`
//! (an env-filter directive, e.g. `homelabcmd=debug,h2=info`) replaces both when no `-v` is
//! given. Events carry fields (machine=…, alert=…) and never a secret: a notification target
//! is logged by its name, never its URL. User-facing output (tables, `warning:` lines with
//! hints) is not logged: it is `crate::output`'s.

use tracing_subscriber::EnvFilter;

/// The directive for `-v` counted `verbose` times (0: warnings and errors).
fn directive(verbose: u8) -> &'static str {
    match verbose {
        0 => "warn",
        1 => "warn,homelabcmd=info",
        _ => "warn,homelabcmd=debug",
    }
}

/// The filter: `-v` when given, else `RUST_LOG` when set and valid, else warnings.
fn filter(verbose: u8, rust_log: Option<&str>) -> EnvFilter {
    match rust_log.filter(|v| verbose == 0 && !v.trim().is_empty()) {
        Some(spec) => EnvFilter::try_new(spec).unwrap_or_else(|_| EnvFilter::new(directive(0))),
        None => EnvFilter::new(directive(verbose)),
    }
}

/// Install the subscriber; once per process (a second call, as in tests, changes nothing).
pub(crate) fn init(verbose: u8) {
    let rust_log = std::env::var("RUST_LOG").ok();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter(verbose, rust_log.as_deref()))
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbosity_and_rust_log() {
        assert_eq!(filter(0, None).to_string(), "warn");
        assert_eq!(filter(1, None).to_string(), "homelabcmd=info,warn");
        assert_eq!(filter(2, None).to_string(), "homelabcmd=debug,warn");
        assert_eq!(filter(3, None).to_string(), "homelabcmd=debug,warn");
        assert_eq!(filter(0, Some("debug")).to_string(), "debug");
        // -v wins over RUST_LOG; a bad or empty RUST_LOG falls back to the quiet default.
        assert_eq!(filter(1, Some("debug")).to_string(), "homelabcmd=info,warn");
        assert_eq!(filter(0, Some("=[{")).to_string(), "warn");
        assert_eq!(filter(0, Some(" ")).to_string(), "warn");
    }
}
