//! `homelabcmd discover ssh HOST` (scan one device over SSH), `discover history` (the stored
//! scans) and `discover show ID` (one of them).

use std::path::PathBuf;
use std::time::Duration;

use super::Context;
use super::found::{self, ImportArgs};
use crate::discover::scan::{self, Request, Scan, ScanError};
use crate::error::{Error, Kind};
use crate::exec::targets::Timeouts;
use crate::output::{Table, bytes, duration, escape_line};

/// Scan one device over SSH: host name, OS, kernel, uptime, CPU, memory, disks, Docker,
/// running services.
///
/// HOST is a fleet machine (its address and SSH settings are used) or a name or address
/// (logged into with fleet.yaml's `defaults.ssh`). A host key not pinned in known_hosts is
/// refused (exit 4) with its fingerprint, unless --accept-new-host-key trusts it for this scan.
/// The scan is stored: see `discover history` and `discover show`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A fleet machine id, a host name or an address
    #[arg(value_name = "HOST")]
    host: String,
    /// Log in as this user
    #[arg(long, short = 'u', value_name = "USER")]
    user: Option<String>,
    /// The SSH port
    #[arg(long, short = 'p', value_name = "PORT")]
    port: Option<u16>,
    /// A private key file to log in with
    #[arg(long, short = 'i', value_name = "FILE")]
    identity: Option<PathBuf>,
    /// Trust the host key a device not in known_hosts offers (for this scan; --import pins it)
    #[arg(long)]
    accept_new_host_key: bool,
    /// Seconds to wait for the connection
    #[arg(long, value_name = "SECS")]
    connect_timeout: Option<u64>,
    #[command(flatten)]
    import: ImportArgs,
}

/// The stored scans, newest first.
#[derive(Debug, clap::Args)]
pub(crate) struct HistoryArgs {
    /// Show at most this many
    #[arg(long, value_name = "N", default_value_t = 20)]
    limit: u32,
}

/// One stored scan.
#[derive(Debug, clap::Args)]
pub(crate) struct ShowArgs {
    /// The scan's id (from `discover history`)
    #[arg(value_name = "ID")]
    id: i64,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (snapshot, fleet) = cx.fleet()?;
    let known = cx.known_hosts(&snapshot);
    let store = cx.store()?;
    let req = Request {
        host: args.host,
        user: args.user,
        port: args.port,
        identity: args.identity,
        accept_new_host_key: args.accept_new_host_key,
        timeouts: Timeouts {
            connect: args.connect_timeout.map(Duration::from_secs),
            command: None,
        },
        now: cx.now(),
    };
    let secret = |name: &str| cx.secret(&snapshot, name);
    let (scan, candidate) = super::super::runtime()?
        .block_on(scan::scan(&req, &fleet, &known, &secret, &store))
        .map_err(error)?;
    if cx.out.is_json() && args.import.import.is_empty() {
        return cx.out.json(&scan);
    }
    if !cx.out.is_json() {
        cx.out.print(&render(&scan, &cx.out))?;
        cx.out.print("\n")?;
    }
    found::finish(cx, &[candidate], &args.import)
}

pub(crate) fn history(cx: &Context, args: HistoryArgs) -> Result<(), Error> {
    let scans = match cx.existing_store()? {
        Some(store) => scan::history(&store, args.limit).map_err(error)?,
        None => Vec::new(),
    };
    if cx.out.is_json() {
        return cx.out.json(&serde_json::json!({ "scans": scans }));
    }
    let mut table = Table::new(&["ID", "TIME", "HOST", "HOSTNAME", "OS"]);
    for s in &scans {
        table.row(vec![
            s.id.to_string(),
            s.time.clone(),
            escape_line(&s.host),
            escape_line(&s.facts.hostname),
            escape_line(s.facts.os.as_deref().unwrap_or("-")),
        ]);
    }
    cx.out.print(&table.render(&cx.out))
}

pub(crate) fn show(cx: &Context, args: ShowArgs) -> Result<(), Error> {
    let found = match cx.existing_store()? {
        Some(store) => scan::show(&store, args.id).map_err(error)?,
        None => None,
    };
    let scan = found.ok_or_else(|| {
        Error::config(format!("no scan {}", args.id))
            .hint("`homelabcmd discover history` lists the stored scans")
    })?;
    if cx.out.is_json() {
        return cx.out.json(&scan);
    }
    cx.out.print(&render(&scan, &cx.out))
}

/// A scan's facts as `FIELD  value` lines, then its disks as a table.
fn render(scan: &Scan, out: &crate::output::Output) -> String {
    let f = &scan.facts;
    let or_dash = |v: Option<String>| v.map_or_else(|| "-".to_string(), |v| escape_line(&v));
    let cpu = match (&f.cpu_model, f.cpu_cores) {
        (Some(m), Some(n)) => Some(format!("{m} ({n} cores)")),
        (Some(m), None) => Some(m.clone()),
        (None, Some(n)) => Some(format!("{n} cores")),
        (None, None) => None,
    };
    let services = match &f.services {
        None => "- (no systemctl)".to_string(),
        Some(list) => format!("{} running: {}", list.len(), list.join(" ")),
    };
    let mut facts = Table::new(&["SCAN", &scan.id.to_string()]);
    for (field, value) in [
        ("time", scan.time.clone()),
        ("host", escape_line(&scan.host)),
        ("hostname", escape_line(&f.hostname)),
        ("os", or_dash(f.os.clone())),
        ("kernel", or_dash(f.kernel.clone())),
        ("uptime", or_dash(f.uptime_secs.map(duration))),
        ("cpu", or_dash(cpu)),
        ("memory", or_dash(f.memory_bytes.map(bytes))),
        ("docker", if f.docker { "yes" } else { "no" }.to_string()),
        ("services", escape_line(&services)),
    ] {
        facts.row(vec![field.to_string(), value]);
    }
    let mut disks = Table::new(&["MOUNT", "SIZE", "USED", "FILESYSTEM"]);
    for d in &f.disks {
        disks.row(vec![
            escape_line(&d.mount),
            bytes(d.size_bytes),
            bytes(d.used_bytes),
            escape_line(&d.filesystem),
        ]);
    }
    format!("{}\n{}", facts.render(out), disks.render(out))
}

fn error(e: ScanError) -> Error {
    match e {
        ScanError::Remote(e) => {
            let kind = if e.refused() { Kind::Refused } else { Kind::Partial };
            let err = Error::new(kind, e.to_string());
            match e.hint() {
                Some(h) => err.hint(h),
                None => err,
            }
        }
        e @ ScanError::HostKeyUnknown { .. } => Error::new(Kind::Refused, e.to_string()).hint(
            "verify the fingerprint out of band, then pass --accept-new-host-key (for a fleet machine: `homelabcmd hosts trust ID`)",
        ),
        e @ ScanError::Script { .. } => Error::new(Kind::Partial, escape_line(&e.to_string())),
        ScanError::Store(e) => e.into(),
        e @ ScanError::Stored { .. } => Error::config(e.to_string()),
    }
}
