//! Monitoring: machine states from heartbeats (and, later, ingest, alerts and notifiers).

pub(crate) mod state;
