//! Subscribing to a whole thread's new comments by e-mail, and ending it.

use super::ApiJson;
use crate::accounts::session::MaybeReader;
use crate::client::{check_origin, rate_limit, Client};
use crate::error::ApiError;
use crate::notify::subscribing::{self, Outcome};
use crate::ratelimit::Action;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use rostra_core::{Error, Site, Thread, ThreadKey};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

#[derive(Deserialize)]
pub struct ThreadSubscription {
    pub site: String,
    pub url: String,
    pub identifier: Option<String>,
    /// A guest's address; ignored when the reader has a confirmed one (signed in, or a guest who
    /// confirmed theirs).
    pub email: Option<String>,
}

async fn thread_for(
    state: &AppState,
    input: &ThreadSubscription,
    client: &Client,
) -> Result<(Arc<Site>, Thread), ApiError> {
    let site = state.sites.get(&input.site).await?;
    check_origin(state, &site, client)?;
    let key = ThreadKey::for_page(&site, &input.url, input.identifier.as_deref())?;
    let thread = state
        .store
        .thread_by_key(site.id, &key.key)
        .await?
        .ok_or(Error::ThreadNotFound)?;
    Ok((site, thread))
}

/// `POST /api/threads/subscribe`: e-mails about every new comment in the thread.
pub async fn subscribe(
    State(state): State<Arc<AppState>>,
    client: Client,
    MaybeReader(reader): MaybeReader,
    ApiJson(input): ApiJson<ThreadSubscription>,
) -> Result<Json<Value>, ApiError> {
    let (site, thread) = thread_for(&state, &input, &client).await?;
    rate_limit(&state, Action::Account, &client)?;
    let outcome: Outcome = subscribing::subscribe(
        &state,
        &site,
        &thread,
        None,
        reader.as_ref(),
        &client,
        input.email.as_deref(),
    )
    .await?;
    Ok(Json(json!({ "subscription": outcome })))
}

/// `POST /api/threads/unsubscribe`: ends the thread subscription of the reader's confirmed
/// address (anyone else unsubscribes with the link in each e-mail).
pub async fn unsubscribe(
    State(state): State<Arc<AppState>>,
    client: Client,
    MaybeReader(reader): MaybeReader,
    ApiJson(input): ApiJson<ThreadSubscription>,
) -> Result<Json<Value>, ApiError> {
    let (site, thread) = thread_for(&state, &input, &client).await?;
    rate_limit(&state, Action::Account, &client)?;
    let email = subscribing::proven_address(&state, &site, reader.as_ref(), &client)
        .await?
        .ok_or(ApiError::EmailNotVerified)?;
    let removed = state.store.unsubscribe_thread(thread.id, &email).await?;
    Ok(Json(json!({ "unsubscribed": removed })))
}
