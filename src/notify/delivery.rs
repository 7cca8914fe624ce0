//! Delivery state in the store (migration 7): one `notify_delivery` row per (outbox row,
//! target that wants its severity), `pending` until it is `delivered`, `failed` (24 h without
//! success) or `config_error` (the receiver refused it, or the target cannot be used).
//!
//! The steps, each its own short transaction, so a `kill -9` between any two loses nothing:
//! `take_new` creates the rows of new outbox events (and moves the cursor); `gather` closes a
//! storm window, fixing the message key of its rows; `head` is the oldest message of a target
//! that is due; `record` writes what came of an attempt. A message whose attempt was not
//! recorded is sent again with the same key: at least once, and the receiver can tell.
//! Times here are real unix seconds (not `HOMELABCMD_NOW`): they schedule network retries.

use std::collections::BTreeMap;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use super::send::Outcome;
use super::target::Target;
use crate::alerts::{AlertEvent, Transition};

/// After this long undelivered, a message is given up as failed.
pub(crate) const GIVE_UP_AFTER: i64 = 24 * 3600;
/// The longest wait between two attempts (unless the receiver asks for longer).
const BACKOFF_MAX: u64 = 300;

/// The state of one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DeliveryState {
    Pending,
    Delivered,
    Failed,
    ConfigError,
}

impl DeliveryState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::ConfigError => "config_error",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "delivered" => Self::Delivered,
            "failed" => Self::Failed,
            "config_error" => Self::ConfigError,
            _ => Self::Pending,
        }
    }
}

impl std::fmt::Display for DeliveryState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A message that is due: its key, its events (in outbox order) and how it has fared.
#[derive(Debug, Clone)]
pub(crate) struct DueMessage {
    pub(crate) key: String,
    pub(crate) events: Vec<AlertEvent>,
    pub(crate) attempts: i64,
    pub(crate) queued_at: i64,
}

