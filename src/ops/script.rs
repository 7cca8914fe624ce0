//! The shell run on a machine to look at, install and remove its agent. Each script is fixed
//! text after a prelude of variables whose values are quoted once (`session::quote`); file
//! contents travel on stdin as `compliance::apply`'s records, never in an argument. Every
//! script runs through sudo and is idempotent.

use super::layout::{Layout, SERVICE};
use crate::remote::session::quote;

/// The prelude: the layout's paths and the init system, as shell variables.
fn prelude(layout: &Layout, init: &str) -> String {
    format!(
        "b={}\nc={}\nu={}\ns={}\ninit={}\nsvc={}\np=\"$s/agent.pid\"\nl=\"$s/agent.log\"\n",
        quote(&layout.bin()),
        quote(&layout.config()),
        quote(&layout.unit()),
        quote(&layout.state()),
        quote(init),
        quote(SERVICE),
    )
}

/// What is there: one `key=value` line each (see [`Probe::parse`]). Changes nothing.
const PROBE: &str = r#"printf 'arch=%s\n' "$(uname -m)"
if [ -d /run/systemd/system ]; then echo init=systemd; else echo init=none; fi
if command -v systemctl >/dev/null 2>&1; then echo systemctl=yes; fi
sum() { sha256sum < "$1" | cut -d ' ' -f 1; }
if [ -f "$b" ]; then printf 'bin=%s\n' "$(sum "$b")"; printf 'version=%s\n' "$("$b" --version 2>/dev/null | head -n 1)"; fi
if [ -f "$c" ]; then printf 'config=%s\n' "$(sum "$c")"; fi
if [ -f "$u" ]; then printf 'unit=%s\n' "$(sum "$u")"; fi
if [ -d "$s" ]; then echo state=yes; fi
if [ -f "$p" ] && kill -0 "$(cat "$p")" 2>/dev/null; then echo running=process; fi
if [ -f "$u" ] && command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then echo running=systemd; fi
exit 0
"#;

pub(crate) fn probe(layout: &Layout) -> String {
    format!("{}{PROBE}", prelude(layout, "-"))
}

/// After the files are written (`apply::CHANGES` reads them from stdin): the state directory,
/// then the service (re)started. `$changed` is 1 when a file was written.
const START: &str = r#"mkdir -p -- "$s"
chmod 0700 -- "$s"
stop_process() {
  if [ -f "$p" ]; then
    pid=$(cat "$p")
    kill "$pid" 2>/dev/null || true
    n=0; while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
    rm -f -- "$p"
  fi
}
case $init in
systemd)
  if [ "$changed" = 1 ]; then systemctl daemon-reload; fi
  systemctl enable --quiet "$svc"
  if [ "$changed" = 1 ]; then systemctl restart "$svc"; else systemctl start "$svc"; fi
  echo started=systemd ;;
none)
  if [ -f "$p" ] && kill -0 "$(cat "$p")" 2>/dev/null; then
    [ "$changed" = 1 ] || { echo started=already; exit 0; }
    stop_process
  fi
  cd "$s"
  nohup setsid "$b" --config "$c" >> "$l" 2>&1 < /dev/null &
  echo $! > "$p"
  echo started=process ;;
esac
"#;

/// The install script: writes what stdin brings, then starts the service.
pub(crate) fn install(layout: &Layout, init: &str, changed: bool) -> String {
    format!(
        "{}changed={}\n{}{START}",
        prelude(layout, init),
        u8::from(changed),
        crate::compliance::apply::CHANGES
    )
}

/// Stop and disable the agent, then delete everything it had: nothing is kept.
const REMOVE: &str = r#"set -u
if [ -f "$p" ]; then
  pid=$(cat "$p")
  kill "$pid" 2>/dev/null || true
  n=0; while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
fi
if [ -f "$u" ] && command -v systemctl >/dev/null 2>&1; then
  systemctl disable --now --quiet "$svc" || true
  rm -f -- "$u"
  systemctl daemon-reload || true
fi
rm -f -- "$b" "$c" "$u"
rm -rf -- "$s"
rmdir -- "$(dirname -- "$c")" 2>/dev/null || true
echo removed=yes
"#;

pub(crate) fn remove(layout: &Layout) -> String {
    format!("{}{REMOVE}", prelude(layout, "-"))
}

/// What the probe found on a machine. Text from the machine: escape it before showing it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Probe {
    /// `uname -m`.
    pub(crate) uname: String,
    /// `/run/systemd/system` exists.
    pub(crate) systemd: bool,
    pub(crate) systemctl: bool,
    /// SHA-256 (hex) of the installed binary, config and unit.
    pub(crate) bin: Option<String>,
    pub(crate) config: Option<String>,
    pub(crate) unit: Option<String>,
    /// The installed binary's `--version` line.
    pub(crate) version_line: Option<String>,
    pub(crate) state_dir: bool,
    /// Running, and how: `process` or `systemd`.
    pub(crate) running: Option<String>,
}

impl Probe {
    pub(crate) fn parse(stdout: &[u8]) -> Self {
        let mut p = Self::default();
        for line in String::from_utf8_lossy(stdout).lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let value = value.trim().to_string();
            match key {
                "arch" => p.uname = value,
                "init" => p.systemd = value == "systemd",
                "systemctl" => p.systemctl = true,
                "bin" => p.bin = Some(value),
                "version" => p.version_line = Some(value),
                "config" => p.config = Some(value),
                "unit" => p.unit = Some(value),
                "state" => p.state_dir = true,
                "running" => p.running = Some(value),
                _ => {}
            }
        }
        p
    }

    /// Anything of an agent there at all.
    pub(crate) fn installed_anything(&self) -> bool {
        self.bin.is_some() || self.config.is_some() || self.unit.is_some() || self.state_dir
    }

    /// The installed agent's version: the second word of `homelabcmd-agent 0.1.0 (…)`.
    pub(crate) fn version(&self) -> Option<String> {
        let line = self.version_line.as_deref()?;
        let mut words = line.split_whitespace();
        (words.next()? == "homelabcmd-agent").then_some(())?;
        words.next().map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_is_read_back() {
        let p = Probe::parse(
            b"arch=aarch64\ninit=none\nsystemctl=yes\nbin=ab\nversion=homelabcmd-agent 0.1.0 (heartbeat protocol 1)\nstate=yes\nrunning=process\n",
        );
        assert_eq!(
            (
                p.uname.as_str(),
                p.systemd,
                p.version().as_deref(),
                p.running.as_deref()
            ),
            ("aarch64", false, Some("0.1.0"), Some("process"))
        );
        assert!(p.installed_anything());
        assert_eq!(Probe::parse(b"version=sh: not found\n").version(), None);
    }

    #[test]
    fn values_are_quoted_once_in_the_prelude() {
        let layout = Layout::new("/srv/a b").unwrap();
        let text = probe(&layout);
        assert!(
            text.starts_with("b='/srv/a b/usr/local/bin/homelabcmd-agent'\n"),
            "{text}"
        );
    }
}
