//! `POST /api/v1/heartbeat`: authenticate (from the headers alone, before a byte of the body is
//! read), read the body within the size and time limits, parse, check, store, reply. Every
//! refusal is a 4xx with a JSON `{"error": …}` saying why, and stores nothing; a heartbeat of
//! which some samples were refused stores the others and lists the refused ones in its reply.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use homelabcmd_proto::{ErrorReply, Heartbeat, HeartbeatReply, MACHINE_HEADER, RefusedSample};

use super::Hub;
use crate::monitor::ingest;
use crate::store::metrics::Ingest;

pub(crate) async fn post(State(hub): State<Arc<Hub>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let machine = match authenticate(&hub, &parts.headers) {
        Ok(machine) => machine,
        Err(refusal) => return refusal.into_response(),
    };
    if let Err(refusal) = content_type(&parts.headers) {
        return refusal.into_response();
    }
    let body = match read_body(&parts.headers, body, hub.client_timeout).await {
        Ok(body) => body,
        Err(refusal) => return refusal.into_response(),
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
    if hb.machine_id != machine {
        return refuse(
            StatusCode::FORBIDDEN,
            format!(
                "this token belongs to machine `{machine}`, not `{}`",
                crate::text::escape_line(&hb.machine_id.chars().take(128).collect::<String>())
            ),
        );
    }
    store(&hub, hb).await
}

/// The machine the request's token belongs to, from the headers alone: one lookup for the
/// fleet's machines, one HMAC for a machine outside the fleet that names itself in
/// `X-Homelab-Machine`. Anything else is a 401, whatever the body.
fn authenticate(hub: &Hub, headers: &HeaderMap) -> Result<String, Refusal> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token else {
        return Err(Refusal(
            StatusCode::UNAUTHORIZED,
            "missing `Authorization: Bearer <machine token>`".into(),
        ));
    };
    if let Some(id) = hub.fleet().tokens.machine(token) {
        return Ok(id.to_string());
    }
    let claimed = headers
        .get(MACHINE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    match claimed {
        Some(id) if hub.key.verify(id, token) => Ok(id.to_string()),
        _ => Err(Refusal(
            StatusCode::UNAUTHORIZED,
            "the token is not valid: it is not the token of a machine in fleet.yaml, nor of the machine named in X-Homelab-Machine".into(),
        )),
    }
}

/// A body that says what it is must say JSON.
fn content_type(headers: &HeaderMap) -> Result<(), Refusal> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(());
    };
    let mime = value.to_str().unwrap_or_default();
    let essence = mime.split(';').next().unwrap_or_default().trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(Refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the body must be `Content-Type: application/json`".into(),
        ))
    }
}

/// The whole body, at most `BODY_LIMIT` bytes (a larger declared length is refused before
/// reading), within `timeout`.
async fn read_body(headers: &HeaderMap, body: Body, timeout: Duration) -> Result<Bytes, Refusal> {
    let too_large = || {
        Refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {} bytes", super::BODY_LIMIT),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > super::BODY_LIMIT as u64) {
        return Err(too_large());
    }
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, super::BODY_LIMIT)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) if is_length_limit(&e) => Err(too_large()),
        Ok(Err(e)) => Err(Refusal(
            StatusCode::BAD_REQUEST,
            format!("cannot read the body: {e}"),
        )),
        Err(_) => Err(Refusal(
            StatusCode::REQUEST_TIMEOUT,
            format!("the body did not arrive within {} s", timeout.as_secs()),
        )),
    }
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// Check the samples, store the possible ones, and reply.
async fn store(hub: &Arc<Hub>, hb: Heartbeat) -> Response {
    let now = crate::clock::now().as_second();
    let checked = match ingest::check(&hb, now) {
        Ok(checked) => checked,
        Err(why) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, why),
    };
    if checked.points.is_empty() {
        return refuse_all(checked.refused);
    }
    let fleet = hub.fleet();
    let expected = fleet.machines.get(&hb.machine_id);
    let newest = checked
        .points
        .iter()
        .max_by_key(|(_, p)| p.time)
        .map(|(i, _)| *i);
    let latest = checked
        .points
        .iter()
        .max_by_key(|(_, p)| p.time)
        .and_then(|(i, p)| {
            let json = serde_json::to_string(hb.samples.get(*i)?).ok()?;
            Some((p.time, json))
        });
    let item = Ingest {
        machine_id: hb.machine_id.clone(),
        registered: expected.is_some(),
        agent_version: hb.agent_version.chars().take(64).collect(),
        received: now,
        points: checked.points.into_iter().map(|(_, p)| p).collect(),
        latest,
    };
    match hub.writer.ingest(item).await {
        Ok(stored) => {
            tracing::info!(
                machine = %hb.machine_id,
                accepted = stored.accepted,
                duplicates = stored.duplicates,
                refused = checked.refused.len(),
                "heartbeat stored"
            );
            if stored.accepted > 0
                && expected.is_some()
                && let Some(sample) = newest.and_then(|i| hb.samples.get(i))
            {
                let rules = Arc::clone(&fleet.alerts);
                hub.alerts
                    .heartbeat(rules, hb.machine_id.clone(), sample.clone());
            }
            // A workstation back after being away (or heard for the first time): check its packs.
            if let Some(away_after) = fleet.workstations.get(&hb.machine_id)
                && stored
                    .previous_seen
                    .is_none_or(|seen| now - seen > away_after.as_secs() as i64)
            {
                super::recheck::spawn(hub, hb.machine_id.clone());
            }
            Json(HeartbeatReply {
                accepted: stored.accepted,
                duplicates: stored.duplicates,
                services: expected.cloned().unwrap_or_default(),
                interval_secs: hub.agent_interval.unwrap_or(0),
                refused: checked.refused,
            })
            .into_response()
        }
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(ErrorReply {
                error: format!("cannot store the heartbeat: {e}"),
                refused: Vec::new(),
            }),
        )
            .into_response(),
    }
}

/// No sample could be stored: 422 with each one's reason.
fn refuse_all(refused: Vec<RefusedSample>) -> Response {
    let error = match refused.as_slice() {
        [only] => only.reason.clone(),
        [first, ..] => format!(
            "none of the {} samples can be stored; the first: {}",
            refused.len(),
            first.reason
        ),
        [] => "no samples".into(),
    };
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(ErrorReply { error, refused }),
    )
        .into_response()
}

/// A refusal with its status and reason, answered as `{"error": …}`.
struct Refusal(StatusCode, String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        refuse(self.0, self.1)
    }
}

fn refuse(status: StatusCode, error: String) -> Response {
    (
        status,
        Json(ErrorReply {
            error,
            refused: Vec::new(),
        }),
    )
        .into_response()
}
