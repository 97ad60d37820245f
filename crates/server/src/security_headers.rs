//! Headers every response gets (`nosniff`, a referrer policy), and those every HTML page gets: a
//! Content-Security-Policy when the page set none of its own (no script at all, no framing), and
//! `X-Frame-Options: DENY` wherever framing is refused.

use axum::http::{header, HeaderValue};
use axum::response::Response;

/// The policy of HTML pages that run no script (error pages, the address-check page): styles
/// inline in the page, images from Rostra, forms posting only to Rostra, never framed.
pub const NO_SCRIPT_PAGE: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The admin pages: our own script file only; inline `style` attributes in the templates.
pub const ADMIN_PAGE: &str = "default-src 'none'; script-src 'self'; style-src 'self' \
     'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The demo article: the widget from `/embed.js` and the hashed assets, talking to Rostra's API
/// and live events; the widget's stylesheet and the article's inline styles.
pub const DEMO_PAGE: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; \
     base-uri 'none'; frame-ancestors 'none'";

/// Every response: `nosniff` and a referrer policy (unless set already); HTML ones also
/// [`NO_SCRIPT_PAGE`] when they set no policy, and `X-Frame-Options: DENY` wherever their
/// policy refuses all framing (for browsers without CSP 2).
pub fn apply(response: &mut Response) {
    let headers = response.headers_mut();
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return;
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(NO_SCRIPT_PAGE),
        );
    }
    let unframed = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("frame-ancestors 'none'"));
    if unframed {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
}
