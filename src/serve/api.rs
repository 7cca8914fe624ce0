//! The read-only JSON API: `/api/v1/status`, `/api/v1/machines/ID`,
//! `/api/v1/machines/ID/history?metric=&since=`, `/api/v1/alerts?all=&machine=&severity=` and
//! `/api/v1/cost?since=`, the very documents of `status -o json`, `status MACHINE -o json`,
//! `history -o json` (`monitor::report`), `alerts -o json` (`alerts::report`) and
//! `cost -o json` (`cost::doc`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Hub;
use super::read::read;
use crate::alerts::Severity;
use crate::alerts::report as alert_report;
use crate::monitor::history::{Metric, parse_since};
use crate::monitor::report;
use crate::store::alerts::AlertFilter;

pub(crate) async fn status(State(hub): State<Arc<Hub>>) -> Response {
    let doc = read(&hub, |store, cx| report::fleet(store, &cx.fleet, cx.now)).await;
    match doc {
        Ok(doc) => json(&doc),
        Err(e) => e.into_response(),
    }
}

pub(crate) async fn machine(State(hub): State<Arc<Hub>>, Path(id): Path<String>) -> Response {
    let doc = read(&hub, move |store, cx| {
        cx.fleet
            .machine(&id)
            .map(|m| report::machine(store, &cx.fleet, m, cx.now))
            .transpose()
    })
    .await;
    of_machine(doc)
}

pub(crate) async fn history(
    State(hub): State<Arc<Hub>>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let metric = match Metric::parse(query.get("metric").map_or("cpu", String::as_str)) {
        Ok(m) => m,
        Err(e) => return error(StatusCode::BAD_REQUEST, &format!("metric: {e}")),
    };
    let since = match parse_since(query.get("since").map_or("24h", String::as_str)) {
        Ok(s) => s,
        Err(e) => return error(StatusCode::BAD_REQUEST, &format!("since: {e}")),
    };
    let doc = read(&hub, move |store, cx| {
        cx.fleet
            .machine(&id)
            .map(|m| report::history(store, m, &metric, since, cx.now))
            .transpose()
    })
    .await;
    of_machine(doc)
}

/// `alerts -o json`, with its filters as query parameters: `all` (`true`, `1` or bare),
/// `machine`, `severity` (at or above).
pub(crate) async fn alerts(
    State(hub): State<Arc<Hub>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let all = match query.get("all").map(String::as_str) {
        None | Some("false" | "0") => false,
        Some("" | "true" | "1") => true,
        Some(_) => return error(StatusCode::BAD_REQUEST, "all: use true or false"),
    };
    let severity = match query.get("severity").map(|s| Severity::parse(s)) {
        None => None,
        Some(Some(s)) => Some(s),
        Some(None) => {
            return error(
                StatusCode::BAD_REQUEST,
                "severity: use low, medium, high or critical",
            );
        }
    };
    let machine = query.get("machine").cloned();
    let list = read(&hub, move |store, _| {
        let filter = AlertFilter {
            all,
            machine: machine.as_deref(),
            min_severity: severity,
        };
        alert_report::list(store, &filter)
    })
    .await;
    match list {
        Ok(list) => json(&alert_report::AlertList::of(&list)),
        Err(e) => e.into_response(),
    }
}

/// `cost -o json`, with `since` (default 30d) as a query parameter.
pub(crate) async fn cost(
    State(hub): State<Arc<Hub>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let since = match parse_since(query.get("since").map_or("30d", String::as_str)) {
        Ok(s) => s,
        Err(e) => return error(StatusCode::BAD_REQUEST, &format!("since: {e}")),
    };
    let report = read(&hub, move |store, cx| {
        crate::cost::or_none(crate::cost::report(store, &cx.fleet, since, cx.now))
    })
    .await;
    match report {
        Ok(Some(r)) => json(&crate::cost::doc::Doc::of(&r)),
        Ok(None) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the electricity price in fleet.yaml is not a price",
        ),
        Err(e) => e.into_response(),
    }
}

fn json<T: serde::Serialize>(doc: &T) -> Response {
    match report::json(doc) {
        Ok(text) => ([(header::CONTENT_TYPE, "application/json")], text).into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        format!("{body}\n"),
    )
        .into_response()
}

/// A document about one machine: 404 when fleet.yaml has no such machine.
fn of_machine<T: serde::Serialize>(doc: Result<Option<T>, super::read::ReadError>) -> Response {
    match doc {
        Ok(Some(doc)) => json(&doc),
        Ok(None) => error(StatusCode::NOT_FOUND, "no such machine in fleet.yaml"),
        Err(e) => e.into_response(),
    }
}
