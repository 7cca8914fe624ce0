//! `homelabcmd cost [--since 30d]`: what each machine and the fleet cost to run a day and a
//! month, at fleet.yaml's electricity price.

use super::Context;
use crate::cost::{self, CostReport, MONTH_DAYS, MachineCost, Total};
use crate::error::Error;
use crate::monitor::history;
use crate::output::{Color, Table};

/// Show what the fleet costs to run: per machine its watts (tdp_w), hours on a day, kWh and
/// cost a day and a month, and the totals for servers, workstations and all.
///
/// Servers count 24 hours a day. A workstation counts the time its heartbeats cover over
/// --since, per day of that period the hub has history for; with less than a day of
/// history, or no heartbeat ever, it says "not enough history" and is left out of the
/// totals, as is a machine without tdp_w. The price and currency are fleet.yaml's
/// `defaults.electricity`. A month is 30 days.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Measure workstations over this period: 7d, 30d, 90d… (at most 365d)
    #[arg(long, default_value = "30d", value_parser = since)]
    since: u64,
}

fn since(text: &str) -> Result<u64, String> {
    history::parse_since(text).map_err(str::to_string)
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (_, fleet) = cx.fleet()?;
    let store = cx.existing_store()?;
    let report = cost::report(store.as_ref(), &fleet, args.since, cx.now())?;
    if cx.out.is_json() {
        return cx.out.json(&cost::doc::Doc::of(&report));
    }
    let mut text = header(cx, &report);
    text.push_str(&machines(cx, &report));
    text.push('\n');
    text.push_str(&totals(cx, &report));
    cx.out.print(&text)
}

fn header(cx: &Context, r: &CostReport) -> String {
    let measured = match r.measured_from {
        Some(from) => format!(
            "workstations measured over {} days of history (--since {})",
            cost::money::decimal(
                cost::money::round_half_up((r.now - from).max(0) as u128, 8640),
                1
            ),
            crate::fleet::fmt_duration(std::time::Duration::from_secs(r.since))
        ),
        None => "no heartbeat history yet".into(),
    };
    let line = format!(
        "electricity {} {}/kWh · servers on 24 h a day · {measured} · a month is {MONTH_DAYS} days\n",
        r.price.text(),
        r.currency,
    );
    cx.out.paint(&line, Color::Dim)
}

fn machines(cx: &Context, r: &CostReport) -> String {
    let mut table = Table::new(&[
        "MACHINE",
        "TYPE",
        "WATTS",
        "HOURS/DAY",
        "KWH/DAY",
        "KWH/MONTH",
        "COST/DAY",
        "COST/MONTH",
        "NOTE",
    ]);
    for m in &r.machines {
        let dash = || "-".to_string();
        let note = m
            .excluded
            .map(|e| (e.text().to_string(), Some(Color::Yellow)));
        table.styled_row(vec![
            (m.id.clone(), None),
            (m.kind.as_str().to_string(), None),
            (m.tdp_w.map_or_else(dash, |w| format!("{w} W")), None),
            (m.on.map_or_else(dash, |on| on.hours_per_day(1)), None),
            (m.per_day.map_or_else(dash, |e| e.kwh(2)), None),
            (
                m.per_day.map_or_else(dash, |e| (e * MONTH_DAYS).kwh(2)),
                None,
            ),
            (money(r, m, 1), None),
            (money(r, m, MONTH_DAYS), None),
            note.unwrap_or_default(),
        ]);
    }
    table.render(&cx.out)
}

fn money(r: &CostReport, m: &MachineCost, days: u64) -> String {
    m.cost_per_day
        .map_or_else(|| "-".into(), |c| (c * days).show(&r.currency))
}

fn totals(cx: &Context, r: &CostReport) -> String {
    let mut table = Table::new(&[
        "TOTAL",
        "MACHINES",
        "WATTS",
        "KWH/DAY",
        "KWH/MONTH",
        "COST/DAY",
        "COST/MONTH",
        "EXCLUDED",
    ]);
    for (name, t) in [
        ("servers", &r.servers),
        ("workstations", &r.workstations),
        ("all", &r.all),
    ] {
        let excluded = excluded(t);
        table.styled_row(vec![
            (name.to_string(), Some(Color::Bold)),
            (t.machines.to_string(), None),
            (format!("{} W", t.watts), None),
            (t.per_day.kwh(2), None),
            ((t.per_day * MONTH_DAYS).kwh(2), None),
            (t.cost_per_day.show(&r.currency), None),
            ((t.cost_per_day * MONTH_DAYS).show(&r.currency), None),
            (excluded, None),
        ]);
    }
    table.render(&cx.out)
}

/// "-", or "laptoppro (not enough history), nas (no tdp_w)".
fn excluded(t: &Total) -> String {
    if t.excluded.is_empty() {
        return "-".into();
    }
    t.excluded
        .iter()
        .map(|(id, why)| format!("{id} ({})", why.text()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<cost::CostError> for Error {
    fn from(e: cost::CostError) -> Self {
        match e {
            cost::CostError::Store(e) => e.into(),
            e @ cost::CostError::Price(_) => Error::config(e.to_string())
                .hint("set `defaults.electricity.price_per_kwh` in fleet.yaml, e.g. 0.24"),
        }
    }
}
