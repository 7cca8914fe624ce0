//! The agent's settings: the PRD's `HOMELAB_AGENT_*` variables, read from a KEY=VALUE file
//! (the same file systemd's `EnvironmentFile=` reads) and overridden by the environment.
//! Every error names the variable and where its value came from.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::log::log;

/// Read when `--config` is not given and the file exists.
pub(crate) const DEFAULT_CONFIG_PATH: &str = "/etc/homelabcmd/agent.conf";

const HUB_URL: &str = "HOMELAB_AGENT_HUB_URL";
const API_KEY: &str = "HOMELAB_AGENT_API_KEY";
const SERVER_ID: &str = "HOMELAB_AGENT_SERVER_ID";
const INTERVAL: &str = "HOMELAB_AGENT_HEARTBEAT_INTERVAL";
const STATE_DIR: &str = "HOMELAB_AGENT_STATE_DIR";
const BUFFER_MAX: &str = "HOMELAB_AGENT_BUFFER_MAX";
const RETRY_DELAY: &str = "HOMELAB_AGENT_RETRY_DELAY_SECS";
const DOCKER_SOCKET: &str = "HOMELAB_AGENT_DOCKER_SOCKET";
/// In the PRD; accepted and ignored (the machine id in fleet.yaml is the identity).
const SERVER_GUID: &str = "HOMELAB_AGENT_SERVER_GUID";

const KNOWN: [&str; 9] = [
    HUB_URL,
    API_KEY,
    SERVER_ID,
    INTERVAL,
    STATE_DIR,
    BUFFER_MAX,
    RETRY_DELAY,
    DOCKER_SOCKET,
    SERVER_GUID,
];

/// Where and as whom to push.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Hub {
    /// Without a trailing `/`, e.g. `http://127.0.0.1:8080`.
    pub(crate) url: String,
    /// The machine token, sent as `Authorization: Bearer <token>`.
    pub(crate) api_key: String,
    pub(crate) machine_id: String,
}

impl fmt::Debug for Hub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hub")
            .field("url", &self.url)
            .field("api_key", &"<redacted>")
            .field("machine_id", &self.machine_id)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Config {
    /// None only when it was not needed (`--print`) and not fully set.
    pub(crate) hub: Option<Hub>,
    pub(crate) interval: Duration,
    pub(crate) state_dir: PathBuf,
    /// Most samples kept in the spool; the oldest go first.
    pub(crate) buffer_max: usize,
    /// Pause between the tries of one push.
    pub(crate) retry_delay: Duration,
    pub(crate) docker_socket: PathBuf,
}

/// A configuration problem; its text names the variable. Exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigError(pub(crate) String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A value and where it came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Setting {
    value: String,
    origin: String,
}

/// Reads the file (the `--config` path, or the default one if it exists) and the
/// environment. `need_hub`: the three hub variables must be set.
pub(crate) fn load(explicit: Option<&Path>, need_hub: bool) -> Result<Config, ConfigError> {
    let file = match explicit {
        Some(path) => Some(read_file(path)?),
        None if Path::new(DEFAULT_CONFIG_PATH).exists() => {
            Some(read_file(Path::new(DEFAULT_CONFIG_PATH))?)
        }
        None => None,
    };
    let file = file.unwrap_or_default();
    resolve(&file, &|key| std::env::var(key).ok(), need_hub)
}

fn read_file(path: &Path) -> Result<BTreeMap<String, Setting>, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError(format!("cannot read config file {}: {e}", path.display())))?;
    parse_file(&text, &path.display().to_string())
}

/// Parses `KEY=VALUE` lines: blank lines and `#`/`;` comments skipped, an optional `export `,
/// values optionally in matching single or double quotes. Unknown keys are warned about.
fn parse_file(text: &str, name: &str) -> Result<BTreeMap<String, Setting>, ConfigError> {
    let mut out = BTreeMap::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            return Err(ConfigError(format!(
                "{name}:{}: expected KEY=VALUE, found `{line}`",
                n + 1
            )));
        };
        let key = key.trim();
        if !KNOWN.contains(&key) {
            log!("warning: {name}:{}: unknown setting {key} ignored", n + 1);
            continue;
        }
        let value = unquote(value.trim()).to_owned();
        let origin = format!("{name}:{}", n + 1);
        out.insert(key.to_owned(), Setting { value, origin });
    }
    Ok(out)
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

