//! The command whitelist: fleet.yaml's `commands:` plus the built-ins an operator expects.
//! A command runs only if it is on the list and every parameter fits its type; values are
//! shell-quoted when rendered. Everything here happens before any connection is made.

pub(crate) mod targets;

use std::collections::BTreeMap;
use std::time::Duration;

use crate::fleet::model::{CommandSpec, ParamType};
use crate::fleet::{Fleet, check_unit};
use crate::remote::session::quote;

/// Why a command was refused (exit 4), before anything ran.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Refusal {
    #[error("`{0}` is not on the command whitelist")]
    NotListed(String),
    #[error("`{command}` has no parameter `{param}`")]
    UnknownParam { command: String, param: String },
    #[error("`{command}` needs `{param}=…`")]
    MissingParam { command: String, param: String },
    #[error("`{param}={value}` refused: {why}")]
    BadValue {
        param: String,
        value: String,
        why: String,
    },
    #[error("`{0}` is not PARAM=VALUE")]
    NotAssignment(String),
}

/// The built-in commands; fleet.yaml may redefine any of them.
pub(crate) fn builtins() -> Vec<CommandSpec> {
    let unit = || BTreeMap::from([("service".to_string(), ParamType::Unit)]);
    let container = || BTreeMap::from([("container".to_string(), ParamType::Container)]);
    let spec = |name: &str,
                description: &str,
                run: &str,
                sudo: bool,
                params: BTreeMap<String, ParamType>| CommandSpec {
        name: name.into(),
        description: Some(description.into()),
        run: run.into(),
        sudo,
        params,
        timeout: None,
    };
    vec![
        spec(
            "uptime",
            "How long the machine has been up, and its load",
            "uptime",
            false,
            BTreeMap::new(),
        ),
        spec(
            "service-status",
            "The state of a systemd unit and its last log lines",
            "systemctl status --no-pager --lines=20 {service}",
            false,
            unit(),
        ),
        spec(
            "restart-service",
            "Restart a systemd unit",
            "systemctl restart {service}",
            true,
            unit(),
        ),
        spec(
            "docker-ps",
            "All Docker containers",
            "docker ps --all",
            true,
            BTreeMap::new(),
        ),
        spec(
            "docker-start",
            "Start a Docker container",
            "docker start {container}",
            true,
            container(),
        ),
        spec(
            "docker-stop",
            "Stop a Docker container",
            "docker stop {container}",
            true,
            container(),
        ),
        spec(
            "docker-restart",
            "Restart a Docker container",
            "docker restart {container}",
            true,
            container(),
        ),
        spec(
            "docker-prune-images",
            "Remove unused Docker images",
            "docker image prune --all --force",
            true,
            BTreeMap::new(),
        ),
        spec(
            "clear-logs",
            "Shrink the systemd journal to its last 7 days",
            "journalctl --vacuum-time=7d",
            true,
            BTreeMap::new(),
        ),
        spec(
            "disk-usage",
            "Filesystem usage",
            "df -h -x tmpfs -x devtmpfs -x squashfs -x overlay",
            false,
            BTreeMap::new(),
        ),
        spec(
            "check-updates",
            "Pending package updates (from the apt cache, without refreshing it)",
            "apt-get -s -o Debug::NoLocking=1 dist-upgrade | grep '^Inst' || true",
            false,
            BTreeMap::new(),
        ),
        spec(
            "reboot",
            "Reboot (machines of a staggered group one after another)",
            "systemctl reboot",
            true,
            BTreeMap::new(),
        ),
    ]
}

/// The whitelist: built-ins, with fleet.yaml's commands added or replacing them.
pub(crate) fn whitelist(fleet: &Fleet) -> Vec<CommandSpec> {
    let mut list = builtins();
    for c in &fleet.commands {
        match list.iter_mut().find(|b| b.name == c.name) {
            Some(b) => *b = c.clone(),
            None => list.push(c.clone()),
        }
    }
    list
}

/// A command ready to run: its rendered line and how.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    pub(crate) name: String,
    pub(crate) line: String,
    pub(crate) sudo: bool,
    pub(crate) timeout: Option<Duration>,
}

