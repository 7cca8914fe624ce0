//! One SSH connection (russh): connect with a timeout, check the host key against the pinned
//! ones, authenticate along the credential chain, and run commands on the same session,
//! with sudo (passwordless, or validated with a password fed on stdin) and a per-command
//! timeout; a command's own input is streamed on the channel's stdin.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::ChannelMsg;
use russh::client::{self, Handle};
use russh::keys::agent::client::AgentClient;
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg, PublicKey};

use super::RemoteError;
use super::known_hosts::fingerprint;

/// The most output kept per stream of one command.
const OUTPUT_LIMIT: usize = 4 << 20;

/// Where and how to reach one machine.
#[derive(Clone)]
pub(crate) struct Target {
    pub(crate) machine: String,
    pub(crate) address: String,
    pub(crate) port: u16,
    pub(crate) user: String,
    /// An explicit key; None walks the chain: ssh-agent, then ~/.ssh/id_ed25519 and id_rsa.
    pub(crate) identity: Option<Identity>,
    pub(crate) sudo_password: Option<Arc<String>>,
    pub(crate) connect_timeout: Duration,
    pub(crate) command_timeout: Duration,
    /// The keys pinned in known_hosts for this address and port.
    pub(crate) pinned: Vec<PublicKey>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Target({}@{}:{} for {})",
            self.user, self.address, self.port, self.machine
        )
    }
}

/// A private key given explicitly.
#[derive(Clone)]
pub(crate) enum Identity {
    File(PathBuf),
    /// Key text from the encrypted secrets (never printed).
    Text(Arc<String>),
}

/// What a command did.
#[derive(Debug, Clone, Default)]
pub(crate) struct Output {
    pub(crate) exit: Option<u32>,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
    pub(crate) duration: Duration,
}

/// Checks the server's key against the pinned ones and remembers what was offered.
struct Pins {
    pinned: Vec<PublicKey>,
    offered: Arc<Mutex<Option<PublicKey>>>,
    /// Accept anything (used only to fetch a key for `hosts trust`).
    fetch_only: bool,
}

impl client::Handler for Pins {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        let russh::keys::PublicKeyOrCertificate::PublicKey { key, .. } = key else {
            return Ok(false); // host certificates are not pinned here
        };
        if let Ok(mut slot) = self.offered.lock() {
            *slot = Some(key.clone());
        }
        if self.fetch_only {
            return Ok(false);
        }
        Ok(self.pinned.iter().any(|p| p.key_data() == key.key_data()))
    }
}

fn config(target: &Target) -> Arc<client::Config> {
    Arc::new(client::Config {
        inactivity_timeout: Some(target.command_timeout + Duration::from_secs(30)),
        keepalive_interval: Some(Duration::from_secs(15)),
        keepalive_max: 3,
        nodelay: true,
        ..Default::default()
    })
}

/// Open a TCP connection to the target with its connect timeout.
async fn tcp(target: &Target) -> Result<tokio::net::TcpStream, RemoteError> {
    tcp_to(&target.address, target.port, target.connect_timeout).await
}

/// `address:port`, with an IPv6 address in brackets.
fn socket_text(address: &str, port: u16) -> String {
    if address.contains(':') && !address.starts_with('[') {
        format!("[{address}]:{port}")
    } else {
        format!("{address}:{port}")
    }
}

/// Open a TCP connection within `timeout`, naming what went wrong.
async fn tcp_to(
    address: &str,
    port: u16,
    timeout: Duration,
) -> Result<tokio::net::TcpStream, RemoteError> {
    let addr = socket_text(address, port);
    let resolved = tokio::time::timeout(timeout, tokio::net::lookup_host(addr.clone()))
        .await
        .map_err(|_| RemoteError::ConnectTimeout {
            addr: addr.clone(),
            secs: timeout.as_secs(),
        })?
        .map_err(|_| RemoteError::Resolve {
            address: address.to_string(),
        })?
        .next()
        .ok_or_else(|| RemoteError::Resolve {
            address: address.to_string(),
        })?;
    match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(resolved)).await {
        Err(_) => Err(RemoteError::ConnectTimeout {
            addr,
            secs: timeout.as_secs(),
        }),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Err(RemoteError::Refused { addr })
        }
        Ok(Err(e)) => Err(RemoteError::Ssh(format!("cannot connect to {addr}: {e}"))),
        Ok(Ok(stream)) => {
            let _ = stream.set_nodelay(true);
            Ok(stream)
        }
    }
}

