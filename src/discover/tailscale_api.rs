//! Tailscale's API: `GET /api/v2/tailnet/{tailnet}/devices` with a bearer token — an API
//! access token (`tskey-api-…`) as is, or an OAuth client's secret (`tskey-client-…`)
//! exchanged first for an access token at `POST /api/v2/oauth/token` (client credentials
//! grant; the client id is the secret's second field). The answer is read into candidates;
//! devices shared in from other tailnets (`isExternal`) are left out.

use std::time::Duration;

use serde::Deserialize;

use super::tailscale::TailscaleError;
use super::{Candidate, Origin};
use crate::secrets::SecretValue;

const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How much of a refusing answer's body is quoted.
const BODY_SHOWN: usize = 200;
/// An OAuth client's secret starts so.
const CLIENT_PREFIX: &str = "tskey-client-";

/// The documented device list (only the fields read here).
#[derive(Debug, Deserialize)]
struct DeviceList {
    devices: Vec<Device>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Device {
    #[serde(default)]
    addresses: Vec<String>,
    /// The MagicDNS name, `host.tailnet.ts.net`.
    #[serde(default)]
    name: String,
    #[serde(default)]
    hostname: String,
    os: Option<String>,
    last_seen: Option<String>,
    connected_to_control: Option<bool>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    is_external: bool,
}

#[derive(Debug, Deserialize)]
struct AccessToken {
    access_token: String,
}

/// The tailnet's devices, as candidates (ids not yet given).
pub(super) async fn devices(
    base: &str,
    tailnet: &str,
    token: &SecretValue,
) -> Result<Vec<Candidate>, TailscaleError> {
    let client = client()?;
    let token = token
        .expose_str()
        .map(str::trim)
        .ok_or(TailscaleError::TokenNotText)?;
    let bearer = match token.strip_prefix(CLIENT_PREFIX) {
        Some(rest) => access_token(&client, base, rest, token).await?,
        None => token.to_string(),
    };
    let url = endpoint(base, &["api", "v2", "tailnet", tailnet, "devices"])?;
    let response = client
        .get(url.clone())
        .bearer_auth(bearer)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await;
    let body = read(url.as_str(), response).await?;
    let list: DeviceList =
        serde_json::from_slice(&body).map_err(|e| TailscaleError::Malformed {
            url: url.to_string(),
            message: e.to_string(),
        })?;
    list.devices
        .into_iter()
        .filter(|d| !d.is_external)
        .map(|d| candidate(d, url.as_str()))
        .collect()
}

/// Exchange an OAuth client's secret for an access token (RFC 6749 §4.4, form-encoded).
async fn access_token(
    client: &reqwest::Client,
    base: &str,
    after_prefix: &str,
    secret: &str,
) -> Result<String, TailscaleError> {
    let url = endpoint(base, &["api", "v2", "oauth", "token"])?;
    let client_id = after_prefix.split('-').next().unwrap_or_default();
    let form = form(&[
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
    ]);
    let response = client
        .post(url.clone())
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(form)
        .send()
        .await;
    let body = read(url.as_str(), response).await?;
    let token: AccessToken =
        serde_json::from_slice(&body).map_err(|e| TailscaleError::Malformed {
            url: url.to_string(),
            message: format!("no access token: {e}"),
        })?;
    Ok(token.access_token)
}

/// The body of a successful answer; a refused token, another status or a network error
/// said with the URL.
async fn read(
    url: &str,
    response: Result<reqwest::Response, reqwest::Error>,
) -> Result<Vec<u8>, TailscaleError> {
    let network = |e: reqwest::Error| TailscaleError::Network {
        url: url.to_string(),
        message: crate::notify::error_text(&e),
    };
    let response = response.map_err(network)?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(network)?;
    match status {
        200..=299 => Ok(body.to_vec()),
        401 | 403 => Err(TailscaleError::Unauthorized {
            url: url.to_string(),
            status,
        }),
        _ => {
            let text = String::from_utf8_lossy(&body[..body.len().min(BODY_SHOWN)]);
            Err(TailscaleError::Status {
                url: url.to_string(),
                status,
                body: crate::text::escape_line(text.trim()),
            })
        }
    }
}

fn candidate(d: Device, url: &str) -> Result<Candidate, TailscaleError> {
    let malformed = |message: String| TailscaleError::Malformed {
        url: url.to_string(),
        message,
    };
    let addresses = d
        .addresses
        .iter()
        .map(|a| {
            a.parse()
                .map_err(|_| malformed(format!("device `{}`: `{a}` is not an IP address", d.name)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let last_seen = match d.last_seen.as_deref() {
        None | Some("") => None,
        Some(text) => Some(super::tailscale::rfc3339(text).ok_or_else(|| {
            malformed(format!(
                "device `{}`: lastSeen `{text}` is not a time",
                d.name
            ))
        })?),
    };
    let dns_name = d.name.trim_end_matches('.').to_string();
    Ok(Candidate {
        id: String::new(),
        hostname: d.hostname,
        dns_name: (!dns_name.is_empty()).then_some(dns_name),
        addresses,
        os: d.os.filter(|o| !o.is_empty()),
        origin: Origin::TailscaleApi,
        online: d.connected_to_control,
        last_seen,
        tags: d.tags,
        in_fleet: None,
        ssh: None,
    })
}

fn client() -> Result<reqwest::Client, TailscaleError> {
    crate::notify::http_client(REQUEST_TIMEOUT, CONNECT_TIMEOUT)
        .map_err(|e| TailscaleError::Client(e.to_string()))
}

/// `base` with these path segments (each percent-encoded) after its own path.
fn endpoint(base: &str, segments: &[&str]) -> Result<reqwest::Url, TailscaleError> {
    let bad = || TailscaleError::BadUrl {
        url: crate::text::escape_line(base),
    };
    let mut url = reqwest::Url::parse(base).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
        return Err(bad());
    }
    url.path_segments_mut()
        .map_err(|_| bad())?
        .pop_if_empty()
        .extend(segments);
    Ok(url)
}

/// `application/x-www-form-urlencoded` text of these pairs.
fn form(pairs: &[(&str, &str)]) -> String {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_keep_the_base_path_and_encode_the_tailnet() {
        let url = endpoint(
            "http://127.0.0.1:9/proxy/",
            &["api", "v2", "tailnet", "a b/c", "devices"],
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/proxy/api/v2/tailnet/a%20b%2Fc/devices"
        );
        assert!(endpoint("ftp://x", &[]).is_err());
        assert!(endpoint("not a url", &[]).is_err());
    }

    #[test]
    fn forms_are_percent_encoded() {
        assert_eq!(form(&[("a", "x y&z"), ("b", "k-1")]), "a=x%20y%26z&b=k-1");
    }
}
