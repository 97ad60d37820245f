//! Sites' machine-to-machine tokens: making one (shown once, kept only as its hash) and
//! checking a request's `Authorization: Bearer` token against a site and a scope.

use crate::api::bearer;
use crate::error::{ApiError, SiteTokenError};
use crate::state::{now_ms, AppState};
use axum::http::HeaderMap;
use rostra_core::privacy::{hash_token, random_token};
use rostra_core::site::{NewSiteToken, SiteToken, TokenScope};
use rostra_core::{Error, Site, SiteId};

/// What every site token starts with, so that people (and secret scanners) can tell one.
pub const PREFIX: &str = "rostra_st_";

/// A fresh token for the site and scope: the token to show once, and what is stored.
pub fn new_token(site: SiteId, scope: TokenScope, label: Option<String>) -> (String, NewSiteToken) {
    let token = format!("{PREFIX}{}", random_token());
    let new = NewSiteToken {
        site_id: site,
        scope,
        label: label.filter(|l| !l.trim().is_empty()),
        token_hash: hash_token(&token),
    };
    (token, new)
}

/// The site named by `site_key`, when the request's bearer token is a live token of that site
/// with this scope; the refusal says exactly what is wrong.
pub async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    site_key: &str,
    scope: TokenScope,
) -> Result<(Site, SiteToken), ApiError> {
    let token = bearer(headers)
        .filter(|t| !t.is_empty())
        .ok_or(SiteTokenError::Required)?;
    let found = state
        .store
        .site_token_by_hash(&hash_token(token))
        .await?
        .ok_or(SiteTokenError::Unknown)?;
    if found.revoked_at.is_some() {
        return Err(SiteTokenError::Revoked.into());
    }
    let site = state
        .store
        .site_by_key(site_key)
        .await?
        .ok_or_else(|| Error::UnknownSite(site_key.to_string()))?;
    if found.site_id != site.id {
        return Err(SiteTokenError::WrongSite.into());
    }
    if found.scope != scope {
        return Err(SiteTokenError::WrongScope.into());
    }
    state.store.site_token_used(found.id, now_ms()).await?;
    Ok((site, found))
}
