//! `homelabcmd alerts`: the alerts `serve` raised — list, `show` one with its history, `ack`,
//! `resolve`. Reads and writes the local store only; never connects anywhere.

use serde::Serialize;

use super::Context;
use crate::alerts::manage::{self, AlertError};
use crate::alerts::model::HistoryEntry;
use crate::alerts::report::{self, AlertJson};
use crate::alerts::{Alert, Severity};
use crate::error::{Error, Kind};
use crate::notify::{AlertDelivery, DeliveryState};
use crate::output::{Table, escape_line};
use crate::store::alerts::AlertFilter;

/// The alerts raised by `serve`: open, acknowledged and stale ones, newest first.
///
/// An alert opens when a rule's condition holds (disk, ram, cpu, offline, service,
/// container, updates, drift) and resolves by itself when it clears. `ack` says someone is on
/// it (no more reminders); `resolve` closes it by hand.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Option<AlertsCommand>,

    /// Resolved alerts too
    #[arg(long)]
    all: bool,

    /// Only this machine's alerts
    #[arg(long, value_name = "ID")]
    machine: Option<String>,

    /// Only alerts at or above this severity
    #[arg(long, value_parser = severity())]
    severity: Option<Severity>,
}

#[derive(Debug, clap::Subcommand)]
enum AlertsCommand {
    /// One alert in full, with its history
    Show(IdArgs),
    /// Acknowledge an alert: someone is on it; reminders stop
    Ack(IdArgs),
    /// Resolve an alert by hand (if its condition holds, serve opens a new one)
    Resolve(IdArgs),
}

#[derive(Debug, clap::Args)]
struct IdArgs {
    /// The alert's id (the first column of `homelabcmd alerts`)
    id: i64,
}

/// low, medium, high or critical.
pub(crate) fn severity() -> impl clap::builder::TypedValueParser<Value = Severity> {
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(Severity::ALL.map(Severity::as_str))
        .map(|text: String| Severity::parse(&text).expect("a listed severity"))
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    match args.command {
        None => list(cx, &args),
        Some(AlertsCommand::Show(a)) => show(cx, a.id),
        Some(AlertsCommand::Ack(a)) => ack(cx, a.id),
        Some(AlertsCommand::Resolve(a)) => resolve(cx, a.id),
    }
}

impl From<AlertError> for Error {
    fn from(e: AlertError) -> Self {
        match e {
            AlertError::Store(e) => e.into(),
            AlertError::NotFound(_) => Error::config(e.to_string())
                .hint("`homelabcmd alerts --all` lists them with their ids"),
            AlertError::Settled { .. } => Error::new(Kind::Config, e.to_string()),
        }
    }
}

fn list(cx: &Context, args: &Args) -> Result<(), Error> {
    let filter = AlertFilter {
        all: args.all,
        machine: args.machine.as_deref(),
        min_severity: args.severity,
    };
    let alerts = report::list(cx.existing_store()?.as_ref(), &filter)?;
    if cx.out.is_json() {
        let text = crate::monitor::report::json(&report::AlertList::of(&alerts))
            .map_err(super::history::json_error)?;
        return cx.out.print(&text);
    }
    if alerts.is_empty() {
        if !cx.out.quiet {
            let what = if args.all {
                "no alerts"
            } else {
                "no open alerts"
            };
            cx.out.print(&format!("{what}\n"))?;
        }
        return Ok(());
    }
    cx.out.print(&table(&alerts, cx).render(&cx.out))
}

/// ID, severity, status, machine, rule, subject, summary, opened, and how its messages fared.
pub(crate) fn table(alerts: &[Alert], cx: &Context) -> Table {
    let ids: Vec<i64> = alerts.iter().map(|a| a.id).collect();
    // A table without the column is better than no table when the store cannot say.
    let sent = cx
        .existing_store()
        .ok()
        .flatten()
        .and_then(|store| crate::notify::delivery_states(&store, &ids).ok())
        .unwrap_or_default();
    let mut t = Table::new(&[
        "ID", "SEVERITY", "STATUS", "MACHINE", "RULE", "SUBJECT", "SUMMARY", "OPENED", "NOTIFIED",
    ]);
    for a in alerts {
        t.row(vec![
            a.id.to_string(),
            a.severity.to_string(),
            a.status.to_string(),
            a.machine_id.clone(),
            a.rule.to_string(),
            a.subject.as_deref().map_or("-".into(), escape_line),
            escape_line(&a.summary),
            crate::monitor::state::ago(cx.now() - a.opened_at),
            notified(sent.get(&a.id).map_or(&[][..], Vec::as_slice)),
        ]);
    }
    t
}

/// One word for an alert's deliveries: the worst state of its latest transition's.
fn notified(deliveries: &[AlertDelivery]) -> String {
    let Some(last) = deliveries.last() else {
        return "-".into();
    };
    let latest: Vec<&AlertDelivery> = deliveries
        .iter()
        .filter(|d| d.transition == last.transition)
        .collect();
    let worst = [
        DeliveryState::ConfigError,
        DeliveryState::Failed,
        DeliveryState::Pending,
        DeliveryState::Delivered,
    ]
    .into_iter()
    .find(|s| latest.iter().any(|d| d.state == *s))
    .unwrap_or(DeliveryState::Delivered);
    format!("{} {}", last.transition, worst.as_str().replace('_', " "))
}

