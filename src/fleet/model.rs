//! The fleet as the rest of homelabcmd sees it: machines, defaults, groups, the command
//! whitelist and packs, already validated. Nothing here knows YAML or git.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::diagnostic::Pos;

/// `server` runs all the time; `workstation` is on only sometimes and is never "offline".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum MachineType {
    Server,
    Workstation,
}

impl MachineType {
    pub(crate) const NAMES: &[&str] = &["server", "workstation"];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Server => "server",
            Self::Workstation => "workstation",
        }
    }
}

/// How SSH reaches the machine: through its Tailscale name or directly by address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ConnectMode {
    Tailscale,
    Direct,
}

impl ConnectMode {
    pub(crate) const NAMES: &[&str] = &["tailscale", "direct"];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Tailscale => "tailscale",
            Self::Direct => "direct",
        }
    }
}

/// A value that is either written in the file or names an encrypted secret (`secret:NAME`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Value {
    Plain(String),
    Secret(String),
}

impl Value {
    pub(crate) fn parse(text: &str) -> Self {
        match text.strip_prefix("secret:") {
            Some(name) => Self::Secret(name.to_string()),
            None => Self::Plain(text.to_string()),
        }
    }
}

/// SSH settings; every field is optional so that a machine's settings can fall back to
/// `defaults.ssh` field by field.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct SshSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) port: Option<u16>,
    /// A private key: a path on the operator's machine or `secret:NAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) identity: Option<Value>,
    /// Always a secret reference: sudo passwords never sit in fleet.yaml in clear.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) sudo_password: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none", with = "opt_secs")]
    pub(crate) connect_timeout: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none", with = "opt_secs")]
    pub(crate) command_timeout: Option<Duration>,
}

impl SshSettings {
    /// These settings, with gaps filled from `fallback` (a machine's over `defaults.ssh`).
    pub(crate) fn or(&self, fallback: &SshSettings) -> SshSettings {
        SshSettings {
            user: self.user.clone().or_else(|| fallback.user.clone()),
            port: self.port.or(fallback.port),
            identity: self.identity.clone().or_else(|| fallback.identity.clone()),
            sudo_password: self
                .sudo_password
                .clone()
                .or_else(|| fallback.sudo_password.clone()),
            connect_timeout: self.connect_timeout.or(fallback.connect_timeout),
            command_timeout: self.command_timeout.or(fallback.command_timeout),
        }
    }
}

/// Alert thresholds in percent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Thresholds {
    pub(crate) disk_warning: u8,
    pub(crate) disk_critical: u8,
    pub(crate) ram: u8,
    pub(crate) cpu: u8,
}

impl Default for Thresholds {
    /// The PRD's numbers: disk 80 %/90 %, RAM 85 %, CPU 90 %.
    fn default() -> Self {
        Self {
            disk_warning: 80,
            disk_critical: 90,
            ram: 85,
            cpu: 90,
        }
    }
}

/// How alerts are raised and cleared (fleet.yaml `alerts`, defaults and per machine). The
/// value thresholds themselves are `thresholds`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct AlertSettings {
    /// A value alert clears only below its threshold minus this many points.
    pub(crate) clear_margin: u8,
    /// Raised after this many bad evaluations in a row.
    pub(crate) raise_after: u32,
    /// Cleared after this many good evaluations in a row.
    pub(crate) clear_after: u32,
    /// CPU must stay at or above its threshold this long.
    #[serde(with = "secs")]
    pub(crate) cpu_window: Duration,
    /// Alert on stopped containers (opt-in).
    pub(crate) containers: bool,
    /// Remind of an open, unacknowledged alert of this severity this often (none: never).
    #[serde(skip)]
    pub(crate) reminders: BTreeMap<crate::alerts::Severity, Duration>,
    /// The remediation a rule's alert brings (`actions:`), checked against the whitelist
    /// once the whole file is read.
    #[serde(skip)]
    pub(crate) actions: BTreeMap<crate::alerts::model::Rule, AlertAction>,
}

/// Whether a remediation runs by itself or waits for `actions approve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ActionMode {
    Auto,
    Approve,
}

impl ActionMode {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Approve => "approve",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        [Self::Auto, Self::Approve]
            .into_iter()
            .find(|m| m.as_str() == text)
    }
}

/// `actions: { service: { run: restart-service, mode: auto } }`: a whitelisted command run when
/// the rule's alert opens, its parameter filled from the alert's subject.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AlertAction {
    pub(crate) command: String,
    pub(crate) mode: ActionMode,
    /// Where `run` was written, for the whitelist check's diagnostic.
    pub(crate) at: (super::diagnostic::Pos, super::diagnostic::Pos),
}

