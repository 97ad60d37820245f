//! What happens around every request, in one layer on each route: its span and metrics, writes
//! run to their end, the API's answer to an over-long body, and the headers every response gets
//! (with those that let any page read a read's error, `origin_gate::readable_error`).
//!
//! It sits on each route because only there is the route's pattern known (for the span and the
//! metrics' labels). It is one plain tower service rather than several layers or an
//! `axum::middleware::from_fn`: axum clones a route's whole stack on every request, and each
//! layer, or each boxed `Next`, made every request pay for another copy and allocation
//! (measured with callgrind on a cached thread read: 37,200 instructions a request with six
//! layers and `from_fn`, 25,600 with this one; BENCHMARKS.md).

use crate::metrics::Metrics;
use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::future::BoxFuture;
use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;
use tower::{Layer, Service};
use tracing::Instrument;

/// The metrics' label for requests no route matched.
const UNMATCHED: &str = "unmatched";

#[derive(Clone)]
pub struct AroundLayer {
    metrics: Arc<Metrics>,
}

impl AroundLayer {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        AroundLayer { metrics }
    }
}

impl<S> Layer<S> for AroundLayer {
    type Service = Around<S>;

    fn layer(&self, inner: S) -> Around<S> {
        Around {
            inner,
            metrics: self.metrics.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Around<S> {
    inner: S,
    metrics: Arc<Metrics>,
}

impl<S> Service<Request> for Around<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let metrics = self.metrics.clone();
        let route = req.extensions().get::<MatchedPath>().cloned();
        let method = req.method().clone();
        let span = tracing::info_span!(
            "request",
            method = %method,
            route = route.as_ref().map_or("", |r| r.as_str())
        );
        let wants_html = crate::too_large::wants_html(&req);
        let read_origin = crate::origin_gate::read_origin(&req);
        let started = Instant::now();
        // The inner service was made ready for this call; its future owns what it needs.
        let served = self.inner.call(req).instrument(span.clone());
        Box::pin(async move {
            let response = if matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
                let Ok(response) = served.await;
                response
            } else {
                finish_write(served).await
            };
            let mut response = crate::too_large::answer_too_large(response, wants_html);
            crate::security_headers::apply(&mut response);
            crate::origin_gate::readable_error(&mut response, read_origin);
            let elapsed = started.elapsed();
            let status = response.status();
            if status.is_server_error() {
                span.in_scope(|| tracing::error!(%status, ?elapsed, "request failed"));
            } else {
                span.in_scope(|| tracing::debug!(%status, ?elapsed, "request done"));
            }
            let route = route.as_ref().map_or(UNMATCHED, |r| r.as_str());
            metrics.record(method, route, status.as_u16(), elapsed.as_secs_f64());
            Ok(response)
        })
    }
}

/// Writes run to their end even when the client stops waiting (closes the tab, times out): a
/// request that stored a comment also emits its live event and invalidates caches, so no one
/// ever sees half of a write. Reads stay cancellable.
async fn finish_write<F>(served: F) -> Response
where
    F: std::future::Future<Output = Result<Response, Infallible>> + Send + 'static,
{
    match tokio::spawn(served).await {
        Ok(Ok(response)) => response,
        Err(e) => {
            tracing::error!(error = %e, "a write handler stopped");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
