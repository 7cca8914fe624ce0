//! `homelabcmd healthcheck`: is the hub up? For Docker's HEALTHCHECK and for monitors.

use std::time::Duration;

use super::Context;
use crate::error::{Error, Kind};
use crate::serve::health::{self, HealthUrl};

/// Ask a running hub whether it is healthy: GET its /healthz, needing no shell tools.
///
/// Exit 0 when it answers 200 `ok` within the timeout; otherwise exit 1 with a one-line
/// reason (a malformed URL too: Docker reserves exit 2). Without --url it asks the hub of
/// HOMELAB_CMD_HOST and HOMELAB_CMD_PORT, as `serve` reads them (0.0.0.0 and :: ask
/// 127.0.0.1 and ::1).
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The URL to ask [default: http://127.0.0.1:8080/healthz, from HOMELAB_CMD_HOST/PORT]
    #[arg(long, value_name = "URL")]
    url: Option<String>,

    /// Give up after this many seconds
    #[arg(long, value_name = "SECS", default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=60))]
    timeout: u64,
}

pub(crate) fn run(_cx: &Context, args: Args) -> Result<(), Error> {
    let unhealthy = |e: health::HealthError| Error::new(Kind::Findings, format!("unhealthy: {e}"));
    let url = args.url.unwrap_or_else(default_url);
    let url = HealthUrl::parse(&url).map_err(unhealthy)?;
    health::probe(&url, Duration::from_secs(args.timeout)).map_err(unhealthy)
}

/// `http://HOST:PORT/healthz` from serve's variables; an unspecified host is asked on loopback.
fn default_url() -> String {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let host = var("HOMELAB_CMD_HOST").unwrap_or_else(|| "127.0.0.1".into());
    let host = match host.trim() {
        "0.0.0.0" => "127.0.0.1".to_string(),
        "::" | "[::]" => "[::1]".to_string(),
        h if h.contains(':') && !h.starts_with('[') => format!("[{h}]"),
        h => h.to_string(),
    };
    let port = var("HOMELAB_CMD_PORT").unwrap_or_else(|| "8080".into());
    format!("http://{host}:{}/healthz", port.trim())
}