/// Merges file and environment (a non-empty environment value wins) and validates.
fn resolve(
    file: &BTreeMap<String, Setting>,
    env: &dyn Fn(&str) -> Option<String>,
    need_hub: bool,
) -> Result<Config, ConfigError> {
    let get = |key: &str| -> Option<Setting> {
        match env(key) {
            Some(value) if !value.trim().is_empty() => Some(Setting {
                value: value.trim().to_owned(),
                origin: "the environment".to_owned(),
            }),
            _ => file.get(key).filter(|s| !s.value.is_empty()).cloned(),
        }
    };
    let url = get(HUB_URL).map(|s| hub_url(&s)).transpose()?;
    let key = get(API_KEY).map(|s| api_key(&s)).transpose()?;
    let id = get(SERVER_ID).map(|s| s.value);
    let hub = match (url, key, id) {
        (Some(url), Some(api_key), Some(machine_id)) => Some(Hub {
            url,
            api_key,
            machine_id,
        }),
        (url, key, id) if need_hub => {
            let missing = [
                (HUB_URL, url.is_none()),
                (API_KEY, key.is_none()),
                (SERVER_ID, id.is_none()),
            ]
            .into_iter()
            .find_map(|(name, absent)| absent.then_some(name))
            .unwrap_or(HUB_URL);
            return Err(ConfigError(format!(
                "{missing} is not set (set it in the environment or in the config file, \
                 default {DEFAULT_CONFIG_PATH})"
            )));
        }
        _ => None,
    };
    let interval = number(INTERVAL, get(INTERVAL), 60, 1..=3600)?;
    let buffer_max = number(BUFFER_MAX, get(BUFFER_MAX), 10_080, 1..=10_000_000)?;
    let retry_delay = number(RETRY_DELAY, get(RETRY_DELAY), 5, 0..=3600)?;
    let path = |key: &str, default: &str| get(key).map_or_else(|| default.into(), |s| s.value);
    Ok(Config {
        hub,
        interval: Duration::from_secs(interval),
        state_dir: PathBuf::from(path(STATE_DIR, "/var/lib/homelabcmd-agent")),
        buffer_max: usize::try_from(buffer_max).unwrap_or(usize::MAX),
        retry_delay: Duration::from_secs(retry_delay),
        docker_socket: PathBuf::from(path(DOCKER_SOCKET, "/var/run/docker.sock")),
    })
}

fn number(
    key: &str,
    setting: Option<Setting>,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
) -> Result<u64, ConfigError> {
    let Some(s) = setting else { return Ok(default) };
    match s.value.parse::<u64>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(ConfigError(format!(
            "{key}={} (from {}) is not valid: expected a whole number from {} to {}",
            s.value,
            s.origin,
            range.start(),
            range.end()
        ))),
    }
}

fn hub_url(s: &Setting) -> Result<String, ConfigError> {
    let url = s.value.trim_end_matches('/');
    let host = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    match host {
        Some(h) if !h.is_empty() && !h.contains(char::is_whitespace) => Ok(url.to_owned()),
        _ => Err(ConfigError(format!(
            "{HUB_URL}={} (from {}) is not valid: expected a URL like http://hub.lan:8080",
            s.value, s.origin
        ))),
    }
}

