//! Fetching the facts the moderation decision asks for (bans, the external classifier's answer,
//! the commenter's standing), each only when it can change the outcome. The rules themselves
//! are in `rostra_moderation::decision`.

use crate::client::Client;
use crate::error::ApiError;
use crate::state::AppState;
use rostra_core::moderation::{BanKind, ModerationMode, SitePolicy};
use rostra_core::privacy::hash_with_salt;
use rostra_core::Site;
use rostra_moderation::checks::CheckInput;
use rostra_moderation::decision::{self, Commenter, Outcome};

/// What is being decided: a new comment (`email` is the address it gives) or an edit, whose
/// author the edit token already identified (bans are looked up for new comments only).
pub struct Subject<'a> {
    pub body: &'a str,
    pub name: Option<&'a str>,
    /// The page, as the external classifier is told (empty for edits).
    pub url: &'a str,
    pub email: Option<&'a str>,
    pub new: bool,
}

/// The stored form of an e-mail address for bans: salted, lower-cased.
pub fn email_hash(state: &AppState, email: &str) -> String {
    hash_with_salt(
        &state.ip_salt,
        &format!("email:{}", email.trim().to_lowercase()),
    )
}

/// Runs the whole automatic decision for a comment, fetching what it asks for.
pub async fn decide(
    state: &AppState,
    site: &Site,
    policy: &SitePolicy,
    subject: &Subject<'_>,
    client: &Client,
    now: i64,
) -> Result<Outcome, ApiError> {
    let banned = subject.new && banned(state, site, subject.email, client, now).await?;
    let input = CheckInput {
        site: site.id,
        body: subject.body,
        author_name: subject.name,
        policy,
        now,
    };
    let mut deciding = decision::begin(&state.pipeline, &input, banned);
    if deciding.wants_external() {
        let url = subject.url;
        let reason = crate::external::classify(state, site, url, subject.body, subject.name).await;
        deciding.external(reason);
    }
    let commenter = match deciding.wants_commenter() {
        true => commenter(state, site, policy, client, now).await?,
        false => Commenter::default(),
    };
    Ok(deciding.finish(&commenter))
}

/// Whether a ban on this site matches the commenter by identity, e-mail address or network.
async fn banned(
    state: &AppState,
    site: &Site,
    email: Option<&str>,
    client: &Client,
    now: i64,
) -> Result<bool, ApiError> {
    let mut values = vec![(BanKind::Network, client.net_hash.clone())];
    if let Some(a) = &client.author_hash {
        values.push((BanKind::Identity, a.clone()));
    }
    if let Some(e) = email {
        values.push((BanKind::Email, email_hash(state, e)));
    }
    Ok(state
        .site_rules
        .get(site.id, now)
        .await?
        .banned(&values, now))
}

/// The commenter's standing on the site: whether they are verified and how many of their
/// comments are published (looked up only when the site counts trust), and whether they have
/// one published (only under pre-moderation of newcomers).
async fn commenter(
    state: &AppState,
    site: &Site,
    policy: &SitePolicy,
    client: &Client,
    now: i64,
) -> Result<Commenter, ApiError> {
    let Some(key) = client.author_hash.as_deref() else {
        return Ok(Commenter::default());
    };
    let mut c = Commenter::default();
    if policy.trust_after > 0 {
        c.verified = client.verified_account || state.store.is_verified_guest(site.id, key).await?;
        if c.verified {
            let history = state.store.author_history(site.id, key, now).await?;
            c.approved = u64::try_from(history.published).unwrap_or(0);
        }
    }
    if policy.mode == ModerationMode::PreModerateNewcomers {
        c.has_published = state.store.has_published(site.id, key).await?;
    }
    Ok(c)
}
