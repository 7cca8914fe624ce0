//! The documents that `status -o json`, `status MACHINE -o json`, `history -o json` and the
//! hub's `/api/v1/*` all return: each built here from the store and the fleet, and encoded by
//! the one `json` function, so the CLI and the API cannot drift apart.

use homelabcmd_proto::Sample;
use serde::Serialize;

use super::history::{self, Metric, SeriesPoint};
use super::status::{self, FleetStatus, MachineStatus};
use crate::fleet::{Fleet, Machine};
use crate::store::{Store, StoreError};

/// Everything known about one machine: its status row, the network rate and the newest sample.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MachineDetail {
    #[serde(flatten)]
    pub(crate) status: MachineStatus,
    /// All interfaces together, from the two newest samples.
    pub(crate) network_rate: Option<NetRate>,
    /// The newest sample, as the agent sent it.
    pub(crate) sample: Option<Sample>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct NetRate {
    pub(crate) rx_bytes_per_sec: f64,
    pub(crate) tx_bytes_per_sec: f64,
}

/// One metric of one machine over a period.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct History {
    pub(crate) machine: String,
    pub(crate) metric: String,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) points: Vec<SeriesPoint>,
    #[serde(skip)]
    pub(crate) from_unix: i64,
}

/// The fleet's status; a missing store means nothing heard yet.
pub(crate) fn fleet(
    store: Option<&Store>,
    fleet: &Fleet,
    now: i64,
) -> Result<FleetStatus, StoreError> {
    let (records, latest, compliance) = match store {
        Some(s) => (s.machine_records()?, s.latest_samples()?, s.compliance()?),
        None => Default::default(),
    };
    Ok(status::fleet_status(
        fleet,
        &records,
        &latest,
        &compliance,
        now,
    ))
}

/// One machine's detail.
pub(crate) fn machine(
    store: Option<&Store>,
    fleet: &Fleet,
    m: &Machine,
    now: i64,
) -> Result<MachineDetail, StoreError> {
    let Some(store) = store else {
        let status = status::machine_status(fleet, m, None, None, now);
        return Ok(MachineDetail {
            status,
            network_rate: None,
            sample: None,
        });
    };
    let record = store.machine_record(&m.id)?;
    let sample = store
        .latest_samples()?
        .remove(&m.id)
        .and_then(|(_, json)| serde_json::from_str::<Sample>(&json).ok());
    let mut row = status::machine_status(fleet, m, record.as_ref(), sample.as_ref(), now);
    row.compliance = store.compliance()?.get(&m.id).map(status::Compliance::of);
    let network_rate = match &sample {
        Some(_) => {
            let points = store.points(&m.id, now - 2 * 3600, now + 3600)?;
            match points.as_slice() {
                [.., a, b] => crate::store::metrics::rates(a, b).map(|(rx, tx)| NetRate {
                    rx_bytes_per_sec: rx,
                    tx_bytes_per_sec: tx,
                }),
                _ => None,
            }
        }
        None => None,
    };
    Ok(MachineDetail {
        status: row,
        network_rate,
        sample,
    })
}

/// `metric` of `machine` over the last `since_secs` seconds.
pub(crate) fn history(
    store: Option<&Store>,
    machine: &Machine,
    metric: &Metric,
    since_secs: u64,
    now: i64,
) -> Result<History, StoreError> {
    let (from, to) = (now - since_secs as i64, now + 1);
    let points = match store {
        Some(store) => history::series(store, &machine.id, metric, from, to, now)?,
        None => Vec::new(),
    };
    Ok(History {
        machine: machine.id.clone(),
        metric: metric.label(),
        from: crate::clock::rfc3339(from),
        to: crate::clock::rfc3339(now),
        points,
        from_unix: from,
    })
}

/// The one encoding of these documents: pretty JSON and a final newline.
pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}
