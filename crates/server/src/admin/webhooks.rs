//! A site's webhooks: list, add (with a given or generated secret) and remove. Admins only;
//! each change goes to the audit log.

use super::session::Moderator;
use super::view::Nav;
use super::{form_fields, AdminError, Page};
use crate::notify::webhooks::{new_webhook, WEBHOOK_EVENTS_TEXT};
use crate::state::{now_ms, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use rostra_core::moderation::NewAuditEntry;
use rostra_core::Site;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "admin/webhooks.html")]
struct WebhooksPage {
    nav: Nav,
    csrf: String,
    key: String,
    events: &'static str,
    hooks: Vec<(i64, String, String)>,
    flash: Option<String>,
    /// The secret of a webhook just added, shown this once.
    secret: Option<String>,
}

async fn site_for(state: &AppState, m: &Moderator, key: &str) -> Result<Arc<Site>, AdminError> {
    m.require_admin()?;
    Ok(state.sites.get(key).await?)
}

async fn render(
    state: &AppState,
    m: &Moderator,
    site: &Site,
    status: StatusCode,
    flash: Option<String>,
    secret: Option<String>,
) -> Result<Response, AdminError> {
    let hooks = state
        .store
        .webhooks(site.id)
        .await?
        .into_iter()
        .map(|h| (h.id, h.url, crate::text::utc(h.created_at).0))
        .collect();
    let page = WebhooksPage {
        nav: Nav::new(state, m),
        csrf: m.csrf.clone(),
        key: site.key.clone(),
        events: WEBHOOK_EVENTS_TEXT,
        hooks,
        flash,
        secret,
    };
    Ok(Page(status, page).into_response())
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(key): Path<String>,
) -> Result<Response, AdminError> {
    let site = site_for(&state, &m, &key).await?;
    render(&state, &m, &site, StatusCode::OK, None, None).await
}

fn audit(m: &Moderator, action: &str, site: &Site, detail: String) -> NewAuditEntry {
    NewAuditEntry {
        at: now_ms(),
        actor: Some(m.user.id),
        action: action.into(),
        target: format!("site:{}", site.key),
        site_id: Some(site.id),
        reason: None,
        detail,
    }
}

pub async fn add(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(key): Path<String>,
    body: Bytes,
) -> Result<Response, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    let site = site_for(&state, &m, &key).await?;
    let new = match new_webhook(site.id, f.get("url").unwrap_or_default(), f.get("secret")) {
        Ok(new) => new,
        Err(why) => {
            return render(&state, &m, &site, StatusCode::BAD_REQUEST, Some(why), None).await
        }
    };
    let hook = state.store.add_webhook(new, now_ms()).await?;
    let detail = format!("webhook {} to {}", hook.id, hook.url);
    state
        .store
        .append_audit(audit(&m, "webhook.add", &site, detail))
        .await?;
    let flash = format!(
        "Added. Events to {} are signed with the secret below.",
        hook.url
    );
    render(
        &state,
        &m,
        &site,
        StatusCode::OK,
        Some(flash),
        Some(hook.secret),
    )
    .await
}

pub async fn remove(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path((key, id)): Path<(String, i64)>,
    body: Bytes,
) -> Result<Response, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    let site = site_for(&state, &m, &key).await?;
    if !state.store.remove_webhook(site.id, id).await? {
        return Err(AdminError::BadRequest(
            "no such webhook on this site".into(),
        ));
    }
    state
        .store
        .append_audit(audit(&m, "webhook.remove", &site, format!("webhook {id}")))
        .await?;
    render(
        &state,
        &m,
        &site,
        StatusCode::OK,
        Some("Removed.".into()),
        None,
    )
    .await
}
