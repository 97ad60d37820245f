//! The queues (pending, reported, rejected, recent) and the actions on their items, one at a
//! time or in bulk.

use super::session::Moderator;
use super::view::{item, ItemView, Nav};
use super::{form_fields, AdminError, Page};
use crate::moderating::{self, Action};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bytes::Bytes;
use rostra_core::moderation::BanKind;
use rostra_core::store::{Queue, SiteScope};
use rostra_core::CommentId;
use serde::Deserialize;
use std::sync::Arc;

const PAGE: u32 = 25;

pub struct Tab {
    label: &'static str,
    href: String,
    count: i64,
    current: bool,
}

#[derive(Template)]
#[template(path = "admin/queue.html")]
struct QueuePage {
    nav: Nav,
    csrf: String,
    back: String,
    queue_label: &'static str,
    tabs: Vec<Tab>,
    flash: Option<String>,
    items: Vec<ItemView>,
    next_href: Option<String>,
}

#[derive(Deserialize)]
pub struct QueueQuery {
    site: Option<String>,
    offset: Option<u64>,
    done: Option<String>,
}

fn parse_queue(name: &str) -> Option<(Queue, &'static str)> {
    Some(match name {
        "pending" => (Queue::Pending, "Pending"),
        "reported" => (Queue::Reported, "Reported"),
        "rejected" => (Queue::Rejected, "Rejected"),
        "recent" => (Queue::Recent, "Recent"),
        _ => return None,
    })
}

/// The sites this moderator may see, narrowed to one when asked.
async fn scope(
    state: &AppState,
    m: &Moderator,
    site: Option<&str>,
) -> Result<SiteScope, AdminError> {
    match site.filter(|s| !s.is_empty()) {
        Some(key) => {
            let site = state.sites.get(key).await?;
            if !m.user.may_moderate(site.id) {
                return Err(AdminError::Forbidden);
            }
            Ok(SiteScope::Only(vec![site.id]))
        }
        None if m.user.is_admin() => Ok(SiteScope::All),
        None => Ok(SiteScope::Only(m.user.sites.clone())),
    }
}

pub async fn index() -> Redirect {
    Redirect::to("/admin/queue/pending")
}

pub async fn queue(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(name): Path<String>,
    Query(q): Query<QueueQuery>,
) -> Result<Response, AdminError> {
    let (queue, label) = parse_queue(&name)
        .ok_or_else(|| AdminError::BadRequest(format!("no queue called '{name}'")))?;
    let scope = scope(&state, &m, q.site.as_deref()).await?;
    let counts = state.store.queue_counts(&scope).await?;
    let offset = q.offset.unwrap_or(0);
    let comments = state.store.queue(&scope, queue, offset, PAGE + 1).await?;
    let site_q = q
        .site
        .as_deref()
        .map(|s| format!("?site={s}"))
        .unwrap_or_default();
    let mut items = Vec::new();
    for c in comments.iter().take(PAGE as usize) {
        items.push(item(&state, c).await?);
    }
    let next_href = (comments.len() > PAGE as usize).then(|| {
        let sep = if site_q.is_empty() { '?' } else { '&' };
        format!(
            "/admin/queue/{name}{site_q}{sep}offset={}",
            offset + u64::from(PAGE)
        )
    });
    let tabs = [
        ("pending", "Pending", counts.pending),
        ("reported", "Reported", counts.reported),
        ("rejected", "Rejected", counts.rejected),
        ("recent", "Recent", counts.recent),
    ]
    .into_iter()
    .map(|(n, label, count)| Tab {
        label,
        href: format!("/admin/queue/{n}{site_q}"),
        count,
        current: n == name,
    })
    .collect();
    let page = QueuePage {
        csrf: m.csrf.clone(),
        back: format!("/admin/queue/{name}{site_q}"),
        nav: Nav::new(&state, &m),
        queue_label: label,
        tabs,
        flash: q.done,
        items,
        next_href,
    };
    Ok(Page(StatusCode::OK, page).into_response())
}

/// Back to where the moderator was, with a note of what was done (only to admin pages).
pub(super) fn back_to(back: Option<&str>, done: &str) -> Redirect {
    let back = back
        .filter(|b| b.starts_with("/admin/") && !b.starts_with("//"))
        .unwrap_or("/admin/queue/pending");
    let sep = if back.contains('?') { '&' } else { '?' };
    let done: String = url::form_urlencoded::byte_serialize(done.as_bytes()).collect();
    Redirect::to(&format!("{back}{sep}done={done}"))
}

pub async fn act(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path((id, action)): Path<(i64, String)>,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    let action = Action::parse(&action)
        .ok_or_else(|| AdminError::BadRequest(format!("no action '{action}'")))?;
    let done = moderating::act(
        &state,
        &m.user,
        CommentId(id),
        action,
        f.get("note").map(str::to_string),
    )
    .await?;
    Ok(back_to(
        f.get("back"),
        &format!("Comment {} is now {}.", id, done.status.as_str()),
    ))
}

pub async fn bulk(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    let action = f
        .get("action")
        .and_then(Action::parse)
        .ok_or_else(|| AdminError::BadRequest("choose an action".into()))?;
    let ids: Vec<i64> = f.all("ids").iter().filter_map(|i| i.parse().ok()).collect();
    if ids.is_empty() {
        return Ok(back_to(f.get("back"), "Nothing was selected."));
    }
    // Check every one first, so a selection that strays onto another site changes nothing.
    for id in &ids {
        moderating::load_for(&state, &m.user, CommentId(*id)).await?;
    }
    for id in &ids {
        moderating::act(&state, &m.user, CommentId(*id), action, None).await?;
    }
    Ok(back_to(
        f.get("back"),
        &format!("{} comments done.", ids.len()),
    ))
}

pub async fn ban(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    let until = moderating::ban_until(f.get("duration").unwrap_or("7d"), crate::state::now_ms())
        .ok_or_else(|| AdminError::BadRequest("unknown ban duration".into()))?;
    let kinds: Vec<BanKind> = f
        .all("kind")
        .iter()
        .filter_map(|k| BanKind::parse(k))
        .collect();
    if kinds.is_empty() {
        return Err(AdminError::BadRequest(
            "choose what to ban: identity, e-mail or network".into(),
        ));
    }
    let bans = moderating::ban(
        &state,
        &m.user,
        CommentId(id),
        &kinds,
        until,
        f.get("reason").map(str::to_string),
    )
    .await?;
    let what = if bans.is_empty() {
        "Nothing to ban: the comment has no identity, e-mail or network on record.".to_string()
    } else {
        format!("{} bans added.", bans.len())
    };
    Ok(back_to(f.get("back"), &what))
}
