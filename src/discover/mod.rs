//! Finding machines that are not in the fleet yet: the tailnet's devices (Tailscale's API or
//! its CLI), a TCP probe of a network range, an ad-hoc scan of one device over SSH, agents that
//! push to the hub unannounced. Every source yields `Candidate`s; `import` turns chosen ones
//! into machine entries of fleet.yaml in the work tree.

pub(crate) mod agents;
pub(crate) mod cidr;
pub(crate) mod facts;
pub(crate) mod import;
mod insert;
mod naming;
pub(crate) mod network;
mod reverse;
pub(crate) mod scan;
pub(crate) mod sshcheck;
pub(crate) mod tailscale;
mod tailscale_api;
mod tailscale_cli;
pub(crate) mod tcp;
#[cfg(test)]
mod tests;
mod write;

use std::net::IpAddr;

use serde::Serialize;

/// Where a candidate was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Origin {
    /// Tailscale's API (`GET /api/v2/tailnet/{tailnet}/devices`).
    TailscaleApi,
    /// `tailscale status --json` on this machine.
    TailscaleCli,
    /// A TCP probe of a network range.
    #[allow(dead_code)] // `discover network`, being built; remove when it lands
    Network,
    /// An SSH scan of one device.
    #[allow(dead_code)] // `discover ssh`, being built; remove when it lands
    Ssh,
    /// An agent pushing heartbeats for a machine fleet.yaml does not have.
    Agent,
}

/// What SSH on a candidate answered. Filled by the source that probes it; `None` on the
/// candidate when SSH was not checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct SshAnswer {
    /// The address and port that were tried.
    pub(crate) address: String,
    pub(crate) port: u16,
    /// The TCP port accepted a connection.
    pub(crate) open: bool,
    /// The server's identification line (`SSH-2.0-OpenSSH_9.2p1 …`), as sent (remote text:
    /// escape it before it reaches a terminal).
    pub(crate) banner: Option<String>,
    /// The host key in OpenSSH's one-line form (`ssh-ed25519 AAAA…`), when the key exchange
    /// was done; import pins exactly this key.
    pub(crate) host_key: Option<String>,
    /// `SHA256:…` of `host_key`.
    pub(crate) fingerprint: Option<String>,
    /// Why the check failed (refused, timed out, not SSH), when it did.
    pub(crate) error: Option<String>,
}

/// A machine some source found. Text fields are remote text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Candidate {
    /// The id this candidate would get in fleet.yaml (lower-case, `[a-z0-9-]`, from its
    /// host name); `--import` names candidates by it.
    pub(crate) id: String,
    /// The host name the source reported.
    pub(crate) hostname: String,
    /// The full DNS name (a tailnet's `host.tailnet.ts.net`, without the trailing dot, or a
    /// reverse-DNS name), when known.
    pub(crate) dns_name: Option<String>,
    pub(crate) addresses: Vec<IpAddr>,
    /// Operating system as the source names it (`linux`, `Debian GNU/Linux 12`, `windows`).
    pub(crate) os: Option<String>,
    pub(crate) origin: Origin,
    /// Online now, when the source knows.
    pub(crate) online: Option<bool>,
    /// When the source last saw it (RFC 3339 UTC), when known.
    pub(crate) last_seen: Option<String>,
    pub(crate) tags: Vec<String>,
    /// The fleet machine it already is (matched by address or DNS name), if any.
    pub(crate) in_fleet: Option<String>,
    pub(crate) ssh: Option<SshAnswer>,
}
