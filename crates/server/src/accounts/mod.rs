//! Readers' own accounts: sign-up with e-mail and password (argon2id), the address check,
//! sign-in with a password or with an e-mailed link, password reset, and the display name.
//! Handlers in `api::account` only parse and answer; the rules live here.

pub mod data;
pub mod guest_data;
pub mod identicon;
pub mod links;
pub mod passkeys;
pub mod session;
pub mod sso;

use crate::client::{rate_limit, Client};
use crate::error::ApiError;
use crate::password;
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use rostra_core::account::{Account, LinkPurpose, NewAccount};
use rostra_core::validate::{self, AuthorInput};
use rostra_core::{Error, StoreError};
use serde::Deserialize;
use session::IssuedSession;

/// Shortest password a reader may choose.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Where an e-mailed link should bring the reader back to: a page of a site.
#[derive(Debug, Deserialize)]
pub struct ReturnTo {
    pub site: String,
    pub url: String,
}

#[derive(Debug, Deserialize)]
pub struct SignUp {
    #[serde(flatten)]
    pub page: ReturnTo,
    pub email: String,
    pub password: String,
    pub name: String,
}

/// A display name and e-mail address as the comment form checks them; both are required here.
fn name_and_email(state: &AppState, name: &str, email: &str) -> Result<(String, String), ApiError> {
    let author = validate::author(
        &AuthorInput {
            name: Some(name),
            email: Some(email),
            url: None,
        },
        &state.limits,
    )?;
    let name = author.name.ok_or(ApiError::NameRequired)?;
    let email = author.email.ok_or(Error::InvalidEmail)?;
    Ok((name, email.to_lowercase()))
}

async fn hash_password(plain: &str) -> Result<String, ApiError> {
    if plain.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::WeakPassword(MIN_PASSWORD_CHARS));
    }
    password::hash_any_on_pool(plain)
        .await
        .map_err(|e| Error::Store(StoreError::Other(e)).into())
}

/// Creates an account and mails the link that confirms its address; the reader signs in once
/// the address is confirmed.
pub async fn sign_up(
    state: &AppState,
    input: SignUp,
    client: &Client,
) -> Result<Account, ApiError> {
    let back = links::return_url(state, &input.page, client).await?;
    let (name, email) = name_and_email(state, &input.name, &input.email)?;
    // Limited before hashing: a flood of refused sign-ups must not cost an argon2 hash each.
    rate_limit(state, Action::Account, client)?;
    let password_hash = hash_password(&input.password).await?;
    let new = NewAccount {
        email: Some(email.clone()),
        password_hash: Some(password_hash),
        display_name: name,
        ..NewAccount::default()
    };
    let account = match state.store.create_account(new, now_ms()).await {
        Err(Error::Store(StoreError::Conflict(_))) => return Err(ApiError::EmailTaken),
        other => other?,
    };
    links::send(state, &account, &email, LinkPurpose::Verify, &back).await?;
    Ok(account)
}

/// Signs in with e-mail and password; the address must be confirmed first.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    plain: &str,
    client: &Client,
) -> Result<(Account, IssuedSession), ApiError> {
    rate_limit(state, Action::Login, client)?;
    let account = state.store.account_by_email(email).await?;
    let stored = account.as_ref().and_then(|a| a.password_hash.as_deref());
    let matches = password::verify_on_pool(plain, stored).await;
    let Some(account) = account.filter(|_| matches) else {
        return Err(ApiError::InvalidCredentials);
    };
    if !account.is_verified() {
        return Err(ApiError::EmailNotVerified);
    }
    let issued = session::issue(state, account.id).await?;
    Ok((account, issued))
}

