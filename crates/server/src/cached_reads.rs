//! Thread pages already in the cache, answered before routing.
//!
//! Reading a thread is what every article view asks for, and once a page is cached the answer
//! is a lookup. Through the router it also paid for routing, request extensions, two boxed
//! route services and the span around every route: more than the lookup itself (callgrind, a
//! cached 43 KB page: about 24,300 instructions a request through the router, BENCHMARKS.md).
//! So `GET /api/threads` is looked up here first; a miss, or any other request, goes on to the
//! router, whose handler gives the same answer from the same function
//! ([`threads::from_cache`]). It sits inside the CORS gate, so cross-origin reads get their
//! CORS headers the same way.

use crate::api::threads;
use crate::state::AppState;
use axum::extract::Request;
use axum::http::{header, Method};
use axum::response::Response;
use futures::future::{Either, Ready};
use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;
use tower::{Layer, Service};

/// The thread pages' route, as in the route table (a test checks).
pub const THREADS_ROUTE: &str = "/api/threads";

#[derive(Clone)]
pub struct CachedReadsLayer {
    state: Arc<AppState>,
}

impl CachedReadsLayer {
    pub fn new(state: Arc<AppState>) -> Self {
        CachedReadsLayer { state }
    }
}

impl<S> Layer<S> for CachedReadsLayer {
    type Service = CachedReads<S>;

    fn layer(&self, inner: S) -> CachedReads<S> {
        CachedReads {
            inner,
            state: self.state.clone(),
        }
    }
}

#[derive(Clone)]
pub struct CachedReads<S> {
    inner: S,
    state: Arc<AppState>,
}

impl<S> Service<Request> for CachedReads<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Ready<Result<Response, Infallible>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if req.method() == Method::GET && req.uri().path() == THREADS_ROUTE {
            let started = Instant::now();
            let query = req.uri().query().unwrap_or_default();
            let if_none_match = req.headers().get(header::IF_NONE_MATCH);
            if let Some(mut response) = threads::from_cache(&self.state, query, if_none_match) {
                crate::security_headers::apply(&mut response);
                let status = response.status();
                let elapsed = started.elapsed();
                tracing::debug!(route = THREADS_ROUTE, %status, ?elapsed, "request done from the cache");
                self.state.metrics.record(
                    Method::GET,
                    THREADS_ROUTE,
                    status.as_u16(),
                    elapsed.as_secs_f64(),
                );
                return Either::Left(futures::future::ready(Ok(response)));
            }
        }
        Either::Right(self.inner.call(req))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_route_table_has_the_same_path() {
        let table = include_str!("routes.rs");
        let route = format!(
            ".route(\"{}\", get(threads::get_thread))",
            super::THREADS_ROUTE
        );
        assert!(
            table.contains(&route),
            "routes.rs serves thread pages elsewhere"
        );
    }
}
