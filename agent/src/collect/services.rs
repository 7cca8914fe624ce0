//! The state of the systemd units the hub asked for, from one `systemctl show` call. Without
//! systemd (a container, a test box) every unit is reported as `unknown` / `no-systemd`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use homelabcmd_proto::ServiceState;

use crate::command;
use crate::log::log;

const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub(crate) struct ServiceChecker {
    /// `/`, or a fake root in tests.
    root: PathBuf,
}

impl ServiceChecker {
    pub(crate) fn new() -> ServiceChecker {
        ServiceChecker {
            root: PathBuf::from("/"),
        }
    }

    /// One entry per requested unit, in the requested order.
    pub(crate) fn states(&self, units: &[String]) -> Vec<ServiceState> {
        if units.is_empty() {
            return Vec::new();
        }
        let systemctl = ["usr/bin/systemctl", "bin/systemctl"]
            .into_iter()
            .map(|p| self.root.join(p))
            .find(|p| p.exists());
        // systemd's own test for "booted with systemd" (sd_booted).
        let booted = self.root.join("run/systemd/system").is_dir();
        let Some(systemctl) = systemctl.filter(|_| booted) else {
            return units.iter().map(|u| unknown(u, "no-systemd")).collect();
        };
        let valid: Vec<&String> = units.iter().filter(|u| valid_unit_name(u)).collect();
        let mut shown = Vec::new();
        if !valid.is_empty() {
            let mut cmd = Command::new(systemctl);
            cmd.args(["show", "-p", "Id", "-p", "LoadState", "-p", "ActiveState"])
                .args(["-p", "SubState", "--"])
                .args(&valid)
                .env("LC_ALL", "C");
            match command::run(&mut cmd, TIMEOUT) {
                Ok(out) if out.status.success() => shown = parse_show(&out.stdout, &valid),
                Ok(out) => log!(
                    "systemctl show failed ({}): {}",
                    out.status,
                    out.stderr.trim()
                ),
                Err(e) => log!("systemctl show {e}"),
            }
        }
        units
            .iter()
            .map(|u| {
                if !valid_unit_name(u) {
                    return unknown(u, "invalid-name");
                }
                shown
                    .iter()
                    .find(|s| &s.name == u)
                    .cloned()
                    .unwrap_or_else(|| unknown(u, "error"))
            })
            .collect()
    }
}

fn unknown(unit: &str, sub_state: &str) -> ServiceState {
    ServiceState {
        name: unit.to_owned(),
        active_state: "unknown".to_owned(),
        sub_state: sub_state.to_owned(),
    }
}

/// Characters systemd allows in unit names; also keeps option-like names (`-x`) out.
fn valid_unit_name(unit: &str) -> bool {
    !unit.is_empty()
        && unit.len() <= 255
        && !unit.starts_with('-')
        && unit
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ":-_.\\@".contains(c))
}

/// Parses `systemctl show` output: one block of `Key=value` lines per unit, in the order asked,
/// separated by blank lines. Blocks are matched to units by position when the counts agree,
/// else by `Id` (`plex` means `plex.service`).
fn parse_show(text: &str, units: &[&String]) -> Vec<ServiceState> {
    let blocks: Vec<HashMap<&str, &str>> = text
        .split("\n\n")
        .map(|block| {
            block
                .lines()
                .filter_map(|l| l.split_once('='))
                .collect::<HashMap<_, _>>()
        })
        .filter(|b| !b.is_empty())
        .collect();
    units
        .iter()
        .enumerate()
        .filter_map(|(i, unit)| {
            let block = if blocks.len() == units.len() {
                blocks.get(i)
            } else {
                let id = with_suffix(unit);
                blocks.iter().find(|b| b.get("Id") == Some(&id.as_str()))
            }?;
            let get = |k: &str| block.get(k).copied().unwrap_or("unknown").to_owned();
            let not_found = block.get("LoadState") == Some(&"not-found");
            Some(ServiceState {
                name: (*unit).clone(),
                active_state: if not_found {
                    "not-found".to_owned()
                } else {
                    get("ActiveState")
                },
                sub_state: get("SubState"),
            })
        })
        .collect()
}

fn with_suffix(unit: &str) -> String {
    const TYPES: [&str; 11] = [
        ".service",
        ".socket",
        ".target",
        ".timer",
        ".mount",
        ".automount",
        ".path",
        ".swap",
        ".slice",
        ".scope",
        ".device",
    ];
    if TYPES.iter().any(|t| unit.ends_with(t)) {
        unit.to_owned()
    } else {
        format!("{unit}.service")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{TempDir, write_script};

    const SHOW: &str = "\
Id=plex.service
LoadState=loaded
ActiveState=active
SubState=running

Id=sonarr.service
LoadState=loaded
ActiveState=failed
SubState=failed

Id=nosuch.service
LoadState=not-found
ActiveState=inactive
SubState=dead

Id=backup.timer
LoadState=loaded
ActiveState=active
SubState=waiting
";

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn parses_blocks_including_not_found() {
        let units = names(&["plex", "sonarr", "nosuch", "backup.timer"]);
        let refs: Vec<&String> = units.iter().collect();
        let got = parse_show(SHOW, &refs);
        let flat: Vec<(&str, &str, &str)> = got
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    s.active_state.as_str(),
                    s.sub_state.as_str(),
                )
            })
            .collect();
        assert_eq!(
            flat,
            [
                ("plex", "active", "running"),
                ("sonarr", "failed", "failed"),
                ("nosuch", "not-found", "dead"),
                ("backup.timer", "active", "waiting"),
            ]
        );
        // A block missing (counts differ): matched by Id instead.
        let units = names(&["gone", "backup.timer", "plex"]);
        let refs: Vec<&String> = units.iter().collect();
        let got = parse_show(SHOW, &refs);
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].name.as_str(), got[1].name.as_str()),
            ("backup.timer", "plex")
        );
    }

    #[test]
    fn without_systemd_everything_is_unknown() {
        let root = TempDir::new("services-none");
        let checker = ServiceChecker {
            root: root.path().to_owned(),
        };
        let got = checker.states(&names(&["ssh", "cron"]));
        assert_eq!(got.len(), 2);
        assert!(
            got.iter()
                .all(|s| s.active_state == "unknown" && s.sub_state == "no-systemd")
        );
        assert!(checker.states(&[]).is_empty());
    }

    #[test]
    fn runs_systemctl_show_with_the_units() {
        let root = TempDir::new("services-fake");
        std::fs::create_dir_all(root.path().join("run/systemd/system")).unwrap();
        let args = root.path().join("args");
        write_script(
            &root.path().join("usr/bin/systemctl"),
            &format!(
                "echo \"$@\" > {}\nprintf 'Id=ssh.service\\nLoadState=loaded\\nActiveState=active\\n\
                 SubState=running\\n\\nId=nope.service\\nLoadState=not-found\\n\
                 ActiveState=inactive\\nSubState=dead\\n'\n",
                args.display()
            ),
        );
        let checker = ServiceChecker {
            root: root.path().to_owned(),
        };
        let got = checker.states(&names(&["ssh", "bad name", "nope"]));
        assert_eq!(got[0].active_state, "active");
        assert_eq!(
            (got[1].active_state.as_str(), got[1].sub_state.as_str()),
            ("unknown", "invalid-name")
        );
        assert_eq!(got[2].active_state, "not-found");
        let argv = std::fs::read_to_string(args).unwrap();
        assert_eq!(
            argv.trim(),
            "show -p Id -p LoadState -p ActiveState -p SubState -- ssh nope"
        );
    }
}
