//! The command whitelist: fleet.yaml's `commands:` plus the built-ins an operator expects.
//! A command runs only if it is on the list and every parameter fits its type (`params`); the
//! line is rendered in one pass over the template, each value single-quoted. Everything here
//! happens before any connection is made.

mod params;
mod run;
pub(crate) mod targets;

use std::collections::BTreeMap;
use std::time::Duration;

pub(crate) use params::{BadValue, check_value};
pub(crate) use run::{Request, run};

use crate::fleet::Fleet;
use crate::fleet::model::{CommandSpec, ParamType};
use crate::fleet::template::{self, Piece};
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
        why: BadValue,
    },
    #[error("`{0}` is not PARAM=VALUE")]
    NotAssignment(String),
    #[error("`{0}` is given twice")]
    Repeated(String),
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
        .ok_or_else(|| Refusal::NotListed(crate::text::escape_line(name)))?;
    let values = typed_values(spec, args)?;
    Ok(Rendered {
        name: name.to_string(),
        line: fill(spec, &values)?,
        sudo: spec.sudo,
        timeout: spec.timeout,
    })
}

/// Render `spec` with every parameter set to `value` (a remediation fills its one kind of
/// parameter from the alert's subject); the value must fit each parameter's type.
pub(crate) fn render_filled(spec: &CommandSpec, value: &str) -> Result<Rendered, Refusal> {
    let mut values = BTreeMap::new();
    for (param, kind) in &spec.params {
        check_value(kind, value).map_err(|why| Refusal::BadValue {
            param: param.clone(),
            value: crate::text::escape_line(value),
            why,
        })?;
        values.insert(param.as_str(), value);
    }
    Ok(Rendered {
        name: spec.name.clone(),
        line: fill(spec, &values)?,
        sudo: spec.sudo,
        timeout: spec.timeout,
    })
}

/// The `PARAM=VALUE` arguments, each declared once and fitting its type, and none missing.
fn typed_values<'a>(
    spec: &CommandSpec,
    args: &'a [String],
) -> Result<BTreeMap<&'a str, &'a str>, Refusal> {
    let mut values = BTreeMap::new();
    for arg in args {
        let (param, value) = arg
            .split_once('=')
            .ok_or_else(|| Refusal::NotAssignment(crate::text::escape_line(arg)))?;
        let Some(kind) = spec.params.get(param) else {
            return Err(Refusal::UnknownParam {
                command: spec.name.clone(),
                param: crate::text::escape_line(param),
            });
        };
        check_value(kind, value).map_err(|why| Refusal::BadValue {
            param: param.into(),
            value: crate::text::escape_line(value),
            why,
        })?;
        if values.insert(param, value).is_some() {
            return Err(Refusal::Repeated(param.into()));
        }
    }
    match spec
        .params
        .keys()
        .find(|p| !values.contains_key(p.as_str()))
    {
        Some(param) => Err(Refusal::MissingParam {
            command: spec.name.clone(),
            param: param.clone(),
        }),
        None => Ok(values),
    }
}

/// The template with each placeholder replaced by its quoted value, in one pass over the
/// template: an inserted value is never read again, so it cannot bring in a placeholder.
fn fill(spec: &CommandSpec, values: &BTreeMap<&str, &str>) -> Result<String, Refusal> {
    let mut line = String::with_capacity(spec.run.len());
    for piece in template::pieces(&spec.run) {
        match piece {
            Piece::Text(text) => line.push_str(text),
            Piece::Param { name, .. } => {
                let value = values.get(name).ok_or_else(|| Refusal::MissingParam {
                    command: spec.name.clone(),
                    param: name.to_string(),
                })?;
                line.push_str(&quote(value));
            }
        }
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(run: &str, params: &[(&str, ParamType)]) -> CommandSpec {
        CommandSpec {
            name: "t".into(),
            description: None,
            run: run.into(),
            sudo: false,
            params: params
                .iter()
                .map(|(n, t)| (n.to_string(), t.clone()))
                .collect(),
            timeout: None,
        }
    }

    #[test]
    fn one_pass_never_reads_an_inserted_value_again() {
        let s = spec("diff {a} {b}", &[]);
        let values = BTreeMap::from([("a", "/x/{b}"), ("b", "$(id)")]);
        assert_eq!(fill(&s, &values).unwrap(), "diff '/x/{b}' '$(id)'");
        assert_eq!(quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn builtins_write_their_placeholders_bare_and_use_every_parameter() {
        for c in builtins() {
            let mut used = Vec::new();
            for piece in template::pieces(&c.run) {
                if let Piece::Param { name, inside } = piece {
                    assert_eq!(inside, None, "{}: `{{{name}}}` inside quotes", c.name);
                    assert!(c.params.contains_key(name), "{}: `{{{name}}}`", c.name);
                    used.push(name.to_string());
                }
            }
            used.sort();
            let declared: Vec<String> = c.params.keys().cloned().collect();
            assert_eq!(used, declared, "{}", c.name);
        }
    }

    #[test]
    fn a_parameter_given_twice_is_refused() {
        let s = spec("echo {w}", &[("w", ParamType::Unit)]);
        let args = ["w=a".to_string(), "w=b".to_string()];
        assert!(matches!(typed_values(&s, &args), Err(Refusal::Repeated(p)) if p == "w"));
    }
}