impl Default for AlertSettings {
    fn default() -> Self {
        Self {
            clear_margin: 5,
            raise_after: 3,
            clear_after: 2,
            cpu_window: Duration::from_secs(300),
            containers: false,
            reminders: BTreeMap::new(),
            actions: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Electricity {
    pub(crate) price_per_kwh: f64,
    pub(crate) currency: String,
}

impl Default for Electricity {
    fn default() -> Self {
        Self {
            price_per_kwh: 0.24,
            currency: "GBP".into(),
        }
    }
}

/// Where alerts go: one `defaults.notify` entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct NotifyTarget {
    /// The entry's `name`, else its kind (`slack`, then `slack-2`, ... for repeats): what
    /// `notify test TARGET` and the delivery records call it.
    pub(crate) name: String,
    pub(crate) kind: NotifyKind,
    /// The URL, usually `secret:NAME` (a Slack webhook URL or an ntfy topic is a password).
    pub(crate) url: Value,
    /// Alerts below this severity are not sent to this target.
    pub(crate) min_severity: crate::alerts::Severity,
}

/// The kinds of notification target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum NotifyKind {
    /// A Slack incoming webhook.
    Slack,
    /// A generic JSON webhook.
    Webhook,
    /// An ntfy topic URL.
    Ntfy,
}

impl NotifyKind {
    pub(crate) const ALL: [NotifyKind; 3] = [Self::Slack, Self::Webhook, Self::Ntfy];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Slack => "slack",
            Self::Webhook => "webhook",
            Self::Ntfy => "ntfy",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Defaults {
    pub(crate) ssh: SshSettings,
    #[serde(with = "secs")]
    pub(crate) offline_after: Duration,
    pub(crate) thresholds: Thresholds,
    pub(crate) alerts: AlertSettings,
    pub(crate) electricity: Electricity,
    pub(crate) notify: Vec<NotifyTarget>,
}

impl Default for Defaults {
    fn default() -> Self {
        Self {
            ssh: SshSettings::default(),
            offline_after: Duration::from_secs(180),
            thresholds: Thresholds::default(),
            alerts: AlertSettings::default(),
            electricity: Electricity::default(),
            notify: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Machine {
    pub(crate) id: String,
    pub(crate) name: String,
    #[serde(rename = "type")]
    pub(crate) kind: MachineType,
    pub(crate) address: String,
    pub(crate) connect: ConnectMode,
    pub(crate) tdp_w: Option<u32>,
    pub(crate) location: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) services: Vec<String>,
    pub(crate) packs: Vec<String>,
    /// The machine's own SSH settings (not yet merged with the defaults).
    pub(crate) ssh: SshSettings,
    /// The machine's own offline threshold; `Fleet::offline_after` applies the default.
    #[serde(with = "opt_secs")]
    pub(crate) offline_after: Option<Duration>,
    /// Per-machine threshold overrides, already merged over the defaults.
    pub(crate) thresholds: Thresholds,
    /// Per-machine alert settings, already merged over the defaults.
    pub(crate) alerts: AlertSettings,
    #[serde(skip)]
    pub(crate) pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Group {
    pub(crate) name: String,
    pub(crate) machines: Vec<String>,
    /// Actions that take machines down (reboots) are spaced by this much inside the group.
    #[serde(with = "opt_secs")]
    pub(crate) stagger: Option<Duration>,
}

/// The type of a whitelisted command's parameter; values are checked before anything runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum ParamType {
    /// A systemd unit name (`nginx`, `pihole-FTL.service`, `getty@tty1`).
    Unit,
    /// A Docker container name.
    Container,
    /// An absolute path under one of the prefixes, with no `..`.
    Path { prefixes: Vec<String> },
    /// A whole number in a range.
    Int { min: i64, max: i64 },
    /// One of a fixed set of words.
    Choice { values: Vec<String> },
}

impl ParamType {
    pub(crate) const NAMES: &[&str] = &["unit", "container", "path", "int", "choice"];
}

/// A named command on the exec whitelist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct CommandSpec {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// The command line with `{param}` placeholders; values are shell-quoted when rendered.
    pub(crate) run: String,
    pub(crate) sudo: bool,
    pub(crate) params: BTreeMap<String, ParamType>,
    #[serde(with = "opt_secs")]
    pub(crate) timeout: Option<Duration>,
}

/// The whole fleet: fleet.yaml plus every pack under packs/.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Fleet {
    pub(crate) version: u32,
    pub(crate) defaults: Defaults,
    pub(crate) machines: Vec<Machine>,
    pub(crate) groups: Vec<Group>,
    pub(crate) commands: Vec<CommandSpec>,
    pub(crate) packs: BTreeMap<String, super::pack::Pack>,
}

impl Fleet {
    pub(crate) fn machine(&self, id: &str) -> Option<&Machine> {
        self.machines.iter().find(|m| m.id == id)
    }

    pub(crate) fn offline_after(&self, machine: &Machine) -> Duration {
        machine.offline_after.unwrap_or(self.defaults.offline_after)
    }

    /// The machine's SSH settings with the fleet defaults filled in.
    pub(crate) fn ssh(&self, machine: &Machine) -> SshSettings {
        machine.ssh.or(&self.defaults.ssh)
    }

    pub(crate) fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }
}

/// Durations appear in JSON as whole seconds.
mod secs {
    use std::time::Duration;

    pub(crate) fn serialize<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_secs())
    }
}

mod opt_secs {
    use std::time::Duration;

    pub(crate) fn serialize<S: serde::Serializer>(
        d: &Option<Duration>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&d.as_secs()),
            None => s.serialize_none(),
        }
    }
}