/// The host key the machine offers, without authenticating (for `hosts trust`).
pub(crate) async fn fetch_host_key(target: &Target) -> Result<PublicKey, RemoteError> {
    host_key_at(&target.address, target.port, target.connect_timeout)
        .await?
        .ok_or_else(|| RemoteError::Ssh(format!("{} offered no host key", target.machine)))
}

/// The host key an SSH server at `address:port` offers in the key exchange, without
/// authenticating (the exchange is abandoned once the key is seen), within `timeout`.
/// `Ok(None)`: it connected but no key came (not SSH, or too slow).
pub(crate) async fn host_key_at(
    address: &str,
    port: u16,
    timeout: Duration,
) -> Result<Option<PublicKey>, RemoteError> {
    let stream = tcp_to(address, port, timeout).await?;
    let offered = Arc::new(Mutex::new(None));
    let pins = Pins {
        pinned: Vec::new(),
        offered: Arc::clone(&offered),
        fetch_only: true,
    };
    let config = Arc::new(client::Config {
        inactivity_timeout: Some(timeout),
        nodelay: true,
        ..Default::default()
    });
    let _ = tokio::time::timeout(timeout, client::connect_stream(config, stream, pins)).await;
    Ok(offered.lock().ok().and_then(|k| k.clone()))
}

/// An authenticated session with one machine, reused for every command sent to it.
pub(crate) struct Connection {
    handle: Handle<Pins>,
    pub(crate) target: Target,
}

impl Connection {
    pub(crate) async fn open(target: &Target) -> Result<Self, RemoteError> {
        let stream = tcp(target).await?;
        let offered = Arc::new(Mutex::new(None));
        let pins = Pins {
            pinned: target.pinned.clone(),
            offered: Arc::clone(&offered),
            fetch_only: false,
        };
        let connected = tokio::time::timeout(
            target.connect_timeout,
            client::connect_stream(config(target), stream, pins),
        )
        .await;
        let mut handle = match connected {
            Err(_) => {
                return Err(RemoteError::ConnectTimeout {
                    addr: format!("{}:{}", target.address, target.port),
                    secs: target.connect_timeout.as_secs(),
                });
            }
            Ok(Ok(handle)) => handle,
            Ok(Err(e)) => {
                let offered = offered.lock().ok().and_then(|k| k.clone());
                return Err(match offered {
                    Some(found) if target.pinned.is_empty() => RemoteError::HostKeyUnknown {
                        machine: target.machine.clone(),
                        fingerprint: fingerprint(&found),
                    },
                    Some(found)
                        if !target
                            .pinned
                            .iter()
                            .any(|p| p.key_data() == found.key_data()) =>
                    {
                        RemoteError::HostKeyChanged {
                            machine: target.machine.clone(),
                            expected: target
                                .pinned
                                .iter()
                                .map(fingerprint)
                                .collect::<Vec<_>>()
                                .join(", "),
                            found: fingerprint(&found),
                        }
                    }
                    _ => RemoteError::Ssh(format!(
                        "SSH handshake with {} failed: {e}",
                        target.machine
                    )),
                });
            }
        };
        authenticate(&mut handle, target).await?;
        Ok(Self {
            handle,
            target: target.clone(),
        })
    }

    /// Run `command` (already quoted for the remote shell); with `sudo`, through sudo. The
    /// command's stdin is empty.
    pub(crate) async fn run(&self, command: &str, sudo: bool) -> Result<Output, RemoteError> {
        self.run_with_input(command, sudo, Vec::new(), self.target.command_timeout)
            .await
    }

