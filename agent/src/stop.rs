//! The stop request: SIGTERM or SIGINT sets a flag that the agent's loops check every 100 ms
//! (a second signal exits at once, with code 1), and waiting that a stop can cut short.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use signal_hook::consts::{SIGINT, SIGTERM};

/// How often a wait looks at the stop flag.
const STEP: Duration = Duration::from_millis(100);

/// The stop request: set by SIGTERM/SIGINT (a second one exits at once, with code 1).
#[derive(Debug, Clone)]
pub(crate) struct Stop {
    flag: Arc<AtomicBool>,
    signal: Arc<AtomicUsize>,
}

impl Stop {
    pub(crate) fn install() -> io::Result<Stop> {
        let stop = Stop::new();
        for sig in [SIGTERM, SIGINT] {
            // The conditional shutdown must come first: it sees the flag of the previous signal.
            signal_hook::flag::register_conditional_shutdown(sig, 1, Arc::clone(&stop.flag))?;
            signal_hook::flag::register_usize(sig, Arc::clone(&stop.signal), sig as usize)?;
            signal_hook::flag::register(sig, Arc::clone(&stop.flag))?;
        }
        Ok(stop)
    }

    pub(crate) fn new() -> Stop {
        Stop {
            flag: Arc::new(AtomicBool::new(false)),
            signal: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Ask for a stop, as a signal would (tests).
    #[cfg(test)]
    pub(crate) fn request(&self) {
        self.flag.store(true, Ordering::SeqCst);
    }

    pub(crate) fn requested(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    pub(crate) fn signal_name(&self) -> &'static str {
        match i32::try_from(self.signal.load(Ordering::SeqCst)) {
            Ok(SIGTERM) => "SIGTERM",
            Ok(SIGINT) => "SIGINT",
            _ => "a stop request",
        }
    }

    /// Sleeps until `deadline` in short steps; false if a stop came first.
    pub(crate) fn sleep_until(&self, deadline: Instant) -> bool {
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
    pub(crate) fn wait_for<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
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
