//! `discover network`: a TCP connect probe of every address in a range on the chosen ports
//! (no root, no raw sockets), many at once but never more than the open-file limit allows,
//! timeouts retried once, SSH banners read, reverse DNS asked for the hosts that answer.
//! Hosts with an open port become `Candidate`s.

use std::collections::{BTreeMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use tokio::task::JoinSet;

use super::cidr::Cidr;
use super::reverse::{Names, Resolver};
use super::tcp::{self, Answer};
use super::{Candidate, Origin, SshAnswer, naming};
use crate::fleet::Fleet;
use crate::progress::Progress;

/// The most addresses a scan takes without `--force`: a /16.
pub(crate) const MAX_ADDRESSES: u128 = 1 << 16;
/// The most addresses a scan takes at all: a /8 (beyond it a probe takes days).
pub(crate) const MAX_FORCED: u128 = 1 << 24;
/// File descriptors kept for everything but the probes (stdio, the store, the runtime).
const FD_RESERVE: u64 = 64;

/// What to probe and how.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) ports: Vec<u16>,
    /// Connections at once (capped by the open-file limit).
    pub(crate) concurrency: usize,
    /// For each connect, and for reading a banner.
    pub(crate) timeout: Duration,
    pub(crate) reverse_dns: bool,
    /// Take ranges larger than a /16.
    pub(crate) force: bool,
    /// Unix seconds, for `last_seen`.
    pub(crate) now: i64,
}

/// Why a scan did not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum NetworkError {
    #[error("{range} has {addresses} addresses, more than a /16 ({MAX_ADDRESSES})")]
    TooLarge { range: String, addresses: u128 },
    #[error("{range} has more than {MAX_FORCED} addresses (a /8), too many even with --force")]
    FarTooLarge { range: String },
    #[error("no ports to probe")]
    NoPorts,
}

impl NetworkError {
    pub(crate) fn hint(&self) -> String {
        match self {
            Self::TooLarge { .. } => "scan a smaller range, or pass --force if you mean it".into(),
            Self::FarTooLarge { .. } => "split the range into parts of at most a /8".into(),
            Self::NoPorts => "name ports with --ports, e.g. --ports 22,80".into(),
        }
    }
}

/// What a scan found.
#[derive(Debug)]
pub(crate) struct Scanned {
    pub(crate) candidates: Vec<Candidate>,
    /// Addresses probed.
    pub(crate) addresses: u64,
    /// Connections at once, after the open-file cap.
    pub(crate) concurrency: usize,
    /// Reverse lookups given up at the deadline.
    pub(crate) dns_unfinished: usize,
}

/// Probe `range`: one call for the CLI and for `serve`.
pub(crate) async fn scan(
    range: &Cidr,
    opts: &Options,
    fleet: &Fleet,
    progress: &dyn Progress,
) -> Result<Scanned, NetworkError> {
    let size = range.size();
    if size > MAX_FORCED {
        return Err(NetworkError::FarTooLarge {
            range: range.to_string(),
        });
    }
    if size > MAX_ADDRESSES && !opts.force {
        return Err(NetworkError::TooLarge {
            range: range.to_string(),
            addresses: size,
        });
    }
    if opts.ports.is_empty() {
        return Err(NetworkError::NoPorts);
    }
    let concurrency = fd_capped(opts.concurrency.max(1));
    let addresses = range.hosts().count() as u64;
    progress.start(addresses * opts.ports.len() as u64);
    let mut resolver = opts.reverse_dns.then(Resolver::start);
    let answers = probe_all(range, opts, concurrency, &mut resolver, progress).await;
    let names = match resolver {
        // A lookup still out after the probes' own timeout is not waited for.
        Some(r) => r.finish(opts.timeout.max(Duration::from_secs(1))).await,
        None => Names::default(),
    };
    progress.finish();
    let candidates = answers
        .into_iter()
        .map(|(ip, open)| {
            let name = names.names.get(&ip).cloned();
            candidate(ip, &open, &opts.ports, name, fleet, opts.now)
        })
        .collect();
    Ok(Scanned {
        candidates,
        addresses,
        concurrency,
        dns_unfinished: names.unfinished,
    })
}

/// Every (address, port) probed with at most `concurrency` at once; the open ports by
/// address, in the order asked.
async fn probe_all(
    range: &Cidr,
    opts: &Options,
    concurrency: usize,
    resolver: &mut Option<Resolver>,
    progress: &dyn Progress,
) -> BTreeMap<IpAddr, Vec<(u16, Answer)>> {
    let mut answers: BTreeMap<IpAddr, Vec<(u16, Answer)>> = BTreeMap::new();
    let mut asked = HashSet::new();
    let mut keep = |done: Option<Result<(SocketAddr, Answer), tokio::task::JoinError>>| {
        let Some(Ok((addr, answer))) = done else {
            return;
        };
        progress.step(&addr.to_string());
        if matches!(answer, Answer::Open { .. })
            && asked.insert(addr.ip())
            && let Some(r) = resolver.as_mut()
        {
            r.ask(addr.ip());
        }
        // Only open ports are kept: a forced /8 of closed or silent addresses would
        // otherwise hold an answer for each of its 16 million.
        if matches!(answer, Answer::Open { .. }) {
            answers
                .entry(addr.ip())
                .or_default()
                .push((addr.port(), answer));
        }
    };
    let mut running = JoinSet::new();
    for ip in range.hosts() {
        for &port in &opts.ports {
            while running.len() >= concurrency {
                keep(running.join_next().await);
            }
            running.spawn(probe_once_more(SocketAddr::new(ip, port), opts.timeout));
        }
    }
    while !running.is_empty() {
        keep(running.join_next().await);
    }
    for ports in answers.values_mut() {
        ports.sort_by_key(|(port, _)| opts.ports.iter().position(|p| p == port));
    }
    answers
}

