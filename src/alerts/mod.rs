//! Alerts: rules evaluated by `serve` on every heartbeat and on a timer, with hysteresis,
//! dependencies (an offline server's other alerts are not news) and a lifecycle (open,
//! acknowledged, resolved, stale). Each change of an alert's state that people should hear of
//! is handed to `notify` as an [`AlertEvent`], in the same transaction as the change.

pub(crate) mod evaluate;
pub(crate) mod event;
pub(crate) mod manage;
pub(crate) mod model;
pub(crate) mod report;
pub(crate) mod rules;
pub(crate) mod tick;

pub(crate) use event::{AlertEvent, Severity, Transition};
pub(crate) use model::Alert;
