//! The storage traits for readers: accounts and their sessions and e-mailed links, SSO
//! accounts, a reader's own data, passkeys, and guests' own comments. Part of `store::Store`.

use crate::account::{Account, EmailLink, GuestIdentity, LinkPurpose, NewAccount, ReaderSession};
use crate::comment::Comment;
use crate::error::Result;
use crate::ids::{AccountId, CommentId, SiteId};
use crate::passkey::{CeremonyKind, NewPasskey, Passkey, PendingCeremony};
use async_trait::async_trait;

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account; a Rostra account whose e-mail address is taken is a conflict.
    async fn create_account(&self, account: NewAccount, now: i64) -> Result<Account>;
    async fn account(&self, id: AccountId) -> Result<Option<Account>>;
    /// A Rostra account (not an SSO one) by e-mail, compared without regard to case.
    async fn account_by_email(&self, email: &str) -> Result<Option<Account>>;
    /// Renames the account and the comments it posted.
    async fn set_account_name(&self, id: AccountId, name: &str) -> Result<()>;
    async fn set_account_password(&self, id: AccountId, password_hash: &str) -> Result<()>;
    async fn create_reader_session(&self, session: ReaderSession) -> Result<()>;
    async fn reader_session(&self, token_hash: &str) -> Result<Option<ReaderSession>>;
    async fn delete_reader_session(&self, token_hash: &str) -> Result<()>;
    async fn create_email_link(&self, link: EmailLink) -> Result<()>;
    /// Uses a link once: answers its account when the link exists for this purpose, is unused
    /// and unexpired, and marks it used; a link proves the address, so the account's e-mail
    /// counts as verified from then on.
    async fn use_email_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        now: i64,
    ) -> Result<Option<AccountId>>;
    /// Uses a guest's link once: the identity becomes a verified pseudonym on its site.
    async fn use_guest_link(&self, token_hash: &str, now: i64) -> Result<Option<GuestIdentity>>;
    /// Whether this guest identity confirmed an address on this site.
    async fn is_verified_guest(&self, site: SiteId, author_key: &str) -> Result<bool>;
    /// Sets (or replaces) the secret a site signs its SSO tokens with.
    async fn set_sso_secret(&self, site: SiteId, secret: &str, now: i64) -> Result<()>;
    async fn sso_secret(&self, site: SiteId) -> Result<Option<String>>;
    /// The account a site's SSO names by `external_id`: created on first sign-in, its name,
    /// address, avatar and role refreshed from the token on every later one.
    async fn upsert_sso_account(&self, account: NewAccount, now: i64) -> Result<Account>;
    /// Removes expired reader sessions and e-mail links; answers how many.
    async fn delete_expired_reader_sessions(&self, now: i64) -> Result<u64>;
}

/// A reader's own data: what "download my data" shows, deleting an account, and forgetting
/// guests' unconfirmed addresses.
#[async_trait]
pub trait AccountDataStore: Send + Sync {
    /// Every comment posted from the account, in any state, oldest first.
    async fn comments_by_account(&self, id: AccountId) -> Result<Vec<Comment>>;
    /// Deletes the account with its sessions and links. Its remaining comments stay, shown as
    /// by a deleted user: no name, address, account or identity. Answers how many were kept.
    async fn delete_account(&self, id: AccountId, deleted_name: &str) -> Result<u64>;
    /// Forgets the e-mail addresses guests gave on comments older than `before`, unless the
    /// guest confirmed an address on that site; answers how many comments were touched.
    async fn purge_unverified_emails(&self, before: i64) -> Result<u64>;
}

/// Readers' passkeys and the WebAuthn ceremonies under way.
#[async_trait]
pub trait PasskeyStore: Send + Sync {
    /// Stores a verified passkey; a credential id already stored (on any account) is a conflict.
    async fn add_passkey(&self, passkey: NewPasskey) -> Result<Passkey>;
    /// The account's passkeys, oldest first.
    async fn passkeys_of(&self, account: AccountId) -> Result<Vec<Passkey>>;
    async fn passkey_by_credential(&self, credential_id: &str) -> Result<Option<Passkey>>;
    /// Records a sign-in with the passkey: its new state (the signature counter) and when.
    async fn passkey_used(&self, id: i64, credential: &str, now: i64) -> Result<()>;
    /// Removes one of the account's passkeys; answers whether it was there.
    async fn delete_passkey(&self, account: AccountId, id: i64) -> Result<bool>;
    async fn save_ceremony(&self, ceremony: PendingCeremony) -> Result<()>;
    /// Takes a ceremony once: removes it, and answers it when it is of this kind and unexpired.
    async fn take_ceremony(
        &self,
        id_hash: &str,
        kind: CeremonyKind,
        now: i64,
    ) -> Result<Option<PendingCeremony>>;
    /// Removes expired ceremonies; answers how many.
    async fn delete_expired_ceremonies(&self, now: i64) -> Result<u64>;
}

/// A guest's own comments (no account), found through an address or the comments' edit tokens.
#[async_trait]
pub trait GuestDataStore: Send + Sync {
    /// Guest comments on the site given with this address (compared without regard to case), or
    /// posted by a guest identity that confirmed it there; oldest first.
    async fn comments_by_guest_email(&self, site: SiteId, email: &str) -> Result<Vec<Comment>>;
    /// Guest comments whose edit-token hash is one of these; oldest first.
    async fn comments_by_edit_tokens(&self, token_hashes: &[String]) -> Result<Vec<Comment>>;
    /// Keeps these guest comments readable as by a deleted user: the name replaced; address,
    /// link, identity and network hashes and edit token erased. Answers how many changed.
    async fn anonymize_guest_comments(&self, ids: &[CommentId], deleted_name: &str) -> Result<u64>;
    /// The site and address of an unexpired guest-data link (usable until it expires).
    async fn guest_data_link(&self, token_hash: &str, now: i64)
        -> Result<Option<(SiteId, String)>>;
}
