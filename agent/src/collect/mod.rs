//! One sample of everything the hub wants to know, read from `/proc`, the package cache,
//! systemd and Docker. The submodules parse text they are given, so they test with fixtures;
//! this one reads the files and keeps what must live between samples (the previous CPU
//! counters, stuck filesystem probes, the cached update count).

mod cpu;
mod docker;
mod filesystems;
mod memory;
mod mounts;
mod network;
mod services;
mod system;
mod unix_http;
mod updates;

use std::path::PathBuf;
use std::time::Duration;

use homelabcmd_proto::Sample;
use homelabcmd_proto::time::format_rfc3339;

use crate::log::unix_now;

/// The first sample's CPU figure is measured over this window.
const FIRST_CPU_WINDOW: Duration = Duration::from_millis(250);

#[derive(Debug)]
pub(crate) struct Collector {
    prev_cpu: Option<cpu::CpuTimes>,
    filesystems: filesystems::FsProber,
    updates: updates::UpdatesChecker,
    services: services::ServiceChecker,
    docker_socket: PathBuf,
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

impl Collector {
    pub(crate) fn new(docker_socket: PathBuf) -> Collector {
        Collector {
            prev_cpu: None,
            filesystems: filesystems::FsProber::new(),
            updates: updates::UpdatesChecker::new(),
            services: services::ServiceChecker::new(),
            docker_socket,
        }
    }

    /// Takes a sample; `services` are the units the hub asked for.
    pub(crate) fn collect(&mut self, services: &[String]) -> Sample {
        let time = format_rfc3339(unix_now());
        let cpu_percent = self.cpu_percent();
        let mounts = match std::fs::read_to_string("/proc/self/mountinfo") {
            Ok(text) => mounts::parse_mountinfo(&text),
            Err(_) => mounts::parse_mounts(&read("/proc/self/mounts")),
        };
        Sample {
            time,
            cpu_percent,
            memory: memory::parse_meminfo(&read("/proc/meminfo")).unwrap_or_default(),
            filesystems: self.filesystems.measure(&mounts::select(mounts)),
            network: network::parse_net_dev(&read("/proc/net/dev")),
            load: system::parse_loadavg(&read("/proc/loadavg")).unwrap_or_default(),
            uptime_secs: system::parse_uptime(&read("/proc/uptime")).unwrap_or(0),
            os: system::read_os(),
            updates: self.updates.check(),
            services: self.services.states(services),
            docker: docker::containers(&self.docker_socket),
        }
    }

    /// Busy % since the previous sample (or over a short window for the first one).
    fn cpu_percent(&mut self) -> f64 {
        let now = || cpu::parse_stat(&read("/proc/stat"));
        let before = match self.prev_cpu {
            Some(before) => Some(before),
            None => {
                let first = now();
                std::thread::sleep(FIRST_CPU_WINDOW);
                first
            }
        };
        let after = now();
        self.prev_cpu = after;
        match (before, after) {
            (Some(b), Some(a)) => cpu::busy_percent(b, a),
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_this_machine() {
        let mut c = Collector::new(PathBuf::from("/nonexistent/docker.sock"));
        let s = c.collect(&["ssh".to_owned()]);
        assert!(homelabcmd_proto::time::parse_rfc3339(&s.time).is_some());
        assert!((0.0..=100.0).contains(&s.cpu_percent));
        assert!(s.memory.total > 0 && s.memory.used <= s.memory.total);
        assert!(s.uptime_secs > 0);
        assert!(s.filesystems.iter().any(|f| f.mount == "/") || s.filesystems.is_empty());
        assert_eq!(s.services.len(), 1);
        assert!(!s.docker.available);
        let again = c.collect(&[]);
        assert!((0.0..=100.0).contains(&again.cpu_percent));
    }
}
