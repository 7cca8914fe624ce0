//! The agent's life: `--print`, `--once`, and the loop that collects every interval, writes
//! each sample to the spool, and delivers the spool to the hub oldest first. SIGTERM/SIGINT
//! set a flag the loop checks every 100 ms; collecting and sending run on a worker thread so
//! a stop never waits for them (what was not acknowledged stays in the spool).

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use homelabcmd_proto::{Heartbeat, HeartbeatReply, Sample};
use signal_hook::consts::{SIGINT, SIGTERM};

use crate::args::{Args, Mode, USAGE};
use crate::collect::Collector;
use crate::config::{self, Config, Hub};
use crate::log::{log, samples};
use crate::push::{Outcome, Pusher};
use crate::spool::Spool;
use crate::state::StateFile;

/// Most samples in one request.
const BATCH_MAX: usize = 500;
/// Tries per request before the hub counts as away.
const TRIES: u32 = 3;
const STEP: Duration = Duration::from_millis(100);

/// Runs what the arguments ask for; returns the exit code.
pub(crate) fn main(args: &Args) -> u8 {
    match args.mode {
        Mode::Help => {
            print!("{USAGE}");
            return 0;
        }
        Mode::Version => {
            println!(
                "homelabcmd-agent {} (heartbeat protocol {})",
                env!("CARGO_PKG_VERSION"),
                homelabcmd_proto::PROTOCOL_VERSION
            );
            return 0;
        }
        Mode::Print | Mode::Once | Mode::Run => {}
    }
    let config = match config::load(args.config.as_deref(), args.mode != Mode::Print) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("homelabcmd-agent: configuration error: {e}");
            return 2;
        }
    };
    if args.mode == Mode::Print {
        return print(&config);
    }
    let Some(hub) = config.hub.clone() else {
        return 2; // load() insisted on it
    };
    let stop = match Stop::install() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("homelabcmd-agent: cannot install signal handlers: {e}");
            return 1;
        }
    };
    let mut agent = match Agent::open(config, &hub, stop) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("homelabcmd-agent: {e}");
            return 1;
        }
    };
    if args.mode == Mode::Once {
        agent.once()
    } else {
        agent.forever()
    }
}

/// `--print`: one sample as JSON on stdout, nothing sent, nothing written.
fn print(config: &Config) -> u8 {
    let services = StateFile::load(&config.state_dir).state.services;
    let sample = Collector::new(config.docker_socket.clone()).collect(&services);
    match serde_json::to_string_pretty(&sample) {
        Ok(json) => {
            println!("{json}");
            0
        }
        Err(e) => {
            eprintln!("homelabcmd-agent: {e}");
            1
        }
    }
}

/// The stop request: set by SIGTERM/SIGINT (a second one exits at once, with code 1).
#[derive(Debug, Clone)]
pub(crate) struct Stop {
    flag: Arc<AtomicBool>,
    signal: Arc<AtomicUsize>,
}

impl Stop {
    fn install() -> io::Result<Stop> {
        let stop = Stop::new();
        for sig in [SIGTERM, SIGINT] {
            // The conditional shutdown must come first: it sees the flag of the previous signal.
            signal_hook::flag::register_conditional_shutdown(sig, 1, Arc::clone(&stop.flag))?;
            signal_hook::flag::register_usize(sig, Arc::clone(&stop.signal), sig as usize)?;
            signal_hook::flag::register(sig, Arc::clone(&stop.flag))?;
        }
        Ok(stop)
    }

    fn new() -> Stop {
        Stop {
            flag: Arc::new(AtomicBool::new(false)),
            signal: Arc::new(AtomicUsize::new(0)),
        }
    }

    fn requested(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    fn signal_name(&self) -> &'static str {
        match i32::try_from(self.signal.load(Ordering::SeqCst)) {
            Ok(SIGTERM) => "SIGTERM",
            Ok(SIGINT) => "SIGINT",
            _ => "a stop request",
        }
    }

    /// Sleeps until `deadline` in short steps; false if a stop came first.
    fn sleep_until(&self, deadline: Instant) -> bool {
        loop {
            if self.requested() {
                return false;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            thread::sleep(left.min(STEP));
        }
    }

    /// Runs `work` on a thread and waits for it, unless a stop comes first (then the thread
    /// is left behind and None returned). A thread that cannot be started is fatal: the
    /// panic exits non-zero and the service manager restarts the agent.
    fn wait_for<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let handle = thread::Builder::new()
            .name("work".into())
            .spawn(work)
            .expect("cannot start a worker thread");
        while !handle.is_finished() {
            if self.requested() {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
        match handle.join() {
            Ok(value) => Some(value),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// How a round of delivery ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Delivery {
    /// The spool is empty and the hub took everything.
    Complete,
    /// The spool is empty but the hub refused some samples (dropped).
    Dropped,
    /// Samples remain: the hub is away or rejects us.
    Pending,
    Stopped,
}

struct Agent {
    config: Config,
    stop: Stop,
    spool: Spool,
    state: StateFile,
    /// Taken while a collection runs on the worker thread.
    collector: Option<Collector>,
    pusher: Pusher,
    machine_id: String,
    interval: Duration,
    /// Whether the last request reached the hub (None before the first): logs the changes.
    reachable: Option<bool>,
    /// Most samples per request (smaller in tests).
    batch_max: usize,
}

impl Agent {
    fn open(config: Config, hub: &Hub, stop: Stop) -> io::Result<Agent> {
        let spool = Spool::open(&config.state_dir, config.buffer_max).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot open the buffer in {}: {e}",
                    config.state_dir.display()
                ),
            )
        })?;
        Ok(Agent {
            state: StateFile::load(&config.state_dir),
            collector: Some(Collector::new(config.docker_socket.clone())),
            pusher: Pusher::new(hub),
            machine_id: hub.machine_id.clone(),
            interval: config.interval,
            config,
            stop,
            spool,
            reachable: None,
            batch_max: BATCH_MAX,
        })
    }

