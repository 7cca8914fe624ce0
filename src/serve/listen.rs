//! The hub's front door: the accept loop. Each connection is served by hyper's HTTP/1 server
//! with a header-read timeout (which also closes a keep-alive connection left idle), at most
//! `MAX_CONNECTIONS` are open at once (one more is closed as soon as it is accepted), and on
//! shutdown the open ones finish their request, for at most 5 s.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Connections served at once; the hub of a homelab has tens of agents.
pub(crate) const MAX_CONNECTIONS: usize = 1024;
/// How long shutdown waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(5);

/// Serve `app` on `listener` until `stop` resolves.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    client_timeout: Duration,
    stop: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(client_timeout);
    tokio::pin!(stop);
    let mut full_logged = false;
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, do not spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            if !full_logged {
                tracing::warn!(
                    open = MAX_CONNECTIONS,
                    "too many connections are open; closing new ones until some end"
                );
                full_logged = true;
            }
            drop(stream);
            continue;
        };
        full_logged = false;
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that goes away or times out is no error of the hub's.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {}
    }
}
