//! Reverse DNS (PTR, through the system resolver's `getnameinfo`, so /etc/hosts and nsswitch
//! count) for the addresses a scan finds, asked while the scan goes on and bounded: a few
//! worker threads, and whatever has not answered by the deadline is left without a name.
//!
//! `getnameinfo` blocks and cannot be cancelled, so it runs on plain threads that are never
//! joined: a resolver that hangs delays nothing but its own answer.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// Lookups at once: enough to hide a slow resolver's latency, few enough not to flood it.
const WORKERS: usize = 8;

/// Reverse lookups running beside a scan.
#[derive(Debug)]
pub(crate) struct Resolver {
    ask: Option<mpsc::Sender<IpAddr>>,
    answers: tokio::sync::mpsc::UnboundedReceiver<(IpAddr, Option<String>)>,
    asked: usize,
}

/// The names found, and how many lookups were still out at the deadline.
#[derive(Debug, Default)]
pub(crate) struct Names {
    pub(crate) names: HashMap<IpAddr, String>,
    pub(crate) unfinished: usize,
}

impl Resolver {
    pub(crate) fn start() -> Self {
        let (ask, queue) = mpsc::channel::<IpAddr>();
        let queue = Arc::new(Mutex::new(queue));
        let (tell, answers) = tokio::sync::mpsc::unbounded_channel();
        for _ in 0..WORKERS {
            let queue = Arc::clone(&queue);
            let tell = tell.clone();
            std::thread::spawn(move || {
                loop {
                    let next = queue.lock().ok().and_then(|q| q.recv().ok());
                    let Some(ip) = next else { break };
                    if tell.send((ip, lookup(ip))).is_err() {
                        break;
                    }
                }
            });
        }
        Self {
            ask: Some(ask),
            answers,
            asked: 0,
        }
    }

    /// Queue a lookup of `ip` (ask once per address).
    pub(crate) fn ask(&mut self, ip: IpAddr) {
        if let Some(ask) = &self.ask
            && ask.send(ip).is_ok()
        {
            self.asked += 1;
        }
    }

    /// The answers that come within `wait`; the workers stop once the queue is empty.
    pub(crate) async fn finish(mut self, wait: Duration) -> Names {
        self.ask = None;
        let mut out = Names::default();
        let mut got = 0;
        let collect = async {
            while got < self.asked {
                let Some((ip, name)) = self.answers.recv().await else {
                    break;
                };
                got += 1;
                if let Some(name) = name {
                    out.names.insert(ip, name);
                }
            }
        };
        let _ = tokio::time::timeout(wait, collect).await;
        out.unfinished = self.asked - got;
        out
    }
}

/// The PTR name of `ip` without the trailing dot; None when there is none (the resolver's
/// numeric answer is not a name) or it is not a plausible host name.
fn lookup(ip: IpAddr) -> Option<String> {
    let name = dns_lookup::lookup_addr(&ip).ok()?;
    let name = name.trim_end_matches('.');
    let plausible = !name.is_empty()
        && name.len() <= 253
        && name.parse::<IpAddr>().is_err()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    plausible.then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn loopback_is_named_by_the_system_resolver() {
        let mut resolver = Resolver::start();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        resolver.ask(ip);
        let names = resolver.finish(Duration::from_secs(5)).await;
        // /etc/hosts names 127.0.0.1 on every Linux this runs on.
        assert_eq!(names.unfinished, 0);
        assert_eq!(names.names.get(&ip).map(String::as_str), Some("localhost"));
    }
}
