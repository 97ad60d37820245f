//! Server-rendered HTML: the thread for readers without JavaScript, and the demo article.

pub mod account;
pub mod authors;
pub mod demo;
pub mod demo_list;
pub mod lists;
pub mod rows;
pub mod thread;

use crate::api::error::ApiError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Template)]
#[template(path = "error_page.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

/// Failures of HTML pages: the same statuses as the API, shown as a page.
pub struct HtmlError(pub ApiError);

impl<E: Into<ApiError>> From<E> for HtmlError {
    fn from(e: E) -> Self {
        HtmlError(e.into())
    }
}

impl IntoResponse for HtmlError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let title = status.canonical_reason().unwrap_or("Error");
        let message = self.0.message();
        page(
            status,
            ErrorPage {
                title,
                message: &message,
            },
        )
    }
}

/// Renders a template, or a bare 500 if the template itself fails (logged).
pub fn page(status: StatusCode, t: impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// `2026-11-25 19:30 UTC` and `2026-11-25T19:30:00Z` from Unix milliseconds.
pub fn utc(ms: i64) -> (String, String) {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    (
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{m:02} UTC"),
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}Z"),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_utc() {
        assert_eq!(super::utc(0).1, "1970-01-01T00:00:00Z");
        assert_eq!(super::utc(1_764_099_000_000).0, "2025-11-25 19:30 UTC");
        assert_eq!(super::utc(951_782_400_000).1, "2000-02-29T00:00:00Z");
    }
}