/// Mails a sign-in link. An address without an account gets a new, passwordless one (named as
/// given, or after the address). The answer never says whether the address had an account.
pub async fn email_sign_in(
    state: &AppState,
    page: &ReturnTo,
    email: &str,
    name: Option<&str>,
    client: &Client,
) -> Result<(), ApiError> {
    let back = links::return_url(state, page, client).await?;
    let local = email.split('@').next().unwrap_or_default();
    let (name, email) = name_and_email(
        state,
        name.filter(|n| !n.trim().is_empty()).unwrap_or(local),
        email,
    )?;
    rate_limit(state, Action::Account, client)?;
    let account = match state.store.account_by_email(&email).await? {
        Some(a) => a,
        None => {
            let new = NewAccount {
                email: Some(email.clone()),
                display_name: name,
                ..NewAccount::default()
            };
            match state.store.create_account(new, now_ms()).await {
                // Another request created it just now.
                Err(Error::Store(StoreError::Conflict(_))) => state
                    .store
                    .account_by_email(&email)
                    .await?
                    .ok_or(Error::Store(StoreError::NotFound))?,
                other => other?,
            }
        }
    };
    links::send(state, &account, &email, LinkPurpose::Login, &back).await
}

/// Mails a password-reset link when the address has an account; silent otherwise.
pub async fn request_reset(
    state: &AppState,
    page: &ReturnTo,
    email: &str,
    client: &Client,
) -> Result<(), ApiError> {
    let back = links::return_url(state, page, client).await?;
    rate_limit(state, Action::Account, client)?;
    if let Some(account) = state.store.account_by_email(email).await? {
        if let Some(address) = account.email.clone() {
            links::send(state, &account, &address, LinkPurpose::Reset, &back).await?;
        }
    }
    Ok(())
}

/// Uses an e-mailed sign-in link: a session for its account.
pub async fn use_login_link(
    state: &AppState,
    token: &str,
    client: &Client,
) -> Result<(Account, IssuedSession), ApiError> {
    rate_limit(state, Action::Login, client)?;
    let id = links::use_link(state, token, LinkPurpose::Login).await?;
    signed_in(state, id).await
}

/// Uses a reset link to set a new password, and signs in.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    plain: &str,
    client: &Client,
) -> Result<(Account, IssuedSession), ApiError> {
    rate_limit(state, Action::Account, client)?;
    let hash = hash_password(plain).await?;
    let id = links::use_link(state, token, LinkPurpose::Reset).await?;
    state.store.set_account_password(id, &hash).await?;
    signed_in(state, id).await
}

async fn signed_in(
    state: &AppState,
    id: rostra_core::AccountId,
) -> Result<(Account, IssuedSession), ApiError> {
    let account = state
        .store
        .account(id)
        .await?
        .ok_or(ApiError::InvalidLink)?;
    let issued = session::issue(state, id).await?;
    Ok((account, issued))
}

/// Changes the name shown on the reader's comments, past ones included.
pub async fn rename(
    state: &AppState,
    account: &Account,
    name: &str,
    client: &Client,
) -> Result<Account, ApiError> {
    let author = validate::author(
        &AuthorInput {
            name: Some(name),
            email: None,
            url: None,
        },
        &state.limits,
    )?;
    let name = author.name.ok_or(ApiError::NameRequired)?;
    rate_limit(state, Action::Account, client)?;
    state.store.set_account_name(account.id, &name).await?;
    // Past comments show the new name: every cached page may hold one.
    state.threads.clear();
    state
        .store
        .account(account.id)
        .await?
        .ok_or(ApiError::NotSignedIn)
}

/// Mails a guest the link that makes their identity token a verified pseudonym on the site.
pub async fn verify_guest(
    state: &AppState,
    page: &ReturnTo,
    email: &str,
    name: Option<&str>,
    client: &Client,
) -> Result<(), ApiError> {
    let back = links::return_url(state, page, client).await?;
    let key = client
        .author_hash
        .clone()
        .ok_or(ApiError::IdentityRequired)?;
    let name = name.filter(|n| !n.trim().is_empty()).unwrap_or("there");
    let (name, email) = name_and_email(state, name, email)?;
    rate_limit(state, Action::Account, client)?;
    let site = state.sites.get(&page.site).await?;
    let guest = rostra_core::account::GuestIdentity {
        site_id: site.id,
        author_key: key,
        email,
    };
    links::send_guest(state, guest, &name, &back).await
}