/// Check `name` and its `PARAM=VALUE` arguments against the whitelist and render the line.
pub(crate) fn render(fleet: &Fleet, name: &str, args: &[String]) -> Result<Rendered, Refusal> {
    let list = whitelist(fleet);
    let spec = list
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| Refusal::NotListed(name.to_string()))?;
    let mut values = BTreeMap::new();
    for arg in args {
        let (param, value) = arg
            .split_once('=')
            .ok_or_else(|| Refusal::NotAssignment(arg.clone()))?;
        let Some(kind) = spec.params.get(param) else {
            return Err(Refusal::UnknownParam {
                command: name.into(),
                param: param.into(),
            });
        };
        check_value(kind, value).map_err(|why| Refusal::BadValue {
            param: param.into(),
            value: crate::output::escape_line(value),
            why,
        })?;
        values.insert(param.to_string(), value.to_string());
    }
    for param in spec.params.keys() {
        if !values.contains_key(param) {
            return Err(Refusal::MissingParam {
                command: name.into(),
                param: param.clone(),
            });
        }
    }
    let mut line = spec.run.clone();
    for (param, value) in &values {
        line = line.replace(&format!("{{{param}}}"), &quote(value));
    }
    Ok(Rendered {
        name: name.to_string(),
        line,
        sudo: spec.sudo,
        timeout: spec.timeout,
    })
}

/// Whether `value` fits `kind`; the reason when it does not.
pub(crate) fn check_value(kind: &ParamType, value: &str) -> Result<(), String> {
    if value.chars().any(char::is_control) {
        return Err("control characters (newlines, tabs) are not allowed".into());
    }
    match kind {
        ParamType::Unit => {
            if value.starts_with('-') {
                return Err("a unit name may not start with `-`".into());
            }
            match check_unit(value) {
                Some(why) => Err(format!("it {why}")),
                None => Ok(()),
            }
        }
        ParamType::Container => {
            let ok = !value.is_empty()
                && value.len() <= 128
                && value.starts_with(|c: char| c.is_ascii_alphanumeric())
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
            if ok {
                Ok(())
            } else {
                Err("a container name is letters, digits, `_`, `.` and `-`, starting with a letter or digit".into())
            }
        }
        ParamType::Path { prefixes } => {
            if !value.starts_with('/')
                || value.split('/').any(|c| c == ".." || c == ".")
                || value.contains("//")
            {
                return Err("an absolute path without `.`, `..` or `//` is needed".into());
            }
            let under = |p: &String| {
                let p = p.trim_end_matches('/');
                value == p || value.starts_with(&format!("{p}/"))
            };
            if prefixes.iter().any(under) {
                Ok(())
            } else {
                Err(format!("the path must be under {}", prefixes.join(" or ")))
            }
        }
        ParamType::Int { min, max } => match value.parse::<i64>() {
            Ok(n) if (*min..=*max).contains(&n) => Ok(()),
            Ok(_) => Err(format!("a whole number from {min} to {max} is needed")),
            Err(_) => Err("a whole number is needed".into()),
        },
        ParamType::Choice { values } => {
            if values.iter().any(|v| v == value) {
                Ok(())
            } else {
                Err(format!("one of {} is needed", values.join(", ")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injection_attempts_are_refused() {
        let unit = ParamType::Unit;
        for bad in [
            "nginx; rm -rf /",
            "$(reboot)",
            "`id`",
            "a\nb",
            "'x'",
            "--now",
            "a b",
            "-h",
        ] {
            assert!(check_value(&unit, bad).is_err(), "{bad}");
        }
        assert!(check_value(&unit, "pihole-FTL.service").is_ok());
        let path = ParamType::Path {
            prefixes: vec!["/var/log".into()],
        };
        assert!(check_value(&path, "/var/log/syslog").is_ok());
        for bad in [
            "/var/log/../../etc/shadow",
            "/var/logs",
            "var/log/x",
            "/var/log/x\n",
        ] {
            assert!(check_value(&path, bad).is_err(), "{bad}");
        }
        assert_eq!(quote("it's"), r"'it'\''s'");
    }
}
