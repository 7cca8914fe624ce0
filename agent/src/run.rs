//! The agent's life: `--print`, `--once`, and the loop that collects every interval and writes
//! each sample to the spool, while a delivery thread (`deliver`) sends the spool to the hub
//! oldest first. SIGTERM/SIGINT set a flag the loops check every 100 ms; collecting and sending
//! run on worker threads so a stop never waits for them (what was not acknowledged stays in
//! the spool).

use std::io;
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Instant;

use homelabcmd_proto::Sample;

use crate::args::{Args, Mode, USAGE};
use crate::collect::Collector;
use crate::config::{self, Config};
use crate::deliver::{Courier, Delivery, Shared};
use crate::log::{log, samples};
use crate::spool::Spool;
use crate::state::StateFile;
use crate::stop::Stop;

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
    if config.hub.is_none() {
        return 2; // load() insisted on it
    }
    let stop = match Stop::install() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("homelabcmd-agent: cannot install signal handlers: {e}");
            return 1;
        }
    };
    let mut agent = match Agent::open(config, stop) {
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

/// What became of a sample just taken.
enum Taken {
    Buffered,
    /// The spool could not take it (a full disk): send it once, as it is.
    Unbuffered(Box<Sample>),
}

struct Agent {
    stop: Stop,
    shared: Arc<Shared>,
    /// Taken while a collection runs on the worker thread.
    collector: Option<Collector>,
    /// Moved to the delivery thread by `forever`.
    courier: Option<Courier>,
    machine_id: String,
}

impl Agent {
    fn open(config: Config, stop: Stop) -> io::Result<Agent> {
        let spool = Spool::open(&config.state_dir, config.buffer_max).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot open the buffer in {}: {e}",
                    config.state_dir.display()
                ),
            )
        })?;
        let state = StateFile::load(&config.state_dir);
        let shared = Arc::new(Shared::new(spool, state, config.interval));
        let courier = Courier::new(&config, Arc::clone(&shared), stop.clone())
            .ok_or_else(|| io::Error::other("no hub is configured"))?;
        Ok(Agent {
            machine_id: config
                .hub
                .as_ref()
                .map_or_else(String::new, |h| h.machine_id.clone()),
            collector: Some(Collector::new(config.docker_socket)),
            courier: Some(courier),
            shared,
            stop,
        })
    }

    /// Samples every interval on this thread; delivers on another, so a hub that is away
    /// (each request tried three times) never delays a sample.
    fn forever(mut self) -> u8 {
        log!(
            "homelabcmd-agent {} started: machine {}, every {} s, {} buffered",
            env!("CARGO_PKG_VERSION"),
            self.machine_id,
            self.shared.interval().as_secs(),
            samples(self.shared.buffered())
        );
        let (wake, woken) = mpsc::channel();
        if let Some(courier) = self.courier.take() {
            thread::Builder::new()
                .name("delivery".into())
                .spawn(move || courier.run(&woken))
                .expect("cannot start the delivery thread");
        }
        let mut next = Instant::now();
        while self.stop.sleep_until(next) {
            let started = Instant::now();
            let Some(taken) = self.sample() else {
                break;
            };
            let _ = wake.send(match taken {
                Taken::Buffered => None,
                Taken::Unbuffered(sample) => Some(*sample),
            });
            next = (started + self.shared.interval()).max(Instant::now());
        }
        log!(
            "received {}: stopping ({} buffered)",
            self.stop.signal_name(),
            samples(self.shared.buffered())
        );
        0
    }

    fn once(&mut self) -> u8 {
        let Some(taken) = self.sample() else {
            log!("received {}: stopping", self.stop.signal_name());
            return 1;
        };
        let Some(courier) = self.courier.as_mut() else {
            return 1;
        };
        let mut delivery = courier.deliver();
        if let Taken::Unbuffered(sample) = taken
            && delivery != Delivery::Stopped
        {
            let unbuffered = courier.send_unbuffered(vec![*sample]);
            if unbuffered != Delivery::Complete {
                delivery = unbuffered;
            }
        }
        match delivery {
            Delivery::Complete => 0,
            Delivery::Stopped => {
                log!("received {}: stopping", self.stop.signal_name());
                1
            }
            Delivery::Dropped | Delivery::Pending => 1,
        }
    }

    /// Collects one sample and spools it; None if a stop came first. A sample that cannot be
    /// spooled (a full disk) is handed back to be sent once, unbuffered.
    fn sample(&mut self) -> Option<Taken> {
        let sample = self.collect()?;
        Some(match self.shared.spool().push(&sample) {
            Ok(_) => Taken::Buffered,
            Err(e) => {
                log!("cannot buffer the sample ({e}); sending it unbuffered");
                Taken::Unbuffered(Box::new(sample))
            }
        })
    }

    fn collect(&mut self) -> Option<Sample> {
        let mut collector = self.collector.take()?;
        let services = self.shared.state().state.services.clone();
        let (collector, sample) = self.stop.wait_for(move || {
            let sample = collector.collect(&services);
            (collector, sample)
        })?;
        self.collector = Some(collector);
        Some(sample)
    }
}

#[cfg(test)]
mod tests;
