//! One-time links sent by e-mail: confirming an address, signing in, resetting a password. A
//! sign-in or reset link leads back to the page the reader was on, with the token in the URL
//! fragment (`#rostra-login=…`), where the widget exchanges it for a session: the fragment
//! never reaches a server log, and the session ends up where the widget can keep it.

use super::ReturnTo;
use crate::client::{check_origin, Client};
use crate::error::ApiError;
use crate::state::{now_ms, AppState};
use rostra_core::account::{Account, EmailLink, GuestIdentity, LinkPurpose};
use rostra_core::privacy::{hash_token, random_token};
use rostra_core::{AccountId, Error};

/// The page a link returns to: an absolute URL on one of the site's origins.
pub async fn return_url(
    state: &AppState,
    page: &ReturnTo,
    client: &Client,
) -> Result<String, ApiError> {
    let site = state.sites.get(&page.site).await?;
    check_origin(state, &site, client)?;
    let origin = rostra_core::page_url::origin_of(&page.url).ok_or(Error::InvalidUrl)?;
    if !site.allows_origin(&origin) && origin != state.public_origin {
        return Err(Error::UrlNotOnSite.into());
    }
    let without_fragment = page.url.split('#').next().unwrap_or_default();
    Ok(without_fragment.to_string())
}

/// Stores a link for the account and queues the e-mail that carries it.
pub async fn send(
    state: &AppState,
    account: &Account,
    to: &str,
    purpose: LinkPurpose,
    back: &str,
) -> Result<(), ApiError> {
    let token = random_token();
    let now = now_ms();
    let minutes = state.config.accounts.link_minutes;
    state
        .store
        .create_email_link(EmailLink {
            token_hash: hash_token(&token),
            purpose,
            account_id: Some(account.id),
            guest: None,
            created_at: now,
            expires_at: now + i64::from(minutes) * 60_000,
        })
        .await?;
    let (subject, what, link) = match purpose {
        LinkPurpose::Verify => (
            "Confirm your e-mail address",
            "confirm your e-mail address for commenting",
            verify_link(state, &token, back),
        ),
        LinkPurpose::Login => (
            "Your sign-in link",
            "sign in to comment",
            format!("{back}#rostra-login={token}"),
        ),
        LinkPurpose::Reset => (
            "Reset your password",
            "choose a new password",
            format!("{back}#rostra-reset={token}"),
        ),
        LinkPurpose::Guest | LinkPurpose::GuestData => return Err(ApiError::InvalidLink),
    };
    mail_link(state, to, &account.display_name, subject, what, &link).await
}

/// Mails a guest the link that confirms their address for their identity token on this site.
pub async fn send_guest(
    state: &AppState,
    guest: GuestIdentity,
    name: &str,
    back: &str,
) -> Result<(), ApiError> {
    let token = random_token();
    let now = now_ms();
    let to = guest.email.clone();
    state
        .store
        .create_email_link(EmailLink {
            token_hash: hash_token(&token),
            purpose: LinkPurpose::Guest,
            account_id: None,
            guest: Some(guest),
            created_at: now,
            expires_at: now + i64::from(state.config.accounts.link_minutes) * 60_000,
        })
        .await?;
    let link = verify_link(state, &token, back);
    let what = "confirm your e-mail address, so your comments show as a verified commenter's";
    mail_link(state, &to, name, "Confirm your e-mail address", what, &link).await
}

fn verify_link(state: &AppState, token: &str, back: &str) -> String {
    format!(
        "{}/account/verify?token={token}&back={}",
        state.public_origin,
        url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
    )
}

async fn mail_link(
    state: &AppState,
    to: &str,
    name: &str,
    subject: &str,
    what: &str,
    link: &str,
) -> Result<(), ApiError> {
    let minutes = state.config.accounts.link_minutes;
    let text = format!(
        "Hello {name},\n\nOpen this link to {what}:\n\n{link}\n\nIt works once, for {minutes} \
         minutes. If you did not ask for it, ignore this message.\n"
    );
    crate::mail::enqueue(state, to, subject, &text).await?;
    Ok(())
}

/// Uses a link once; an unknown, used or expired link is `invalid_link`.
pub async fn use_link(
    state: &AppState,
    token: &str,
    purpose: LinkPurpose,
) -> Result<AccountId, ApiError> {
    if token.is_empty() || token.len() > 128 {
        return Err(ApiError::InvalidLink);
    }
    state
        .store
        .use_email_link(&hash_token(token), purpose, now_ms())
        .await?
        .ok_or(ApiError::InvalidLink)
}
