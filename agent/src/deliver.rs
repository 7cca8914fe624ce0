//! Delivery: the spool sent to the hub oldest first, in batches, on its own thread so that
//! sampling keeps its interval while the hub is away. What the hub took leaves the spool; what
//! it refused for good is dropped and logged sample by sample; what it will take later (a time
//! ahead of the hub's clock) and everything sent while it is away or rejecting us stays.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use homelabcmd_proto::{Heartbeat, HeartbeatReply, RefusedSample, Sample};

use crate::config::Config;
use crate::log::{log, samples};
use crate::push::{Outcome, Pusher};
use crate::spool::Spool;
use crate::state::StateFile;
use crate::stop::Stop;

/// Most samples in one request.
pub(crate) const BATCH_MAX: usize = 500;
/// Tries per request before the hub counts as away.
pub(crate) const TRIES: u32 = 3;
/// Refused samples named one by one in the log; the rest are counted.
const LOGGED_REFUSALS: usize = 5;

/// What the sampling and delivery sides share.
#[derive(Debug)]
pub(crate) struct Shared {
    spool: Mutex<Spool>,
    state: Mutex<StateFile>,
    /// Seconds between samples: the configured interval, or the hub's.
    interval_secs: AtomicU64,
}

impl Shared {
    pub(crate) fn new(spool: Spool, state: StateFile, interval: Duration) -> Shared {
        Shared {
            spool: Mutex::new(spool),
            state: Mutex::new(state),
            interval_secs: AtomicU64::new(interval.as_secs().max(1)),
        }
    }

    pub(crate) fn spool(&self) -> MutexGuard<'_, Spool> {
        self.spool.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, StateFile> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn interval(&self) -> Duration {
        Duration::from_secs(self.interval_secs.load(Ordering::SeqCst))
    }

    /// Samples buffered now (0 if the buffer cannot be read).
    pub(crate) fn buffered(&self) -> usize {
        self.spool().len().unwrap_or(0)
    }
}

/// How a round of delivery ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// The spool is empty and the hub took everything.
    Complete,
    /// The spool is empty but the hub refused some samples (dropped).
    Dropped,
    /// Samples remain: the hub is away, rejects us, or will take some only later.
    Pending,
    Stopped,
}

/// The delivery side: sends the spool, keeps the request sequence, adopts the hub's wishes.
#[derive(Debug)]
pub(crate) struct Courier {
    pub(crate) shared: Arc<Shared>,
    stop: Stop,
    pusher: Pusher,
    machine_id: String,
    hub_url: String,
    retry_delay: Duration,
    /// Whether the last request reached the hub (None before the first): logs the changes.
    reachable: Option<bool>,
    /// Most samples per request (smaller in tests).
    pub(crate) batch_max: usize,
}

/// What to do with a batch after the hub's answer.
struct Sorted {
    /// Spool ids to remove: taken, or refused for good.
    forget: Vec<u64>,
    dropped: usize,
    kept: usize,
}

impl Courier {
    pub(crate) fn new(config: &Config, shared: Arc<Shared>, stop: Stop) -> Option<Courier> {
        let hub = config.hub.as_ref()?;
        Some(Courier {
            shared,
            stop,
            pusher: Pusher::new(hub),
            machine_id: hub.machine_id.clone(),
            hub_url: hub.url.clone(),
            retry_delay: config.retry_delay,
            reachable: None,
            batch_max: BATCH_MAX,
        })
    }

