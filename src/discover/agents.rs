//! `discover agents`: machines whose agents push heartbeats to the hub but that fleet.yaml
//! does not have — the store's unregistered machines, with the host name and OS their last
//! heartbeat reported. Their id is the machine id the agent sends, so that once imported
//! their heartbeats count for the new fleet machine.

use homelabcmd_proto::Sample;

use super::{Candidate, Origin, naming};
use crate::fleet::Fleet;
use crate::store::{Store, StoreError};

/// The unregistered machines of `store` (none without a store), sorted by id.
pub(crate) fn unregistered(
    store: Option<&Store>,
    fleet: &Fleet,
) -> Result<Vec<Candidate>, StoreError> {
    let Some(store) = store else {
        return Ok(Vec::new());
    };
    let records = store.machine_records()?;
    let latest = store.latest_samples()?;
    let mut found: Vec<Candidate> = records
        .values()
        .filter(|r| !r.registered && fleet.machine(&r.machine_id).is_none())
        .map(|r| {
            let sample = latest
                .get(&r.machine_id)
                .and_then(|(_, json)| serde_json::from_str::<Sample>(json).ok());
            let os = sample.as_ref().map(|s| &s.os);
            let system = os
                .map(|o| {
                    format!("{} {}", o.distribution, o.version)
                        .trim()
                        .to_string()
                })
                .filter(|s| !s.is_empty());
            Candidate {
                id: r.machine_id.clone(),
                hostname: os
                    .map(|o| o.hostname.clone())
                    .filter(|h| !h.is_empty())
                    .unwrap_or_else(|| r.machine_id.clone()),
                dns_name: None,
                // Heartbeats carry no addresses, and the hub does not record where they
                // came from.
                addresses: Vec::new(),
                os: system,
                origin: Origin::Agent,
                online: None,
                last_seen: r.last_seen.map(crate::clock::rfc3339),
                tags: Vec::new(),
                in_fleet: None,
                ssh: None,
            }
        })
        .collect();
    naming::settle(&mut found, fleet);
    Ok(found)
}
