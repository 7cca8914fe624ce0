//! Notifications: a durable outbox in the store, written in the same transaction as the alert
//! change it tells of, and (in `serve`) the loop that delivers it to Slack, webhooks and ntfy.

pub(crate) mod outbox;
