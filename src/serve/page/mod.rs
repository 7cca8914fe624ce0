//! The status page: `GET /` (the fleet), `GET /m/MACHINE` (one machine) and `GET /compliance`,
//! rendered on the server with maud (every interpolated value escaped), inline CSS and SVG,
//! no JavaScript. Read-only: nothing on it changes anything, and it shows no token, secret or
//! file content; addresses only without `--hide-addresses`. This file gathers each view's data
//! from the store in one blocking read; the views render it.

mod chart;
mod compliance;
mod data;
mod fleet;
mod layout;
mod machine;
pub(crate) mod query;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};

use super::Hub;
use super::read::read;

pub(crate) async fn fleet(State(hub): State<Arc<Hub>>, uri: Uri) -> Response {
    let filter = query::Filter::parse(uri.query());
    match read(&hub, data::fleet).await {
        Ok(d) => Html(fleet::render(&d, &filter).into_string()).into_response(),
        Err(e) => e.into_response(),
    }
}

pub(crate) async fn machine(
    State(hub): State<Arc<Hub>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Response {
    let range = data::Range::parse(uri.query());
    let show_address = !hub.read.hide_addresses;
    match read(&hub, move |store, cx| data::machine(store, cx, &id, range)).await {
        Ok(Some(d)) => Html(machine::render(&d, show_address).into_string()).into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            Html(machine::not_found().into_string()),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

pub(crate) async fn compliance(State(hub): State<Arc<Hub>>) -> Response {
    match read(&hub, data::compliance).await {
        Ok(d) => Html(compliance::render(&d).into_string()).into_response(),
        Err(e) => e.into_response(),
    }
}
