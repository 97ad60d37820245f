//! The delivery log: what the outbox sent or still tries to send (e-mails and webhooks), newest
//! first. Admins only: it spans every site and shows readers' addresses.

use super::session::Moderator;
use super::view::Nav;
use super::{AdminError, Page};
use crate::state::AppState;
use crate::text::utc;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Rows on one page.
const PAGE: u32 = 100;

#[derive(serde::Deserialize, Default)]
pub struct LogQuery {
    before: Option<i64>,
}

pub struct Row {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub created: String,
    pub attempts: i64,
    pub sent: String,
    pub next_try: String,
    pub last_error: String,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct LogPage {
    nav: Nav,
    rows: Vec<Row>,
    next_href: Option<String>,
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Query(q): Query<LogQuery>,
) -> Result<Response, AdminError> {
    m.require_admin()?;
    let mut items = state.store.recent_outbox(q.before, PAGE + 1).await?;
    let more = items.len() > PAGE as usize;
    items.truncate(PAGE as usize);
    let next_href = items
        .last()
        .filter(|_| more)
        .map(|i| format!("/admin/outbox?before={}", i.id));
    let when = |t: Option<i64>| t.map(|t| utc(t).0).unwrap_or_default();
    let rows = items
        .into_iter()
        .map(|i| Row {
            id: i.id,
            kind: i.kind,
            recipient: i.recipient,
            created: utc(i.created_at).0,
            attempts: i.attempts,
            sent: when(i.sent_at),
            next_try: match (i.sent_at, i.next_attempt_at) {
                (Some(_), _) => String::new(),
                (None, Some(t)) => utc(t).0,
                (None, None) => "given up".into(),
            },
            last_error: i.last_error.unwrap_or_default(),
        })
        .collect();
    let page = LogPage {
        nav: Nav::new(&state, &m),
        rows,
        next_href,
    };
    Ok(Page(StatusCode::OK, page).into_response())
}