fn show(cx: &Context, id: i64) -> Result<(), Error> {
    let Some(store) = cx.existing_store()? else {
        return Err(AlertError::NotFound(id).into());
    };
    let (alert, history) = manage::show(&store, id)?;
    let deliveries = crate::notify::delivery_states(&store, &[id])?
        .remove(&id)
        .unwrap_or_default();
    if cx.out.is_json() {
        return show_json(cx, &alert, &history, &deliveries);
    }
    cx.out.print(&show_text(&alert, &history, &deliveries))
}

fn show_json(
    cx: &Context,
    alert: &Alert,
    history: &[HistoryEntry],
    deliveries: &[AlertDelivery],
) -> Result<(), Error> {
    #[derive(Serialize)]
    struct Entry<'a> {
        time: String,
        change: &'a str,
        by: &'a str,
        note: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct Sent<'a> {
        transition: &'a str,
        target: &'a str,
        state: DeliveryState,
        attempts: i64,
        last_status: Option<i64>,
        last_error: Option<&'a str>,
        delivered_at: Option<String>,
    }
    #[derive(Serialize)]
    struct Doc<'a> {
        #[serde(flatten)]
        alert: AlertJson<'a>,
        history: Vec<Entry<'a>>,
        deliveries: Vec<Sent<'a>>,
    }
    let history = history
        .iter()
        .map(|h| Entry {
            time: crate::clock::rfc3339(h.time),
            change: h.change.as_str(),
            by: &h.actor,
            note: h.note.as_deref(),
        })
        .collect();
    let deliveries = deliveries
        .iter()
        .map(|d| Sent {
            transition: d.transition.as_str(),
            target: &d.target,
            state: d.state,
            attempts: d.attempts,
            last_status: d.last_status,
            last_error: d.last_error.as_deref(),
            delivered_at: d.delivered_at.map(crate::clock::rfc3339),
        })
        .collect();
    cx.out.json(&Doc {
        alert: AlertJson::new(alert),
        history,
        deliveries,
    })
}

fn show_text(alert: &Alert, history: &[HistoryEntry], deliveries: &[AlertDelivery]) -> String {
    let mut text = format!(
        "alert {}: {} {} on {}\n",
        alert.id,
        alert.severity,
        escape_line(&alert.summary),
        alert.machine_id
    );
    let field = |name: &str, value: Option<&str>| {
        value.map_or(String::new(), |v| {
            format!("  {name:<10} {}\n", escape_line(v))
        })
    };
    text.push_str(&field("status", Some(alert.status.as_str())));
    text.push_str(&field("rule", Some(alert.rule.as_str())));
    text.push_str(&field("subject", alert.subject.as_deref()));
    text.push_str(&field("value", alert.value.as_deref()));
    text.push_str(&field("threshold", alert.threshold.as_deref()));
    text.push_str(&field("action", alert.action.as_deref()));
    text.push_str("history:\n");
    for h in history {
        let note = h
            .note
            .as_deref()
            .map_or(String::new(), |n| format!(" ({n})"));
        text.push_str(&format!(
            "  {}  {} by {}{}\n",
            crate::clock::rfc3339(h.time),
            h.change.as_str(),
            escape_line(&h.actor),
            escape_line(&note)
        ));
    }
    if !deliveries.is_empty() {
        text.push_str("notifications:\n");
    }
    for d in deliveries {
        let detail = match (&d.last_status, &d.last_error) {
            (_, Some(e)) => format!(": {}", escape_line(e)),
            (Some(s), None) => format!(": HTTP {s}"),
            (None, None) => String::new(),
        };
        text.push_str(&format!(
            "  {} to {}: {} after {} attempt{}{detail}\n",
            d.transition,
            escape_line(&d.target),
            d.state.as_str().replace('_', " "),
            d.attempts,
            if d.attempts == 1 { "" } else { "s" },
        ));
    }
    text
}

fn store_with(cx: &Context, id: i64) -> Result<crate::store::Store, Error> {
    cx.existing_store()?
        .ok_or_else(|| AlertError::NotFound(id).into())
}

fn ack(cx: &Context, id: i64) -> Result<(), Error> {
    let mut store = store_with(cx, id)?;
    let user = crate::audit::local_user();
    let alert = manage::acknowledge(&mut store, id, &user, cx.now())?;
    done(cx, &alert, "acknowledged")
}

fn resolve(cx: &Context, id: i64) -> Result<(), Error> {
    let mut store = store_with(cx, id)?;
    let user = crate::audit::local_user();
    let (alert, _) = manage::show(&store, id)?;
    // The display name for the message; the machine may have left the fleet since.
    let name = cx
        .fleet()
        .ok()
        .and_then(|(_, f)| f.machine(&alert.machine_id).map(|m| m.name.clone()))
        .unwrap_or_else(|| alert.machine_id.clone());
    let alert = manage::resolve(&mut store, id, &user, &name, cx.now())?;
    done(cx, &alert, "resolved")
}

fn done(cx: &Context, alert: &Alert, word: &str) -> Result<(), Error> {
    if cx.out.is_json() {
        return cx.out.json(&AlertJson::new(alert));
    }
    if cx.out.quiet {
        return Ok(());
    }
    cx.out.print(&format!(
        "alert {} {word}: {} on {}\n",
        alert.id,
        escape_line(&alert.summary),
        alert.machine_id
    ))
}
