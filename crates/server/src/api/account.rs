//! The reader's account over the JSON API: sign-up, sign-in (password or e-mailed link),
//! password reset, profile, sign-out, and generated avatars. The session token goes back in
//! the body and comes in the `X-Rostra-Session` header (see `accounts::session`).

use super::ApiJson;
use crate::accounts::session::{self, IssuedSession, Reader};
use crate::accounts::{self, identicon, ReturnTo, SignUp};
use crate::client::Client;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rostra_core::account::Account;
use rostra_core::privacy::hash_token;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::Arc;

/// What the widget may know about its own reader.
#[derive(Serialize)]
pub struct AccountView {
    pub id: i64,
    pub name: String,
    pub avatar_url: String,
    pub email_verified: bool,
    pub sso: bool,
}

impl AccountView {
    pub fn of(a: &Account) -> AccountView {
        AccountView {
            id: a.id.0,
            name: a.display_name.clone(),
            avatar_url: a
                .avatar_url
                .clone()
                .unwrap_or_else(|| identicon::path_for_account(a.id)),
            email_verified: a.is_verified(),
            sso: a.site_id.is_some(),
        }
    }
}

pub(crate) fn signed_in(account: &Account, issued: &IssuedSession) -> Json<Value> {
    Json(json!({
        "session": issued.token,
        "expires_at": issued.expires_at,
        "account": AccountView::of(account),
    }))
}

pub async fn sign_up(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<SignUp>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let account = accounts::sign_up(&state, input, &client).await?;
    let body = json!({"account": AccountView::of(&account), "verification_sent": true});
    Ok((StatusCode::CREATED, Json(body)))
}

#[derive(Deserialize)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

pub async fn sign_in(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<SignIn>,
) -> Result<Json<Value>, ApiError> {
    let (account, issued) =
        accounts::sign_in(&state, &input.email, &input.password, &client).await?;
    Ok(signed_in(&account, &issued))
}

/// An address to send a link to, the page to come back to, and a name (for a new account, or a
/// guest's pseudonym).
#[derive(Deserialize)]
pub struct EmailLinkRequest {
    #[serde(flatten)]
    pub page: ReturnTo,
    pub email: String,
    pub name: Option<String>,
}

pub async fn email_link(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<EmailLinkRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    accounts::email_sign_in(
        &state,
        &input.page,
        &input.email,
        input.name.as_deref(),
        &client,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"sent": true}))))
}

#[derive(Deserialize)]
pub struct LinkToken {
    pub token: String,
}

pub async fn use_link(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<LinkToken>,
) -> Result<Json<Value>, ApiError> {
    let (account, issued) = accounts::use_login_link(&state, &input.token, &client).await?;
    Ok(signed_in(&account, &issued))
}

#[derive(Deserialize)]
pub struct ResetRequest {
    #[serde(flatten)]
    pub page: ReturnTo,
    pub email: String,
}

pub async fn request_reset(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<ResetRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    accounts::request_reset(&state, &input.page, &input.email, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"sent": true}))))
}

#[derive(Deserialize)]
pub struct NewPassword {
    pub token: String,
    pub password: String,
}

pub async fn reset_password(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<NewPassword>,
) -> Result<Json<Value>, ApiError> {
    let (account, issued) =
        accounts::reset_password(&state, &input.token, &input.password, &client).await?;
    Ok(signed_in(&account, &issued))
}

pub async fn me(Reader(account): Reader) -> Json<Value> {
    Json(json!({"account": AccountView::of(&account)}))
}

#[derive(Deserialize)]
pub struct ProfilePatch {
    pub name: String,
}

pub async fn update_me(
    State(state): State<Arc<AppState>>,
    Reader(account): Reader,
    client: Client,
    ApiJson(input): ApiJson<ProfilePatch>,
) -> Result<Json<Value>, ApiError> {
    let account = accounts::rename(&state, &account, &input.name, &client).await?;
    Ok(Json(json!({"account": AccountView::of(&account)})))
}

pub async fn sign_out(
    State(state): State<Arc<AppState>>,
    Reader(_): Reader,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    if let Some(t) = headers
        .get(session::SESSION_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        state
            .store
            .delete_reader_session(&hash_token(t.trim()))
            .await?;
    }
    Ok(Json(json!({"signed_out": true})))
}

/// `GET /api/avatars/{key}.svg`: the identicon of a key, the same forever.
pub async fn avatar(Path(file): Path<String>) -> Response {
    let Some(key) = file
        .strip_suffix(".svg")
        .filter(|k| !k.is_empty() && k.len() <= 64 && k.chars().all(|c| c.is_ascii_hexdigit()))
    else {
        return ApiError::NotFound.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        identicon::svg(key),
    )
        .into_response()
}

/// `POST /api/guest/verify`: a guest (by the `X-Rostra-Author` token) asks for a link that
/// confirms an address; once opened, the guest is a verified pseudonym on this site.
pub async fn verify_guest(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<EmailLinkRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    accounts::verify_guest(
        &state,
        &input.page,
        &input.email,
        input.name.as_deref(),
        &client,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"sent": true}))))
}

#[derive(Deserialize)]
pub struct SsoRequest {
    pub site: String,
    pub token: String,
}

/// `POST /api/sso`: a publisher's signed token for its reader → a reader session.
pub async fn sso_sign_in(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<SsoRequest>,
) -> Result<Json<Value>, ApiError> {
    let (account, issued) =
        crate::accounts::sso::sign_in(&state, &input.site, &input.token, &client).await?;
    Ok(signed_in(&account, &issued))
}

/// `GET /api/account/data`: the profile and every comment with its revisions, as a download.
pub async fn download(
    State(state): State<Arc<AppState>>,
    Reader(account): Reader,
) -> Result<Response, ApiError> {
    let data = crate::accounts::data::export(&state, &account).await?;
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"rostra-my-data.json\"",
        )],
        Json(data),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct DeleteAccount {
    /// `delete` (the comments go) or `keep` (they stay, by "[deleted user]").
    pub comments: String,
    /// Must be `true`: the widget asks the reader first.
    #[serde(default)]
    pub confirm: bool,
}

/// `DELETE /api/account`: deletes the signed-in reader's account.
pub async fn delete_me(
    State(state): State<Arc<AppState>>,
    Reader(account): Reader,
    client: Client,
    ApiJson(input): ApiJson<DeleteAccount>,
) -> Result<Json<Value>, ApiError> {
    let delete_comments = match input.comments.as_str() {
        "delete" => true,
        "keep" => false,
        _ => return Err(ApiError::InvalidChoice("comments must be delete or keep")),
    };
    if !input.confirm {
        return Err(ApiError::ConfirmationRequired);
    }
    crate::client::rate_limit(&state, crate::ratelimit::Action::Account, &client)?;
    crate::accounts::data::delete(&state, &account, delete_comments).await?;
    Ok(Json(json!({"deleted": true})))
}
