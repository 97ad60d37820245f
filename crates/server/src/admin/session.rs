//! Signed-in moderators: the session cookie, the `Moderator` extractor, CSRF tokens, and the
//! login and logout handlers.

use super::{form_fields, AdminError, Page};
use crate::client::Client;
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use askama::Template;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use bytes::Bytes;
use rostra_core::privacy::{constant_time_eq, hash_token, random_token};
use rostra_core::user::{Session, User};
use std::sync::Arc;

pub const COOKIE: &str = "rostra_session";

/// A signed-in moderator or admin, with the session's CSRF token for the forms.
pub struct Moderator {
    pub user: User,
    pub csrf: String,
}

impl Moderator {
    /// Every state-changing form carries the session's CSRF token.
    pub fn check_csrf(&self, sent: Option<&str>) -> Result<(), AdminError> {
        match sent {
            Some(t) if constant_time_eq(t, &self.csrf) => Ok(()),
            _ => Err(AdminError::Csrf),
        }
    }

    pub fn require_admin(&self) -> Result<(), AdminError> {
        if self.user.is_admin() {
            Ok(())
        } else {
            Err(AdminError::Forbidden)
        }
    }
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl FromRequestParts<Arc<AppState>> for Moderator {
    type Rejection = AdminError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, AdminError> {
        let token = cookie_value(&parts.headers, COOKIE).ok_or(AdminError::SignIn)?;
        let session = state
            .store
            .session(&hash_token(token))
            .await?
            .ok_or(AdminError::SignIn)?;
        if session.expires_at < now_ms() {
            return Err(AdminError::SignIn);
        }
        let user = state
            .store
            .user(session.user_id)
            .await?
            .ok_or(AdminError::SignIn)?;
        Ok(Moderator {
            user,
            csrf: session.csrf_token,
        })
    }
}

fn set_cookie(state: &AppState, value: &str, max_age_secs: i64) -> String {
    let secure = if state.public_origin.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{COOKIE}={value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}"
    )
}

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    error: Option<String>,
    next: String,
}

#[derive(serde::Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Where to go after signing in: only somewhere under `/admin`.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/admin") && !n.starts_with("//") && !n.contains(['\r', '\n']) => {
            n.to_string()
        }
        _ => "/admin".into(),
    }
}

pub async fn login_page(Query(q): Query<Next>) -> Response {
    Page(
        StatusCode::OK,
        LoginPage {
            error: None,
            next: safe_next(q.next.as_deref()),
        },
    )
    .into_response()
}

pub async fn login(
    State(state): State<Arc<AppState>>,
    client: Client,
    body: Bytes,
) -> Result<Response, AdminError> {
    let f = form_fields(&body);
    let next = safe_next(f.get("next"));
    if let Err(secs) = state.rate_limits.check(Action::Login, &client.ip_hash) {
        let error = Some(format!("Too many attempts; try again in {secs} seconds."));
        return Ok(Page(StatusCode::TOO_MANY_REQUESTS, LoginPage { error, next }).into_response());
    }
    let (email, password) = (
        f.get("email").unwrap_or_default(),
        f.get("password").unwrap_or_default(),
    );
    let user = state.store.user_by_email(email).await?;
    let stored = user.as_ref().map(|u| u.password_hash.as_str());
    let ok = crate::password::verify_on_pool(password, stored).await;
    let Some(user) = user.filter(|_| ok) else {
        tracing::info!("failed moderator login");
        let error = Some("That e-mail address and password do not match.".to_string());
        return Ok(Page(StatusCode::UNAUTHORIZED, LoginPage { error, next }).into_response());
    };
    let token = random_token();
    let now = now_ms();
    let hours = i64::from(state.config.admin.session_hours);
    let session = Session {
        token_hash: hash_token(&token),
        user_id: user.id,
        csrf_token: random_token(),
        created_at: now,
        expires_at: now + hours * 3_600_000,
    };
    state.store.create_session(session).await?;
    let cookie = set_cookie(&state, &token, hours * 3600);
    Ok((
        StatusCode::SEE_OTHER,
        [(header::SET_COOKIE, cookie), (header::LOCATION, next)],
    )
        .into_response())
}

pub async fn logout(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AdminError> {
    m.check_csrf(form_fields(&body).get("csrf"))?;
    if let Some(token) = cookie_value(&headers, COOKIE) {
        state.store.delete_session(&hash_token(token)).await?;
    }
    let cookie = set_cookie(&state, "", 0);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/admin/login")).into_response())
}
