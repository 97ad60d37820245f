//! Readers' accounts: Rostra's own (e-mail and password, or e-mail links) and the site-scoped
//! ones a publisher's SSO signs in; their sessions and one-time e-mail links. Not moderators:
//! those are `user`.

use crate::ids::{AccountId, SiteId};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    pub id: AccountId,
    /// The site whose SSO made this account; `None` for Rostra's own accounts.
    pub site_id: Option<SiteId>,
    /// The publisher's id for the reader (SSO accounts).
    pub external_id: Option<String>,
    #[serde(skip)]
    pub email: Option<String>,
    pub email_verified_at: Option<i64>,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub display_name: String,
    /// An avatar the publisher gave (SSO); others get a generated identicon.
    pub avatar_url: Option<String>,
    /// A role the publisher gave (SSO): `staff` or `moderator` get a badge.
    pub role: Option<String>,
    pub created_at: i64,
}

impl Account {
    pub fn is_verified(&self) -> bool {
        self.email_verified_at.is_some()
    }
}

#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub site_id: Option<SiteId>,
    pub external_id: Option<String>,
    pub email: Option<String>,
    pub email_verified_at: Option<i64>,
    pub password_hash: Option<String>,
    pub display_name: String,
    pub avatar_url: Option<String>,
    pub role: Option<String>,
}

/// A signed-in reader's session: the widget holds the token, the database only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderSession {
    pub token_hash: String,
    pub account_id: AccountId,
    pub created_at: i64,
    pub expires_at: i64,
}

/// What a one-time e-mail link does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Confirms the address of a new account.
    Verify,
    /// Signs in without a password.
    Login,
    /// Allows setting a new password.
    Reset,
    /// Confirms a guest's address: the guest becomes a verified pseudonym.
    Guest,
    /// Lets a guest see, download and delete the comments given with an address on a site; used
    /// as often as needed until it expires (the `guest` part holds the site and address).
    GuestData,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Verify => "verify",
            LinkPurpose::Login => "login",
            LinkPurpose::Reset => "reset",
            LinkPurpose::Guest => "guest",
            LinkPurpose::GuestData => "guest_data",
        }
    }
}

/// A one-time link sent by e-mail; the database holds only the hash of its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailLink {
    pub token_hash: String,
    pub purpose: LinkPurpose,
    /// The account it is for; `None` for a guest's link.
    pub account_id: Option<AccountId>,
    /// A guest's link: whose identity, on which site, and the address it confirms.
    pub guest: Option<GuestIdentity>,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A guest's identity on a site (`comments.author_key`) with the address it gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestIdentity {
    pub site_id: SiteId,
    pub author_key: String,
    pub email: String,
}
