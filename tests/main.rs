//! The one integration-test binary: each module covers one area, running the real
//! `homelabcmd` binary against throwaway fleet repositories with real git commits.

mod common;

mod actions;
mod adversarial;
mod agent;
mod agent_install;
mod alerts;
mod audit;

mod compliance;
mod cost;
mod discover_import;
mod discover_network;
mod discover_ssh;
mod discover_tailscale;
mod docs;
mod exec;
mod fleet_errors;
mod fleet_source;
mod init;
mod json;
mod monitor;
mod notify;
mod ops;
mod secrets;
mod store;
mod sync;
mod web;
