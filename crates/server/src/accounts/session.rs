//! Reader sessions without cookies: a signed-in reader's widget keeps an opaque token (in
//! `localStorage` on the publisher's page) and sends it in the `X-Rostra-Session` header, so
//! signing in works even where the browser blocks third-party cookies. The database holds only
//! the token's hash.

use crate::error::ApiError;
use crate::state::{now_ms, AppState};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rostra_core::account::{Account, ReaderSession};
use rostra_core::privacy::{hash_token, random_token};
use rostra_core::AccountId;
use std::sync::Arc;

/// The header the widget sends the session token in.
pub const SESSION_HEADER: &str = "x-rostra-session";

/// A new session's token (shown once, to the widget) and when it ends.
pub struct IssuedSession {
    pub token: String,
    pub expires_at: i64,
}

pub async fn issue(state: &AppState, account: AccountId) -> Result<IssuedSession, ApiError> {
    let token = random_token();
    let now = now_ms();
    let expires_at = now + i64::from(state.config.accounts.session_days) * 86_400_000;
    state
        .store
        .create_reader_session(ReaderSession {
            token_hash: hash_token(&token),
            account_id: account,
            created_at: now,
            expires_at,
        })
        .await?;
    Ok(IssuedSession { token, expires_at })
}

/// The session token a request carries, if any.
pub fn token(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(SESSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The account behind a session token; an unknown or expired token is `not_signed_in`.
pub async fn account_for(state: &AppState, token: &str) -> Result<Account, ApiError> {
    if token.len() > 128 {
        return Err(ApiError::NotSignedIn);
    }
    let session = state
        .store
        .reader_session(&hash_token(token))
        .await?
        .filter(|s| s.expires_at > now_ms())
        .ok_or(ApiError::NotSignedIn)?;
    state
        .store
        .account(session.account_id)
        .await?
        .ok_or(ApiError::NotSignedIn)
}

/// The signed-in reader, when the request carries a session token. A token that is no longer
/// valid is refused (`not_signed_in`), so the widget learns to forget it.
pub struct MaybeReader(pub Option<Account>);

impl FromRequestParts<Arc<AppState>> for MaybeReader {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, ApiError> {
        match token(parts) {
            Some(t) => Ok(MaybeReader(Some(account_for(state, t).await?))),
            None => Ok(MaybeReader(None)),
        }
    }
}

/// A signed-in reader, required.
pub struct Reader(pub Account);

impl FromRequestParts<Arc<AppState>> for Reader {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, ApiError> {
        let t = token(parts).ok_or(ApiError::NotSignedIn)?;
        Ok(Reader(account_for(state, t).await?))
    }
}
