//! The cost report as a JSON document: `cost -o json` and `/api/v1/cost` both write this.
//! Money is a number with two decimals (rounded half-up from the exact figure, in the
//! report's `currency`); energy in kWh with three decimals; hours a day with two. Totals are
//! rounded from their exact sums, so they may differ by a penny from the rounded rows added.

use serde::Serialize;

use super::{CostReport, Excluded, MONTH_DAYS, MachineCost, Total};
use crate::fleet::MachineType;
use crate::monitor::state::State;

#[derive(Debug, Serialize)]
pub(crate) struct Doc<'a> {
    pub(crate) currency: &'a str,
    pub(crate) price_per_kwh: f64,
    pub(crate) month_days: u64,
    /// The period asked for (`30d`).
    pub(crate) since: String,
    /// Where the workstations' measured history begins (the period's start, or the hub's
    /// first sample if later); null when the hub has none.
    pub(crate) measured_from: Option<String>,
    pub(crate) to: String,
    /// Days of hub history the workstations were measured over, two decimals.
    pub(crate) history_days: Option<f64>,
    pub(crate) machines: Vec<MachineDoc<'a>>,
    pub(crate) totals: Totals,
}

#[derive(Debug, Serialize)]
pub(crate) struct MachineDoc<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    #[serde(rename = "type")]
    pub(crate) kind: MachineType,
    pub(crate) state: State,
    pub(crate) tdp_w: Option<u32>,
    pub(crate) hours_per_day: Option<f64>,
    pub(crate) kwh_per_day: Option<f64>,
    pub(crate) kwh_per_month: Option<f64>,
    pub(crate) cost_per_day: Option<f64>,
    pub(crate) cost_per_month: Option<f64>,
    /// Why it is not in the totals: `no_tdp_w`, `not_enough_history`; null when it is.
    pub(crate) excluded: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Totals {
    pub(crate) servers: TotalDoc,
    pub(crate) workstations: TotalDoc,
    pub(crate) all: TotalDoc,
}

#[derive(Debug, Serialize)]
pub(crate) struct TotalDoc {
    pub(crate) machines: usize,
    pub(crate) watts: u64,
    pub(crate) kwh_per_day: f64,
    pub(crate) kwh_per_month: f64,
    pub(crate) cost_per_day: f64,
    pub(crate) cost_per_month: f64,
    pub(crate) excluded: Vec<ExcludedDoc>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ExcludedDoc {
    pub(crate) id: String,
    pub(crate) reason: &'static str,
}

impl<'a> Doc<'a> {
    pub(crate) fn of(r: &'a CostReport) -> Self {
        let history = r.measured_from.map(|from| r.now - from);
        Doc {
            currency: &r.currency,
            price_per_kwh: r.price.number(),
            month_days: MONTH_DAYS,
            since: crate::fleet::fmt_duration(std::time::Duration::from_secs(r.since)),
            measured_from: r.measured_from.map(crate::clock::rfc3339),
            to: crate::clock::rfc3339(r.now),
            history_days: history.map(|h| (h.max(0) as f64 / 864.0).round() / 100.0),
            machines: r.machines.iter().map(MachineDoc::of).collect(),
            totals: Totals {
                servers: TotalDoc::of(&r.servers),
                workstations: TotalDoc::of(&r.workstations),
                all: TotalDoc::of(&r.all),
            },
        }
    }
}

impl<'a> MachineDoc<'a> {
    pub(crate) fn of(m: &'a MachineCost) -> Self {
        let number = |text: String| text.parse::<f64>().ok();
        MachineDoc {
            id: &m.id,
            name: &m.name,
            kind: m.kind,
            state: m.state,
            tdp_w: m.tdp_w,
            hours_per_day: m.on.and_then(|on| number(on.hours_per_day(2))),
            kwh_per_day: m.per_day.map(|e| e.kwh_number(3)),
            kwh_per_month: m.per_day.map(|e| (e * MONTH_DAYS).kwh_number(3)),
            cost_per_day: m.cost_per_day.map(|c| c.number()),
            cost_per_month: m.cost_per_day.map(|c| (c * MONTH_DAYS).number()),
            excluded: m.excluded.map(Excluded::as_str),
        }
    }
}

impl TotalDoc {
    fn of(t: &Total) -> Self {
        TotalDoc {
            machines: t.machines,
            watts: t.watts,
            kwh_per_day: t.per_day.kwh_number(3),
            kwh_per_month: (t.per_day * MONTH_DAYS).kwh_number(3),
            cost_per_day: t.cost_per_day.number(),
            cost_per_month: (t.cost_per_day * MONTH_DAYS).number(),
            excluded: t
                .excluded
                .iter()
                .map(|(id, why)| ExcludedDoc {
                    id: id.clone(),
                    reason: why.as_str(),
                })
                .collect(),
        }
    }
}
