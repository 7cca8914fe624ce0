//! `homelabcmd apply`: bring machines to their packs — the plan first, then the change.

use std::io::{BufRead, IsTerminal, Write};

use super::Context;
use super::diff::{self, Selectors};
use crate::audit::{self, Action, AuditRecord, CapturedOutput, Redacted};
use crate::compliance::apply as scripts;
use crate::compliance::check::Checked;
use crate::compliance::execute::{self, Outcome};
use crate::error::{Error, Kind};
use crate::exec::targets::{self, Timeouts};
use crate::output::Color;

/// Apply the packs: write missing or changed files, create directories, fix modes, install
/// packages (one apt-get call, through sudo).
///
/// The plan is shown first ("will install 2 packages, write 3 files", with the diffs); on a
/// terminal you are asked, otherwise --yes is needed; --dry-run only shows it. Each machine is
/// probed again just before the change and refused if it no longer matches the plan; after the
/// change it is probed once more and reported compliant, or what is still not. Files are
/// written atomically. Every apply is in the audit trail with the fleet commit it applied.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    selectors: Selectors,
    /// Show the plan and change nothing
    #[arg(long)]
    dry_run: bool,
    /// Apply without asking (needed when stdin is not a terminal)
    #[arg(long, short)]
    yes: bool,
    /// Apply only if the plan is still this one (the id `--dry-run` printed)
    #[arg(long, value_name = "ID")]
    plan: Option<String>,
    /// Machines worked on at once
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..=1024))]
    concurrency: u16,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (snapshot, fleet) = cx.fleet()?;
    let _lock = super::lock(cx)?;
    let chosen = args.selectors.select(&fleet)?;
    let mut checked = diff::check(
        cx,
        &snapshot,
        &fleet,
        &chosen,
        usize::from(args.concurrency),
    )?;
    let summaries: Vec<Option<scripts::Summary>> = checked
        .iter()
        .map(|c| match (&c.want, &c.facts) {
            (Some(w), Some(f)) => Some(scripts::scripts(w, f, &c.mismatches).summary),
            _ => None,
        })
        .collect();
    let plan_id = plan_id(&checked);
    if !cx.out.quiet && !cx.out.is_json() {
        let text = diff::render(cx, &checked, false, |c| {
            let i = checked.iter().position(|x| x.id == c.id)?;
            summaries[i].filter(|s| !s.is_empty()).map(|s| s.sentence())
        });
        cx.out.print(&text)?;
        cx.out.print(&format!("plan {plan_id}\n"))?;
    }
    let todo: Vec<usize> = (0..checked.len())
        .filter(|&i| checked[i].state == "drift")
        .collect();
    if args.dry_run {
        if cx.out.is_json() {
            cx.out
                .json(&serde_json::json!({ "plan": plan_id, "machines": checked }))?;
        }
        return not_checked(&checked);
    }
    if let Some(expected) = &args.plan
        && *expected != plan_id
    {
        return Err(Error::new(
            Kind::Refused,
            format!("the plan is now {plan_id}, not {expected}: the machines changed"),
        )
        .hint("review it again with --dry-run"));
    }
    if todo.is_empty() {
        if !cx.out.quiet && !cx.out.is_json() {
            cx.out.print("nothing to apply\n")?;
        }
        return not_checked(&checked);
    }
    if !args.yes && !confirm(todo.len())? {
        return Err(Error::config("not applied"));
    }
    let known = cx.known_hosts(&snapshot);
    let secret = |name: &str| cx.secret(&snapshot, name);
    let mut tasks = Vec::new();
    for &i in &todo {
        let c = &checked[i];
        let m = fleet
            .machine(&c.id)
            .ok_or_else(|| Error::config(format!("unknown machine {}", c.id)))?;
        let target = targets::target(&fleet, m, &known, Timeouts::default(), &secret)
            .map_err(|e| Error::new(Kind::Partial, e.to_string()))?;
        tasks.push((
            c.id.clone(),
            target,
            c.want.clone().unwrap_or_default(),
            c.mismatches.clone(),
        ));
    }
    let runtime = super::runtime()?;
    let outcomes: Vec<(String, Outcome)> = runtime.block_on(async {
        let handles: Vec<_> = tasks
            .into_iter()
            .map(|(id, target, want, planned)| {
                tokio::spawn(async move { (id, execute::apply(target, want, planned).await) })
            })
            .collect();
        let mut out = Vec::new();
        for h in handles {
            if let Ok(r) = h.await {
                out.push(r);
            }
        }
        out
    });
    let store = cx.store()?;
    let user = audit::local_user();
    let mut text = String::new();
    let (mut failed, mut refused, mut remaining) = (0, 0, 0);
    for (id, outcome) in &outcomes {
        let (line, exit, output) = match outcome {
            Outcome::Applied {
                summary,
                remaining: left,
                output,
            } if left.is_empty() => (
                cx.out.paint(
                    &format!(
                        "✓ now compliant ({})",
                        summary.sentence().trim_start_matches("will ")
                    ),
                    Color::Green,
                ),
                Some(0),
                output.clone(),
            ),
            Outcome::Applied {
                remaining: left,
                output,
                ..
            } => {
                remaining += 1;
                let lines: Vec<String> = left.iter().map(|m| format!("\n  {}", m.line())).collect();
                (
                    cx.out.paint(
                        &format!("⚠ applied, still {} mismatch(es):", left.len()),
                        Color::Yellow,
                    ) + &lines.concat(),
                    Some(1),
                    output.clone(),
                )
            }
            Outcome::Changed { now } => {
                refused += 1;
                (cx.out.paint(&format!("✗ refused: the machine changed since the plan was shown ({} mismatches now); nothing changed", now.len()), Color::Red), None, Vec::new())
            }
            Outcome::Failed { step, exit, output } => {
                failed += 1;
                let first = String::from_utf8_lossy(output)
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .to_string();
                (
                    cx.out.paint(
                        &format!(
                            "✗ {step} failed (exit {}): {first}",
                            exit.map_or("-".into(), |e| e.to_string())
                        ),
                        Color::Red,
                    ),
                    exit.map(|e| e as i32),
                    output.clone(),
                )
            }
            Outcome::Unreachable(e) => {
                failed += 1;
                (
                    cx.out.paint(&format!("✗ {e}"), Color::Red),
                    None,
                    e.to_string().into_bytes(),
                )
            }
        };
        text.push_str(&format!("{id}  {line}\n"));
        let record = AuditRecord {
            action: Action::Apply,
            machine: Some(id.clone()),
            name: checked
                .iter()
                .find(|c| c.id == *id)
                .map(|c| c.packs.join(","))
                .unwrap_or_default(),
            command: Redacted::new(format!("apply plan {plan_id}")),
            exit_code: exit,
            duration: None,
            output: CapturedOutput::from(output.as_slice()),
            fleet_commit: snapshot.commit_id(),
        };
        store.audit_append(&record, cx.now(), &user)?;
    }
    // What the machines hold now, for `status` and `compliance`.
    for (id, outcome) in &outcomes {
        if let (Some(c), Outcome::Applied { remaining, .. }) =
            (checked.iter_mut().find(|c| c.id == *id), outcome)
        {
            c.state = if remaining.is_empty() {
                "compliant"
            } else {
                "drift"
            };
            c.mismatches = remaining.clone();
        }
    }
    diff::record(cx, &checked, snapshot.commit_id())?;
    if cx.out.is_json() {
        let rows: Vec<serde_json::Value> = outcomes
            .iter()
            .map(|(id, o)| {
                let (state, left) = match o {
                    Outcome::Applied { remaining, .. } if remaining.is_empty() => {
                        ("compliant", Vec::new())
                    }
                    Outcome::Applied { remaining, .. } => ("drift", remaining.clone()),
                    Outcome::Changed { now } => ("refused_changed", now.clone()),
                    Outcome::Failed { .. } => ("failed", Vec::new()),
                    Outcome::Unreachable(_) => ("not_checked", Vec::new()),
                };
                serde_json::json!({ "id": id, "state": state, "remaining": left })
            })
            .collect();
        cx.out
            .json(&serde_json::json!({ "plan": plan_id, "applied": rows }))?;
    } else if !cx.out.quiet {
        cx.out.print(&text)?;
    }
    if refused > 0 {
        return Err(Error::new(
            Kind::Refused,
            format!(
                "{refused} machine(s) changed since the plan; run apply again to see the new plan"
            ),
        ));
    }
    if failed > 0 {
        return Err(Error::new(
            Kind::Partial,
            format!("{failed} machine(s) failed; running apply again converges"),
        ));
    }
    if remaining > 0 {
        return Err(Error::new(
            Kind::Findings,
            format!("{remaining} machine(s) still drift after apply"),
        ));
    }
    not_checked(&checked)
}

/// Exit 3 when some machines could not be checked (they were listed).
fn not_checked(checked: &[Checked]) -> Result<(), Error> {
    let n = checked.iter().filter(|c| c.state == "not_checked").count();
    if n == 0 {
        return Ok(());
    }
    let kind = if checked.iter().any(|c| c.refused) {
        Kind::Refused
    } else {
        Kind::Partial
    };
    Err(Error::new(
        kind,
        format!("{n} of {} machines not checked", checked.len()),
    ))
}

/// A short id of the plan: the machines and their mismatches, hashed.
fn plan_id(checked: &[Checked]) -> String {
    let text = serde_json::to_string(
        &checked
            .iter()
            .map(|c| (&c.id, &c.mismatches))
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    crate::compliance::plan::sha256_hex(text.as_bytes())[..12].to_string()
}

fn confirm(n: usize) -> Result<bool, Error> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::config("apply needs confirmation")
            .hint("review the plan, then pass --yes (cron: `homelabcmd apply --all --yes`)"));
    }
    eprint!(
        "Apply to {n} machine{}? [y/N] ",
        if n == 1 { "" } else { "s" }
    );
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}
