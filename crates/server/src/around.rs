//! What happens around every request, in one middleware: its metrics, writes run to their end,
//! the API's answer to an over-long body, and the headers every response gets.
//!
//! One middleware rather than one each: axum clones the service stack beneath a middleware on
//! every request, so each extra layer made every request pay for copying the ones below it.

use crate::metrics::Metrics;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Instant;

pub async fn around(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = req.method().clone();
    let wants_html = crate::too_large::wants_html(&req);
    let started = Instant::now();
    let response = if matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
        next.run(req).await
    } else {
        finish_write(req, next).await
    };
    let mut response = crate::too_large::answer_too_large(response, wants_html);
    crate::security_headers::apply(&mut response);
    let seconds = started.elapsed().as_secs_f64();
    metrics.record(method, route, response.status().as_u16(), seconds);
    response
}

/// Writes run to their end even when the client stops waiting (closes the tab, times out): a
/// request that stored a comment also emits its live event and invalidates caches, so no one
/// ever sees half of a write. Reads stay cancellable.
async fn finish_write(req: Request, next: Next) -> Response {
    match tokio::spawn(next.run(req)).await {
        Ok(response) => response,
        Err(e) => {
            tracing::error!(error = %e, "a write handler stopped");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
