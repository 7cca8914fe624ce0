//! Command-line arguments, parsed by hand from `std::env::args` (no clap: the binary stays
//! small). Owns the usage text.

use std::path::PathBuf;

pub(crate) const USAGE: &str = "\
Usage: homelabcmd-agent [--config PATH] [--once | --print]

Collects this machine's metrics and pushes them to the homelabcmd hub.

Options:
  --config PATH  KEY=VALUE settings (default /etc/homelabcmd/agent.conf if it exists);
                 HOMELAB_AGENT_* environment variables override it
  --once         collect one sample, push it with anything buffered, and exit
                 (exit 1 when the hub did not take everything)
  --print        collect one sample and print it as JSON, without sending
  --version      print the version
  -h, --help     print this help

Settings: HOMELAB_AGENT_HUB_URL, HOMELAB_AGENT_API_KEY, HOMELAB_AGENT_SERVER_ID (required
to push), HOMELAB_AGENT_HEARTBEAT_INTERVAL (seconds, 1-3600, default 60),
HOMELAB_AGENT_STATE_DIR (default /var/lib/homelabcmd-agent), HOMELAB_AGENT_BUFFER_MAX
(samples, default 10080), HOMELAB_AGENT_RETRY_DELAY_SECS (default 5),
HOMELAB_AGENT_DOCKER_SOCKET (default /var/run/docker.sock).
";

/// What the agent was asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Collect and push forever (until SIGTERM/SIGINT).
    Run,
    Once,
    Print,
    Version,
    Help,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Args {
    pub(crate) mode: Mode,
    /// `--config PATH`, if given.
    pub(crate) config: Option<PathBuf>,
}

/// Parses the arguments after the program name; the error is a one-line usage message.
pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut mode = Mode::Run;
    let mut config = None;
    let mut args = args.into_iter();
    let mut set_mode = |new: Mode, flag: &str| {
        if mode != Mode::Run && mode != new {
            return Err(format!("{flag} cannot be combined with another mode flag"));
        }
        mode = new;
        Ok(())
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--once" => set_mode(Mode::Once, "--once")?,
            "--print" => set_mode(Mode::Print, "--print")?,
            "--version" | "-V" => set_mode(Mode::Version, "--version")?,
            "--help" | "-h" => set_mode(Mode::Help, "--help")?,
            "--config" => {
                let path = args.next().ok_or("--config needs a PATH")?;
                config = Some(PathBuf::from(path));
            }
            other => match other.strip_prefix("--config=") {
                Some(path) if !path.is_empty() => config = Some(PathBuf::from(path)),
                _ => return Err(format!("unknown argument `{other}` (see --help)")),
            },
        }
    }
    Ok(Args { mode, config })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Args, String> {
        parse(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn modes_and_config() {
        assert_eq!(parse_strs(&[]).unwrap().mode, Mode::Run);
        let a = parse_strs(&["--once", "--config", "/x.conf"]).unwrap();
        assert_eq!(a.mode, Mode::Once);
        assert_eq!(a.config, Some(PathBuf::from("/x.conf")));
        let a = parse_strs(&["--config=/y", "--print"]).unwrap();
        assert_eq!((a.mode, a.config), (Mode::Print, Some(PathBuf::from("/y"))));
        assert_eq!(parse_strs(&["--version"]).unwrap().mode, Mode::Version);
    }

    #[test]
    fn errors() {
        assert!(parse_strs(&["--config"]).is_err());
        assert!(parse_strs(&["--once", "--print"]).is_err());
        assert!(parse_strs(&["--bogus"]).unwrap_err().contains("--bogus"));
    }
}
