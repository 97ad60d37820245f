//! Sites and their moderation policy: admins only.

use super::session::Moderator;
use super::view::Nav;
use super::{form_fields, AdminError, Page};
use crate::state::{now_ms, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bytes::Bytes;
use rostra_core::moderation::{ModerationMode, NewAuditEntry, SitePolicy};
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

fn lines(s: Option<&str>) -> Vec<String> {
    s.unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
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
        origins: lines(f.get("origins")),
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
    p: SitePolicy,
    reject: String,
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
        reject: p.toxicity_reject.map(|r| r.to_string()).unwrap_or_default(),
        banned: p.banned_words.join("\n"),
        suspect: p.suspect_words.join("\n"),
        p,
    };
    Ok(Page(StatusCode::OK, page).into_response())
}

fn number<T: std::str::FromStr>(f: &super::FormFields, name: &str) -> Result<T, AdminError> {
    f.get(name)
        .unwrap_or_default()
        .trim()
        .parse()
        .map_err(|_| AdminError::BadRequest(format!("{name} must be a number")))
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
        origins: lines(f.get("origins")),
        prompt: None,
    }
    .validate()
    .map_err(|p| AdminError::BadRequest(p.join("; ")))?;
    let reject = f
        .get("toxicity_reject")
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let policy = SitePolicy {
        mode: f
            .get("mode")
            .and_then(ModerationMode::parse)
            .ok_or_else(|| AdminError::BadRequest("unknown mode".into()))?,
        max_links: number(&f, "max_links")?,
        edit_window_secs: number(&f, "edit_window_secs")?,
        close_after_days: number(&f, "close_after_days")?,
        reports_to_hold: number::<u32>(&f, "reports_to_hold")?.max(1),
        banned_words: lines(f.get("banned_words")),
        suspect_words: lines(f.get("suspect_words")),
        toxicity_hold: number::<f32>(&f, "toxicity_hold")?.clamp(0.0, 1.0),
        toxicity_reject: reject
            .map(|r| r.parse::<f32>().map(|v| v.clamp(0.0, 1.0)))
            .transpose()
            .map_err(|_| AdminError::BadRequest("toxicity_reject must be a number".into()))?,
        trust_after: f
            .get("trust_after")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0),
        attributes: Default::default(),
        nudge: true,
    };
    let mut updated = (*site).clone();
    updated.name = checked.name;
    updated.origins = checked.origins;
    updated.prompt = f
        .get("prompt")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string);
    state.store.update_site(&updated).await?;
    let detail = format!("mode {}, max_links {}, reports_to_hold {}, toxicity_hold {}, {} banned and {} suspect words, origins {}", policy.mode.as_str(), policy.max_links, policy.reports_to_hold, policy.toxicity_hold, policy.banned_words.len(), policy.suspect_words.len(), updated.origins.join(" "));
    state
        .store
        .set_site_policy(site.id, &policy, audit(&m, "site.update", &site, detail))
        .await?;
    state.site_rules.forget(site.id);
    state.sites.refresh().await?;
    state.threads.clear_aliases();
    Ok(Redirect::to(&format!("/admin/sites/{key}?done=Saved.")))
}
