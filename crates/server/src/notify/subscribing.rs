//! Subscribing to replies, per comment (the "notify me of replies" box when posting) or per
//! thread. Nobody may subscribe someone else's address: an address the reader has proven (a
//! signed-in account's confirmed address, or the address a guest confirmed on this site) is
//! subscribed at once; any other address first gets a confirmation e-mail and hears nothing
//! until its owner confirms (double opt-in).

use super::unsubscribe::{self, failed, invalid, page, Purpose, TokenQuery};
use crate::client::Client;
use crate::error::ApiError;
use crate::state::{now_ms, AppState};
use crate::text::escape;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use rostra_core::account::Account;
use rostra_core::notification::NewSubscription;
use rostra_core::validate::{self, AuthorInput};
use rostra_core::{CommentId, Error, Site, Thread};
use serde::Serialize;
use std::sync::Arc;

/// What became of a request to subscribe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Notifications go out from now on.
    Subscribed,
    /// A confirmation e-mail went to the address; nothing is sent before it is confirmed.
    ConfirmationSent,
}

/// The address a reader has proven on this site, if any.
pub async fn proven_address(
    state: &AppState,
    site: &Site,
    reader: Option<&Account>,
    client: &Client,
) -> Result<Option<String>, Error> {
    if let Some(account) = reader {
        return Ok(account.email.clone().filter(|_| account.is_verified()));
    }
    match client.author_hash.as_deref() {
        Some(key) => state.store.verified_guest_email(site.id, key).await,
        None => Ok(None),
    }
}

/// Subscribes a reader to replies to `comment`, or to the whole thread when `comment` is
/// `None`; `given` is the address a guest typed, used only when no proven one exists.
pub async fn subscribe(
    state: &AppState,
    site: &Site,
    thread: &Thread,
    comment: Option<CommentId>,
    reader: Option<&Account>,
    client: &Client,
    given: Option<&str>,
) -> Result<Outcome, ApiError> {
    let proven = proven_address(state, site, reader, client).await?;
    let email = match (&proven, given.map(str::trim).filter(|e| !e.is_empty())) {
        (Some(e), _) => e.clone(),
        (None, Some(e)) => {
            let input = AuthorInput {
                name: None,
                email: Some(e),
                url: None,
            };
            validate::author(&input, &state.limits)?
                .email
                .ok_or(ApiError::EmailRequired)?
        }
        (None, None) => return Err(ApiError::EmailRequired),
    };
    let new = NewSubscription {
        site_id: site.id,
        thread_id: Some(thread.id),
        comment_id: comment,
        email: email.clone(),
        confirmed: proven.is_some(),
    };
    let sub = state.store.subscribe(new, now_ms()).await?;
    if sub.confirmed_at.is_some() {
        return Ok(Outcome::Subscribed);
    }
    let token = unsubscribe::token(state, Purpose::Confirm, sub.id).await?;
    let link = format!(
        "{}/notifications/confirm?token={token}",
        state.public_origin
    );
    let page = thread.title.as_deref().unwrap_or(&thread.url);
    let what = if comment.is_some() {
        "replies to your comment"
    } else {
        "new comments"
    };
    let text = format!(
        "Someone (we hope you) asked for e-mails about {what} on {page} ({site}).\n\n\
         Confirm with this link:\n\n{link}\n\nIf it was not you, ignore this message: \
         nothing will be sent.\n",
        site = site.name
    );
    crate::mail::enqueue(state, &email, "Confirm reply notifications", &text).await?;
    Ok(Outcome::ConfirmationSent)
}

/// `GET /notifications/confirm?token=…`: asks to confirm with one button (link scanners that
/// fetch the page confirm nothing).
pub async fn confirm_page(
    State(state): State<Arc<AppState>>,
    Query(q): Query<TokenQuery>,
) -> Response {
    match unsubscribe::verify(&state, Purpose::Confirm, &q.token).await {
        Ok(Some(_)) => page(
            StatusCode::OK,
            "Confirm reply notifications",
            &format!(
                "<p>Send e-mails about replies to this address?</p>\
                 <form method=\"post\" action=\"/notifications/confirm?token={}\">\
                 <button type=\"submit\">Confirm</button></form>",
                escape(&q.token)
            ),
        ),
        Ok(None) => invalid(),
        Err(e) => failed(e),
    }
}

/// `POST /notifications/confirm?token=…`: confirms the subscription.
pub async fn confirm(State(state): State<Arc<AppState>>, Query(q): Query<TokenQuery>) -> Response {
    let id = match unsubscribe::verify(&state, Purpose::Confirm, &q.token).await {
        Ok(Some(id)) => id,
        Ok(None) => return invalid(),
        Err(e) => return failed(e),
    };
    match state.store.confirm_subscription(id, now_ms()).await {
        Ok(_) => match state.store.subscription(id).await {
            Ok(Some(_)) => page(
                StatusCode::OK,
                "Confirmed",
                "<p>You will get an e-mail when someone replies. Every e-mail has a link to stop them.</p>",
            ),
            Ok(None) => page(
                StatusCode::NOT_FOUND,
                "No such subscription",
                "<p>This subscription was cancelled.</p>",
            ),
            Err(e) => failed(e),
        },
        Err(e) => failed(e),
    }
}
