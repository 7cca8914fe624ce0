//! Wire types shared by the homelabcmd hub and its agent (serde only): the heartbeat an agent
//! posts to `POST /api/v1/heartbeat`, and the hub's reply.
//!
//! Compatibility: receivers ignore fields they do not know (no `deny_unknown_fields`), and
//! optional fields default, so either side may be upgraded first. Times are RFC 3339 UTC
//! strings, sizes are bytes, percentages are 0–100.

use serde::{Deserialize, Serialize};

pub mod time;

/// The version of the heartbeat protocol this crate speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// The path heartbeats are posted to.
pub const HEARTBEAT_PATH: &str = "/api/v1/heartbeat";

/// One request from an agent: its newest sample, or several when it sends what it buffered
/// while the hub was away (oldest first). Sent with `Authorization: Bearer <machine token>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heartbeat {
    /// The machine's id in fleet.yaml.
    pub machine_id: String,
    pub agent_version: String,
    /// Increases by one with every request the agent makes (kept across restarts).
    pub seq: u64,
    pub samples: Vec<Sample>,
}

/// Everything measured at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// When it was taken, RFC 3339 UTC (`2026-11-25T17:40:57Z`). The hub stores one sample
    /// per machine and second: a sample sent twice is stored once.
    pub time: String,
    /// CPU busy since the previous sample, 0–100.
    pub cpu_percent: f64,
    pub memory: Memory,
    /// One entry per mounted local filesystem (pseudo filesystems left out).
    #[serde(default)]
    pub filesystems: Vec<Filesystem>,
    /// Counters since boot, per interface (loopback left out).
    #[serde(default)]
    pub network: Vec<Interface>,
    pub load: Load,
    pub uptime_secs: u64,
    pub os: Os,
    #[serde(default)]
    pub updates: Updates,
    /// The systemd units the hub asked for (its last reply), in that order.
    #[serde(default)]
    pub services: Vec<ServiceState>,
    /// Docker containers; `available: false` when there is no Docker (a clean state).
    #[serde(default)]
    pub docker: Docker,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    pub total: u64,
    /// Total minus available, as `free` computes it.
    pub used: u64,
    pub available: u64,
    pub swap_total: u64,
    pub swap_used: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Filesystem {
    pub mount: String,
    pub fs_type: String,
    pub device: String,
    pub size: u64,
    pub used: u64,
    pub available: u64,
    /// False when the filesystem did not answer in time (a dead network mount); sizes are
    /// then 0 and should not be read as "empty".
    #[serde(default = "yes")]
    pub responsive: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Interface {
    pub name: String,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Load {
    pub one: f64,
    pub five: f64,
    pub fifteen: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Os {
    /// e.g. "Debian GNU/Linux" (os-release NAME).
    pub distribution: String,
    /// e.g. "12" (os-release VERSION_ID).
    pub version: String,
    pub kernel: String,
    pub arch: String,
    pub hostname: String,
}

/// Pending package updates, read from the package manager's cache (never refreshed by the
/// agent itself).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Updates {
    pub status: UpdatesStatus,
    /// "apt", or the package manager found but not supported.
    pub manager: Option<String>,
    pub pending: Option<u32>,
    pub security: Option<u32>,
    /// Seconds since the package lists were last refreshed.
    pub cache_age_secs: Option<u64>,
    /// Why the status is not `ok`.
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdatesStatus {
    Ok,
    /// No supported package manager (not apt): reported, not guessed.
    #[default]
    Unsupported,
    /// The package manager is there but could not be read.
    Error,
}

/// A systemd unit as `systemctl show` reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceState {
    pub name: String,
    /// `active`, `inactive`, `failed`, … ; `not-found` when the unit does not exist.
    pub active_state: String,
    /// `running`, `dead`, `exited`, … .
    pub sub_state: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Docker {
    pub available: bool,
    /// Set when Docker is there but could not be asked (e.g. no permission on its socket).
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub containers: Vec<Container>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Container {
    pub name: String,
    pub image: String,
    /// `running`, `exited`, `paused`, `restarting`, `created`, `dead`.
    pub state: String,
    /// Docker's human status, e.g. "Up 12 days", "Exited (0) 3 hours ago".
    pub status: String,
}

/// The header that names the machine a token belongs to. Needed only by a machine that is not
/// in fleet.yaml (the hub maps the tokens of the fleet's machines itself); agents always send it.
pub const MACHINE_HEADER: &str = "x-homelab-machine";

/// The hub's answer to a heartbeat of which at least one sample was stored (200).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeartbeatReply {
    /// Samples stored by this request.
    pub accepted: u32,
    /// Samples the hub already had (same machine and second).
    pub duplicates: u32,
    /// The systemd units to report from now on (fleet.yaml's `services`).
    #[serde(default)]
    pub services: Vec<String>,
    /// Seconds between samples.
    pub interval_secs: u64,
    /// The samples of this request that were not stored, and why (the others were).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<RefusedSample>,
}

/// One sample the hub did not store.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RefusedSample {
    /// Its position in the request's `samples`, from 0.
    pub index: u32,
    /// Its `time`, as sent.
    pub time: String,
    pub reason: String,
    /// True when the same sample may be taken later (a time ahead of the hub's clock): keep
    /// it and send it again. False: it will never be taken.
    #[serde(default)]
    pub retry_later: bool,
}

/// The hub's answer to a rejected request (any 4xx).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorReply {
    pub error: String,
    /// For a 422 where every sample was refused: each one and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<RefusedSample>,
}
