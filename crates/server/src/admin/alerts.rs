//! A moderator's own alert setting: off, an e-mail per held or reported comment, or a digest.

use super::session::Moderator;
use super::view::Nav;
use super::{form_fields, AdminError, Page};
use crate::state::{now_ms, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bytes::Bytes;
use rostra_core::notification::AlertMode;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "admin/alerts.html")]
struct AlertsPage {
    nav: Nav,
    csrf: String,
    mode: &'static str,
    digest_minutes: u64,
    saved: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct Saved {
    saved: Option<String>,
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Query(q): Query<Saved>,
) -> Result<Response, AdminError> {
    let mode = state
        .store
        .alert_modes()
        .await?
        .into_iter()
        .find(|(u, _)| *u == m.user.id)
        .map_or(AlertMode::Off, |(_, mode)| mode);
    let page = AlertsPage {
        nav: Nav::new(&state, &m),
        csrf: m.csrf.clone(),
        mode: mode.as_str(),
        digest_minutes: state.config.notifications.digest_interval_secs / 60,
        saved: q.saved.is_some(),
    };
    Ok(Page(StatusCode::OK, page).into_response())
}

pub async fn save(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    let mode = f
        .get("mode")
        .and_then(AlertMode::parse)
        .ok_or_else(|| AdminError::BadRequest("mode is off, immediate or digest".into()))?;
    state
        .store
        .set_alert_mode(m.user.id, mode, now_ms())
        .await?;
    Ok(Redirect::to("/admin/alerts?saved=1"))
}
