//! Notification targets as `serve` and `notify test` use them: fleet.yaml `defaults.notify`
//! (plus a Slack target from `SLACK_WEBHOOK_URL`, as the PRD has it), with `secret:NAME` URLs
//! decrypted. A target's URL is a password (anyone holding a Slack webhook or an ntfy topic
//! can post to it): `TargetUrl` has no `Display` and a redacted `Debug`, and errors name the
//! secret, never the value.

use std::cell::OnceCell;

use crate::alerts::Severity;
use crate::fleet::model::{NotifyKind, Value};
use crate::fleet::{Fleet, Snapshot};
use crate::secrets::{SecretError, Secrets};

/// The environment variable of the PRD: a Slack incoming webhook URL.
pub(crate) const SLACK_ENV: &str = "SLACK_WEBHOOK_URL";
/// The name of the target `SLACK_WEBHOOK_URL` makes.
pub(crate) const SLACK_ENV_TARGET: &str = "env-slack";

/// A URL that must not be shown: reachable only through `expose`.
#[derive(Clone)]
pub(crate) struct TargetUrl(reqwest::Url);

impl TargetUrl {
    /// The URL, for the HTTP client only.
    pub(crate) fn expose(&self) -> &reqwest::Url {
        &self.0
    }
}

impl std::fmt::Debug for TargetUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TargetUrl(***)")
    }
}

/// Why a target cannot be used: recorded as a configuration error on its deliveries.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum TargetError {
    #[error("secret `{name}`: {message}")]
    Secret { name: String, message: String },
    #[error("{what} is not an http(s) URL")]
    BadUrl { what: String },
}

/// One place notifications go.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) name: String,
    pub(crate) kind: NotifyKind,
    pub(crate) min_severity: Severity,
    pub(crate) url: Result<TargetUrl, TargetError>,
}

impl Target {
    /// Whether alerts of `severity` go to this target.
    pub(crate) fn wants(&self, severity: Severity) -> bool {
        severity >= self.min_severity
    }
}

/// The fleet's targets with their URLs resolved (secrets decrypted once, on first use), then
/// the `SLACK_WEBHOOK_URL` target when that variable is set.
pub(crate) fn resolve(fleet: &Fleet, snapshot: &Snapshot) -> Vec<Target> {
    let secrets: OnceCell<Result<Secrets, SecretError>> = OnceCell::new();
    let mut out: Vec<Target> = fleet
        .defaults
        .notify
        .iter()
        .map(|t| Target {
            name: t.name.clone(),
            kind: t.kind,
            min_severity: t.min_severity,
            url: match &t.url {
                Value::Plain(text) => parse(text, || format!("the `{}` URL", t.name)),
                Value::Secret(name) => secret_url(&secrets, snapshot, name),
            },
        })
        .collect();
    if let Some(text) = std::env::var(SLACK_ENV)
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        out.push(Target {
            name: SLACK_ENV_TARGET.into(),
            kind: NotifyKind::Slack,
            min_severity: Severity::Low,
            url: parse(text.trim(), || SLACK_ENV.to_string()),
        });
    }
    out
}

fn secret_url(
    cache: &OnceCell<Result<Secrets, SecretError>>,
    snapshot: &Snapshot,
    name: &str,
) -> Result<TargetUrl, TargetError> {
    let fail = |message: String| TargetError::Secret {
        name: name.to_string(),
        message,
    };
    let secrets = cache
        .get_or_init(|| Secrets::load(snapshot))
        .as_ref()
        .map_err(|e| fail(e.to_string()))?;
    let value = secrets.get(name).map_err(|e| fail(e.to_string()))?;
    let text = value
        .expose_str()
        .ok_or_else(|| fail("its value is not UTF-8 text".into()))?;
    parse(text.trim(), || format!("the value of secret `{name}`"))
}

/// Parse an http(s) URL; `what` names it in the error (never the URL itself).
fn parse(text: &str, what: impl FnOnce() -> String) -> Result<TargetUrl, TargetError> {
    match reqwest::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(TargetUrl(url)),
        _ => Err(TargetError::BadUrl { what: what() }),
    }
}

/// A usable target for unit tests.
#[cfg(test)]
pub(crate) fn test_target(name: &str, kind: NotifyKind, min_severity: Severity) -> Target {
    Target {
        name: name.into(),
        kind,
        min_severity,
        url: parse("http://127.0.0.1:9/x", || name.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_never_shown() {
        let url = parse("https://hooks.slack.com/services/T0/B0/sekrit", || {
            "x".into()
        })
        .unwrap();
        assert_eq!(format!("{url:?}"), "TargetUrl(***)");
        let bad = parse("ftp://sekrit@example.com/", || "the `slack` URL".into()).unwrap_err();
        assert_eq!(bad.to_string(), "the `slack` URL is not an http(s) URL");
    }
}
