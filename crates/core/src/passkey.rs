//! Readers' passkeys (WebAuthn credentials on an account) and the pending ceremonies that
//! register or use one. The credential itself is opaque here: the server's WebAuthn library
//! serialises it, the store keeps the text.

use crate::ids::AccountId;
use serde::Serialize;

/// A passkey to store on an account, right after its registration was verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPasskey {
    pub account_id: AccountId,
    /// The credential id, base64url without padding; unique over all accounts.
    pub credential_id: String,
    /// The WebAuthn user handle the authenticator keeps for the account (a random UUID, one per
    /// account, never its id), base64url.
    pub user_handle: String,
    /// The relying party: the host of the publisher's page it was registered on.
    pub rp_id: String,
    /// A label for the reader's list ("Passkey on news.example.com, 26 Nov").
    pub name: String,
    /// The credential (public key, counter, flags) as the WebAuthn library serialises it.
    pub credential: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passkey {
    pub id: i64,
    pub account_id: AccountId,
    pub credential_id: String,
    #[serde(skip)]
    pub user_handle: String,
    pub rp_id: String,
    pub name: String,
    #[serde(skip)]
    pub credential: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// Which ceremony a challenge belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CeremonyKind {
    /// Adding a passkey to a signed-in account.
    Register,
    /// Signing in with a passkey the authenticator offers (discoverable credential).
    SignIn,
}

impl CeremonyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CeremonyKind::Register => "register",
            CeremonyKind::SignIn => "sign_in",
        }
    }
}

/// A ceremony begun and not finished: the challenge's server-side state, kept in the database so
/// that any instance can finish what another began, used at most once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCeremony {
    /// SHA-256 of the ceremony id the widget holds.
    pub id_hash: String,
    pub kind: CeremonyKind,
    /// The account a passkey is being added to (registration only).
    pub account_id: Option<AccountId>,
    pub rp_id: String,
    /// The page origin the ceremony runs on; finishing must come from the same one.
    pub origin: String,
    /// The WebAuthn library's state (holds the challenge), serialised.
    pub state: String,
    pub expires_at: i64,
}
