//! The moderators' and admins' pages: server-rendered HTML, a session cookie, CSRF tokens on
//! every form, and an authorization check on every route.

pub mod alerts;
pub mod audit;
pub mod author;
pub mod comments;
pub mod import_jobs;
pub mod interchange;
pub mod outbox;
pub mod picks;
pub mod queue;
pub mod session;
pub mod site_policy;
pub mod sites;
pub mod users;
pub mod view;
pub mod webhooks;

use crate::error::ApiError;
use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};

/// Failures of admin pages.
pub enum AdminError {
    /// Not signed in (or the session ended): to the login page.
    SignIn,
    /// Signed in, but this is not theirs to see or do.
    Forbidden,
    /// The form's CSRF token is missing or wrong.
    Csrf,
    BadRequest(String),
    Api(ApiError),
}

impl<E: Into<ApiError>> From<E> for AdminError {
    fn from(e: E) -> Self {
        match e.into() {
            ApiError::Forbidden => AdminError::Forbidden,
            other => AdminError::Api(other),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            AdminError::SignIn => return Redirect::to("/admin/login").into_response(),
            AdminError::Forbidden => (StatusCode::FORBIDDEN, "You are not allowed to do that.".to_string()),
            AdminError::Csrf => (StatusCode::FORBIDDEN, "The form has expired or did not come from this site; reload the page and try again.".to_string()),
            AdminError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            AdminError::Api(e) => (e.status(), e.message()),
        };
        let title = status.canonical_reason().unwrap_or("Error");
        Page(
            status,
            ErrorPage {
                title,
                message: &message,
            },
        )
        .into_response()
    }
}

/// A rendered admin page with its status. Admin pages run only our own script.
pub struct Page<T: Template>(pub StatusCode, pub T);

impl<T: Template> IntoResponse for Page<T> {
    fn into_response(self) -> Response {
        match self.1.render() {
            Ok(html) => (
                self.0,
                [
                    (
                        header::CONTENT_SECURITY_POLICY,
                        crate::security_headers::ADMIN_PAGE,
                    ),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                Html(html),
            )
                .into_response(),
            Err(e) => {
                tracing::error!(error = %e, "admin template failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
            }
        }
    }
}

/// A urlencoded form body, with repeated fields (checkbox lists) kept.
pub struct FormFields(Vec<(String, String)>);

/// NUL characters are dropped: nobody types them, and PostgreSQL text cannot hold them.
pub fn form_fields(body: &[u8]) -> FormFields {
    FormFields(
        url::form_urlencoded::parse(body)
            .map(|(k, v)| (k.replace('\0', ""), v.replace('\0', "")))
            .collect(),
    )
}

impl FormFields {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A text area's lines, trimmed, without the empty ones.
    pub fn lines(&self, name: &str) -> Vec<String> {
        self.get(name)
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }
}