fn api_key(s: &Setting) -> Result<String, ConfigError> {
    if s.value.chars().all(|c| c.is_ascii_graphic()) {
        Ok(s.value.clone())
    } else {
        Err(ConfigError(format!(
            "{API_KEY} (from {}) is not valid: it may hold only printable ASCII without spaces",
            s.origin
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# homelabcmd agent
HOMELAB_AGENT_HUB_URL=http://hub.lan:8080/
HOMELAB_AGENT_API_KEY=\"tok-123\"
export HOMELAB_AGENT_SERVER_ID='omv-mediaserver'

HOMELAB_AGENT_HEARTBEAT_INTERVAL=30
; another comment
HOMELAB_AGENT_SOMETHING_ELSE=1
";

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn file_values_and_defaults() {
        let file = parse_file(FILE, "agent.conf").unwrap();
        let c = resolve(&file, &env_of(&[]), true).unwrap();
        let hub = c.hub.unwrap();
        assert_eq!(hub.url, "http://hub.lan:8080");
        assert_eq!(hub.api_key, "tok-123");
        assert_eq!(hub.machine_id, "omv-mediaserver");
        assert_eq!(c.interval, Duration::from_secs(30));
        assert_eq!(c.state_dir, PathBuf::from("/var/lib/homelabcmd-agent"));
        assert_eq!(c.buffer_max, 10_080);
        assert_eq!(c.retry_delay, Duration::from_secs(5));
        assert_eq!(c.docker_socket, PathBuf::from("/var/run/docker.sock"));
        assert!(!format!("{hub:?}").contains("tok-123"));
    }

    #[test]
    fn environment_overrides_file() {
        let file = parse_file(FILE, "agent.conf").unwrap();
        let env = env_of(&[
            ("HOMELAB_AGENT_HEARTBEAT_INTERVAL", "3600"),
            ("HOMELAB_AGENT_SERVER_ID", "nas"),
            ("HOMELAB_AGENT_STATE_DIR", "/tmp/x"),
            ("HOMELAB_AGENT_API_KEY", ""),
        ]);
        let c = resolve(&file, &env, true).unwrap();
        assert_eq!(c.interval, Duration::from_secs(3600));
        let hub = c.hub.unwrap();
        assert_eq!(hub.machine_id, "nas");
        assert_eq!(
            hub.api_key, "tok-123",
            "an empty variable does not override"
        );
        assert_eq!(c.state_dir, PathBuf::from("/tmp/x"));
    }

    #[test]
    fn bad_values_name_the_variable_and_origin() {
        let file = parse_file(FILE, "agent.conf").unwrap();
        for bad in ["0", "3601", "abc", "-5", "1.5"] {
            let env = move |k: &str| (k == INTERVAL).then(|| bad.to_owned());
            let err = resolve(&file, &env, true).unwrap_err().0;
            assert!(err.contains("HOMELAB_AGENT_HEARTBEAT_INTERVAL"), "{err}");
            assert!(err.contains("the environment"), "{err}");
        }
        let file = parse_file("HOMELAB_AGENT_HEARTBEAT_INTERVAL=0\n", "a.conf").unwrap();
        let err = resolve(&file, &env_of(&[]), false).unwrap_err().0;
        assert!(err.contains("a.conf:1"), "{err}");
        let env = env_of(&[("HOMELAB_AGENT_HUB_URL", "hub.lan:8080")]);
        let err = resolve(&BTreeMap::new(), &env, false).unwrap_err().0;
        assert!(err.contains("HOMELAB_AGENT_HUB_URL"), "{err}");
    }

    #[test]
    fn missing_hub_settings() {
        let err = resolve(&BTreeMap::new(), &env_of(&[]), true).unwrap_err().0;
        assert!(err.contains("HOMELAB_AGENT_HUB_URL is not set"), "{err}");
        let env = env_of(&[
            ("HOMELAB_AGENT_HUB_URL", "http://h"),
            ("HOMELAB_AGENT_API_KEY", "k"),
        ]);
        let err = resolve(&BTreeMap::new(), &env, true).unwrap_err().0;
        assert!(err.contains("HOMELAB_AGENT_SERVER_ID is not set"), "{err}");
        // --print does not need the hub.
        assert_eq!(resolve(&BTreeMap::new(), &env, false).unwrap().hub, None);
    }

    #[test]
    fn malformed_line() {
        let err = parse_file("# ok\nnot a setting\n", "x.conf").unwrap_err().0;
        assert!(err.starts_with("x.conf:2:"), "{err}");
    }
}