    /// Run `command` with `input` on its stdin (streamed in chunks as the channel's window
    /// allows, while its output is read), within `timeout`.
    ///
    /// With sudo and a password, the login shell reads the password line first (`read` takes
    /// exactly one line) and hands it to `sudo -S -v` alone; the command then runs under
    /// `sudo -n` with the rest of the stream as its own stdin. The password never reaches the
    /// command, even when sudo needs none (NOPASSWD, or credentials still cached).
    pub(crate) async fn run_with_input(
        &self,
        command: &str,
        sudo: bool,
        input: Vec<u8>,
        timeout: Duration,
    ) -> Result<Output, RemoteError> {
        let start = Instant::now();
        let (line, stdin) = self.sudo_line(command, sudo, input);
        let run = async {
            let channel = self
                .handle
                .channel_open_session()
                .await
                .map_err(|e| RemoteError::Ssh(format!("cannot open a channel: {e}")))?;
            channel
                .exec(true, line.as_bytes())
                .await
                .map_err(|e| RemoteError::Ssh(e.to_string()))?;
            let (mut reader, writer) = channel.split();
            // The writer may wait for window space while the command writes output: both go
            // on at once, and a command that exits without reading its input ends the writer.
            let feed = AbortOnDrop(tokio::spawn(async move {
                if !stdin.is_empty() {
                    writer.data_bytes(stdin).await?;
                }
                writer.eof().await?;
                Ok::<_, russh::Error>(writer)
            }));
            let mut out = Output::default();
            while let Some(msg) = reader.wait().await {
                match msg {
                    ChannelMsg::Data { data } => keep(&mut out.stdout, &data),
                    ChannelMsg::ExtendedData { data, ext: 1 } => keep(&mut out.stderr, &data),
                    ChannelMsg::ExitStatus { exit_status } => out.exit = Some(exit_status),
                    _ => {}
                }
            }
            drop(feed);
            Ok::<_, RemoteError>(out)
        };
        let mut out = tokio::time::timeout(timeout, run).await.map_err(|_| {
            RemoteError::CommandTimeout {
                secs: timeout.as_secs(),
            }
        })??;
        out.duration = start.elapsed();
        if sudo && out.exit == Some(1) && sudo_refused(&out.stderr) {
            return Err(RemoteError::SudoRefused {
                machine: self.target.machine.clone(),
                detail: String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .find(|l| l.starts_with("sudo:"))
                    .unwrap_or_default()
                    .to_string(),
            });
        }
        Ok(out)
    }

    /// The line sent to the login shell, and what goes on the channel's stdin.
    fn sudo_line(&self, command: &str, sudo: bool, input: Vec<u8>) -> (String, Vec<u8>) {
        // HOME stays the SSH user's: `~/` in a command means that user's home.
        let as_root = format!("sudo -n -- env HOME=\"$HOME\" sh -c {}", quote(command));
        match (sudo, &self.target.sudo_password) {
            (false, _) => (command.to_string(), input),
            (true, None) => (as_root, input),
            (true, Some(password)) => {
                let mut stdin = Vec::with_capacity(password.len() + 1 + input.len());
                stdin.extend_from_slice(password.as_bytes());
                stdin.push(b'\n');
                stdin.extend_from_slice(&input);
                // `printf` is a builtin: the password is in no process's arguments. The last
                // sudo is not the shell's last command, so it is not exec'd and shares the
                // parent whose sudo timestamp `-v` just wrote.
                (
                    format!(
                        "IFS= read -r hlc_pw; printf '%s\\n' \"$hlc_pw\" | sudo -S -p '' -v; hlc_ok=$?; unset hlc_pw; [ $hlc_ok -eq 0 ] || {{ echo 'sudo: the sudo password was refused' >&2; exit 1; }}; {as_root}; exit $?"
                    ),
                    stdin,
                )
            }
        }
    }