    /// Delivers whenever the sampler says a sample was taken (and, while samples wait, again
    /// after the retry delay), until a stop or the sampler goes away. The sampler hands over
    /// a sample it could not buffer (`Some`): it is sent after the spool, once.
    pub(crate) fn run(mut self, wake: &std::sync::mpsc::Receiver<Option<Sample>>) {
        use std::sync::mpsc::RecvTimeoutError;
        let mut retry_at: Option<Instant> = None;
        let mut unbuffered = Vec::new();
        loop {
            match wake.recv_timeout(Duration::from_millis(100)) {
                Ok(first) => {
                    unbuffered.extend(first);
                    while let Ok(more) = wake.try_recv() {
                        unbuffered.extend(more);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    if self.stop.requested() {
                        return;
                    }
                    if retry_at.is_none_or(|at| Instant::now() < at) {
                        continue;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
            let delivery = self.deliver();
            if delivery == Delivery::Stopped
                || self.send_unbuffered(std::mem::take(&mut unbuffered)) == Delivery::Stopped
            {
                return;
            }
            retry_at = (delivery == Delivery::Pending)
                .then(|| Instant::now() + self.retry_delay.max(Duration::from_secs(1)));
        }
    }

    /// Samples that could not be buffered (a full disk is exactly what the hub should hear
    /// about): one request, and whatever happens they are gone.
    pub(crate) fn send_unbuffered(&mut self, unbuffered: Vec<Sample>) -> Delivery {
        if unbuffered.is_empty() {
            return Delivery::Complete;
        }
        let count = unbuffered.len();
        match self.send(unbuffered) {
            None => Delivery::Stopped,
            Some(Outcome::Accepted(reply)) => {
                if let Some(reply) = reply {
                    self.adopt(reply);
                }
                Delivery::Complete
            }
            Some(other) => {
                log!(
                    "{} that could not be buffered did not reach the hub ({other:?}); lost",
                    samples(count)
                );
                Delivery::Dropped
            }
        }
    }

    /// Sends the spool, oldest first, in batches, until it is empty or the hub stops taking.
    pub(crate) fn deliver(&mut self) -> Delivery {
        let mut batch_max = self.batch_max;
        let mut dropped_any = false;
        loop {
            let batch = match self.shared.spool().oldest(batch_max) {
                Ok(b) => b,
                Err(e) => {
                    log!("cannot read the buffer: {e}");
                    return Delivery::Pending;
                }
            };
            if batch.is_empty() {
                return if dropped_any {
                    Delivery::Dropped
                } else {
                    Delivery::Complete
                };
            }
            let (ids, batch): (Vec<u64>, Vec<Sample>) = batch.into_iter().unzip();
            let count = batch.len();
            let sorted = match self.send(batch) {
                None => return Delivery::Stopped,
                Some(Outcome::Accepted(reply)) => self.accepted(&ids, reply),
                Some(Outcome::Refused {
                    status, refused, ..
                }) if !refused.is_empty() => {
                    log!("hub took none of {} (HTTP {status})", samples(count));
                    sort(&ids, &refused)
                }
                Some(Outcome::Refused {
                    status, message, ..
                }) if count > 1 => {
                    // Refused as a whole without saying which: smaller batches find the samples.
                    batch_max = (count / 2).max(1);
                    log!(
                        "hub refused {} as a whole (HTTP {status}: {message}); trying {batch_max} at a time",
                        samples(count)
                    );
                    continue;
                }
                Some(Outcome::Refused {
                    status, message, ..
                }) => {
                    log!("hub refused 1 sample (HTTP {status}: {message}); dropped");
                    Sorted {
                        forget: ids,
                        dropped: 1,
                        kept: 0,
                    }
                }
                Some(Outcome::Rejected { status, message }) => {
                    self.rejected(status, &message);
                    return Delivery::Pending;
                }
                Some(Outcome::Failed(reason)) => {
                    log!(
                        "hub unreachable after {TRIES} tries ({reason}); {} buffered",
                        samples(self.shared.buffered())
                    );
                    return Delivery::Pending;
                }
            };
            if let Err(e) = self.shared.spool().remove(&sorted.forget) {
                log!("cannot remove sent samples from the buffer: {e}");
            }
            dropped_any |= sorted.dropped > 0;
            if sorted.kept > 0 {
                // The hub takes them later: stop here rather than send them again at once.
                return Delivery::Pending;
            }
        }
    }

    /// The hub took the batch but perhaps not every sample: sort, log, adopt its wishes.
    fn accepted(&mut self, ids: &[u64], reply: Option<HeartbeatReply>) -> Sorted {
        let refused = reply.as_ref().map_or(&[][..], |r| &r.refused[..]);
        let sorted = sort(ids, refused);
        let taken = ids.len() - sorted.dropped - sorted.kept;
        if taken > 1 {
            log!("sent {}", samples(taken));
        }
        if let Some(dup) = reply.as_ref().map(|r| r.duplicates).filter(|&d| d > 0) {
            log!(
                "hub already had {} of them (sent before)",
                samples(dup as usize)
            );
        }
        if let Some(reply) = reply {
            self.adopt(reply);
        }
        sorted
    }

    fn rejected(&self, status: u16, message: &str) {
        let hint = if matches!(status, 401 | 403) {
            " - check HOMELAB_AGENT_API_KEY and HOMELAB_AGENT_SERVER_ID"
        } else {
            ""
        };
        log!(
            "hub rejected the heartbeat (HTTP {status}: {message}){hint}; {} stay buffered",
            samples(self.shared.buffered())
        );
    }

    /// One request, tried up to three times while the hub is away. None: stopped meanwhile.
    /// The tries are logged only when the hub was not already known to be away.
    fn send(&mut self, samples: Vec<Sample>) -> Option<Outcome> {
        let mut heartbeat = Heartbeat {
            machine_id: self.machine_id.clone(),
            agent_version: env!("CARGO_PKG_VERSION").to_owned(),
            seq: 0,
            samples,
        };
        let quiet = self.reachable == Some(false);
        let mut attempt = 1;
        loop {
            {
                let mut state = self.shared.state();
                state.state.seq += 1;
                heartbeat.seq = state.state.seq;
                if let Err(e) = state.save() {
                    log!("cannot save the agent state: {e}");
                }
            }
            let pusher = self.pusher.clone();
            let hb = heartbeat.clone();
            let outcome = self.stop.wait_for(move || pusher.send(&hb))?;
            let reached = !matches!(outcome, Outcome::Failed(_));
            if reached && self.reachable != Some(true) {
                log!("hub {} reached", self.hub_url);
            }
            self.reachable = Some(reached);
            match outcome {
                Outcome::Failed(reason) if attempt < TRIES => {
                    if !quiet {
                        log!(
                            "heartbeat try {attempt} of {TRIES} failed ({reason}); again in {} s",
                            self.retry_delay.as_secs()
                        );
                    }
                    if !self.stop.sleep_until(Instant::now() + self.retry_delay) {
                        return None;
                    }
                    attempt += 1;
                }
                other => return Some(other),
            }
        }
    }

    /// Takes the hub's wishes: the units to report and the interval.
    fn adopt(&mut self, reply: HeartbeatReply) {
        {
            let mut state = self.shared.state();
            if reply.services != state.state.services {
                log!("hub asks for services: [{}]", reply.services.join(", "));
                state.state.services = reply.services;
                if let Err(e) = state.save() {
                    log!("cannot save the agent state: {e}");
                }
            }
        }
        let secs = reply.interval_secs;
        if (1..=3600).contains(&secs) && secs != self.shared.interval().as_secs() {
            log!("hub sets the interval to {secs} s");
            self.shared.interval_secs.store(secs, Ordering::SeqCst);
        }
    }
}

/// Sorts a batch by the hub's per-sample refusals: refused for good is forgotten (and logged),
/// refused for now is kept, everything else was taken and is forgotten.
fn sort(ids: &[u64], refused: &[RefusedSample]) -> Sorted {
    let index = |r: &RefusedSample| usize::try_from(r.index).ok().filter(|&i| i < ids.len());
    let keep: HashSet<usize> = refused
        .iter()
        .filter(|r| r.retry_later)
        .filter_map(index)
        .collect();
    let never: Vec<&RefusedSample> = refused
        .iter()
        .filter(|r| !r.retry_later && index(r).is_some())
        .collect();
    for r in never.iter().take(LOGGED_REFUSALS) {
        log!(
            "hub refused the sample of {}: {}; dropped",
            r.time,
            r.reason
        );
    }
    if never.len() > LOGGED_REFUSALS {
        log!(
            "hub refused {} more; dropped",
            samples(never.len() - LOGGED_REFUSALS)
        );
    }
    if let Some(first) = refused.iter().find(|r| r.retry_later) {
        log!(
            "hub will take {} only later ({}); kept",
            samples(keep.len()),
            first.reason
        );
    }
    Sorted {
        forget: ids
            .iter()
            .enumerate()
            .filter(|(i, _)| !keep.contains(i))
            .map(|(_, id)| *id)
            .collect(),
        dropped: never.len(),
        kept: keep.len(),
    }
}
