//! Sends only cross-origin requests (those with an `Origin` header) through the CORS layer.
//!
//! Most reads have no `Origin`: same-origin pages, servers, caches, `curl`. For them CORS has
//! nothing to add, and running its service per request was measured at about 8 % of a cached
//! thread read. They get a plain `Vary: Origin`, so a shared cache keeps the two kinds apart.
//!
//! The gate wraps the whole router once (so preflight `OPTIONS` requests to any path reach the
//! CORS layer) and is copied for every request: it holds the CORS settings behind an `Arc` and
//! builds the CORS service only for the requests that need it.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use futures::future::{Either, Map};
use futures::FutureExt;
use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};
use tower::util::Oneshot;
use tower::{Layer, Service, ServiceExt};
use tower_http::cors::{Cors, CorsLayer};

#[derive(Clone)]
pub struct OriginGateLayer {
    cors: Arc<CorsLayer>,
}

impl OriginGateLayer {
    pub fn new(cors: CorsLayer) -> Self {
        OriginGateLayer {
            cors: Arc::new(cors),
        }
    }
}

impl<S> Layer<S> for OriginGateLayer {
    type Service = OriginGate<S>;

    fn layer(&self, inner: S) -> Self::Service {
        OriginGate {
            cors: self.cors.clone(),
            inner,
        }
    }
}

#[derive(Clone)]
pub struct OriginGate<S> {
    inner: S,
    cors: Arc<CorsLayer>,
}

type PlainFuture<F> = Map<F, fn(Result<Response, Infallible>) -> Result<Response, Infallible>>;

fn vary_origin(result: Result<Response, Infallible>) -> Result<Response, Infallible> {
    result.map(|mut response| {
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("origin"));
        response
    })
}

impl<S> Service<Request> for OriginGate<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone,
    Cors<S>: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<PlainFuture<S::Future>, Oneshot<Cors<S>, Request>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if req.headers().contains_key(header::ORIGIN) {
            // A copy of the inner service goes through CORS, which asks it to be ready itself.
            Either::Right(self.cors.layer(self.inner.clone()).oneshot(req))
        } else {
            Either::Left(self.inner.call(req).map(vary_origin as fn(_) -> _))
        }
    }
}
