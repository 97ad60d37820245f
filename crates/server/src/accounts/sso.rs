//! Publisher SSO: the publisher's own site signs its logged-in reader into Rostra with an HS256
//! JWT made with the site's secret (`rostra site secret KEY`). Rostra checks the signature,
//! `exp`, `iat` and the audience (the site key), maps the token's `id` to an account of that
//! site, and answers a reader session like any other sign-in.

use super::session::{self, IssuedSession};
use crate::client::{check_origin, rate_limit, Client};
use crate::error::ApiError;
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use rostra_core::account::{Account, NewAccount};
use serde::Deserialize;

/// Seconds of clock difference between the publisher's server and ours that are forgiven.
const LEEWAY_SECS: u64 = 60;

/// Roles a publisher may give; anything else is ignored.
pub const ROLES: &[&str] = &["staff", "moderator"];

/// What a publisher's token says about its reader.
#[derive(Debug, Deserialize)]
pub struct SsoClaims {
    /// The publisher's id for the reader (a string or a number).
    pub id: serde_json::Value,
    pub name: String,
    pub email: Option<String>,
    pub avatar: Option<String>,
    pub role: Option<String>,
    #[allow(dead_code)] // checked by the validation
    pub exp: u64,
    pub iat: u64,
}

/// Checks a token against the site's secret: signature, expiry, issue time and audience.
pub fn verify(token: &str, secret: &str, site_key: &str) -> Result<SsoClaims, ApiError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[site_key]);
    validation.set_required_spec_claims(&["exp", "iat", "aud"]);
    validation.leeway = LEEWAY_SECS;
    let data = decode::<SsoClaims>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )
    .map_err(|e| {
        ApiError::InvalidSsoToken(match e.kind() {
            ErrorKind::ExpiredSignature => "the token has expired",
            ErrorKind::InvalidSignature => "the token's signature does not match the site's secret",
            ErrorKind::InvalidAudience => "the token's audience (aud) is not this site's key",
            ErrorKind::MissingRequiredClaim(_) => "the token lacks exp, iat or aud",
            ErrorKind::InvalidAlgorithm => "the token must be signed with HS256",
            _ => "the token is not a valid JWT with id and name",
        })
    })?;
    let claims = data.claims;
    let now_secs = (now_ms() / 1000) as u64;
    if claims.iat > now_secs + LEEWAY_SECS {
        return Err(ApiError::InvalidSsoToken(
            "the token was issued in the future (iat)",
        ));
    }
    Ok(claims)
}

/// The publisher's id as text; empty or other kinds of value are refused.
fn external_id(id: &serde_json::Value) -> Result<String, ApiError> {
    let text = match id {
        serde_json::Value::String(s) => s.trim().to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    if text.is_empty() || text.len() > 256 {
        return Err(ApiError::InvalidSsoToken(
            "the token's id must be a non-empty string or number",
        ));
    }
    Ok(text)
}

/// Exchanges a publisher's token for a reader session on that site.
pub async fn sign_in(
    state: &AppState,
    site_key: &str,
    token: &str,
    client: &Client,
) -> Result<(Account, IssuedSession), ApiError> {
    rate_limit(state, Action::Login, client)?;
    let site = state.sites.get(site_key).await?;
    check_origin(state, &site, client)?;
    let secret = state
        .store
        .sso_secret(site.id)
        .await?
        .ok_or(ApiError::SsoNotConfigured)?;
    let claims = verify(token, &secret, &site.key)?;
    let author = rostra_core::validate::author(
        &rostra_core::validate::AuthorInput {
            name: Some(&claims.name),
            email: claims.email.as_deref(),
            url: claims.avatar.as_deref(),
        },
        &state.limits,
    )?;
    let now = now_ms();
    let new = NewAccount {
        site_id: Some(site.id),
        external_id: Some(external_id(&claims.id)?),
        email_verified_at: author.email.as_ref().map(|_| now),
        email: author.email,
        password_hash: None,
        display_name: author.name.ok_or(ApiError::NameRequired)?,
        avatar_url: author.url,
        role: claims.role.filter(|r| ROLES.contains(&r.as_str())),
    };
    let account = state.store.upsert_sso_account(new, now).await?;
    let issued = session::issue(state, account.id).await?;
    Ok((account, issued))
}
