//! What the fleet costs to run: each machine's watts (`tdp_w`) times the hours it is on times
//! the price of electricity (fleet.yaml `defaults.electricity`). Servers count 24 hours a day;
//! a workstation counts the hours its heartbeats cover over the period (`monitor::availability`),
//! per day of the period the hub has history for. Machines that cannot be costed (no `tdp_w`,
//! too little history) are listed with why and left out of the totals. A month is 30 days.

pub(crate) mod doc;
pub(crate) mod money;

use std::collections::HashMap;

use crate::fleet::{Fleet, Machine, MachineType};
use crate::monitor::availability;
use crate::monitor::state::State;
use crate::store::{Store, StoreError};

pub(crate) use money::{Energy, Money, Price};

const DAY: i64 = 86_400;
/// Days in the month that monthly figures are given for.
pub(crate) const MONTH_DAYS: u64 = 30;
/// The default period over which a workstation's hours are measured.
pub(crate) const DEFAULT_SINCE: u64 = 30 * 86_400;

/// Why a machine is left out of the totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Excluded {
    /// fleet.yaml gives it no `tdp_w`.
    NoTdp,
    /// A workstation that never sent a heartbeat, or a hub with less than a day of history.
    NotEnoughHistory,
}

impl Excluded {
    /// The JSON name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::NoTdp => "no_tdp_w",
            Self::NotEnoughHistory => "not_enough_history",
        }
    }

    /// As the table and the page say it.
    pub(crate) fn text(self) -> &'static str {
        match self {
            Self::NoTdp => "no tdp_w",
            Self::NotEnoughHistory => "not enough history",
        }
    }
}

/// How long a machine is on: `on` seconds of every `of` (a server: all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OnTime {
    pub(crate) on: u64,
    pub(crate) of: u64,
}

impl OnTime {
    const ALWAYS: OnTime = OnTime { on: 1, of: 1 };

    /// Hours a day with `places` decimals, rounded half-up.
    pub(crate) fn hours_per_day(self, places: u32) -> String {
        let scale = 24 * 10u128.pow(places);
        let units = money::round_half_up(u128::from(self.on) * scale, u128::from(self.of));
        money::decimal(units, places)
    }
}

/// One machine's figures.
#[derive(Debug, Clone)]
pub(crate) struct MachineCost {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) kind: MachineType,
    pub(crate) state: State,
    pub(crate) tdp_w: Option<u32>,
    /// None when it cannot be told (see `excluded`).
    pub(crate) on: Option<OnTime>,
    /// Energy a day; None when excluded.
    pub(crate) per_day: Option<Energy>,
    pub(crate) cost_per_day: Option<Money>,
    pub(crate) excluded: Option<Excluded>,
}

/// The sum over the machines of one kind (or all) that could be costed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Total {
    /// How many machines are counted.
    pub(crate) machines: usize,
    pub(crate) watts: u64,
    pub(crate) per_day: Energy,
    pub(crate) cost_per_day: Money,
    /// The machines left out, with why.
    pub(crate) excluded: Vec<(String, Excluded)>,
}

impl Total {
    fn add(&mut self, m: &MachineCost) {
        match (m.excluded, m.per_day, m.cost_per_day) {
            (None, Some(energy), Some(cost)) => {
                self.machines += 1;
                self.watts += u64::from(m.tdp_w.unwrap_or(0));
                self.per_day += energy;
                self.cost_per_day += cost;
            }
            (why, _, _) => self
                .excluded
                .push((m.id.clone(), why.unwrap_or(Excluded::NoTdp))),
        }
    }
}

/// The whole picture.
#[derive(Debug, Clone)]
pub(crate) struct CostReport {
    pub(crate) price: Price,
    pub(crate) currency: String,
    /// The period asked for, in seconds.
    pub(crate) since: u64,
    /// The start of the history the workstations were measured over: the period's start, or
    /// the hub's first sample if later (None: the hub has no history at all).
    pub(crate) measured_from: Option<i64>,
    pub(crate) now: i64,
    pub(crate) machines: Vec<MachineCost>,
    pub(crate) servers: Total,
    pub(crate) workstations: Total,
    pub(crate) all: Total,
}

/// Why a report cannot be made.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CostError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the electricity price {0} is not a price")]
    Price(f64),
}

