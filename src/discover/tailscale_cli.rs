//! The tailnet as this machine's `tailscale` command sees it: `tailscale status --json`,
//! its `Self` node and its `Peer` map, read into candidates. Nodes shared in from other
//! tailnets (`ShareeNode`) are left out; a node is one node by its `ID` (two devices may
//! share a host name); DNS names lose their trailing dot.

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde::Deserialize;

use super::tailscale::TailscaleError;
use super::{Candidate, Origin};

/// How long `tailscale status` may take (a stuck tailscaled must not hang discovery).
const STATUS_TIMEOUT: Duration = Duration::from_secs(20);
/// The zero time Go prints for "never" (a node online now has no last-seen time).
const GO_ZERO_YEAR: &str = "0001-";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Status {
    backend_state: Option<String>,
    #[serde(rename = "Self")]
    me: Option<Node>,
    #[serde(default)]
    peer: Option<BTreeMap<String, Node>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Node {
    #[serde(rename = "ID")]
    id: String,
    #[serde(default)]
    host_name: String,
    #[serde(rename = "DNSName", default)]
    dns_name: String,
    #[serde(rename = "OS")]
    os: Option<String>,
    #[serde(rename = "TailscaleIPs")]
    tailscale_ips: Option<Vec<IpAddr>>,
    online: Option<bool>,
    last_seen: Option<String>,
    tags: Option<Vec<String>>,
    #[serde(default)]
    sharee_node: bool,
}

/// The `tailscale` command on PATH, if there is one.
pub(super) fn find() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("tailscale"))
        .find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Run `program status --json` and read its nodes.
pub(super) async fn devices(program: &Path) -> Result<Vec<Candidate>, TailscaleError> {
    let child = tokio::process::Command::new(program)
        .args(["status", "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(STATUS_TIMEOUT, child)
        .await
        .map_err(|_| TailscaleError::Cli {
            message: format!("no answer within {}s", STATUS_TIMEOUT.as_secs()),
        })?
        .map_err(|e| TailscaleError::Cli {
            message: format!("cannot run {}: {e}", program.display()),
        })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let line = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(TailscaleError::Cli {
            message: format!("{} ({})", crate::text::escape_line(line.trim()), out.status),
        });
    }
    parse(&out.stdout)
}

/// The candidates in `tailscale status --json` output.
fn parse(json: &[u8]) -> Result<Vec<Candidate>, TailscaleError> {
    let status: Status =
        serde_json::from_slice(json).map_err(|e| TailscaleError::CliMalformed {
            message: e.to_string(),
        })?;
    if let Some(state) = status.backend_state.as_deref()
        && state != "Running"
    {
        return Err(TailscaleError::CliNotRunning {
            state: crate::text::escape_line(state),
        });
    }
    let mut seen = HashSet::new();
    let nodes = status
        .me
        .into_iter()
        .chain(status.peer.unwrap_or_default().into_values());
    let mut out = Vec::new();
    for node in nodes {
        if node.sharee_node || !seen.insert(node.id.clone()) {
            continue;
        }
        out.push(candidate(node)?);
    }
    Ok(out)
}

fn candidate(node: Node) -> Result<Candidate, TailscaleError> {
    let last_seen = match node.last_seen.as_deref() {
        None | Some("") => None,
        Some(t) if t.starts_with(GO_ZERO_YEAR) => None,
        Some(t) => {
            Some(
                super::tailscale::rfc3339(t).ok_or_else(|| TailscaleError::CliMalformed {
                    message: format!("node `{}`: LastSeen `{t}` is not a time", node.id),
                })?,
            )
        }
    };
    let dns_name = node.dns_name.trim_end_matches('.').to_string();
    Ok(Candidate {
        id: String::new(),
        hostname: node.host_name,
        dns_name: (!dns_name.is_empty()).then_some(dns_name),
        addresses: node.tailscale_ips.unwrap_or_default(),
        os: node.os.filter(|o| !o.is_empty()),
        origin: Origin::TailscaleCli,
        online: node.online,
        last_seen,
        tags: node.tags.unwrap_or_default(),
        in_fleet: None,
        ssh: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_tailscale_is_an_error_and_shared_nodes_are_left_out() {
        let stopped = br#"{"BackendState":"Stopped","Self":null,"Peer":null}"#;
        assert!(matches!(
            parse(stopped),
            Err(TailscaleError::CliNotRunning { state }) if state == "Stopped"
        ));
        let json = br#"{"BackendState":"Running",
            "Self":{"ID":"1","HostName":"hub","DNSName":"hub.t.ts.net.","OS":"linux","TailscaleIPs":["100.64.0.1"],"Online":true,"LastSeen":"0001-01-01T00:00:00Z"},
            "Peer":{"nodekey:a":{"ID":"2","HostName":"x","DNSName":"x.other.ts.net.","ShareeNode":true},
                    "nodekey:b":{"ID":"1","HostName":"hub","DNSName":"hub.t.ts.net."}}}"#;
        let found = parse(json).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].dns_name.as_deref(), Some("hub.t.ts.net"));
        assert_eq!(found[0].last_seen, None);
        assert!(parse(b"[]").is_err());
    }
}
