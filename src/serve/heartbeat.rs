//! `POST /api/v1/heartbeat`: parse, authenticate, check, store, reply. Every refusal is a 4xx
//! with a JSON `{"error": …}` saying why, and stores nothing.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use homelabcmd_proto::{ErrorReply, Heartbeat, HeartbeatReply};

use super::Hub;
use crate::monitor::ingest;
use crate::store::metrics::Ingest;

pub(crate) async fn post(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the body is larger than {} bytes", super::BODY_LIMIT),
            );
        }
        Err(e) => return refuse(StatusCode::BAD_REQUEST, e.body_text()),
    };
    let hb: Heartbeat = match serde_json::from_slice(&body) {
        Ok(hb) => hb,
        Err(e) if e.is_data() => {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("impossible heartbeat: {e}"),
            );
        }
        Err(e) => return refuse(StatusCode::BAD_REQUEST, format!("malformed JSON: {e}")),
    };
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "missing `Authorization: Bearer <machine token>`".into(),
        );
    };
    if !hub.key.verify(&hb.machine_id, token) {
        let fleet = hub.fleet();
        let owner = fleet.machines.keys().find(|id| hub.key.verify(id, token));
        return match owner {
            Some(other) => refuse(
                StatusCode::FORBIDDEN,
                format!(
                    "this token belongs to machine `{other}`, not `{}`",
                    hb.machine_id
                ),
            ),
            None => refuse(
                StatusCode::UNAUTHORIZED,
                format!("the token is not valid for machine `{}`", hb.machine_id),
            ),
        };
    }
    let now = crate::clock::now().as_second();
    let points = match ingest::check(&hb, now) {
        Ok(points) => points,
        Err(why) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, why),
    };
    let fleet = hub.fleet();
    let expected = fleet.machines.get(&hb.machine_id);
    let latest = hb
        .samples
        .iter()
        .zip(&points)
        .max_by_key(|(_, p)| p.time)
        .and_then(|(s, p)| serde_json::to_string(s).ok().map(|json| (p.time, json)));
    let item = Ingest {
        machine_id: hb.machine_id.clone(),
        registered: expected.is_some(),
        agent_version: hb.agent_version.chars().take(64).collect(),
        received: now,
        points,
        latest,
    };
    match hub.writer.ingest(item).await {
        Ok(stored) => {
            // A workstation back after being away (or heard for the first time): check its packs.
            if let Some(away_after) = fleet.workstations.get(&hb.machine_id)
                && stored
                    .previous_seen
                    .is_none_or(|seen| now - seen > away_after.as_secs() as i64)
            {
                super::recheck::spawn(&hub, hb.machine_id.clone());
            }
            Json(HeartbeatReply {
                accepted: stored.accepted,
                duplicates: stored.duplicates,
                services: expected.cloned().unwrap_or_default(),
                interval_secs: hub.agent_interval.unwrap_or(0),
            })
            .into_response()
        }
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(ErrorReply {
                error: format!("cannot store the heartbeat: {e}"),
            }),
        )
            .into_response(),
    }
}

fn refuse(status: StatusCode, error: String) -> Response {
    (status, Json(ErrorReply { error })).into_response()
}
