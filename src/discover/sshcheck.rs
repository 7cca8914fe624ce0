//! Whether SSH answers on a candidate: the port is open, the server's identification line
//! (its banner), and the host key it offers in the key exchange — learnt without
//! authenticating. Many candidates are checked at once (a bounded number at a time), each
//! within its own timeout, so a silent address costs its timeout and nothing more.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::tcp::{self, Answer};
use super::{Candidate, SshAnswer};
use crate::progress::Progress;
use crate::remote::known_hosts::fingerprint;
use crate::remote::session::host_key_at;

/// How SSH is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Settings {
    pub(crate) port: u16,
    /// The most one address may take, from connecting to the host key.
    pub(crate) timeout: Duration,
    /// Addresses checked at once.
    pub(crate) parallel: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            port: 22,
            timeout: Duration::from_secs(3),
            parallel: 64,
        }
    }
}

/// Check every address (in parallel, `settings.parallel` at a time); answers in the same
/// order. `progress` hears of each address as it is done.
pub(crate) async fn check_all(
    addresses: &[IpAddr],
    settings: Settings,
    progress: &dyn Progress,
) -> Vec<SshAnswer> {
    progress.start(addresses.len() as u64);
    let permits = Arc::new(Semaphore::new(settings.parallel.max(1)));
    let mut tasks = JoinSet::new();
    for (i, &ip) in addresses.iter().enumerate() {
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            (i, check(ip, settings).await)
        });
    }
    let mut answers: Vec<Option<SshAnswer>> = vec![None; addresses.len()];
    while let Some(joined) = tasks.join_next().await {
        if let Ok((i, answer)) = joined {
            progress.step(&answer.address);
            answers[i] = Some(answer);
        }
    }
    progress.finish();
    answers
        .into_iter()
        .zip(addresses)
        .map(|(answer, &ip)| {
            answer.unwrap_or_else(|| failed(ip, settings.port, "the check stopped unexpectedly"))
        })
        .collect()
}

/// Check one address within `settings.timeout`.
pub(crate) async fn check(ip: IpAddr, settings: Settings) -> SshAnswer {
    let deadline = Instant::now() + settings.timeout;
    let left = || deadline.saturating_duration_since(Instant::now());
    let secs = settings.timeout.as_secs_f64();
    let banner = match tcp::probe(SocketAddr::new(ip, settings.port), left(), Some(left())).await {
        Answer::Open { banner } => banner,
        Answer::Closed => return failed(ip, settings.port, "connection refused"),
        Answer::TimedOut => {
            return failed(ip, settings.port, &format!("no answer within {secs}s"));
        }
        Answer::Failed(e) => return failed(ip, settings.port, &e),
    };
    let mut answer = failed(ip, settings.port, "");
    answer.open = true;
    answer.banner.clone_from(&banner);
    answer.error = match banner {
        None => Some(format!("it sent no SSH identification within {secs}s")),
        Some(line) if !line.starts_with("SSH-") => Some("it does not speak SSH".into()),
        Some(_) => match host_key_at(&ip.to_string(), settings.port, left()).await {
            Ok(Some(key)) => {
                answer.fingerprint = Some(fingerprint(&key));
                answer.host_key = key.to_openssh().ok();
                None
            }
            Ok(None) => Some(format!("it offered no host key within {secs}s")),
            Err(e) => Some(e.to_string()),
        },
    };
    answer
}

/// Learn the host key of each candidate named in `ids` whose SSH port answered but whose key
/// was not asked for (a network probe reads banners only), so that importing it can pin the
/// key. Each is checked again within `timeout`; its answer replaces the one it had.
pub(crate) async fn complete_keys(candidates: &mut [Candidate], ids: &[String], timeout: Duration) {
    let mut tasks = JoinSet::new();
    for (i, c) in candidates.iter().enumerate() {
        let Some(ssh) = c.ssh.as_ref().filter(|s| s.open && s.host_key.is_none()) else {
            continue;
        };
        let (Ok(ip), true) = (ssh.address.parse::<IpAddr>(), ids.contains(&c.id)) else {
            continue;
        };
        let settings = Settings {
            port: ssh.port,
            timeout,
            parallel: 1,
        };
        tasks.spawn(async move { (i, check(ip, settings).await) });
    }
    while let Some(joined) = tasks.join_next().await {
        if let Ok((i, answer)) = joined {
            candidates[i].ssh = Some(answer);
        }
    }
}

/// An answer that did not get far: `error` says why.
fn failed(ip: IpAddr, port: u16, error: &str) -> SshAnswer {
    SshAnswer {
        address: ip.to_string(),
        port,
        open: false,
        banner: None,
        host_key: None,
        fingerprint: None,
        error: (!error.is_empty()).then(|| error.to_string()),
    }
}
