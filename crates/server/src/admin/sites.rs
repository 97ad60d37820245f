//! Sites and their moderation policy: admins only.

use super::session::Moderator;
use super::view::Nav;
use super::{form_fields, site_policy, AdminError, Page};
use crate::state::{now_ms, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bytes::Bytes;
use rostra_core::moderation::{NewAuditEntry, SitePolicy};
use rostra_core::NewSite;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "admin/sites.html")]
struct SitesPage {
    nav: Nav,
    csrf: String,
    sites: Vec<(String, String, String, &'static str)>,
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    m: Moderator,
) -> Result<Response, AdminError> {
    m.require_admin()?;
    let mut sites = Vec::new();
    for s in state.store.list_sites().await? {
        let mode = state.policy(&s).await?.mode.as_str();
        sites.push((s.key, s.name, s.origins.join(" "), mode));
    }
    Ok(Page(
        StatusCode::OK,
        SitesPage {
            csrf: m.csrf.clone(),
            nav: Nav::new(&state, &m),
            sites,
        },
    )
    .into_response())
}

fn audit(m: &Moderator, action: &str, site: &rostra_core::Site, detail: String) -> NewAuditEntry {
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
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    m.require_admin()?;
    let new = NewSite {
        key: f.get("key").unwrap_or_default().trim().into(),
        name: f.get("name").unwrap_or_default().trim().into(),
        origins: f.lines("origins"),
        prompt: None,
    }
    .validate()
    .map_err(|p| AdminError::BadRequest(p.join("; ")))?;
    if state.store.site_by_key(&new.key).await?.is_some() {
        return Err(AdminError::BadRequest(format!(
            "a site with the key '{}' exists already",
            new.key
        )));
    }
    let site = state.store.create_site(new, now_ms()).await?;
    state
        .store
        .append_audit(audit(
            &m,
            "site.create",
            &site,
            format!("origins {}", site.origins.join(" ")),
        ))
        .await?;
    state.sites.refresh().await?;
    Ok(Redirect::to(&format!("/admin/sites/{}", site.key)))
}

#[derive(Template)]
#[template(path = "admin/site.html")]
struct SitePage {
    nav: Nav,
    csrf: String,
    flash: Option<String>,
    key: String,
    name: String,
    origins: String,
    prompt: String,
    modes: Vec<(&'static str, &'static str)>,
    mode: &'static str,
    presets: Vec<site_policy::PresetOption>,
    preset: &'static str,
    rules: Vec<site_policy::RuleRow>,
    p: SitePolicy,
    banned: String,
    suspect: String,
}

#[derive(serde::Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn show(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(key): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, AdminError> {
    m.require_admin()?;
    let site = state.sites.get(&key).await?;
    let p = state.policy(&site).await?;
    let page = SitePage {
        nav: Nav::new(&state, &m),
        csrf: m.csrf.clone(),
        flash: q.done,
        key: site.key.clone(),
        name: site.name.clone(),
        origins: site.origins.join("\n"),
        prompt: site.prompt.clone().unwrap_or_default(),
        modes: vec![
            ("post_moderation", "Publish unless a check holds it"),
            ("pre_moderation", "Hold every comment for a moderator"),
            ("pre_moderate_newcomers", "Hold first-time commenters"),
        ],
        mode: p.mode.as_str(),
        presets: site_policy::presets(),
        preset: site_policy::preset_of(&p.attributes),
        rules: site_policy::rows(&p.attributes),
        banned: p.banned_words.join("\n"),
        suspect: p.suspect_words.join("\n"),
        p,
    };
    Ok(Page(StatusCode::OK, page).into_response())
}

pub async fn update(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(key): Path<String>,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    m.require_admin()?;
    let site = state.sites.get(&key).await?;
    let checked = NewSite {
        key: site.key.clone(),
        name: f.get("name").unwrap_or_default().trim().into(),
        origins: f.lines("origins"),
        prompt: None,
    }
    .validate()
    .map_err(|p| AdminError::BadRequest(p.join("; ")))?;
    let current = state.policy(&site).await?;
    let policy = site_policy::read(&f, &current)?;
    let mut updated = (*site).clone();
    updated.name = checked.name;
    updated.origins = checked.origins;
    updated.prompt = f
        .get("prompt")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string);
    state.store.update_site(&updated).await?;
    let mut changed = site_changes(&site, &updated);
    changed.extend(site_policy::changes(&current, &policy));
    let detail = match changed.is_empty() {
        true => "no change".to_string(),
        false => changed.join("; "),
    };
    state
        .store
        .set_site_policy(site.id, &policy, audit(&m, "site.update", &site, detail))
        .await?;
    state.site_rules.forget(site.id);
    state.sites.refresh().await?;
    state.threads.clear_aliases();
    Ok(Redirect::to(&format!("/admin/sites/{key}?done=Saved.")))
}

/// What a save changed of the site itself: its name, origins and prompt.
fn site_changes(old: &rostra_core::Site, new: &rostra_core::Site) -> Vec<String> {
    let prompt = |s: &rostra_core::Site| s.prompt.clone().unwrap_or_default();
    [
        ("name", old.name.clone(), new.name.clone()),
        ("origins", old.origins.join(" "), new.origins.join(" ")),
        ("prompt", prompt(old), prompt(new)),
    ]
    .into_iter()
    .filter(|(_, was, is)| was != is)
    .map(|(what, was, is)| format!("{what} '{was}' → '{is}'"))
    .collect()
}
