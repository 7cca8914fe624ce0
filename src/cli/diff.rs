//! `homelabcmd diff`: is each machine compliant with its packs? One SSH round trip per machine.

use super::Context;
use crate::compliance;
use crate::compliance::check::Checked;
use crate::compliance::plan::Mismatch;
use crate::error::{Error, Kind};
use crate::exec::targets::{self, Selection};
use crate::fleet::MachineType;
use crate::output::Color;
use crate::remote::fanout;
use crate::store::ComplianceRecord;

/// Show where machines drift from their packs: missing files, content (as a unified diff),
/// modes, owners, directories, packages and versions.
///
/// Exit 0 when every machine checked is compliant, 1 on drift, 3 when some machines could
/// not be checked (they are listed), 4 when a host key or login was refused. For cron:
/// `homelabcmd diff --all -q` prints nothing and tells by its exit code.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    selectors: Selectors,
    /// One summary line per machine, no details
    #[arg(long)]
    stat: bool,
    /// Machines checked at once
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..=1024))]
    concurrency: u16,
}

/// Which machines: names (machines or groups), or --all/--tag/--type.
#[derive(Debug, clap::Args)]
pub(crate) struct Selectors {
    /// Machines or groups
    machines: Vec<String>,
    /// Every machine of the fleet
    #[arg(long)]
    all: bool,
    /// Machines with this tag (repeat: all must match)
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,
    /// Only servers or only workstations
    #[arg(long = "type", value_name = "TYPE", value_parser = ["server", "workstation"])]
    kind: Option<String>,
}

impl Selectors {
    /// The machines chosen, in fleet.yaml order, each once.
    pub(crate) fn select<'f>(
        &self,
        fleet: &'f crate::fleet::Fleet,
    ) -> Result<Vec<&'f crate::fleet::Machine>, Error> {
        let by_flags = self.all || !self.tag.is_empty() || self.kind.is_some();
        let names: Vec<Option<String>> = if self.machines.is_empty() {
            vec![None]
        } else {
            self.machines.iter().cloned().map(Some).collect()
        };
        let mut chosen: Vec<&crate::fleet::Machine> = Vec::new();
        for name in names {
            let sel = Selection {
                name,
                all: self.all || (by_flags && !self.machines.is_empty()),
                tags: self.tag.clone(),
                kind: self.kind.as_deref().map(|k| {
                    if k == "server" {
                        MachineType::Server
                    } else {
                        MachineType::Workstation
                    }
                }),
            };
            for m in
                targets::select(fleet, &sel).map_err(|(msg, hint)| Error::config(msg).hint(hint))?
            {
                if !chosen.iter().any(|c| c.id == m.id) {
                    chosen.push(m);
                }
            }
        }
        Ok(chosen)
    }
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (snapshot, fleet) = cx.fleet()?;
    let _lock = super::lock(cx)?;
    let chosen = args.selectors.select(&fleet)?;
    let results = check(
        cx,
        &snapshot,
        &fleet,
        &chosen,
        usize::from(args.concurrency),
    )?;
    record(cx, &results, snapshot.commit_id())?;
    report(cx, &results, args.stat)
}

/// Keep the results in the store, for `status` and `compliance`.
pub(crate) fn record(
    cx: &Context,
    results: &[Checked],
    commit: Option<String>,
) -> Result<(), Error> {
    let now = cx.now();
    let records: Vec<ComplianceRecord> = results
        .iter()
        .map(|c| ComplianceRecord {
            machine_id: c.id.clone(),
            checked_at: now,
            fleet_commit: commit.clone(),
            state: c.state.to_string(),
            mismatches: serde_json::to_string(&c.mismatches).unwrap_or_else(|_| "[]".into()),
            error: c.error.clone(),
        })
        .collect();
    cx.store()?.record_compliance(&records)?;
    Ok(())
}

/// Probe and compare every machine (no packs: compliant without connecting).
pub(crate) fn check(
    cx: &Context,
    snapshot: &crate::fleet::Snapshot,
    fleet: &crate::fleet::Fleet,
    machines: &[&crate::fleet::Machine],
    concurrency: usize,
) -> Result<Vec<Checked>, Error> {
    let known = cx.known_hosts(snapshot);
    let secret = |name: &str| cx.secret(snapshot, name);
    let prepared = compliance::check::prepare(snapshot, fleet, machines, &known, &secret)
        .map_err(Error::config)?;
    let (jobs, pending) = prepared.split();
    let done = super::runtime()?.block_on(fanout::run(jobs, concurrency, |_, _| {}));
    Ok(pending.finish(done))
}

fn report(cx: &Context, results: &[Checked], stat: bool) -> Result<(), Error> {
    if cx.out.is_json() {
        cx.out.json(&serde_json::json!({ "machines": results }))?;
    } else if !cx.out.quiet {
        cx.out.print(&render(cx, results, stat, |_| None))?;
    }
    exit(cx, results)
}

/// The human report: a line per machine (`extra` may add to it) and its mismatches.
pub(crate) fn render(
    cx: &Context,
    results: &[Checked],
    stat: bool,
    extra: impl Fn(&Checked) -> Option<String>,
) -> String {
    {
        let mut t = String::new();
        let width = results.iter().map(|c| c.id.len()).max().unwrap_or(0);
        for c in results {
            let (mark, color) = match c.state {
                "compliant" => ("✓ compliant".to_string(), Color::Green),
                "drift" => (
                    format!(
                        "⚠ {} mismatch{}",
                        c.mismatches.len(),
                        if c.mismatches.len() == 1 { "" } else { "es" }
                    ),
                    Color::Yellow,
                ),
                _ => (
                    format!("✗ not checked: {}", c.error.as_deref().unwrap_or("?")),
                    Color::Red,
                ),
            };
            t.push_str(&format!(
                "{:width$}  {}{}\n",
                c.id,
                cx.out.paint(&mark, color),
                extra(c).map(|e| format!("  ({e})")).unwrap_or_default()
            ));
            if stat {
                continue;
            }
            for m in &c.mismatches {
                t.push_str(&format!("  {}\n", m.line()));
                if let Mismatch::ContentDiffers { diff, .. } = m {
                    for line in diff.lines() {
                        let color = match line.chars().next() {
                            Some('+') if !line.starts_with("+++") => Some(Color::Green),
                            Some('-') if !line.starts_with("---") => Some(Color::Red),
                            _ => None,
                        };
                        let line = format!("    {line}");
                        t.push_str(&color.map_or(line.clone(), |c| cx.out.paint(&line, c)));
                        t.push('\n');
                    }
                }
            }
        }
        t
    }
}

fn exit(cx: &Context, results: &[Checked]) -> Result<(), Error> {
    let drift = results.iter().filter(|c| c.state == "drift").count();
    let unchecked = results.iter().filter(|c| c.state == "not_checked").count();
    if unchecked > 0 {
        let kind = if results.iter().any(|c| c.refused) {
            Kind::Refused
        } else {
            Kind::Partial
        };
        return Err(Error::new(
            kind,
            format!("{unchecked} of {} machines not checked", results.len()),
        ));
    }
    if drift > 0 {
        let mut e = Error::new(
            Kind::Findings,
            format!(
                "{drift} of {} machines drift from their packs",
                results.len()
            ),
        );
        if cx.out.quiet {
            e.message.clear();
        }
        return Err(e);
    }
    Ok(())
}
