//! Passkeys over the JSON API: begin and finish adding one (signed in), begin and finish signing
//! in with one, list and remove them. The rules live in `accounts::passkeys`.

use super::account::signed_in;
use super::ApiJson;
use crate::accounts::passkeys::{self, Begun};
use crate::accounts::session::Reader;
use crate::client::Client;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rostra_core::passkey::Passkey;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// The site whose page the ceremony runs on.
#[derive(Deserialize)]
pub struct Begin {
    pub site: String,
}

/// The browser's answer to a begun ceremony.
#[derive(Deserialize)]
pub struct Finish {
    pub site: String,
    pub ceremony: String,
    /// The `PublicKeyCredential` as JSON, binary fields base64url.
    pub credential: Value,
    /// A label for a new passkey.
    pub name: Option<String>,
}

fn begun(b: Begun) -> Json<Value> {
    Json(json!({"ceremony": b.ceremony, "options": b.options}))
}

fn view(p: &Passkey) -> Value {
    json!({
        "id": p.id,
        "name": p.name,
        "rp_id": p.rp_id,
        "created_at": p.created_at,
        "last_used_at": p.last_used_at,
    })
}

/// `POST /api/account/passkeys/register/begin`
pub async fn begin_registration(
    State(state): State<Arc<AppState>>,
    Reader(account): Reader,
    client: Client,
    ApiJson(input): ApiJson<Begin>,
) -> Result<Json<Value>, ApiError> {
    let b = passkeys::begin_registration(&state, &account, &input.site, &client).await?;
    Ok(begun(b))
}

/// `POST /api/account/passkeys/register/finish`
pub async fn finish_registration(
    State(state): State<Arc<AppState>>,
    Reader(account): Reader,
    client: Client,
    ApiJson(input): ApiJson<Finish>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let p = passkeys::finish_registration(
        &state,
        &account,
        &input.site,
        &input.ceremony,
        input.credential,
        input.name.as_deref(),
        &client,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"passkey": view(&p)}))))
}

/// `GET /api/account/passkeys`
pub async fn list(
    State(state): State<Arc<AppState>>,
    Reader(account): Reader,
) -> Result<Json<Value>, ApiError> {
    let all = state.store.passkeys_of(account.id).await?;
    let list: Vec<Value> = all.iter().map(view).collect();
    Ok(Json(json!({ "passkeys": list })))
}

/// `DELETE /api/account/passkeys/{id}`
pub async fn remove(
    State(state): State<Arc<AppState>>,
    Reader(account): Reader,
    client: Client,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    passkeys::remove(&state, &account, id, &client).await?;
    Ok(Json(json!({"deleted": true})))
}

/// `POST /api/account/passkey/begin`: sign-in options (no account named).
pub async fn begin_sign_in(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<Begin>,
) -> Result<Json<Value>, ApiError> {
    Ok(begun(
        passkeys::begin_sign_in(&state, &input.site, &client).await?,
    ))
}

/// `POST /api/account/passkey/finish`: a verified assertion → a reader session.
pub async fn finish_sign_in(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiJson(input): ApiJson<Finish>,
) -> Result<Json<Value>, ApiError> {
    let (account, issued) = passkeys::finish_sign_in(
        &state,
        &input.site,
        &input.ceremony,
        input.credential,
        &client,
    )
    .await?;
    Ok(signed_in(&account, &issued))
}
