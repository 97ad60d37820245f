//! Every request over its body limit gets the same answer: 413 with the error code
//! `payload_too_large` as JSON (or an HTML page for a browser's plain form post).

use crate::error::ApiError;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Whether the client asked for HTML (a browser's plain form post), so errors answer as pages.
pub fn wants_html(req: &Request) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// Rewrites a 413 that is not yet in the API's error shape (axum's extractors answer in plain
/// text) into `{"error":{"code":"payload_too_large",…}}`, or into the error page when the client
/// asked for HTML.
pub fn answer_too_large(response: Response, wants_html: bool) -> Response {
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
