//! Sends only cross-origin requests (those with an `Origin` header) through the CORS layer.
//!
//! Most reads have no `Origin`: same-origin pages, servers, caches, `curl`. For them CORS has
//! nothing to add, and running its service per request was measured at about 8 % of a cached
//! thread read. They get a plain `Vary: Origin`, so a shared cache keeps the two kinds apart.
//!
//! The gate wraps the whole router once (so preflight `OPTIONS` requests to any path reach the
//! CORS layer) and is copied for every request: it holds the CORS settings behind an `Arc` and
//! builds the CORS service only for the requests that need it.
//!
//! One exception to "CORS only for the sites' origins" lives here too ([`readable_error`]): a
//! read's error answer may be read from any origin, so that a widget on a page its site does
//! not list can show why (docs/api.md, "Errors").

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
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

/// The `Origin` of a cross-origin read of the API (`GET` or `HEAD` under `/api/`), whose error
/// answer [`readable_error`] opens to it.
pub fn read_origin(req: &Request) -> Option<HeaderValue> {
    let read = matches!(*req.method(), Method::GET | Method::HEAD);
    if !read || !req.uri().path().starts_with("/api/") {
        return None;
    }
    req.headers().get(header::ORIGIN).cloned()
}

/// Lets the page at `origin` read a client error answer (its code and message, with
/// `Retry-After`), when CORS has not allowed that origin already. Never with credentials: a
/// browser then shows the page only what a request without cookies gets, which anyone gets.
pub fn readable_error(response: &mut Response, origin: Option<HeaderValue>) {
    let Some(origin) = origin else { return };
    let headers = response.headers();
    if !response.status().is_client_error()
        || headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
    {
        return;
    }
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("retry-after"),
    );
}
