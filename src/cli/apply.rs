//! `homelabcmd apply`: bring machines to their packs — the plan first, then the change.

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use super::Context;
use super::drift::{Selectors, mismatch_lines, render};
use crate::audit;
use crate::compliance::check::{self, CheckState, Checked, Reach};
use crate::compliance::execute::Outcome;
use crate::compliance::run::{self, Applied, ApplyOptions, ApplyState};
use crate::error::{Error, Kind};
use crate::output::{Color, remote_text};

/// Apply the packs: write missing or changed files, create directories, fix modes and owners,
/// install packages (one apt-get call, through sudo).
///
/// The plan is shown first ("will install 2 packages, write 3 files", with the diffs); on a
/// terminal you are asked, otherwise --yes is needed; --dry-run only shows it. Each machine is
/// probed again just before the change and refused if it no longer matches the plan; after the
/// change it is probed once more and reported compliant, or what is still not. Files are
/// written atomically, their contents sent on stdin (never in a command line); a mode, owner or
/// group the pack leaves unset is kept from the file replaced. A symbolic link, directory or
/// other non-file where a file should be is never replaced: that machine is refused (exit 4)
/// and left untouched. Every apply is in the audit trail with the fleet commit it applied.
///
/// Exit 0 when every machine is compliant afterwards, 1 when some still drift, 3 when some
/// failed or could not be reached, 4 when some were refused.
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
    /// How long installing packages may take on one machine (e.g. 90s, 45m, 2h); other steps
    /// keep the SSH command timeout
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = duration)]
    timeout: Duration,
}

pub(crate) fn duration(text: &str) -> Result<Duration, String> {
    crate::fleet::parse_duration(text)
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("`{text}` is not a duration like 90s, 45m or 2h"))
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (snapshot, fleet) = cx.fleet()?;
    let _lock = super::lock(cx)?;
    let chosen = args.selectors.select(&fleet)?;
    let known = cx.known_hosts(&snapshot);
    let secret = |name: &str| cx.secret(&snapshot, name);
    let reach = Reach {
        snapshot: &snapshot,
        fleet: &fleet,
        known: &known,
        secret: &secret,
    };
    let concurrency = usize::from(args.concurrency);
    let runtime = super::runtime()?;
    let mut checked = runtime.block_on(check::check(&reach, &chosen, concurrency))?;
    let plan_id = run::plan_id(&checked);
    show_plan(cx, &checked, &plan_id)?;
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
    let todo = checked
        .iter()
        .filter(|c| c.state == CheckState::Drift)
        .count();
    if todo == 0 {
        if !cx.out.quiet && !cx.out.is_json() {
            cx.out.print("nothing to apply\n")?;
        }
        return not_checked(&checked);
    }
    if !args.yes && !confirm(todo)? {
        return Err(Error::config("not applied"));
    }
    let options = ApplyOptions {
        concurrency,
        package_timeout: args.timeout,
        plan_id: plan_id.clone(),
        user: audit::local_user(),
        now: cx.now(),
    };
    let mut store = cx.store()?;
    let applied = runtime.block_on(run::apply(&reach, &mut store, &mut checked, &options))?;
    report(cx, &plan_id, &applied)?;
    exit(&applied, &checked)
}

/// The plan: each machine, what apply will do there, and its mismatches.
fn show_plan(cx: &Context, checked: &[Checked], plan_id: &str) -> Result<(), Error> {
    if cx.out.quiet || cx.out.is_json() {
        return Ok(());
    }
    let text = render(cx, checked, false, |c| {
        run::summary(c)
            .filter(|s| !s.is_empty())
            .map(|s| s.sentence())
    });
    cx.out.print(&text)?;
    cx.out.print(&format!("plan {plan_id}\n"))
}

fn report(cx: &Context, plan_id: &str, applied: &[Applied]) -> Result<(), Error> {
    if cx.out.is_json() {
        let rows: Vec<serde_json::Value> = applied
            .iter()
            .map(|a| {
                let left = match &a.outcome {
                    Outcome::Applied { remaining, .. } => remaining.clone(),
                    Outcome::Changed { now } => now.clone(),
                    Outcome::Blocked { blocking } => blocking.clone(),
                    _ => Vec::new(),
                };
                serde_json::json!({ "id": a.id, "state": a.state(), "remaining": left })
            })
            .collect();
        return cx
            .out
            .json(&serde_json::json!({ "plan": plan_id, "applied": rows }));
    }
    if cx.out.quiet {
        return Ok(());
    }
    let mut text = String::new();
    for a in applied {
        text.push_str(&format!("{}  {}\n", a.id, outcome_line(cx, &a.outcome)));
        match &a.outcome {
            Outcome::Applied { remaining, .. } => mismatch_lines(cx, remaining, &mut text),
            Outcome::Blocked { blocking } => mismatch_lines(cx, blocking, &mut text),
            _ => {}
        }
    }
    cx.out.print(&text)
}

/// One line for a machine's outcome; what the machine said is escaped.
fn outcome_line(cx: &Context, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Applied {
            summary, remaining, ..
        } if remaining.is_empty() => cx.out.paint(
            &format!(
                "✓ now compliant ({})",
                summary.sentence().trim_start_matches("will ")
            ),
            Color::Green,
        ),
        Outcome::Applied { remaining, .. } => cx.out.paint(
            &format!("⚠ applied, still {} mismatch(es):", remaining.len()),
            Color::Yellow,
        ),
        Outcome::Changed { now } => cx.out.paint(
            &format!(
                "✗ refused: the machine changed since the plan was shown ({} mismatches now); nothing changed",
                now.len()
            ),
            Color::Red,
        ),
        Outcome::Blocked { .. } => cx.out.paint(
            "✗ refused: something else is where the packs want a file or directory; nothing changed",
            Color::Red,
        ),
        Outcome::Failed { step, exit, output } => {
            let text = remote_text(output);
            let last = text.lines().last().unwrap_or_default();
            cx.out.paint(
                &format!(
                    "✗ {step} failed (exit {}): {last}",
                    exit.map_or("-".into(), |e| e.to_string())
                ),
                Color::Red,
            )
        }
        Outcome::Unreachable(e) => cx.out.paint(
            &format!("✗ {}", crate::output::escape_line(&e.to_string())),
            Color::Red,
        ),
    }
}

/// Refused (4) before failed (3) before still drifting (1); then machines not checked.
fn exit(applied: &[Applied], checked: &[Checked]) -> Result<(), Error> {
    let count = |states: &[ApplyState]| {
        applied
            .iter()
            .filter(|a| states.contains(&a.state()))
            .count()
    };
    let refused = count(&[ApplyState::RefusedChanged, ApplyState::RefusedNotAFile]);
    let failed = count(&[ApplyState::Failed, ApplyState::NotChecked]);
    let remaining = count(&[ApplyState::Drift]);
    if refused > 0 {
        return Err(Error::new(
            Kind::Refused,
            format!(
                "{refused} machine(s) refused: changed since the plan, or something other than a file where the packs want one; nothing was changed there"
            ),
        )
        .hint("run apply again to see the new plan; move a link or directory out of the way by hand if it should go"));
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
    not_checked(checked)
}

/// Exit 3 when some machines could not be checked (they were listed).
fn not_checked(checked: &[Checked]) -> Result<(), Error> {
    let n = checked
        .iter()
        .filter(|c| c.state == CheckState::NotChecked)
        .count();
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
