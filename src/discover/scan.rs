//! `discover ssh`: an ad-hoc scan of one device over SSH — its host key checked first (never
//! trusted silently), the fixed fact script run, the answer kept in the store — and the stored
//! scans read back for `discover history` and `discover show`.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use russh::keys::PublicKey;
use serde::Serialize;

use super::facts::{self, Facts};
use super::{Candidate, Origin, SshAnswer, naming, tcp};
use crate::exec::targets::{self, Timeouts};
use crate::fleet::Fleet;
use crate::fleet::model::Value;
use crate::remote::RemoteError;
use crate::remote::known_hosts::{KnownHosts, fingerprint};
use crate::remote::session::{self, Connection, Target};
use crate::store::{ScanRecord, Store, StoreError};

/// What to scan and how to log in; unset fields come from the fleet machine HOST names, else
/// from fleet.yaml's `defaults.ssh`.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// A fleet machine id, a host name or an address.
    pub(crate) host: String,
    pub(crate) user: Option<String>,
    pub(crate) port: Option<u16>,
    pub(crate) identity: Option<PathBuf>,
    /// Trust the key a device not in known_hosts offers, for this scan.
    pub(crate) accept_new_host_key: bool,
    pub(crate) timeouts: Timeouts,
    /// Unix seconds.
    pub(crate) now: i64,
}

/// Why a scan failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ScanError {
    #[error("{0}")]
    Remote(#[from] RemoteError),
    #[error("{address}:{port} is not in known_hosts; it offers {algorithm} {fingerprint}")]
    HostKeyUnknown {
        address: String,
        port: u16,
        algorithm: String,
        fingerprint: String,
    },
    #[error("the scan script failed on {host} (exit {exit:?}): {stderr}")]
    Script {
        host: String,
        exit: Option<u32>,
        stderr: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("stored scan {id} cannot be read: {error}")]
    Stored { id: i64, error: String },
}

/// One scan: as just done, or as stored.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Scan {
    pub(crate) id: i64,
    /// RFC 3339 UTC.
    pub(crate) time: String,
    pub(crate) host: String,
    pub(crate) facts: Facts,
    pub(crate) candidates: Vec<serde_json::Value>,
}

/// Scan `req.host` and store the result; the scan and its candidate.
pub(crate) async fn scan(
    req: &Request,
    fleet: &Fleet,
    known: &KnownHosts,
    secret: &dyn Fn(&str) -> Result<Arc<String>, RemoteError>,
    store: &Store,
) -> Result<(Scan, Candidate), ScanError> {
    let mut target = target(req, fleet, known, secret)?;
    let key = session::fetch_host_key(&target).await?;
    if target.pinned.is_empty() {
        if !req.accept_new_host_key {
            return Err(ScanError::HostKeyUnknown {
                address: target.address.clone(),
                port: target.port,
                algorithm: key.algorithm().to_string(),
                fingerprint: fingerprint(&key),
            });
        }
        target.pinned = vec![key.clone()];
    }
    // Connection::open checks the key again (a pinned one that differs is refused there).
    let connection = Connection::open(&target).await?;
    let output = connection.run(facts::SCRIPT, false).await;
    connection.close().await;
    let output = output?;
    if output.exit != Some(0) {
        return Err(ScanError::Script {
            host: req.host.clone(),
            exit: output.exit,
            stderr: crate::text::remote_text(&output.stderr),
        });
    }
    let facts = facts::parse(&String::from_utf8_lossy(&output.stdout));
    let candidate = candidate(&target, &key, &facts, fleet, req.now).await;
    let mut scan = Scan {
        id: 0,
        time: crate::clock::rfc3339(req.now),
        host: req.host.clone(),
        facts,
        candidates: vec![serde_json::to_value(&candidate).unwrap_or_default()],
    };
    let json = serde_json::to_string(&scan).unwrap_or_default();
    scan.id = store.record_scan(req.now, &req.host, &json)?;
    Ok((scan, candidate))
}