/// One probe, and a second one only when the first timed out (a lost SYN).
async fn probe_once_more(addr: SocketAddr, timeout: Duration) -> (SocketAddr, Answer) {
    let answer = match tcp::probe(addr, timeout, Some(timeout)).await {
        Answer::TimedOut => tcp::probe(addr, timeout, Some(timeout)).await,
        answer => answer,
    };
    (addr, answer)
}

/// `wanted` connections at once, or fewer when the open-file limit (raised to its hard limit
/// if need be) leaves less room.
fn fd_capped(wanted: usize) -> usize {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let need = wanted as u64 + FD_RESERVE;
    let mut soft = limit.current.unwrap_or(u64::MAX);
    if soft < need {
        let raised = limit.maximum.map_or(need, |hard| hard.min(need));
        let ok = setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(raised),
                maximum: limit.maximum,
            },
        );
        if ok.is_ok() {
            soft = raised;
        }
    }
    let room = soft.saturating_sub(FD_RESERVE).max(1);
    wanted.min(usize::try_from(room).unwrap_or(usize::MAX))
}

/// A host with an open port.
fn candidate(
    ip: IpAddr,
    open: &[(u16, Answer)],
    probed: &[u16],
    dns_name: Option<String>,
    fleet: &Fleet,
    now: i64,
) -> Candidate {
    let hostname = dns_name
        .as_deref()
        .and_then(|n| n.split('.').next())
        .map_or_else(|| ip.to_string(), str::to_string);
    Candidate {
        id: naming::id_for(dns_name.as_deref(), ip),
        in_fleet: naming::in_fleet(fleet, &[ip], dns_name.as_deref()),
        hostname,
        dns_name,
        addresses: vec![ip],
        os: None,
        origin: Origin::Network,
        online: Some(true),
        last_seen: Some(crate::clock::rfc3339(now)),
        tags: Vec::new(),
        ssh: ssh_answer(ip, open, probed),
    }
}

/// The port that answered with an SSH identification; else port 22 as it answered (open
/// without a banner, or not open) when it was probed; else nothing (SSH not checked).
fn ssh_answer(ip: IpAddr, open: &[(u16, Answer)], probed: &[u16]) -> Option<SshAnswer> {
    let ssh = open.iter().find_map(|(port, a)| match a {
        Answer::Open { banner: Some(b) } if b.starts_with("SSH-") => Some((*port, b.clone())),
        _ => None,
    });
    let (port, open, banner, error) = match ssh {
        Some((port, banner)) => (port, true, Some(banner), None),
        None => match open.iter().find(|(p, _)| *p == 22) {
            Some((_, Answer::Open { banner })) => (22, true, banner.clone(), None),
            _ if probed.contains(&22) => (
                22,
                false,
                None,
                Some("port 22 did not accept a connection".to_string()),
            ),
            _ => return None,
        },
    };
    Some(SshAnswer {
        address: ip.to_string(),
        port,
        open,
        banner,
        host_key: None,
        fingerprint: None,
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ssh_answer_is_the_port_that_spoke_ssh_else_port_22() {
        let ip: IpAddr = "10.0.0.5".parse().unwrap();
        let open = |port: u16, banner: Option<&str>| {
            (
                port,
                Answer::Open {
                    banner: banner.map(str::to_string),
                },
            )
        };
        let ssh = ssh_answer(
            ip,
            &[open(80, None), open(2222, Some("SSH-2.0-x"))],
            &[22, 80, 2222],
        )
        .unwrap();
        assert_eq!(
            (ssh.port, ssh.open, ssh.banner.as_deref()),
            (2222, true, Some("SSH-2.0-x"))
        );
        let not_open = ssh_answer(ip, &[open(80, None)], &[22, 80]).unwrap();
        assert_eq!((not_open.port, not_open.open), (22, false));
        assert_eq!(
            not_open.error.as_deref(),
            Some("port 22 did not accept a connection")
        );
        assert_eq!(ssh_answer(ip, &[open(80, None)], &[80]), None);
    }

    #[test]
    fn concurrency_never_exceeds_the_open_file_limit() {
        use rustix::process::{Resource, getrlimit};
        assert_eq!(fd_capped(10), 10);
        let capped = fd_capped(usize::MAX / 2);
        let soft = getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX);
        assert!(
            capped as u64 <= soft.saturating_sub(FD_RESERVE).max(1),
            "{capped} > {soft}"
        );
    }
}
