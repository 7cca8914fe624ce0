//! Alerts: rules evaluated by `serve` on every heartbeat and on a timer, with hysteresis,
//! dependencies (an offline server's other alerts are not news) and a lifecycle (open,
//! acknowledged, resolved, stale). Each change of an alert's state that people should hear of
//! is handed to `notify` as an [`AlertEvent`], in the same transaction as the change.

pub(crate) mod event;

#[allow(unused_imports)] // Used by the rules and notify, being built on this contract.
pub(crate) use event::{AlertEvent, Severity, Transition};
