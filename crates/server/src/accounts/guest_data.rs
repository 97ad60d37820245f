//! A guest's own data (no account): through an address they gave (an e-mailed link that lists,
//! downloads and deletes the comments given with it on the site), or through the edit tokens
//! the widget holds for their comments (regardless of the edit window).

use super::data::{with_revisions, DELETED_USER};
use super::links::return_url;
use super::ReturnTo;
use crate::client::{rate_limit, Client};
use crate::error::ApiError;
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use rostra_core::account::{EmailLink, GuestIdentity, LinkPurpose};
use rostra_core::comment::Status;
use rostra_core::privacy::{hash_token, random_token};
use rostra_core::validate::{self, AuthorInput};
use rostra_core::{Comment, Error, SiteId};
use serde_json::{json, Value};

/// Most edit tokens one request may name.
pub const MAX_TOKENS: usize = 500;

/// What happens to a guest's comments on "delete my comments".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// Each is deleted as its author would (one with replies stays as an empty tombstone), and
    /// the name and address are erased from what remains.
    Delete,
    /// They stay readable, by "[deleted user]", with address and identity erased.
    Keep,
}

impl Removal {
    pub fn parse(choice: &str) -> Result<Removal, ApiError> {
        match choice {
            "delete" => Ok(Removal::Delete),
            "keep" => Ok(Removal::Keep),
            _ => Err(ApiError::InvalidChoice("comments must be delete or keep")),
        }
    }
}

/// Mails a link to the guest's comments on the site when there are any given with the address;
/// the answer is the same either way, so no one learns which addresses commented.
pub async fn request_link(
    state: &AppState,
    page: &ReturnTo,
    email: &str,
    client: &Client,
) -> Result<(), ApiError> {
    let back = return_url(state, page, client).await?;
    let author = validate::author(
        &AuthorInput {
            name: None,
            email: Some(email),
            url: None,
        },
        &state.limits,
    )?;
    let email = author.email.ok_or(Error::InvalidEmail)?.to_lowercase();
    rate_limit(state, Action::Account, client)?;
    let site = state.sites.get(&page.site).await?;
    if state
        .store
        .comments_by_guest_email(site.id, &email)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let token = random_token();
    let now = now_ms();
    let minutes = state.config.accounts.link_minutes;
    state
        .store
        .create_email_link(EmailLink {
            token_hash: hash_token(&token),
            purpose: LinkPurpose::GuestData,
            account_id: None,
            // No identity token: the address alone names the comments.
            guest: Some(GuestIdentity {
                site_id: site.id,
                author_key: String::new(),
                email: email.clone(),
            }),
            created_at: now,
            expires_at: now + i64::from(minutes) * 60_000,
        })
        .await?;
    let link = format!("{back}#rostra-guest-data={token}");
    let text = format!(
        "Hello,\n\nOpen this link to see, download or delete the comments you posted with this \
         address:\n\n{link}\n\nIt works for {minutes} minutes. If you did not ask for it, \
         ignore this message.\n"
    );
    crate::mail::enqueue(state, &email, "Your comments", &text).await?;
    Ok(())
}

/// The site and address an unexpired guest-data link stands for.
async fn link_owner(state: &AppState, token: &str) -> Result<(SiteId, String), ApiError> {
    if token.is_empty() || token.len() > 128 {
        return Err(ApiError::InvalidLink);
    }
    state
        .store
        .guest_data_link(&hash_token(token), now_ms())
        .await?
        .ok_or(ApiError::InvalidLink)
}

/// Everything given with the link's address on its site: every comment with its revisions.
pub async fn export_by_link(state: &AppState, token: &str) -> Result<Value, ApiError> {
    let (site, email) = link_owner(state, token).await?;
    let found = state.store.comments_by_guest_email(site, &email).await?;
    Ok(json!({
        "exported_at": now_ms(),
        "email": email,
        "comments": with_revisions(state, found).await?,
    }))
}

/// Deletes (or keeps as a deleted user's) every comment given with the link's address.
pub async fn remove_by_link(
    state: &AppState,
    token: &str,
    removal: Removal,
    client: &Client,
) -> Result<usize, ApiError> {
    let (site, email) = link_owner(state, token).await?;
    rate_limit(state, Action::Account, client)?;
    let found = state.store.comments_by_guest_email(site, &email).await?;
    remove(state, found, removal).await
}

fn token_hashes(tokens: &[String]) -> Result<Vec<String>, ApiError> {
    if tokens.is_empty() || tokens.len() > MAX_TOKENS {
        return Err(ApiError::InvalidChoice(
            "send between 1 and 500 edit tokens in tokens",
        ));
    }
    Ok(tokens
        .iter()
        .filter(|t| !t.is_empty() && t.len() <= 128)
        .map(|t| hash_token(t))
        .collect())
}

/// The comments these edit tokens were given for, with their revisions.
pub async fn export_by_tokens(
    state: &AppState,
    tokens: &[String],
    client: &Client,
) -> Result<Value, ApiError> {
    let hashes = token_hashes(tokens)?;
    rate_limit(state, Action::Account, client)?;
    let found = state.store.comments_by_edit_tokens(&hashes).await?;
    Ok(json!({
        "exported_at": now_ms(),
        "comments": with_revisions(state, found).await?,
    }))
}

/// Deletes (or keeps as a deleted user's) the comments these edit tokens were given for, however
/// old they are.
pub async fn remove_by_tokens(
    state: &AppState,
    tokens: &[String],
    removal: Removal,
    client: &Client,
) -> Result<usize, ApiError> {
    let hashes = token_hashes(tokens)?;
    rate_limit(state, Action::Account, client)?;
    let found = state.store.comments_by_edit_tokens(&hashes).await?;
    remove(state, found, removal).await
}

async fn remove(
    state: &AppState,
    found: Vec<Comment>,
    removal: Removal,
) -> Result<usize, ApiError> {
    let now = now_ms();
    if removal == Removal::Delete {
        for c in &found {
            if c.status != Status::Deleted {
                state.store.delete_comment(c.id, now).await?;
            }
        }
    }
    let ids: Vec<_> = found.iter().map(|c| c.id).collect();
    state
        .store
        .anonymize_guest_comments(&ids, DELETED_USER)
        .await?;
    // Names and texts changed on pages of any thread.
    state.threads.clear();
    Ok(found.len())
}
