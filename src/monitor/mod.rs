//! Monitoring: machine states from heartbeats (and, later, ingest, alerts and notifiers).

pub(crate) mod availability;
pub(crate) mod history;
pub(crate) mod ingest;
pub(crate) mod report;
pub(crate) mod simulate;
pub(crate) mod state;
pub(crate) mod status;
pub(crate) mod token;
