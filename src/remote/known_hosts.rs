//! Pinned host keys: `known_hosts` at the root of the fleet repository, committed like the
//! rest of the fleet, in OpenSSH's format (so `ssh -o UserKnownHostsFile=known_hosts` reads it
//! too). A key is looked up by the address and port homelabcmd connects to; the comment names
//! the machine.

use russh::keys::{HashAlg, PublicKey};

pub(crate) const FILE: &str = "known_hosts";

/// One pinned key.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// `address` for port 22, else `[address]:port` (OpenSSH's form).
    pub(crate) host: String,
    pub(crate) key: PublicKey,
}

/// All pinned keys of the fleet.
#[derive(Debug, Clone, Default)]
pub(crate) struct KnownHosts {
    pub(crate) entries: Vec<Entry>,
}

/// The host field for an address and port.
pub(crate) fn host_field(address: &str, port: u16) -> String {
    if port == 22 {
        address.to_string()
    } else {
        format!("[{address}]:{port}")
    }
}

/// `SHA256:…`, as `ssh-keygen -l` prints it.
pub(crate) fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

impl KnownHosts {
    /// The fleet's pinned keys, from the same commit (or work tree) as the fleet; with the
    /// numbers of lines that could not be read.
    pub(crate) fn from_snapshot(snapshot: &crate::fleet::Snapshot) -> (Self, Vec<usize>) {
        let text = snapshot
            .read(FILE)
            .ok()
            .flatten()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        Self::parse(&text)
    }

    /// Parse the file; lines that are not `host keytype base64 [comment]` are skipped (and
    /// returned, by line number, so the caller can warn).
    pub(crate) fn parse(text: &str) -> (Self, Vec<usize>) {
        let mut entries = Vec::new();
        let mut bad = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.splitn(2, char::is_whitespace);
            let (Some(hosts), Some(rest)) = (parts.next(), parts.next()) else {
                bad.push(i + 1);
                continue;
            };
            let Ok(key) = PublicKey::from_openssh(rest.trim()) else {
                bad.push(i + 1);
                continue;
            };
            for host in hosts.split(',') {
                entries.push(Entry {
                    host: host.to_string(),
                    key: key.clone(),
                });
            }
        }
        (Self { entries }, bad)
    }

    /// The keys pinned for this address and port.
    pub(crate) fn lookup(&self, address: &str, port: u16) -> Vec<&PublicKey> {
        let host = host_field(address, port);
        self.entries
            .iter()
            .filter(|e| e.host == host)
            .map(|e| &e.key)
            .collect()
    }

    /// The file's text with `key` pinned for the host, replacing what was pinned before for it.
    pub(crate) fn with(
        text: &str,
        address: &str,
        port: u16,
        key: &PublicKey,
        machine: &str,
    ) -> String {
        let host = host_field(address, port);
        let mut out = String::new();
        if text.trim().is_empty() {
            out.push_str(
                "# Host keys of the fleet, pinned by `homelabcmd hosts trust`. Commit this file.\n",
            );
        }
        for line in text.lines() {
            let first = line.split_whitespace().next().unwrap_or_default();
            if !line.trim_start().starts_with('#') && first.split(',').any(|h| h == host) {
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&Self::line(address, port, key, machine));
        out.push('\n');
        out
    }

    /// The line that pins `key` for the host, its comment naming the machine (no newline).
    pub(crate) fn line(address: &str, port: u16, key: &PublicKey, machine: &str) -> String {
        let mut key = key.clone();
        key.set_comment(machine);
        format!(
            "{} {}",
            host_field(address, port),
            key.to_openssh().unwrap_or_default()
        )
    }
}