/// How to reach the host: the fleet machine's settings when HOST is one, else
/// `defaults.ssh`; the request's user, port and identity over either. No sudo: the scan runs
/// as the user.
fn target(
    req: &Request,
    fleet: &Fleet,
    known: &KnownHosts,
    secret: &dyn Fn(&str) -> Result<Arc<String>, RemoteError>,
) -> Result<Target, RemoteError> {
    let machine = fleet.machine(&req.host);
    let (id, address, mut ssh) = match machine {
        Some(m) => (m.id.as_str(), m.address.as_str(), fleet.ssh(m)),
        None => (
            req.host.as_str(),
            req.host.as_str(),
            fleet.defaults.ssh.clone(),
        ),
    };
    ssh.sudo_password = None;
    ssh.user = req.user.clone().or(ssh.user);
    ssh.port = req.port.or(ssh.port);
    if let Some(path) = &req.identity {
        ssh.identity = Some(Value::Plain(path.display().to_string()));
    }
    targets::from_settings(id, address, &ssh, known, req.timeouts, secret)
}

/// The scanned device as a candidate, with the host key it showed (so `--import` pins it).
async fn candidate(
    target: &Target,
    key: &PublicKey,
    facts: &Facts,
    fleet: &Fleet,
    now: i64,
) -> Candidate {
    let addresses: Vec<IpAddr> = match target.address.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => tokio::net::lookup_host((target.address.as_str(), target.port))
            .await
            .map(|found| found.map(|a| a.ip()).collect())
            .unwrap_or_default(),
    };
    let first = addresses
        .first()
        .copied()
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let dns_name = target
        .address
        .parse::<IpAddr>()
        .is_err()
        .then(|| target.address.clone());
    let wait = target.connect_timeout;
    let banner = match first {
        ip if ip.is_unspecified() => None,
        ip => match tcp::probe((ip, target.port).into(), wait, Some(wait)).await {
            tcp::Answer::Open { banner } => banner,
            _ => None,
        },
    };
    let in_fleet = fleet
        .machine(&target.machine)
        .map(|m| m.id.clone())
        .or_else(|| naming::in_fleet(fleet, &addresses, dns_name.as_deref()));
    Candidate {
        id: naming::id_for(Some(&facts.hostname), first),
        hostname: facts.hostname.clone(),
        dns_name,
        addresses,
        os: facts.os.clone(),
        origin: Origin::Ssh,
        online: Some(true),
        last_seen: Some(crate::clock::rfc3339(now)),
        tags: Vec::new(),
        in_fleet,
        ssh: Some(SshAnswer {
            address: target.address.clone(),
            port: target.port,
            open: true,
            banner,
            host_key: key.to_openssh().ok(),
            fingerprint: Some(fingerprint(key)),
            error: None,
        }),
    }
}

/// The newest `limit` stored scans, newest first.
pub(crate) fn history(store: &Store, limit: u32) -> Result<Vec<Scan>, ScanError> {
    store.scans(limit)?.iter().map(stored).collect()
}

/// One stored scan, if there is one by that id.
pub(crate) fn show(store: &Store, id: i64) -> Result<Option<Scan>, ScanError> {
    store.scan(id)?.as_ref().map(stored).transpose()
}

fn stored(record: &ScanRecord) -> Result<Scan, ScanError> {
    #[derive(serde::Deserialize)]
    struct Kept {
        facts: Facts,
        candidates: Vec<serde_json::Value>,
    }
    let kept: Kept = serde_json::from_str(&record.result).map_err(|e| ScanError::Stored {
        id: record.id,
        error: e.to_string(),
    })?;
    Ok(Scan {
        id: record.id,
        time: crate::clock::rfc3339(record.time),
        host: record.host.clone(),
        facts: kept.facts,
        candidates: kept.candidates,
    })
}
