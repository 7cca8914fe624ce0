//! `homelabcmd machines`: the fleet's machines, with their run-time state when the store has it.

use serde::Serialize;

use super::Context;
use crate::error::Error;
use crate::fleet::{Machine, MachineType};
use crate::monitor::state::{State, ago};
use crate::output::{Color, Table};

/// List the machines of the fleet, in fleet.yaml order.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Only machines of this type
    #[arg(long = "type", value_name = "TYPE", value_parser = ["server", "workstation"])]
    kind: Option<String>,

    /// Only machines with this tag (repeat: all must match)
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,
}

/// One machine in `-o json`.
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: MachineType,
    state: State,
    paused: bool,
    last_seen: Option<String>,
    address: &'a str,
    connect: &'a str,
    tdp_w: Option<u32>,
    /// What it costs a 30-day month (see `cost`), in the document's currency; null when it
    /// cannot be told (no tdp_w, a workstation without enough history).
    cost_per_month: Option<f64>,
    location: Option<&'a str>,
    tags: &'a [String],
    services: &'a [String],
    packs: &'a [String],
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let (_, fleet) = cx.fleet()?;
    let store = cx.existing_store()?;
    let records = match &store {
        Some(store) => store.machine_records()?,
        None => Default::default(),
    };
    let now = cx.now();
    let costs = crate::cost::report(store.as_ref(), &fleet, crate::cost::DEFAULT_SINCE, now)?;
    let cost_of = |id: &str| costs.machines.iter().find(|c| c.id == id);
    let selected: Vec<&Machine> = fleet
        .machines
        .iter()
        .filter(|m| args.kind.as_deref().is_none_or(|k| m.kind.as_str() == k))
        .filter(|m| args.tag.iter().all(|t| m.tags.contains(t)))
        .collect();
    let rows: Vec<Row<'_>> = selected
        .iter()
        .map(|m| {
            let record = records.get(&m.id);
            let last_seen = record.and_then(|r| r.last_seen);
            Row {
                id: &m.id,
                name: &m.name,
                kind: m.kind,
                state: State::of(m.kind, last_seen, fleet.offline_after(m), now),
                paused: record.is_some_and(|r| r.is_paused(now)),
                last_seen: last_seen.map(crate::clock::rfc3339),
                address: &m.address,
                connect: m.connect.as_str(),
                tdp_w: m.tdp_w,
                cost_per_month: cost_of(&m.id)
                    .and_then(|c| c.cost_per_day)
                    .map(|c| (c * crate::cost::MONTH_DAYS).number()),
                location: m.location.as_deref(),
                tags: &m.tags,
                services: &m.services,
                packs: &m.packs,
            }
        })
        .collect();
    if cx.out.is_json() {
        #[derive(Serialize)]
        struct Doc<'a> {
            /// The currency of `cost_per_month`.
            currency: &'a str,
            machines: Vec<Row<'a>>,
        }
        return cx.out.json(&Doc {
            currency: &costs.currency,
            machines: rows,
        });
    }
    let mut table = Table::new(&[
        "ID",
        "NAME",
        "TYPE",
        "STATE",
        "ADDRESS",
        "TDP",
        "COST/MONTH",
        "TAGS",
        "PACKS",
    ]);
    for (row, m) in rows.iter().zip(&selected) {
        let last = records.get(&m.id).and_then(|r| r.last_seen);
        let (state, color) = match row.state {
            State::Online => ("online".to_string(), Some(Color::Green)),
            State::Offline => ("offline".to_string(), Some(Color::Red)),
            State::Away => (
                format!("last seen {}", ago(now - last.unwrap_or(now))),
                Some(Color::Dim),
            ),
            State::Unknown => ("unknown".to_string(), Some(Color::Dim)),
        };
        let state = if row.paused {
            format!("{state} (paused)")
        } else {
            state
        };
        table.styled_row(vec![
            (m.id.clone(), None),
            (m.name.clone(), None),
            (m.kind.as_str().to_string(), None),
            (state, color),
            (m.address.clone(), None),
            (
                m.tdp_w
                    .map(|w| format!("{w}W"))
                    .unwrap_or_else(|| "-".into()),
                None,
            ),
            (monthly(cost_of(&m.id), &costs.currency), None),
            (dash(&m.tags.join(",")), None),
            (dash(&m.packs.join(",")), None),
        ]);
    }
    cx.out.print(&table.render(&cx.out))
}

/// `£8.64`, `-` without tdp_w, `no history` for a workstation not yet measured.
fn monthly(cost: Option<&crate::cost::MachineCost>, currency: &str) -> String {
    match cost {
        Some(c) => match (c.cost_per_day, c.excluded) {
            (Some(day), _) => (day * crate::cost::MONTH_DAYS).show(currency),
            (None, Some(crate::cost::Excluded::NotEnoughHistory)) => "no history".into(),
            (None, _) => "-".into(),
        },
        None => "-".into(),
    }
}

fn dash(s: &str) -> String {
    if s.is_empty() {
        "-".into()
    } else {
        s.to_string()
    }
}
