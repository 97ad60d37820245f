//! Rostra's HTTP server: the JSON API for the widget, the widget's files, the thread as plain
//! HTML, the demo article, health and metrics.
#![forbid(unsafe_code)]

pub mod api;
pub mod assets;
pub mod cache;
pub mod client;
pub mod config;
pub mod config_doc;
pub mod html;
pub mod metrics;
pub mod posting;
pub mod ratelimit;
pub mod reading;
pub mod routes;
pub mod sites;
pub mod state;

pub use config::Config;
pub use state::AppState;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// How often sites are reloaded from the database (changes made with `rostra site`).
const SITE_REFRESH: Duration = Duration::from_secs(30);

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    state: Arc<AppState>,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let refresher = state.clone();
    let refresh = tokio::spawn(async move {
        let mut tick = tokio::time::interval(SITE_REFRESH);
        loop {
            tick.tick().await;
            if let Err(e) = refresher.sites.refresh().await {
                tracing::warn!(error = %e, "could not refresh sites");
            }
        }
    });
    let app = routes::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    refresh.abort();
    served
}