    pub(crate) async fn close(self) {
        let _ = self
            .handle
            .disconnect(russh::Disconnect::ByApplication, "", "en")
            .await;
    }
}

/// A task stopped when its handle goes (the command ended, or timed out).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn keep(buf: &mut Vec<u8>, data: &[u8]) {
    let room = OUTPUT_LIMIT.saturating_sub(buf.len());
    buf.extend_from_slice(&data[..data.len().min(room)]);
}

fn sudo_refused(stderr: &[u8]) -> bool {
    String::from_utf8_lossy(stderr).lines().any(|line| {
        line.starts_with("sudo:")
            && [
                "password is required",
                "incorrect password",
                "no password was provided",
                "sudo password was refused",
                "not in the sudoers",
                "is not allowed",
                "may not run sudo",
                "no tty present",
            ]
            .iter()
            .any(|s| line.contains(s))
    })
}

/// Single-quote `s` for a POSIX shell.
pub(crate) fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// First match wins: an explicit key; else the ssh-agent; else ~/.ssh/id_ed25519, id_rsa.
async fn authenticate(handle: &mut Handle<Pins>, target: &Target) -> Result<(), RemoteError> {
    let user = target.user.clone();
    let mut tried = Vec::new();
    let rsa_hash = handle
        .best_supported_rsa_hash()
        .await
        .ok()
        .flatten()
        .flatten();
    if let Some(identity) = &target.identity {
        let key = load(identity)?;
        tried.push(match identity {
            Identity::File(p) => p.display().to_string(),
            Identity::Text(_) => "the key from the secrets".to_string(),
        });
        let ok = handle
            .authenticate_publickey(
                user.clone(),
                PrivateKeyWithHashAlg::new(Arc::new(key), rsa_hash),
            )
            .await
            .map(|r| r.success())
            .unwrap_or(false);
        return if ok {
            Ok(())
        } else {
            Err(auth_failed(target, &tried))
        };
    }
    if std::env::var_os("SSH_AUTH_SOCK").is_some()
        && let Ok(mut agent) = AgentClient::connect_env().await
    {
        let identities = agent.request_identities().await.unwrap_or_default();
        for id in identities {
            let russh::keys::agent::AgentIdentity::PublicKey { key, .. } = id else {
                continue;
            };
            tried.push(format!("ssh-agent key {}", fingerprint(&key)));
            let hash = if key.algorithm().is_rsa() {
                rsa_hash
            } else {
                None
            };
            if let Ok(r) = handle
                .authenticate_publickey_with(user.clone(), key, hash, &mut agent)
                .await
                && r.success()
            {
                return Ok(());
            }
        }
    }
    if let Some(home) = std::env::var_os("HOME") {
        for name in ["id_ed25519", "id_rsa"] {
            let path = PathBuf::from(&home).join(".ssh").join(name);
            if !path.is_file() {
                continue;
            }
            tried.push(path.display().to_string());
            let Ok(key) = russh::keys::load_secret_key(&path, None) else {
                continue;
            };
            if handle
                .authenticate_publickey(
                    user.clone(),
                    PrivateKeyWithHashAlg::new(Arc::new(key), rsa_hash),
                )
                .await
                .is_ok_and(|r| r.success())
            {
                return Ok(());
            }
        }
    }
    Err(auth_failed(target, &tried))
}

fn load(identity: &Identity) -> Result<PrivateKey, RemoteError> {
    match identity {
        Identity::File(path) => russh::keys::load_secret_key(path, None)
            .map_err(|e| RemoteError::Key(format!("cannot read the key {}: {e}", path.display()))),
        Identity::Text(text) => russh::keys::decode_secret_key(text, None).map_err(|_| {
            RemoteError::Key("the key in the secrets is not a usable private key".into())
        }),
    }
}

fn auth_failed(target: &Target, tried: &[String]) -> RemoteError {
    RemoteError::Auth {
        user: target.user.clone(),
        machine: target.machine.clone(),
        tried: if tried.is_empty() {
            "no key found".into()
        } else {
            tried.join(", ")
        },
    }
}
