//! One-click unsubscribe: each reply e-mail carries a link with the subscription id signed by a
//! server secret, so it works without signing in and cannot be guessed for someone else's
//! subscription. `GET` shows a confirmation page (mail scanners that prefetch links change
//! nothing); `POST` unsubscribes, as RFC 8058's one-click `List-Unsubscribe-Post` does.

use crate::state::AppState;
use crate::text::escape;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use rostra_core::privacy::{constant_time_eq, random_token};
use rostra_core::Error;
use sha2::Sha256;
use std::sync::Arc;

/// The name of the server secret unsubscribe links are signed with.
const KEY_NAME: &str = "unsubscribe_key";

async fn key(state: &AppState) -> Result<String, Error> {
    state.store.server_secret(KEY_NAME, random_token()).await
}

/// What a signed link does: its purpose is part of what is signed, so that a confirmation link
/// is no unsubscribe link and the other way round.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    Unsubscribe,
    Confirm,
}

fn signature(key: &str, purpose: Purpose, id: i64) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) else {
        return String::new();
    };
    mac.update(format!("{purpose:?}:{id}").as_bytes());
    super::hex(&mac.finalize().into_bytes())
}

/// The token of a subscription's link: `<id>.<signature>`.
pub async fn token(state: &AppState, purpose: Purpose, subscription: i64) -> Result<String, Error> {
    Ok(format!(
        "{subscription}.{}",
        signature(&key(state).await?, purpose, subscription)
    ))
}

/// The unsubscribe link of a subscription.
pub async fn link(state: &AppState, subscription: i64) -> Result<String, Error> {
    Ok(format!(
        "{}/notifications/unsubscribe?token={}",
        state.public_origin,
        token(state, Purpose::Unsubscribe, subscription).await?
    ))
}

/// The subscription a token names, when its signature is right.
pub async fn verify(state: &AppState, purpose: Purpose, token: &str) -> Result<Option<i64>, Error> {
    let Some((id, sig)) = token.split_once('.') else {
        return Ok(None);
    };
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    let expected = signature(&key(state).await?, purpose, id);
    Ok((!expected.is_empty() && constant_time_eq(&expected, sig)).then_some(id))
}

#[derive(serde::Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    pub token: String,
}

pub(crate) fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title></head><body><main><h1>{t}</h1>{body}</main></body></html>",
        t = escape(title)
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

pub(crate) fn invalid() -> Response {
    page(
        StatusCode::BAD_REQUEST,
        "Invalid link",
        "<p>This link is not valid. Use the link from the latest e-mail.</p>",
    )
}

/// `GET /notifications/unsubscribe?token=…`: asks to confirm with one button.
pub async fn confirm_page(
    State(state): State<Arc<AppState>>,
    Query(q): Query<TokenQuery>,
) -> Response {
    match verify(&state, Purpose::Unsubscribe, &q.token).await {
        Ok(Some(_)) => page(
            StatusCode::OK,
            "Unsubscribe",
            &format!(
                "<p>Stop e-mails about replies for this subscription?</p>\
                 <form method=\"post\" action=\"/notifications/unsubscribe?token={}\">\
                 <button type=\"submit\">Unsubscribe</button></form>",
                escape(&q.token)
            ),
        ),
        Ok(None) => invalid(),
        Err(e) => failed(e),
    }
}

/// `POST /notifications/unsubscribe?token=…`: unsubscribes (the one-click request of RFC 8058
/// and the button of the page alike); doing it twice is not an error.
pub async fn unsubscribe(
    State(state): State<Arc<AppState>>,
    Query(q): Query<TokenQuery>,
) -> Response {
    let id = match verify(&state, Purpose::Unsubscribe, &q.token).await {
        Ok(Some(id)) => id,
        Ok(None) => return invalid(),
        Err(e) => return failed(e),
    };
    match state.store.unsubscribe(id).await {
        Ok(_) => page(
            StatusCode::OK,
            "Unsubscribed",
            "<p>You will get no more e-mails for this subscription.</p>",
        ),
        Err(e) => failed(e),
    }
}

pub(crate) fn failed(e: Error) -> Response {
    tracing::error!(error = %e, "unsubscribe failed");
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "<p>Please try again later.</p>",
    )
}
