//! The audit log: every moderator and admin action, newest first, filterable and exportable as
//! JSON lines. Rostra offers no way to change or delete a line.

use super::session::Moderator;
use super::view::Nav;
use super::{AdminError, Page};
use crate::state::AppState;
use crate::text::utc;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use rostra_core::moderation::AuditEntry;
use rostra_core::store::AuditFilter;
use std::sync::Arc;

#[derive(serde::Deserialize, Default)]
pub struct AuditQuery {
    site: Option<String>,
    action: Option<String>,
    before: Option<i64>,
}

/// When, who, action, target, why, detail, and the author's drawer for a comment's line.
type AuditRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    nav: Nav,
    site_keys: Vec<String>,
    site: String,
    action: String,
    export_href: String,
    entries: Vec<AuditRow>,
    next_href: Option<String>,
}

/// The filter this moderator may use: admins see everything; a moderator only their sites.
async fn filter(
    state: &AppState,
    m: &Moderator,
    q: &AuditQuery,
    limit: u32,
) -> Result<(AuditFilter, Vec<String>), AdminError> {
    let sites = state.store.list_sites().await?;
    let visible: Vec<_> = sites
        .into_iter()
        .filter(|s| m.user.may_moderate(s.id))
        .collect();
    let site = match q.site.as_deref().filter(|s| !s.is_empty()) {
        Some(key) => Some(
            visible
                .iter()
                .find(|s| s.key == key)
                .ok_or(AdminError::Forbidden)?
                .id,
        ),
        None if m.user.is_admin() => None,
        None => match visible.first() {
            Some(s) if visible.len() == 1 => Some(s.id),
            _ => return Err(AdminError::BadRequest("choose a site".into())),
        },
    };
    let f = AuditFilter {
        site,
        actor: None,
        action: q.action.clone().filter(|a| !a.is_empty()),
        before_id: q.before,
        limit,
    };
    Ok((f, visible.into_iter().map(|s| s.key).collect()))
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AdminError> {
    let (f, site_keys) = filter(&state, &m, &q, 101).await?;
    let mut entries = state.store.audit_log(&f).await?;
    let more = entries.len() > 100;
    entries.truncate(100);
    let query = format!(
        "site={}&action={}",
        q.site.clone().unwrap_or_default(),
        q.action.clone().unwrap_or_default()
    );
    let next_href = if more {
        entries
            .last()
            .map(|e| format!("/admin/audit?{query}&before={}", e.id))
    } else {
        None
    };
    let rows = entries
        .into_iter()
        .map(|e| {
            let drawer = e
                .target
                .strip_prefix("comment:")
                .filter(|id| id.parse::<i64>().is_ok())
                .map(|id| format!("/admin/comments/{id}/author"));
            (
                utc(e.at).0,
                e.actor_email.unwrap_or_else(|| "system".into()),
                e.action,
                e.target,
                e.reason.unwrap_or_default(),
                e.detail,
                drawer,
            )
        })
        .collect();
    let page = AuditPage {
        nav: Nav::new(&state, &m),
        site_keys,
        site: q.site.clone().unwrap_or_default(),
        action: q.action.clone().unwrap_or_default(),
        export_href: format!("/admin/audit.jsonl?{query}"),
        entries: rows,
        next_href,
    };
    Ok(Page(StatusCode::OK, page).into_response())
}

fn line(e: &AuditEntry) -> String {
    serde_json::to_string(e).unwrap_or_default()
}

pub async fn export(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AdminError> {
    let (f, _) = filter(&state, &m, &q, 100_000).await?;
    let body: String = state
        .store
        .audit_log(&f)
        .await?
        .iter()
        .map(|e| line(e) + "\n")
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"rostra-audit.jsonl\"",
            ),
        ],
        body,
    )
        .into_response())
}
