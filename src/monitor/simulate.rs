//! Simulated history: machines whose numbers wander plausibly, stored through the same checks
//! and storage path as real heartbeats. Used by `debug-fill` (benchmarks, trying `history`)
//! and by `demo` (a fleet with 30 days behind it).

use homelabcmd_proto::{
    Docker, Filesystem, Heartbeat, Interface, Load, Memory, Os, Sample, ServiceState, Updates,
    UpdatesStatus, time::format_rfc3339,
};

use crate::fleet::Machine;
use crate::monitor::ingest;
use crate::store::metrics::Ingest;
use crate::store::{Store, StoreError};

/// Why a simulated history could not be stored.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SimulateError {
    #[error("simulated sample refused: {0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What to simulate for one machine: samples every `step` seconds from `start` to `end`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    pub(crate) start: i64,
    pub(crate) end: i64,
    pub(crate) step: i64,
    pub(crate) seed: u64,
    /// Store each sample as its own heartbeat, as agents send them (else an hour at a time).
    pub(crate) one_by_one: bool,
}

/// Store a simulated history for `m`; returns how many samples were stored. `now` is the
/// hub's time for the checks.
pub(crate) fn fill(
    store: &mut Store,
    m: &Machine,
    span: Span,
    now: i64,
) -> Result<u64, SimulateError> {
    Simulator::new(m, span.seed).fill(store, span, now)
}

/// One simulated machine that can be carried on (the demo keeps its machines alive).
pub(crate) struct Simulator {
    sim: Sim,
    machine: Machine,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Simulator({})", self.machine.id)
    }
}

impl Simulator {
    pub(crate) fn new(m: &Machine, seed: u64) -> Self {
        Self {
            sim: Sim::new(seed, &m.id),
            machine: m.clone(),
        }
    }

    pub(crate) fn id(&self) -> &str {
        &self.machine.id
    }

    /// Store the samples of `span` (its seed is the simulator's own).
    pub(crate) fn fill(
        &mut self,
        store: &mut Store,
        span: Span,
        now: i64,
    ) -> Result<u64, SimulateError> {
        let (m, sim) = (&self.machine, &mut self.sim);
        samples(store, m, sim, span, now)
    }
}

fn samples(
    store: &mut Store,
    m: &Machine,
    sim: &mut Sim,
    span: Span,
    now: i64,
) -> Result<u64, SimulateError> {
    let step = span.step.max(1);
    let mut total = 0u64;
    let mut t = span.start + (step - span.start.rem_euclid(step)).rem_euclid(step);
    while t <= span.end {
        let hour_end = (t.div_euclid(3600) + 1) * 3600;
        let mut samples = Vec::new();
        while t < hour_end && t <= span.end {
            samples.push(sim.sample(t, &m.services));
            t += step;
        }
        let hb = Heartbeat {
            machine_id: m.id.clone(),
            agent_version: "sim".into(),
            seq: 0,
            samples,
        };
        let checked = ingest::check(&hb, now).map_err(SimulateError::Refused)?;
        if let Some(refused) = checked.refused.first() {
            return Err(SimulateError::Refused(refused.reason.to_string()));
        }
        let points: Vec<_> = checked.points.into_iter().map(|(_, p)| p).collect();
        total += points.len() as u64;
        let last = hb
            .samples
            .last()
            .and_then(|s| serde_json::to_string(s).ok());
        let item = Ingest {
            machine_id: m.id.clone(),
            registered: true,
            agent_version: "sim".into(),
            received: points.last().map_or(now, |p| p.time),
            latest: points.last().map(|p| p.time).zip(last),
            points,
        };
        if span.one_by_one {
            let items: Vec<Ingest> = item
                .points
                .iter()
                .map(|p| Ingest {
                    points: vec![p.clone()],
                    received: p.time,
                    ..item.clone()
                })
                .collect();
            store.ingest(&items)?;
        } else {
            store.ingest(std::slice::from_ref(&item))?;
        }
    }
    Ok(total)
}

/// A machine whose numbers wander plausibly: random walks, slow disk growth, counters.
struct Sim {
    state: u64,
    cpu: f64,
    mem: f64,
    disk: [f64; 2],
    rx: u64,
    tx: u64,
    host: String,
}

impl Sim {
    fn new(seed: u64, host: &str) -> Self {
        Self {
            state: seed | 1,
            cpu: 10.0,
            mem: 0.4,
            disk: [0.5, 0.7],
            rx: 1 << 30,
            tx: 1 << 28,
            host: host.to_string(),
        }
    }

    /// xorshift64*: a uniform number in [0, 1).
    fn next(&mut self) -> f64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        (self.state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn sample(&mut self, t: i64, services: &[String]) -> Sample {
        self.cpu = (self.cpu + (self.next() - 0.5) * 8.0).clamp(0.5, 99.0);
        self.mem = (self.mem + (self.next() - 0.5) * 0.01).clamp(0.1, 0.95);
        for i in 0..self.disk.len() {
            self.disk[i] = (self.disk[i] + self.next() * 0.000_01).min(0.99);
        }
        self.rx += (self.next() * 2_000_000.0) as u64;
        self.tx += (self.next() * 400_000.0) as u64;
        let total: u64 = 16 << 30;
        let used = (total as f64 * self.mem) as u64;
        let fs = |mount: &str, dev: &str, size: u64, frac: f64| {
            let used = (size as f64 * frac) as u64;
            Filesystem {
                mount: mount.into(),
                fs_type: "ext4".into(),
                device: dev.into(),
                size,
                used,
                available: size - used,
                responsive: true,
            }
        };
        Sample {
            time: format_rfc3339(t),
            cpu_percent: (self.cpu * 10.0).round() / 10.0,
            memory: Memory {
                total,
                used,
                available: total - used,
                swap_total: 2 << 30,
                swap_used: 0,
            },
            filesystems: vec![
                fs("/", "/dev/sda1", 100 << 30, self.disk[0]),
                fs("/srv/data", "/dev/sdb1", 4 << 40, self.disk[1]),
            ],
            network: vec![Interface {
                name: "eth0".into(),
                rx_bytes: self.rx,
                tx_bytes: self.tx,
            }],
            load: Load {
                one: self.cpu / 25.0,
                five: self.cpu / 30.0,
                fifteen: self.cpu / 35.0,
            },
            uptime_secs: 3_000_000,
            os: Os {
                distribution: "Debian GNU/Linux".into(),
                version: "12".into(),
                kernel: "6.1.0-26-amd64".into(),
                arch: "x86_64".into(),
                hostname: self.host.clone(),
            },
            updates: Updates {
                status: UpdatesStatus::Ok,
                manager: Some("apt".into()),
                pending: Some(3),
                security: Some(1),
                cache_age_secs: Some(7200),
                message: None,
            },
            services: services
                .iter()
                .map(|s| ServiceState {
                    name: format!("{s}.service"),
                    active_state: "active".into(),
                    sub_state: "running".into(),
                })
                .collect(),
            docker: Docker::default(),
        }
    }
}