/// Create the deliveries of outbox rows not yet taken up; returns how many rows were read.
/// An event no target wants (by severity) gets none. A target whose URL cannot be used gets
/// its rows as `config_error` at once, with the reason.
pub(crate) fn take_new(conn: &Connection, targets: &[Target], now: i64) -> rusqlite::Result<usize> {
    let tx = conn.unchecked_transaction()?;
    let cursor: i64 = tx
        .query_row(
            "SELECT outbox_id FROM notify_cursor WHERE one = 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    let rows: Vec<(i64, String)> = tx
        .prepare("SELECT id, event FROM notify_outbox WHERE id > ?1 ORDER BY id LIMIT 1000")?
        .query_map([cursor], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let Some(&(last, _)) = rows.last() else {
        return Ok(0);
    };
    let mut insert = tx.prepare(
        "INSERT OR IGNORE INTO notify_delivery
           (outbox_id, target, state, queued_at, next_attempt_at, last_error)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
    )?;
    for (id, json) in &rows {
        // An event this version cannot read is skipped with a warning, not retried forever.
        let event: AlertEvent = match serde_json::from_str(json) {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(row = id, error = %e, "notify: an outbox row is not an alert event; skipped");
                continue;
            }
        };
        for target in targets.iter().filter(|t| t.wants(event.severity)) {
            let (state, error) = match &target.url {
                Ok(_) => (DeliveryState::Pending, None),
                Err(e) => (DeliveryState::ConfigError, Some(e.to_string())),
            };
            insert.execute(params![id, target.name, state.as_str(), now, error])?;
        }
    }
    drop(insert);
    tx.execute(
        "INSERT INTO notify_cursor (one, outbox_id) VALUES (1, ?1)
         ON CONFLICT (one) DO UPDATE SET outbox_id = excluded.outbox_id",
        [last],
    )?;
    tx.commit()?;
    Ok(rows.len())
}

/// Close the storm windows of `target` that have been open `window` long: every pending row
/// of the same transition gathered so far gets one message key (the event's own key when it
/// is alone, `storm-FIRSTROW-TRANSITION` for several). A zero window gathers nothing.
pub(crate) fn gather(
    conn: &Connection,
    target: &str,
    window: Duration,
    now: i64,
) -> rusqlite::Result<()> {
    let rows: Vec<(i64, i64, String, String, i64)> = conn
        .prepare(
            "SELECT d.id, o.id, o.key, json_extract(o.event, '$.transition'), d.queued_at
             FROM notify_delivery d JOIN notify_outbox o ON o.id = d.outbox_id
             WHERE d.target = ?1 AND d.state = 'pending' AND d.message_key IS NULL
             ORDER BY o.id",
        )?
        .query_map([target], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut groups: BTreeMap<String, Vec<(i64, i64, String, i64)>> = BTreeMap::new();
    for (delivery, outbox, key, transition, queued) in rows {
        groups
            .entry(transition)
            .or_default()
            .push((delivery, outbox, key, queued));
    }
    let tx = conn.unchecked_transaction()?;
    if window.is_zero() {
        // No storm window: each event is a message of its own.
        groups = groups
            .into_values()
            .flatten()
            .map(|row| (format!("single-{}", row.1), vec![row]))
            .collect();
    }
    for (transition, rows) in groups {
        let opened = rows.iter().map(|r| r.3).min().unwrap_or(now);
        if now - opened < window.as_secs() as i64 {
            continue;
        }
        let key = match rows.as_slice() {
            [(_, _, key, _)] => key.clone(),
            _ => format!("storm-{}-{transition}", rows[0].1),
        };
        for (delivery, ..) in &rows {
            tx.execute(
                "UPDATE notify_delivery SET message_key = ?1 WHERE id = ?2",
                params![key, delivery],
            )?;
        }
    }
    tx.commit()
}

/// The oldest pending message of `target` if it is due now. Later messages wait behind it,
/// so a target receives them in order (an alert's resolve never before its opening).
pub(crate) fn head(
    conn: &Connection,
    target: &str,
    now: i64,
) -> rusqlite::Result<Option<DueMessage>> {
    let found: Option<(String, i64, i64, i64)> = conn
        .query_row(
            "SELECT message_key, max(attempts), min(queued_at), max(next_attempt_at)
             FROM notify_delivery
             WHERE target = ?1 AND state = 'pending' AND message_key IS NOT NULL
             GROUP BY message_key ORDER BY min(outbox_id) LIMIT 1",
            [target],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((key, attempts, queued_at, next)) = found else {
        return Ok(None);
    };
    if next > now {
        return Ok(None);
    }
    let events = conn
        .prepare(
            "SELECT o.event FROM notify_delivery d JOIN notify_outbox o ON o.id = d.outbox_id
             WHERE d.target = ?1 AND d.message_key = ?2 AND d.state = 'pending' ORDER BY o.id",
        )?
        .query_map(params![target, key], |r| r.get::<_, String>(0))?
        .filter_map(|json| json.ok().and_then(|j| serde_json::from_str(&j).ok()))
        .collect();
    Ok(Some(DueMessage {
        key,
        events,
        attempts,
        queued_at,
    }))
}

/// What an attempt's outcome makes of a message's state: (state, next attempt time).
pub(crate) fn next_state(
    outcome: &Outcome,
    attempts_before: i64,
    queued_at: i64,
    now: i64,
) -> (DeliveryState, i64) {
    match outcome {
        Outcome::Delivered { .. } => (DeliveryState::Delivered, now),
        Outcome::Rejected { .. } => (DeliveryState::ConfigError, now),
        Outcome::Retry { after, .. } => {
            let backoff = 1u64 << attempts_before.clamp(0, 20);
            let delay = after
                .map(|a| a.as_secs().max(1))
                .unwrap_or(backoff.min(BACKOFF_MAX));
            let next = now + delay as i64;
            if next - queued_at > GIVE_UP_AFTER {
                (DeliveryState::Failed, now)
            } else {
                (DeliveryState::Pending, next)
            }
        }
    }
}

/// Write what came of an attempt at message `key` to `target`.
pub(crate) fn record(
    conn: &Connection,
    target: &str,
    message: &DueMessage,
    outcome: &Outcome,
    now: i64,
) -> rusqlite::Result<DeliveryState> {
    let (state, next) = next_state(outcome, message.attempts, message.queued_at, now);
    let (status, error) = match outcome {
        Outcome::Delivered { status } => (Some(*status), None),
        Outcome::Retry { status, error, .. } => (*status, Some(error.as_str())),
        Outcome::Rejected { status, error } => (Some(*status), Some(error.as_str())),
    };
    conn.execute(
        "UPDATE notify_delivery
         SET state = ?3, attempts = attempts + 1, next_attempt_at = ?4, last_status = ?5,
             last_error = ?6, delivered_at = CASE WHEN ?3 = 'delivered' THEN ?7 END
         WHERE target = ?1 AND message_key = ?2 AND state = 'pending'",
        params![
            target,
            message.key,
            state.as_str(),
            next,
            status,
            error,
            now
        ],
    )?;
    Ok(state)
}

/// ntfy: the sequence id a resolve should carry. When the alerts it resolves went out
/// together in one message to this target, and that message told of exactly them, the
/// resolve replaces it (its key); otherwise it is a notification of its own (its own key).
pub(crate) fn sequence_id(
    conn: &Connection,
    target: &str,
    key: &str,
    events: &[AlertEvent],
) -> rusqlite::Result<String> {
    if events.is_empty() || events.iter().any(|e| e.transition != Transition::Resolved) {
        return Ok(key.to_string());
    }
    let mut opened_in = std::collections::BTreeSet::new();
    for e in events {
        let opening = format!("alert-{}-opened", e.alert_id);
        let found: Option<Option<String>> = conn
            .query_row(
                "SELECT d.message_key FROM notify_delivery d
                 JOIN notify_outbox o ON o.id = d.outbox_id
                 WHERE d.target = ?1 AND o.key = ?2",
                params![target, opening],
                |r| r.get(0),
            )
            .optional()?;
        match found.flatten() {
            Some(k) => opened_in.insert(k),
            None => return Ok(key.to_string()),
        };
    }
    let opened_in: Vec<String> = opened_in.into_iter().collect();
    let [opened] = opened_in.as_slice() else {
        return Ok(key.to_string());
    };
    let members: i64 = conn.query_row(
        "SELECT count(*) FROM notify_delivery WHERE target = ?1 AND message_key = ?2",
        params![target, opened],
        |r| r.get(0),
    )?;
    Ok(if members == events.len() as i64 {
        opened.clone()
    } else {
        key.to_string()
    })
}

fn transition(text: &str) -> Transition {
    match text {
        "resolved" => Transition::Resolved,
        "reminder" => Transition::Reminder,
        "escalated" => Transition::Escalated,
        _ => Transition::Opened,
    }
}

/// Pending deliveries to targets no longer configured will never be sent: they become
/// configuration errors (shown by `alerts`), not pending forever.
pub(crate) fn orphans(conn: &Connection, targets: &[Target]) -> rusqlite::Result<usize> {
    let names: Vec<String> = targets.iter().map(|t| t.name.clone()).collect();
    let names = serde_json::to_string(&names).unwrap_or_else(|_| "[]".into());
    conn.execute(
        "UPDATE notify_delivery SET state = 'config_error',
             last_error = 'the target is no longer in fleet.yaml'
         WHERE state = 'pending' AND target NOT IN (SELECT value FROM json_each(?1))",
        [names],
    )
}

/// One alert transition's delivery to one target, for `alerts` to show.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct AlertDelivery {
    pub(crate) alert_id: i64,
    pub(crate) transition: Transition,
    pub(crate) target: String,
    pub(crate) state: DeliveryState,
    pub(crate) attempts: i64,
    pub(crate) last_status: Option<i64>,
    pub(crate) last_error: Option<String>,
    pub(crate) delivered_at: Option<i64>,
}

/// The deliveries of these alerts' transitions, per alert id (in outbox order). Alerts with
/// none (not yet taken up, or no target wanted them) are absent from the map.
pub(crate) fn delivery_states(
    conn: &Connection,
    alert_ids: &[i64],
) -> rusqlite::Result<BTreeMap<i64, Vec<AlertDelivery>>> {
    let mut stmt = conn.prepare(
        "SELECT json_extract(o.event, '$.alert_id') AS alert, json_extract(o.event, '$.transition'),
                d.target, d.state, d.attempts, d.last_status, d.last_error, d.delivered_at
         FROM notify_outbox o JOIN notify_delivery d ON d.outbox_id = o.id
         WHERE o.key >= ?2 AND o.key < ?3 AND json_extract(o.event, '$.alert_id') = ?1
         ORDER BY o.id, d.target",
    )?;
    let mut out: BTreeMap<i64, Vec<AlertDelivery>> = BTreeMap::new();
    for id in alert_ids {
        // The outbox keys of an alert are `alert-ID-…`: a range of the key's index.
        let (from, to) = (format!("alert-{id}-"), format!("alert-{id}."));
        let rows = stmt.query_map(params![id, from, to], |r| {
            Ok(AlertDelivery {
                alert_id: r.get(0)?,
                transition: transition(&r.get::<_, String>(1)?),
                target: r.get(2)?,
                state: DeliveryState::parse(&r.get::<_, String>(3)?),
                attempts: r.get(4)?,
                last_status: r.get(5)?,
                last_error: r.get(6)?,
                delivered_at: r.get(7)?,
            })
        })?;
        for row in rows {
            let row = row?;
            out.entry(row.alert_id).or_default().push(row);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::Severity;
    use crate::fleet::model::NotifyKind;
    use crate::notify::message::tests::event;
    use crate::notify::outbox::enqueue;
    use crate::notify::target::test_target;
    use crate::store::Store;

    fn delivered() -> Outcome {
        Outcome::Delivered { status: 200 }
    }

    #[test]
    fn deliveries_go_from_outbox_to_each_target_and_their_states_are_shown() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("h.db")).unwrap();
        let conn = store.conn();
        let targets = [
            test_target("all", NotifyKind::Ntfy, Severity::Low),
            test_target("pager", NotifyKind::Slack, Severity::Critical),
        ];
        let mut low = event(2, "nas", "updates", Transition::Opened);
        low.severity = Severity::Low;
        enqueue(conn, &event(1, "web", "service", Transition::Opened)).unwrap();
        enqueue(conn, &low).unwrap();
        assert_eq!(take_new(conn, &targets, 100).unwrap(), 2);
        assert_eq!(take_new(conn, &targets, 100).unwrap(), 0, "taken up once");

        // Window 30 s: nothing is due until it closes; then one storm message to `all`.
        gather(conn, "all", Duration::from_secs(30), 110).unwrap();
        assert!(head(conn, "all", 110).unwrap().is_none());
        gather(conn, "all", Duration::from_secs(30), 130).unwrap();
        let storm = head(conn, "all", 130).unwrap().unwrap();
        assert_eq!(storm.key, "storm-1-opened");
        assert_eq!(storm.events.len(), 2);
        record(conn, "all", &storm, &delivered(), 131).unwrap();

        // The pager wants only the critical one: alone, its own key.
        gather(conn, "pager", Duration::from_secs(30), 130).unwrap();
        let single = head(conn, "pager", 130).unwrap().unwrap();
        assert_eq!(single.key, "alert-1-opened");
        let refused = Outcome::Rejected {
            status: 404,
            error: "HTTP 404: no_service".into(),
        };
        record(conn, "pager", &single, &refused, 132).unwrap();

        // A resolve of both replaces the storm's ntfy notification; of one, it does not.
        let both = [
            event(1, "web", "service", Transition::Resolved),
            event(2, "nas", "updates", Transition::Resolved),
        ];
        assert_eq!(
            sequence_id(conn, "all", "k", &both).unwrap(),
            "storm-1-opened"
        );
        assert_eq!(sequence_id(conn, "all", "k", &both[..1]).unwrap(), "k");

        let states = delivery_states(conn, &[1, 2, 3]).unwrap();
        let brief = |id: i64| -> Vec<(String, DeliveryState, Option<String>)> {
            states[&id]
                .iter()
                .map(|d| (d.target.clone(), d.state, d.last_error.clone()))
                .collect()
        };
        assert_eq!(
            brief(1),
            [
                ("all".to_string(), DeliveryState::Delivered, None),
                (
                    "pager".to_string(),
                    DeliveryState::ConfigError,
                    Some("HTTP 404: no_service".to_string())
                ),
            ]
        );
        assert_eq!(
            brief(2),
            [("all".to_string(), DeliveryState::Delivered, None)]
        );
        assert_eq!(states[&1][0].delivered_at, Some(131));
        assert!(!states.contains_key(&3));

        // A target dropped from fleet.yaml: its pending rows are configuration errors.
        enqueue(conn, &event(3, "web", "disk", Transition::Opened)).unwrap();
        take_new(conn, &targets, 200).unwrap();
        assert_eq!(orphans(conn, &targets[..1]).unwrap(), 1);
        let states = delivery_states(conn, &[3]).unwrap();
        assert_eq!(states[&3][0].state, DeliveryState::Pending);
        assert_eq!(states[&3][1].state, DeliveryState::ConfigError);
        assert_eq!(states[&3][1].transition, Transition::Opened);
    }

    fn retry(after: Option<u64>) -> Outcome {
        Outcome::Retry {
            status: Some(503),
            error: "HTTP 503".into(),
            after: after.map(Duration::from_secs),
        }
    }

    #[test]
    fn backoff_doubles_from_one_second_to_five_minutes() {
        let delays: Vec<i64> = (0..12)
            .map(|n| next_state(&retry(None), n, 1000, 1000).1 - 1000)
            .collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
    }

    #[test]
    fn retry_after_is_honoured_and_a_day_without_success_fails() {
        assert_eq!(
            next_state(&retry(Some(42)), 0, 0, 10),
            (DeliveryState::Pending, 52)
        );
        let late = GIVE_UP_AFTER - 1;
        assert_eq!(
            next_state(&retry(None), 3, 0, late).0,
            DeliveryState::Failed
        );
        let refused = Outcome::Rejected {
            status: 400,
            error: "HTTP 400".into(),
        };
        assert_eq!(next_state(&refused, 0, 0, 5).0, DeliveryState::ConfigError);
    }
}