/// The cost of every machine of the fleet (in fleet.yaml order) over `since` seconds up to
/// `now`, and the totals.
pub(crate) fn report(
    store: Option<&Store>,
    fleet: &Fleet,
    since: u64,
    now: i64,
) -> Result<CostReport, CostError> {
    let mut out = empty(fleet, since, now)?;
    let period = Period::of(store, since, now)?;
    out.measured_from = period.from;
    for m in &fleet.machines {
        let cost = machine_cost(fleet, m, &period, out.price)?;
        match m.kind {
            MachineType::Server => out.servers.add(&cost),
            MachineType::Workstation => out.workstations.add(&cost),
        }
        out.all.add(&cost);
        out.machines.push(cost);
    }
    Ok(out)
}

/// One machine's cost (the machine page), measured as `report` measures it.
pub(crate) fn machine(
    store: Option<&Store>,
    fleet: &Fleet,
    m: &Machine,
    since: u64,
    now: i64,
) -> Result<MachineCost, CostError> {
    let price = price(fleet)?;
    let period = Period::of(store, since, now)?;
    machine_cost(fleet, m, &period, price)
}

/// A report or None when the price is no price (which a validated fleet.yaml never has): for
/// the status page and /metrics, which show the rest without the cost figures.
pub(crate) fn or_none<T>(result: Result<T, CostError>) -> Result<Option<T>, StoreError> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(CostError::Store(e)) => Err(e),
        Err(CostError::Price(_)) => Ok(None),
    }
}

fn price(fleet: &Fleet) -> Result<Price, CostError> {
    let number = fleet.defaults.electricity.price_per_kwh;
    Price::from_number(number).ok_or(CostError::Price(number))
}

fn empty(fleet: &Fleet, since: u64, now: i64) -> Result<CostReport, CostError> {
    Ok(CostReport {
        price: price(fleet)?,
        currency: fleet.defaults.electricity.currency.clone(),
        since,
        measured_from: None,
        now,
        machines: Vec::new(),
        servers: Total::default(),
        workstations: Total::default(),
        all: Total::default(),
    })
}

/// The history workstations are measured over.
struct Period<'s> {
    store: Option<&'s Store>,
    /// Where the history begins within the period asked for (None: no history).
    from: Option<i64>,
    now: i64,
    /// The last heartbeat of each machine that has sent one.
    seen: HashMap<String, i64>,
}

impl<'s> Period<'s> {
    fn of(store: Option<&'s Store>, since: u64, now: i64) -> Result<Self, StoreError> {
        let mut period = Period {
            store,
            from: None,
            now,
            seen: Default::default(),
        };
        if let Some(s) = store {
            let start = now - i64::try_from(since).unwrap_or(i64::MAX / 2);
            period.from = s.first_sample_time()?.map(|first| first.max(start));
            period.seen = s
                .machine_records()?
                .into_values()
                .filter_map(|r| Some((r.machine_id, r.last_seen?)))
                .collect();
        }
        Ok(period)
    }

    /// The workstation's time on, or None when there is too little history to tell.
    fn on_time(&self, fleet: &Fleet, m: &Machine) -> Result<Option<OnTime>, StoreError> {
        let (Some(store), Some(from)) = (self.store, self.from) else {
            return Ok(None);
        };
        if self.now - from < DAY || !self.seen.contains_key(&m.id) {
            return Ok(None);
        }
        let threshold = fleet.offline_after(m).as_secs() as i64;
        let on = availability::on_secs(store, &m.id, threshold, from, self.now, self.now)?;
        Ok(Some(OnTime {
            on: on.max(0) as u64,
            of: (self.now - from) as u64,
        }))
    }
}

fn machine_cost(
    fleet: &Fleet,
    m: &Machine,
    period: &Period<'_>,
    price: Price,
) -> Result<MachineCost, CostError> {
    let on = match m.kind {
        MachineType::Server => Some(OnTime::ALWAYS),
        MachineType::Workstation => period.on_time(fleet, m)?,
    };
    let per_day = match (m.tdp_w, on) {
        (Some(w), Some(on)) => Some(Energy::per_day(w, on.on, on.of)),
        _ => None,
    };
    let excluded = match (m.tdp_w, on) {
        (None, _) => Some(Excluded::NoTdp),
        (_, None) => Some(Excluded::NotEnoughHistory),
        _ => None,
    };
    Ok(MachineCost {
        id: m.id.clone(),
        name: m.name.clone(),
        kind: m.kind,
        state: State::of(
            m.kind,
            period.seen.get(&m.id).copied(),
            fleet.offline_after(m),
            period.now,
        ),
        tdp_w: m.tdp_w,
        on,
        per_day,
        cost_per_day: per_day.map(|e| price.cost(e)),
        excluded,
    })
}