    fn forever(&mut self) -> u8 {
        log!(
            "homelabcmd-agent {} started: machine {}, every {} s, {} buffered",
            env!("CARGO_PKG_VERSION"),
            self.machine_id,
            self.interval.as_secs(),
            samples(self.spool.len().unwrap_or(0))
        );
        let mut next = Instant::now();
        while self.stop.sleep_until(next) {
            let started = Instant::now();
            if self.tick() == Delivery::Stopped {
                break;
            }
            next = (started + self.interval).max(Instant::now());
        }
        log!(
            "received {}: stopping ({} buffered)",
            self.stop.signal_name(),
            samples(self.spool.len().unwrap_or(0))
        );
        0
    }

    fn once(&mut self) -> u8 {
        match self.tick() {
            Delivery::Complete => 0,
            Delivery::Stopped => {
                log!("received {}: stopping", self.stop.signal_name());
                1
            }
            Delivery::Dropped | Delivery::Pending => 1,
        }
    }

    /// Collects one sample, spools it, and delivers the spool.
    fn tick(&mut self) -> Delivery {
        let Some(sample) = self.collect() else {
            return Delivery::Stopped;
        };
        match self.spool.push(&sample) {
            Ok(_) => self.deliver(),
            Err(e) => {
                // Still report: a full disk is exactly what the hub should hear about.
                log!("cannot buffer the sample ({e}); sending it unbuffered");
                let delivery = self.deliver();
                if delivery == Delivery::Stopped {
                    return delivery;
                }
                match self.send(vec![sample]) {
                    Some(Outcome::Accepted(_)) => delivery,
                    Some(_) => Delivery::Pending,
                    None => Delivery::Stopped,
                }
            }
        }
    }

    fn collect(&mut self) -> Option<Sample> {
        let mut collector = self.collector.take()?;
        let services = self.state.state.services.clone();
        let (collector, sample) = self.stop.wait_for(move || {
            let sample = collector.collect(&services);
            (collector, sample)
        })?;
        self.collector = Some(collector);
        Some(sample)
    }

    /// Sends the spool, oldest first, in batches, until it is empty or the hub stops taking.
    fn deliver(&mut self) -> Delivery {
        let mut batch_max = self.batch_max;
        let mut dropped_any = false;
        loop {
            let batch = match self.spool.oldest(batch_max) {
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
            let forget = |spool: &Spool| {
                if let Err(e) = spool.remove(&ids) {
                    log!("cannot remove sent samples from the buffer: {e}");
                }
            };
            match self.send(batch) {
                None => return Delivery::Stopped,
                Some(Outcome::Accepted(reply)) => {
                    forget(&self.spool);
                    if count > 1 {
                        log!("sent {count} buffered samples");
                    }
                    if let Some(reply) = reply {
                        self.adopt(reply);
                    }
                }
                Some(Outcome::Refused { status: 413, .. }) if count > 1 => {
                    batch_max = (count / 2).max(1);
                    log!("hub said {count} samples are too large a request; trying {batch_max}");
                }
                Some(Outcome::Refused { status, message }) => {
                    forget(&self.spool);
                    dropped_any = true;
                    log!(
                        "hub refused {} (HTTP {status}: {message}); dropped",
                        samples(count)
                    );
                }
                Some(Outcome::Rejected { status, message }) => {
                    let hint = if matches!(status, 401 | 403) {
                        " - check HOMELAB_AGENT_API_KEY and HOMELAB_AGENT_SERVER_ID"
                    } else {
                        ""
                    };
                    log!(
                        "hub rejected the heartbeat (HTTP {status}: {message}){hint}; \
                         {} stay buffered",
                        samples(self.spool.len().unwrap_or(0))
                    );
                    return Delivery::Pending;
                }
                Some(Outcome::Failed(reason)) => {
                    log!(
                        "hub unreachable after {TRIES} tries ({reason}); {} buffered",
                        samples(self.spool.len().unwrap_or(0))
                    );
                    return Delivery::Pending;
                }
            }
        }
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
            self.state.state.seq += 1;
            heartbeat.seq = self.state.state.seq;
            if let Err(e) = self.state.save() {
                log!("cannot save the agent state: {e}");
            }
            let pusher = self.pusher.clone();
            let hb = heartbeat.clone();
            let outcome = self.stop.wait_for(move || pusher.send(&hb))?;
            let reached = !matches!(outcome, Outcome::Failed(_));
            if reached && self.reachable != Some(true) {
                let url = self.config.hub.as_ref().map_or("", |h| h.url.as_str());
                log!("hub {url} reached");
            }
            self.reachable = Some(reached);
            match outcome {
                Outcome::Failed(reason) if attempt < TRIES => {
                    if !quiet {
                        log!(
                            "heartbeat try {attempt} of {TRIES} failed ({reason}); again in {} s",
                            self.config.retry_delay.as_secs()
                        );
                    }
                    let retry_at = Instant::now() + self.config.retry_delay;
                    if !self.stop.sleep_until(retry_at) {
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
        if reply.services != self.state.state.services {
            log!("hub asks for services: [{}]", reply.services.join(", "));
            self.state.state.services = reply.services;
            if let Err(e) = self.state.save() {
                log!("cannot save the agent state: {e}");
            }
        }
        let secs = reply.interval_secs;
        if (1..=3600).contains(&secs) && secs != self.interval.as_secs() {
            log!("hub sets the interval to {secs} s");
            self.interval = Duration::from_secs(secs);
        }
    }
}

#[cfg(test)]
mod tests;
