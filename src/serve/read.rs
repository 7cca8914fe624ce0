//! The hub's read side: one read connection to the store for the API, `/metrics` and the page
//! (the writer thread keeps its own), what the page may show (`--hide-addresses`), and the
//! optional read token (`HOMELAB_CMD_READ_TOKEN`) that guards every read route.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Hub;
use crate::fleet::Fleet;
use crate::store::{Store, StoreError};

/// The cookie that carries the read token after `?token=`.
const COOKIE: &str = "homelabcmd_read";

/// What the read routes may show, and who may see them.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReadOptions {
    /// Leave machines' addresses off the page (a page shown to the family).
    pub(crate) hide_addresses: bool,
    /// When set, every read route wants it (bearer or cookie).
    pub(crate) token: Option<String>,
}

/// A lazily opened read connection, shared by the read routes one at a time.
#[derive(Debug)]
pub(crate) struct Reader {
    db: PathBuf,
    conn: Mutex<Option<Store>>,
}

impl Reader {
    pub(crate) fn new(db: PathBuf) -> Self {
        Self {
            db,
            conn: Mutex::new(None),
        }
    }

    /// Run `f` with the store (None while no database exists).
    pub(crate) fn with<T>(&self, f: impl FnOnce(Option<&Store>) -> T) -> Result<T, StoreError> {
        let mut slot = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Store::open_existing(&self.db)?;
        }
        Ok(f(slot.as_ref()))
    }
}

/// The data a read handler works from: the fleet as last loaded, and the time.
pub(crate) struct ReadContext {
    pub(crate) fleet: Arc<Fleet>,
    pub(crate) now: i64,
}

/// Run a blocking read with the store and the fleet, off the async workers.
pub(crate) async fn read<T: Send + 'static>(
    hub: &Arc<Hub>,
    f: impl FnOnce(Option<&Store>, &ReadContext) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ReadError> {
    let hub = Arc::clone(hub);
    tokio::task::spawn_blocking(move || {
        let cx = ReadContext {
            fleet: hub.fleet().model.clone(),
            now: crate::clock::now().as_second(),
        };
        hub.reader
            .with(|store| f(store, &cx))?
            .map_err(ReadError::Store)
    })
    .await
    .map_err(|_| ReadError::Task)?
}

/// Why a read failed: the store could not be read, or the task died.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("the read task failed")]
    Task,
}

impl IntoResponse for ReadError {
    fn into_response(self) -> Response {
        tracing::warn!(error = %self, "a read of the store failed");
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the hub could not read its store\n",
        )
            .into_response()
    }
}

/// The read-token guard: a bearer header or the cookie; `?token=` sets the cookie and
/// redirects to the same page without the token in its address.
pub(crate) async fn guard(State(hub): State<Arc<Hub>>, request: Request, next: Next) -> Response {
    let Some(expected) = hub.read.token.as_deref() else {
        return next.run(request).await;
    };
    if presented(request.headers()).is_some_and(|t| same(t, expected)) {
        return next.run(request).await;
    }
    let uri = request.uri();
    if let Some(query) = uri.query() {
        let (token, rest) = split_token(query);
        if token.as_deref().is_some_and(|t| same(t, expected)) {
            let target = match rest.is_empty() {
                true => uri.path().to_string(),
                false => format!("{}?{rest}", uri.path()),
            };
            let cookie = format!("{COOKIE}={expected}; Path=/; HttpOnly; SameSite=Strict");
            let mut response = StatusCode::SEE_OTHER.into_response();
            let headers = response.headers_mut();
            if let (Ok(location), Ok(cookie)) = (
                HeaderValue::from_str(&target),
                HeaderValue::from_str(&cookie),
            ) {
                headers.insert(header::LOCATION, location);
                headers.insert(header::SET_COOKIE, cookie);
            }
            return response;
        }
    }
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        "this hub wants its read token: `Authorization: Bearer …`, or open the page once with ?token=…\n",
    )
        .into_response()
}

/// The token of a bearer header or of our cookie.
fn presented(headers: &HeaderMap) -> Option<&str> {
    if let Some(bearer) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(bearer.trim());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

/// The `token` parameter of a query (decoded), and the rest of the query as it was.
fn split_token(query: &str) -> (Option<String>, String) {
    let mut token = None;
    let mut rest = Vec::new();
    for pair in query.split('&') {
        match pair.strip_prefix("token=") {
            Some(value) => token = Some(super::page::query::decode(value)),
            None => rest.push(pair),
        }
    }
    (token, rest.join("&"))
}

/// Compare without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Every read route, behind the read-token guard.
pub(crate) fn routes(hub: &Arc<Hub>) -> axum::Router<Arc<Hub>> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/v1/status", get(super::api::status))
        .route("/api/v1/machines/{id}", get(super::api::machine))
        .route("/api/v1/machines/{id}/history", get(super::api::history))
        .route("/api/v1/alerts", get(super::api::alerts))
        .route("/api/v1/cost", get(super::api::cost))
        .route("/metrics", get(super::metrics::get))
        .route("/", get(super::page::fleet))
        .route("/m/{id}", get(super::page::machine))
        .route("/compliance", get(super::page::compliance))
        .route_layer(axum::middleware::from_fn_with_state(Arc::clone(hub), guard))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_taken_out_of_the_query() {
        assert_eq!(
            split_token("state=online&token=a%2Bb&tag=x"),
            (Some("a+b".into()), "state=online&tag=x".into())
        );
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; homelabcmd_read=t0k"),
        );
        assert_eq!(presented(&h), Some("t0k"));
    }
}
