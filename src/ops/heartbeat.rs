//! Waiting for the first heartbeat of agents just installed: the store's `last_seen` of each
//! machine, polled until it is newer than it was before the install (the hub writes it when
//! a heartbeat arrives), or until the timeout.

use std::collections::HashMap;
use std::time::Duration;

use crate::store::{Store, StoreError};

/// Whether an installed agent was heard from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub(crate) enum Heartbeat {
    /// Not waited for (`--no-wait`, nothing changed, or not installed).
    NotAwaited,
    /// The hub received one at `at` (unix seconds).
    Arrived { at: i64 },
    /// None within the wait.
    Missing,
}

/// How often the store is read while waiting.
const POLL: Duration = Duration::from_millis(100);

/// Each machine's `last_seen` now (None: never seen).
pub(crate) fn last_seen(store: &Store) -> Result<HashMap<String, Option<i64>>, StoreError> {
    Ok(store
        .machine_records()?
        .into_iter()
        .map(|(id, r)| (id, r.last_seen))
        .collect())
}

/// Wait until each of `machines` has a `last_seen` newer than in `before`, or `timeout`
/// passed; the heartbeat of each, in `machines`' order. `last_seen` is in whole seconds: a
/// heartbeat in the same second as the one before it is not told apart (the agent's next
/// one is).
pub(crate) async fn wait(
    store: &Store,
    machines: &[String],
    before: &HashMap<String, Option<i64>>,
    timeout: Duration,
) -> Result<Vec<Heartbeat>, StoreError> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let now = last_seen(store)?;
        let seen: Vec<Heartbeat> = machines
            .iter()
            .map(|id| {
                let was = before.get(id).copied().flatten();
                match now.get(id).copied().flatten() {
                    Some(at) if was.is_none_or(|w| at > w) => Heartbeat::Arrived { at },
                    _ => Heartbeat::Missing,
                }
            })
            .collect();
        let all = seen.iter().all(|h| *h != Heartbeat::Missing);
        if all || tokio::time::Instant::now() >= deadline {
            return Ok(seen);
        }
        tokio::time::sleep(POLL).await;
    }
}
