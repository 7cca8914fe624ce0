//! Which machines a command goes to (a machine, a group, `--all`, `--tag`, `--type`), and how
//! to reach each: address, port, user and credentials from fleet.yaml, the pinned host keys.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::fleet::model::{SshSettings, Value};
use crate::fleet::{Fleet, Machine, MachineType};
use crate::remote::RemoteError;
use crate::remote::known_hosts::KnownHosts;
use crate::remote::session::{Identity, Target};

/// The user homelabcmd logs in as when fleet.yaml names none (the PRD's standard user).
pub(crate) const DEFAULT_USER: &str = "homelabcmd";

/// How the operator chose machines.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection {
    /// A machine id or a group name.
    pub(crate) name: Option<String>,
    pub(crate) all: bool,
    pub(crate) tags: Vec<String>,
    pub(crate) kind: Option<MachineType>,
}

/// The machines selected, in fleet.yaml order; an error message and hint when none match.
pub(crate) fn select<'f>(
    fleet: &'f Fleet,
    sel: &Selection,
) -> Result<Vec<&'f Machine>, (String, String)> {
    let by_name: Option<Vec<&str>> = match &sel.name {
        None => None,
        Some(name) => {
            if let Some(m) = fleet.machine(name) {
                Some(vec![m.id.as_str()])
            } else if let Some(g) = fleet.group(name) {
                Some(g.machines.iter().map(String::as_str).collect())
            } else {
                let mut names: Vec<&str> = fleet.machines.iter().map(|m| m.id.as_str()).collect();
                names.extend(fleet.groups.iter().map(|g| g.name.as_str()));
                return Err((
                    format!("`{name}` is neither a machine nor a group"),
                    crate::fleet::diagnostic::suggest(name, "machines and groups", &names),
                ));
            }
        }
    };
    if by_name.is_none() && !sel.all && sel.tags.is_empty() && sel.kind.is_none() {
        return Err((
            "no machines selected".into(),
            "name a machine or group, or use --all, --tag T or --type server|workstation".into(),
        ));
    }
    let chosen: Vec<&Machine> = fleet
        .machines
        .iter()
        .filter(|m| {
            by_name
                .as_ref()
                .is_none_or(|names| names.contains(&m.id.as_str()))
        })
        .filter(|m| sel.tags.iter().all(|t| m.tags.contains(t)))
        .filter(|m| sel.kind.is_none_or(|k| m.kind == k))
        .collect();
    if chosen.is_empty() {
        return Err((
            "no machine matches the selection".into(),
            "check --tag and --type against `homelabcmd machines`".into(),
        ));
    }
    Ok(chosen)
}

/// Timeouts from the command line, over fleet.yaml's.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Timeouts {
    pub(crate) connect: Option<Duration>,
    pub(crate) command: Option<Duration>,
}

/// How to reach `m`. `secret` resolves `secret:NAME` values.
pub(crate) fn target(
    fleet: &Fleet,
    m: &Machine,
    known: &KnownHosts,
    timeouts: Timeouts,
    secret: &dyn Fn(&str) -> Result<Arc<String>, RemoteError>,
) -> Result<Target, RemoteError> {
    from_settings(&m.id, &m.address, &fleet.ssh(m), known, timeouts, secret)
}

/// How to reach `address` (named `machine` in messages) with these SSH settings.
pub(crate) fn from_settings(
    machine: &str,
    address: &str,
    ssh: &SshSettings,
    known: &KnownHosts,
    timeouts: Timeouts,
    secret: &dyn Fn(&str) -> Result<Arc<String>, RemoteError>,
) -> Result<Target, RemoteError> {
    let port = ssh.port.unwrap_or(22);
    let identity = match &ssh.identity {
        None => None,
        Some(Value::Plain(path)) => Some(Identity::File(expand_home(path))),
        Some(Value::Secret(name)) => Some(Identity::Text(secret(name)?)),
    };
    let sudo_password = match &ssh.sudo_password {
        Some(Value::Secret(name)) => Some(secret(name)?),
        _ => None,
    };
    Ok(Target {
        machine: machine.to_string(),
        address: address.to_string(),
        port,
        user: ssh.user.clone().unwrap_or_else(|| DEFAULT_USER.to_string()),
        identity,
        sudo_password,
        connect_timeout: timeouts
            .connect
            .or(ssh.connect_timeout)
            .unwrap_or(Duration::from_secs(5)),
        command_timeout: timeouts
            .command
            .or(ssh.command_timeout)
            .unwrap_or(Duration::from_secs(60)),
        pinned: known.lookup(address, port).into_iter().cloned().collect(),
    })
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}
