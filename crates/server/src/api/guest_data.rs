//! A guest's own data over the JSON API: the e-mailed link (request it, download with it,
//! delete with it) and the widget's edit tokens (download, delete). Rules in
//! `accounts::guest_data`.

use super::account::ResetRequest;
use super::ApiJson;
use crate::accounts::guest_data::{self, Removal};
use crate::client::Client;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

fn download(data: Value) -> Response {
    (
        [(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"rostra-my-comments.json\"",
        )],
        Json(data),
    )
        .into_response()
}

/// `POST /api/guest/data-link`: mails a link to the address's comments on the site, if any.
pub async fn request_link(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<ResetRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    guest_data::request_link(&state, &input.page, &input.email, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"sent": true}))))
}

#[derive(Deserialize)]
pub struct ByLink {
    pub token: String,
}

/// `POST /api/guest/data`: every comment given with the link's address, with revisions.
pub async fn export_by_link(
    State(state): State<Arc<AppState>>,
    ApiJson(input): ApiJson<ByLink>,
) -> Result<Response, ApiError> {
    Ok(download(
        guest_data::export_by_link(&state, &input.token).await?,
    ))
}

#[derive(Deserialize)]
pub struct RemoveByLink {
    pub token: String,
    /// `delete` or `keep` (by "[deleted user]").
    pub comments: String,
    #[serde(default)]
    pub confirm: bool,
}

/// `POST /api/guest/data/delete`
pub async fn remove_by_link(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<RemoveByLink>,
) -> Result<Json<Value>, ApiError> {
    let removal = Removal::parse(&input.comments)?;
    if !input.confirm {
        return Err(ApiError::ConfirmationRequired);
    }
    let n = guest_data::remove_by_link(&state, &input.token, removal, &client).await?;
    Ok(Json(json!({ "removed": n })))
}

#[derive(Deserialize)]
pub struct ByTokens {
    /// Edit tokens the widget was given when the comments were posted.
    pub tokens: Vec<String>,
}

/// `POST /api/guest/comments/data`
pub async fn export_by_tokens(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<ByTokens>,
) -> Result<Response, ApiError> {
    Ok(download(
        guest_data::export_by_tokens(&state, &input.tokens, &client).await?,
    ))
}

#[derive(Deserialize)]
pub struct RemoveByTokens {
    pub tokens: Vec<String>,
    pub comments: String,
    #[serde(default)]
    pub confirm: bool,
}

/// `POST /api/guest/comments/delete`
pub async fn remove_by_tokens(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<RemoveByTokens>,
) -> Result<Json<Value>, ApiError> {
    let removal = Removal::parse(&input.comments)?;
    if !input.confirm {
        return Err(ApiError::ConfirmationRequired);
    }
    let n = guest_data::remove_by_tokens(&state, &input.tokens, removal, &client).await?;
    Ok(Json(json!({ "removed": n })))
}
