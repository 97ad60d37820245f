//! Server-rendered HTML: the thread for readers without JavaScript, and the demo article.

pub mod account;
pub mod authors;
pub mod demo;
pub mod demo_list;
pub mod lists;
pub mod own_comments;
pub mod rows;
pub mod thread;

use crate::error::ApiError;
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
