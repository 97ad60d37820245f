//! The application's error, answered as JSON: one place maps every failure to a status and a
//! stable code. The HTML pages' and admin pages' errors wrap it.

mod passkey;
mod site_token;

pub use passkey::PasskeyError;
pub use site_token::SiteTokenError;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rostra_core::{Error, StoreError};
use serde_json::json;

#[derive(Debug)]
pub enum ApiError {
    Domain(Error),
    MalformedJson(String),
    UnsupportedMediaType,
    PayloadTooLarge,
    InvalidQuery(String),
    OriginNotAllowed,
    /// Signed in, but not allowed to do this (a moderator of another site).
    Forbidden,
    RateLimited {
        retry_after_secs: u64,
    },
    NotFound,
    MethodNotAllowed,
    /// No session token, or one that is unknown or expired.
    NotSignedIn,
    NameRequired,
    /// Shorter than this many characters.
    WeakPassword(usize),
    EmailTaken,
    InvalidCredentials,
    EmailNotVerified,
    /// Reply notifications need an e-mail address and none was given.
    EmailRequired,
    /// An e-mailed link that is unknown, used or expired.
    InvalidLink,
    /// A guest action without the widget's `X-Rostra-Author` token.
    IdentityRequired,
    /// A publisher's SSO token that fails a check (the text says which).
    InvalidSsoToken(&'static str),
    /// The site has no SSO secret.
    SsoNotConfigured,
    /// A field that takes one of a few values got another (the text says which).
    InvalidChoice(&'static str),
    /// A destructive action without `"confirm": true`.
    ConfirmationRequired,
    /// Registering or using a passkey failed (the inner error says how).
    Passkey(PasskeyError),
    /// A site token refused, or a machine import that failed (the inner error says how).
    SiteToken(SiteTokenError),
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::Domain(e)
    }
}

impl From<SiteTokenError> for ApiError {
    fn from(e: SiteTokenError) -> Self {
        ApiError::SiteToken(e)
    }
}

impl From<PasskeyError> for ApiError {
    fn from(e: PasskeyError) -> Self {
        ApiError::Passkey(e)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            other => ApiError::MalformedJson(other.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::InvalidQuery(r.body_text())
    }
}

pub fn domain_status(e: &Error) -> StatusCode {
    match e {
        Error::UnknownSite(_) | Error::CommentNotFound | Error::ThreadNotFound => {
            StatusCode::NOT_FOUND
        }
        Error::UrlNotOnSite
        | Error::ThreadClosed
        | Error::InvalidToken
        | Error::EditWindowExpired
        | Error::Banned => StatusCode::FORBIDDEN,
        Error::CommentRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::AlreadyReported => StatusCode::CONFLICT,
        Error::MissingToken => StatusCode::UNAUTHORIZED,
        Error::CommentDeleted => StatusCode::CONFLICT,
        Error::ParentNotFound => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Store(StoreError::NotFound) => StatusCode::NOT_FOUND,
        Error::Store(StoreError::Conflict(_)) => StatusCode::CONFLICT,
        Error::Store(StoreError::Other(_)) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Domain(e) => domain_status(e),
            ApiError::MalformedJson(_) | ApiError::InvalidQuery(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::OriginNotAllowed | ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::NotSignedIn | ApiError::InvalidCredentials | ApiError::InvalidSsoToken(_) => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::SsoNotConfigured => StatusCode::NOT_FOUND,
            ApiError::InvalidChoice(_) | ApiError::ConfirmationRequired => StatusCode::BAD_REQUEST,
            ApiError::NameRequired
            | ApiError::WeakPassword(_)
            | ApiError::InvalidLink
            | ApiError::IdentityRequired => StatusCode::BAD_REQUEST,
            ApiError::EmailTaken => StatusCode::CONFLICT,
            ApiError::EmailNotVerified => StatusCode::FORBIDDEN,
            ApiError::Passkey(e) => e.status(),
            ApiError::SiteToken(e) => e.status(),
            ApiError::EmailRequired => StatusCode::BAD_REQUEST,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Domain(e) => e.code(),
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::InvalidQuery(_) => "invalid_query",
            ApiError::OriginNotAllowed => "origin_not_allowed",
            ApiError::Forbidden => "forbidden",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::NotSignedIn => "not_signed_in",
            ApiError::NameRequired => "name_required",
            ApiError::WeakPassword(_) => "weak_password",
            ApiError::EmailTaken => "email_taken",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::EmailNotVerified => "email_not_verified",
            ApiError::EmailRequired => "email_required",
            ApiError::InvalidLink => "invalid_link",
            ApiError::IdentityRequired => "identity_required",
            ApiError::InvalidSsoToken(_) => "invalid_sso_token",
            ApiError::SsoNotConfigured => "sso_not_configured",
            ApiError::InvalidChoice(_) => "invalid_choice",
            ApiError::ConfirmationRequired => "confirmation_required",
            ApiError::Passkey(e) => e.code(),
            ApiError::SiteToken(e) => e.code(),
        }
    }

    /// The message for people. Internal failures are logged in detail and answered vaguely.
    pub fn message(&self) -> String {
        match self {
            ApiError::Domain(Error::Store(StoreError::Other(detail))) => {
                tracing::error!(error = %detail, "internal error");
                "Something went wrong on our side; please try again.".into()
            }
            ApiError::Domain(e) => e.to_string(),
            ApiError::MalformedJson(why) => {
                format!("The request body is not valid JSON for this endpoint: {why}")
            }
            ApiError::UnsupportedMediaType => "Send the body as application/json.".into(),
            ApiError::PayloadTooLarge => "The request body is too large.".into(),
            ApiError::InvalidQuery(why) => format!("The query string is not valid: {why}"),
            ApiError::OriginNotAllowed => {
                "This site does not allow writes from that origin.".into()
            }
            ApiError::Forbidden => "You are not allowed to do that.".into(),
            ApiError::RateLimited { retry_after_secs } => {
                format!("Too many requests; try again in {retry_after_secs} seconds.")
            }
            ApiError::NotFound => "No such endpoint.".into(),
            ApiError::MethodNotAllowed => "That method is not allowed here.".into(),
            ApiError::NotSignedIn => "You are not signed in (or your session has ended).".into(),
            ApiError::NameRequired => "Choose a display name.".into(),
            ApiError::WeakPassword(n) => format!("A password needs at least {n} characters."),
            ApiError::EmailTaken => {
                "An account with that e-mail address exists; sign in or reset its password.".into()
            }
            ApiError::InvalidCredentials => "The e-mail address or password is wrong.".into(),
            ApiError::EmailNotVerified => {
                "Confirm your e-mail address first: open the link we sent you.".into()
            }
            ApiError::InvalidLink => "That link is not valid any more; ask for a new one.".into(),
            ApiError::EmailRequired => {
                "Give an e-mail address (or sign in) to get e-mails about replies.".into()
            }
            ApiError::IdentityRequired => {
                "Send the widget's X-Rostra-Author token: it is the identity being confirmed."
                    .into()
            }
            ApiError::InvalidSsoToken(why) => format!("The sign-in token was refused: {why}."),
            ApiError::SsoNotConfigured => {
                "This site has no SSO secret (rostra site secret KEY).".into()
            }
            ApiError::InvalidChoice(why) => format!("{why}."),
            ApiError::ConfirmationRequired => "Confirm first: send \"confirm\": true.".into(),
            ApiError::Passkey(e) => e.message().into(),
            ApiError::SiteToken(e) => e.message(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code(), "message": self.message()}});
        let mut response = (self.status(), axum::Json(body)).into_response();
        if let ApiError::RateLimited { retry_after_secs } = self {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}
