//! Every request over its body limit gets the same answer: 413 with the error code
//! `payload_too_large` as JSON (or an HTML page for a browser's plain form post).

use crate::api::error::ApiError;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Rewrites a 413 that is not yet in the API's error shape (axum's extractors answer in plain
/// text) into `{"error":{"code":"payload_too_large",…}}`, or into the error page when the client
/// asked for HTML.
pub async fn answer_too_large(req: Request, next: Next) -> Response {
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let response = next.run(req).await;
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let already = if wants_html {
        content_type.starts_with("text/html")
    } else {
        content_type.starts_with("application/json")
    };
    if already {
        response
    } else if wants_html {
        crate::html::HtmlError(ApiError::PayloadTooLarge).into_response()
    } else {
        ApiError::PayloadTooLarge.into_response()
    }
}
