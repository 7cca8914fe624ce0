//! Notifications: a durable outbox in the store, written in the same transaction as the alert
//! change it tells of, and (in `serve`) the loop that delivers it to Slack, webhooks and ntfy.
//!
//! `outbox` is the contract with `alerts`; `target` resolves fleet.yaml's targets (secrets
//! decrypted); `message` says what a notification reads; `format` puts it in each target's
//! wire format; `send` is one HTTP attempt and what its answer means; `delivery` keeps the
//! state of every delivery in the store; `deliver` is the loop; `test` is `notify test`.

mod deliver;
mod delivery;
mod format;
mod message;
pub(crate) mod outbox;
mod send;
mod target;
mod test;

use std::collections::BTreeMap;

pub(crate) use deliver::{EXTERNAL_URL_ENV, Options, spawn, wake};
pub(crate) use delivery::{AlertDelivery, DeliveryState};
pub(crate) use send::{Outcome, error_text, http_client};
pub(crate) use target::{Target, resolve};
pub(crate) use test::{TestError, TestResult, send_tests};

use crate::store::{Store, StoreError};

/// What stops notifications from starting.
#[derive(Debug, thiserror::Error)]
pub(crate) enum NotifyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Client(#[from] send::ClientError),
}

/// Each alert's deliveries (per transition and target: state, attempts, last error), for
/// `alerts` and `alerts show`. Alerts with none are absent.
pub(crate) fn delivery_states(
    store: &Store,
    alert_ids: &[i64],
) -> Result<BTreeMap<i64, Vec<AlertDelivery>>, StoreError> {
    delivery::delivery_states(store.conn(), alert_ids).map_err(|e| store.error(&e))
}
