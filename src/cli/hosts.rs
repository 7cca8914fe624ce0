//! `homelabcmd hosts trust MACHINE…`: pin machines' SSH host keys in known_hosts.

use std::io::{BufRead, IsTerminal, Write};

use super::Context;
use crate::audit::{self, Action, AuditRecord, CapturedOutput, Redacted};
use crate::error::{Error, Kind};
use crate::exec::targets::{self, Timeouts};
use crate::remote::known_hosts::{self, KnownHosts, fingerprint};
use crate::remote::session;

/// Host keys: pinned in `known_hosts` at the root of the fleet repository.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: HostsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum HostsCommand {
    /// Fetch machines' host keys, show their fingerprints and pin them in known_hosts.
    ///
    /// The file is written in the work tree, for you to review and commit; commands read the
    /// committed one. A machine whose pinned key differs is refused (exit 4): a changed key is
    /// never replaced silently — remove its line from known_hosts first if the change is real.
    Trust {
        /// Machines (ids from fleet.yaml)
        #[arg(required = true)]
        machines: Vec<String>,
        /// Pin without asking (needed when stdin is not a terminal)
        #[arg(long, short)]
        yes: bool,
    },
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let HostsCommand::Trust { machines, yes } = args.command;
    let (snapshot, fleet) = cx.fleet()?;
    let path = snapshot.root().join(known_hosts::FILE);
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    let runtime = super::runtime()?;
    // Fetching a host key needs no credentials: secrets are not decrypted for it.
    let no_secrets = |_: &str| Ok(std::sync::Arc::new(String::new()));
    let mut refused = Vec::new();
    let mut report = String::new();
    for id in &machines {
        let m = super::machine(&fleet, id)?;
        let (on_disk, _) = KnownHosts::parse(&text);
        let target = targets::target(&fleet, m, &on_disk, Timeouts::default(), &no_secrets)
            .map_err(|e| Error::new(Kind::Partial, e.to_string()))?;
        let key = runtime
            .block_on(session::fetch_host_key(&target))
            .map_err(|e| Error::new(Kind::Partial, format!("{id}: {e}")))?;
        let fp = fingerprint(&key);
        let pinned = on_disk.lookup(&m.address, target.port);
        if pinned.iter().any(|p| p.key_data() == key.key_data()) {
            report.push_str(&format!("{id}: already trusted ({fp})\n"));
            continue;
        }
        if !pinned.is_empty() {
            let was: Vec<String> = pinned.iter().map(|k| fingerprint(k)).collect();
            refused.push(format!(
                "{id}: the key CHANGED: pinned {}, offered {fp}",
                was.join(", ")
            ));
            continue;
        }
        if !yes
            && !confirm(&format!(
                "{id} ({}:{}) offers {} {fp}. Trust it?",
                m.address,
                target.port,
                key.algorithm()
            ))?
        {
            report.push_str(&format!("{id}: not trusted\n"));
            continue;
        }
        text = KnownHosts::with(&text, &m.address, target.port, &key, id);
        std::fs::write(&path, &text)
            .map_err(|e| Error::config(format!("cannot write {}: {e}", path.display())))?;
        let entry = AuditRecord {
            action: Action::Trust,
            machine: Some(id.clone()),
            name: "hosts trust".into(),
            command: Redacted::new(format!(
                "pin {} {fp} for {}:{}",
                key.algorithm(),
                m.address,
                target.port
            )),
            exit_code: Some(0),
            duration: None,
            output: CapturedOutput::new(),
            fleet_commit: snapshot.commit_id(),
        };
        cx.store()?
            .audit_append(&entry, cx.now(), &audit::local_user())?;
        report.push_str(&format!("{id}: trusted {} {fp}\n", key.algorithm()));
    }
    if !cx.out.quiet {
        cx.out.print(&report)?;
        if report.contains(": trusted ") {
            cx.out.print(&format!(
                "known_hosts updated in the work tree: review and commit {}\n",
                path.display()
            ))?;
        }
    }
    if refused.is_empty() {
        return Ok(());
    }
    let mut err = Error::new(
        Kind::Refused,
        format!(
            "{} host key{} changed",
            refused.len(),
            if refused.len() == 1 { "" } else { "s" }
        ),
    );
    for line in refused {
        err = err.details_line(line);
    }
    Err(err.hint("verify the new key out of band; if it is right, delete the old line from known_hosts and trust again"))
}

fn confirm(question: &str) -> Result<bool, Error> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::config("trusting a host key needs confirmation")
            .hint("check the fingerprint and pass --yes"));
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}
