//! Moderators and admins: who exists, which sites each moderates; admins only.

use super::session::Moderator;
use super::view::Nav;
use super::{form_fields, AdminError, Page};
use crate::state::{now_ms, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bytes::Bytes;
use rostra_core::moderation::NewAuditEntry;
use rostra_core::user::{NewUser, Role};
use rostra_core::{SiteId, UserId};
use std::sync::Arc;

pub struct UserRow {
    id: i64,
    email: String,
    role: &'static str,
    is_admin: bool,
    sites: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    nav: Nav,
    csrf: String,
    flash: Option<String>,
    users: Vec<UserRow>,
    site_keys: Vec<String>,
}

#[derive(serde::Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Query(q): Query<Done>,
) -> Result<Response, AdminError> {
    m.require_admin()?;
    let sites = state.store.list_sites().await?;
    let users = state
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| UserRow {
            id: u.id.0,
            role: u.role.as_str(),
            is_admin: u.is_admin(),
            sites: sites
                .iter()
                .map(|s| (s.key.clone(), u.sites.contains(&s.id)))
                .collect(),
            email: u.email,
        })
        .collect();
    let page = UsersPage {
        nav: Nav::new(&state, &m),
        csrf: m.csrf.clone(),
        flash: q.done,
        users,
        site_keys: sites.into_iter().map(|s| s.key).collect(),
    };
    Ok(Page(StatusCode::OK, page).into_response())
}

async fn site_ids(state: &AppState, keys: &[&str]) -> Result<Vec<SiteId>, AdminError> {
    let mut ids = Vec::new();
    for k in keys {
        ids.push(state.sites.get(k).await?.id);
    }
    Ok(ids)
}

fn audit(m: &Moderator, action: &str, target: String, detail: String) -> NewAuditEntry {
    NewAuditEntry {
        at: now_ms(),
        actor: Some(m.user.id),
        action: action.into(),
        target,
        site_id: None,
        reason: None,
        detail,
    }
}

pub async fn add(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    m.require_admin()?;
    let email = f.get("email").unwrap_or_default().trim().to_lowercase();
    if !email.contains('@') {
        return Err(AdminError::BadRequest(
            "that is not an e-mail address".into(),
        ));
    }
    if state.store.user_by_email(&email).await?.is_some() {
        return Err(AdminError::BadRequest(format!(
            "{email} has an account already"
        )));
    }
    let role = f
        .get("role")
        .and_then(Role::parse)
        .ok_or_else(|| AdminError::BadRequest("unknown role".into()))?;
    let password_hash = crate::password::hash_on_pool(f.get("password").unwrap_or_default())
        .await
        .map_err(AdminError::BadRequest)?;
    let sites = site_ids(&state, &f.all("site")).await?;
    let user = state
        .store
        .create_user(
            NewUser {
                email,
                role,
                sites,
                password_hash,
            },
            now_ms(),
        )
        .await?;
    state
        .store
        .append_audit(audit(
            &m,
            "user.create",
            format!("user:{}", user.id.0),
            format!("{} as {}", user.email, role.as_str()),
        ))
        .await?;
    Ok(Redirect::to("/admin/users?done=Added."))
}

pub async fn set_sites(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    m.require_admin()?;
    let user = state
        .store
        .user(UserId(id))
        .await?
        .ok_or_else(|| AdminError::BadRequest("no such user".into()))?;
    let keys = f.all("site");
    let sites = site_ids(&state, &keys).await?;
    state.store.set_user_sites(user.id, &sites).await?;
    state
        .store
        .append_audit(audit(
            &m,
            "user.sites",
            format!("user:{}", user.id.0),
            format!("{} moderates {}", user.email, keys.join(" ")),
        ))
        .await?;
    Ok(Redirect::to("/admin/users?done=Saved."))
}
