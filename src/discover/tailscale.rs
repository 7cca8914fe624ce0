//! `discover tailscale`: the tailnet's devices — from Tailscale's API when the secret
//! `tailscale_token` is set, else from this machine's `tailscale` command — as candidates
//! with their fleet id, their fleet match and, for devices not known to be offline, what
//! SSH on them answers.

use std::net::IpAddr;

use super::sshcheck::{self, Settings};
use super::{Candidate, naming, tailscale_api, tailscale_cli};
use crate::fleet::{Fleet, Snapshot};
use crate::progress::Progress;
use crate::secrets::{SecretError, SecretValue, Secrets};

/// The secret holding an API access token or an OAuth client's secret.
pub(crate) const TOKEN_SECRET: &str = "tailscale_token";
/// Tailscale's API.
pub(crate) const DEFAULT_API: &str = "https://api.tailscale.com";

/// What to ask and how.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// The API's base URL.
    pub(crate) api_url: String,
    /// The tailnet's name; `-` for the token's default tailnet.
    pub(crate) tailnet: String,
    /// How SSH is checked; `None`: not checked.
    pub(crate) ssh: Option<Settings>,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum TailscaleError {
    #[error(
        "no way to list the tailnet: no secret `{TOKEN_SECRET}`, and no `tailscale` command on PATH"
    )]
    NoSource,
    #[error("secret `{TOKEN_SECRET}`: {0}")]
    Secret(SecretError),
    #[error("secret `{TOKEN_SECRET}` is not UTF-8 text")]
    TokenNotText,
    #[error(
        "the Tailscale API refused the token in secret `{TOKEN_SECRET}` (HTTP {status} from {url})"
    )]
    Unauthorized { url: String, status: u16 },
    #[error("the Tailscale API answered HTTP {status} from {url}: {body}")]
    Status {
        url: String,
        status: u16,
        body: String,
    },
    #[error("cannot reach the Tailscale API at {url}: {message}")]
    Network { url: String, message: String },
    #[error("the answer from {url} is not Tailscale's device list: {message}")]
    Malformed { url: String, message: String },
    #[error("the Tailscale API URL `{url}` is not an http(s) URL")]
    BadUrl { url: String },
    #[error("{0}")]
    Client(String),
    #[error("`tailscale status --json` failed: {message}")]
    Cli { message: String },
    #[error("`tailscale status --json` printed something that is not its status: {message}")]
    CliMalformed { message: String },
    #[error("tailscale on this machine is not connected (its state is {state})")]
    CliNotRunning { state: String },
}

impl TailscaleError {
    /// What the operator can do about it.
    pub(crate) fn hints(&self) -> Vec<String> {
        let store = format!(
            "create an API access token (admin console, Settings → Keys) or an OAuth client with the devices:read scope, and store it: `homelabcmd secrets set {TOKEN_SECRET}` (the value is read from stdin), then commit secrets.yaml"
        );
        match self {
            Self::NoSource => vec![
                store,
                "or install tailscale on this machine and log in: `tailscale up`".into(),
            ],
            Self::Unauthorized { .. } => vec![
                "the token has expired, was revoked, or cannot read devices".into(),
                format!("replace it: {store}"),
            ],
            Self::Secret(e) => e.hints(),
            Self::CliNotRunning { .. } => {
                vec!["`tailscale up`, or store an API token instead".into()]
            }
            Self::Network { .. } | Self::BadUrl { .. } => {
                vec!["check --api-url (or HOMELABCMD_TAILSCALE_API) and the network".into()]
            }
            _ => Vec::new(),
        }
    }
}

/// The tailnet's devices as candidates, sorted by id: from the API when the snapshot's
/// secrets hold `tailscale_token`, else from `tailscale status --json`. With SSH settings,
/// every device not known to be offline is checked (on its first IPv4 address, else its
/// first address), telling `progress` as it goes.
pub(crate) async fn discover(
    request: &Request,
    snapshot: &Snapshot,
    fleet: &Fleet,
    progress: &dyn Progress,
) -> Result<Vec<Candidate>, TailscaleError> {
    let mut found = match (stored_token(snapshot)?, tailscale_cli::find()) {
        (Some(token), _) => {
            tailscale_api::devices(&request.api_url, &request.tailnet, &token).await?
        }
        (None, Some(program)) => tailscale_cli::devices(&program).await?,
        (None, None) => return Err(TailscaleError::NoSource),
    };
    naming::settle(&mut found, fleet);
    if let Some(settings) = request.ssh {
        check_ssh(&mut found, settings, progress).await;
    }
    Ok(found)
}

/// Fill `ssh` of every candidate that is not known to be offline and has an address.
async fn check_ssh(found: &mut [Candidate], settings: Settings, progress: &dyn Progress) {
    let chosen: Vec<(usize, IpAddr)> = found
        .iter()
        .enumerate()
        .filter(|(_, c)| c.online != Some(false))
        .filter_map(|(i, c)| ssh_address(&c.addresses).map(|ip| (i, ip)))
        .collect();
    let addresses: Vec<IpAddr> = chosen.iter().map(|&(_, ip)| ip).collect();
    let answers = sshcheck::check_all(&addresses, settings, progress).await;
    for ((i, _), answer) in chosen.into_iter().zip(answers) {
        found[i].ssh = Some(answer);
    }
}

/// The address SSH is tried on: the first IPv4 address, else the first.
fn ssh_address(addresses: &[IpAddr]) -> Option<IpAddr> {
    addresses
        .iter()
        .find(|a| a.is_ipv4())
        .or_else(|| addresses.first())
        .copied()
}

/// `tailscale_token` from the snapshot's secrets; `None` when there is no secrets.yaml or
/// no such secret.
fn stored_token(snapshot: &Snapshot) -> Result<Option<SecretValue>, TailscaleError> {
    let secrets = match Secrets::load(snapshot) {
        Ok(secrets) => secrets,
        Err(SecretError::NoFile { .. }) => return Ok(None),
        Err(e) => return Err(TailscaleError::Secret(e)),
    };
    if !secrets.contains(TOKEN_SECRET) {
        return Ok(None);
    }
    secrets
        .get(TOKEN_SECRET)
        .map(Some)
        .map_err(TailscaleError::Secret)
}

/// A time as Tailscale writes it (RFC 3339, any offset, maybe fractional seconds) as RFC
/// 3339 UTC to the second.
pub(super) fn rfc3339(text: &str) -> Option<String> {
    let t: jiff::Timestamp = text.parse().ok()?;
    Some(crate::clock::rfc3339(t.as_second()))
}
