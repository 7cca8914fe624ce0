//! A fleet of real OpenSSH servers on loopback: each simulated host is its own `sshd` on
//! 127.0.0.N with its own host key, its own Unix user and home, and authorized_keys holding
//! the test's client key. Everything is torn down when the `SshFleet` is dropped: the sshd
//! processes the test started (and only those), the users, their homes and sudoers files.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

static NEXT: AtomicU32 = AtomicU32::new(1);

/// How a host's user may use sudo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sudo {
    None,
    NoPassword,
    Password(&'static str),
}

pub(crate) struct SshHost {
    pub(crate) name: String,
    pub(crate) address: String,
    pub(crate) port: u16,
    pub(crate) user: String,
    pub(crate) home: PathBuf,
    dir: PathBuf,
    child: Option<Child>,
}

pub(crate) struct SshFleet {
    _tmp: tempfile::TempDir,
    pub(crate) hosts: Vec<SshHost>,
    /// The client's private key, authorized on every host.
    pub(crate) key: PathBuf,
}

fn sh(cmd: &str, args: &[&str]) {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `SHA256:…` of a one-line public key, as `ssh-keygen -l` says it.
pub(crate) fn fingerprint_of(public_key: &str) -> String {
    let mut keygen = Command::new("ssh-keygen")
        .args(["-l", "-f", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut keygen.stdin.take().unwrap(), public_key.as_bytes()).unwrap();
    let out = keygen.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_whitespace().nth(1).unwrap().to_string()
}

fn free_port(address: &str) -> u16 {
    std::net::TcpListener::bind((address, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SshFleet {
    /// `sudo[i]` says how host i's user may use sudo.
    pub(crate) fn start(sudo: &[Sudo]) -> SshFleet {
        assert!(
            Path::new("/usr/sbin/sshd").is_file(),
            "openssh-server is not installed (.ci/run installs it)"
        );
        std::fs::create_dir_all("/run/sshd").unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let key = tmp.path().join("client_key");
        sh(
            "ssh-keygen",
            &[
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-C",
                "homelabcmd-test",
                "-f",
                key.to_str().unwrap(),
            ],
        );
        let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
        let mut hosts = Vec::new();
        for (i, mode) in sudo.iter().enumerate() {
            let n = NEXT.fetch_add(1, Ordering::SeqCst);
            let name = format!("host{}", i + 1);
            let user = format!("hlt{}x{n}", std::process::id() % 100_000);
            let address = format!("127.0.{}.{}", 1 + (n / 250) % 250, 2 + n % 250);
            let home = PathBuf::from(format!("/home/{user}"));
            let _ = Command::new("userdel").args(["-r", &user]).output();
            sh(
                "useradd",
                &["-m", "-d", home.to_str().unwrap(), "-s", "/bin/sh", &user],
            );
            // Not locked (`!`): sshd refuses locked accounts even for keys when PAM is off.
            sh("usermod", &["-p", "*", &user]);
            let ssh_dir = home.join(".ssh");
            std::fs::create_dir_all(&ssh_dir).unwrap();
            std::fs::write(ssh_dir.join("authorized_keys"), &public).unwrap();
            sh("chmod", &["700", ssh_dir.to_str().unwrap()]);
            sh(
                "chmod",
                &["600", ssh_dir.join("authorized_keys").to_str().unwrap()],
            );
            sh(
                "chown",
                &["-R", &format!("{user}:{user}"), ssh_dir.to_str().unwrap()],
            );
            match mode {
                Sudo::None => {}
                Sudo::NoPassword => write_sudoers(&user, "NOPASSWD: ALL"),
                Sudo::Password(pw) => {
                    let mut chpasswd = Command::new("chpasswd")
                        .stdin(Stdio::piped())
                        .spawn()
                        .unwrap();
                    use std::io::Write;
                    chpasswd
                        .stdin
                        .take()
                        .unwrap()
                        .write_all(format!("{user}:{pw}\n").as_bytes())
                        .unwrap();
                    assert!(chpasswd.wait().unwrap().success());
                    write_sudoers(&user, "ALL");
                }
            }
            let dir = tmp.path().join(&name);
            std::fs::create_dir_all(&dir).unwrap();
            let mut host = SshHost {
                name,
                port: free_port(&address),
                address,
                user,
                home,
                dir,
                child: None,
            };
            host.new_host_key();
            host.start();
            hosts.push(host);
        }
        SshFleet {
            _tmp: tmp,
            hosts,
            key,
        }
    }

    /// fleet.yaml for these hosts (ids host1, host2, …), plus `extra` at the end.
    pub(crate) fn fleet_yaml(&self, extra: &str) -> String {
        let mut out = String::from("version: 1\nmachines:\n");
        for h in &self.hosts {
            out.push_str(&format!(
                "  {}:\n    address: {}\n    ssh: {{ user: {}, port: {}, identity: {} }}\n",
                h.name,
                h.address,
                h.user,
                h.port,
                self.key.display()
            ));
        }
        out.push_str(extra);
        out
    }
}

fn write_sudoers(user: &str, rule: &str) {
    let path = format!("/etc/sudoers.d/{user}");
    std::fs::write(
        &path,
        format!("{user} ALL=(ALL) {rule}\nDefaults:{user} !requiretty\n"),
    )
    .unwrap();
    sh("chmod", &["440", &path]);
}

impl SshHost {
    /// Make a new host key (a "reinstalled" machine); takes effect at the next start.
    pub(crate) fn new_host_key(&mut self) {
        let key = self.dir.join("ssh_host_ed25519_key");
        let _ = std::fs::remove_file(&key);
        let _ = std::fs::remove_file(key.with_extension("pub"));
        sh(
            "ssh-keygen",
            &["-q", "-t", "ed25519", "-N", "", "-f", key.to_str().unwrap()],
        );
    }

    /// The host's public key as OpenSSH writes it on one line: `ssh-ed25519 AAAA…`.
    pub(crate) fn public_key(&self) -> String {
        let text = std::fs::read_to_string(self.dir.join("ssh_host_ed25519_key.pub")).unwrap();
        text.split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub(crate) fn start(&mut self) {
        let config = self.dir.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListenAddress {addr}\nHostKey {dir}/ssh_host_ed25519_key\nPidFile {dir}/sshd.pid\n\
                 AllowUsers {user}\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n\
                 PermitRootLogin no\nMaxStartups 200:30:400\nMaxSessions 100\nStrictModes yes\nLogLevel ERROR\n\
                 PrintMotd no\nAcceptEnv no\nPermitUserEnvironment PATH\nSubsystem sftp internal-sftp\n",
                port = self.port,
                addr = self.address,
                dir = self.dir.display(),
                user = self.user
            ),
        )
        .unwrap();
        sh("/usr/sbin/sshd", &["-t", "-f", config.to_str().unwrap()]);
        let child = Command::new("/usr/sbin/sshd")
            .args(["-D", "-e", "-f", config.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sshd starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect((self.address.as_str(), self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "sshd on {}:{} did not start",
                self.address,
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A directory of programs found before the system's, for this host's user and for
    /// sudo on its behalf (stand-ins for `uname`, `systemctl`): `~/bin`, put first on the
    /// PATH of its SSH sessions (`~/.ssh/environment`) and in sudo's `secure_path` for it.
    /// Takes effect for the next connection.
    pub(crate) fn bin_dir(&self) -> PathBuf {
        let bin = self.home.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let path = format!(
            "{}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            bin.display()
        );
        let env = self.home.join(".ssh/environment");
        std::fs::write(&env, format!("PATH={path}\n")).unwrap();
        sh(
            "chown",
            &[&format!("{0}:{0}", self.user), env.to_str().unwrap()],
        );
        let sudoers = format!("/etc/sudoers.d/{}", self.user);
        let mut rules = std::fs::read_to_string(&sudoers).unwrap_or_default();
        rules.push_str(&format!("Defaults:{} secure_path=\"{path}\"\n", self.user));
        std::fs::write(&sudoers, rules).unwrap();
        bin
    }

    pub(crate) fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for SshHost {
    fn drop(&mut self) {
        self.stop();
        let _ = Command::new("pkill")
            .args(["-KILL", "-u", &self.user])
            .output();
        let _ = std::fs::remove_file(format!("/etc/sudoers.d/{}", self.user));
        let _ = Command::new("userdel")
            .args(["-r", "-f", &self.user])
            .output();
    }
}
