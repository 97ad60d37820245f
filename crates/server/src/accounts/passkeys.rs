//! Passkeys on reader accounts: adding one while signed in, signing in with one, listing and
//! removing them. Beginning a ceremony is rate-limited (finishing needs one begun). The relying party is the host of the publisher's page the widget runs on (one
//! of the site's origins); ceremonies are kept in the database, single use, for a few minutes.
//! See docs/identity.md for why.

use crate::client::{check_origin, rate_limit, Client};
use crate::error::{ApiError, PasskeyError};
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rostra_core::account::Account;
use rostra_core::passkey::{CeremonyKind, NewPasskey, Passkey, PendingCeremony};
use rostra_core::privacy::{hash_token, random_token};
use rostra_core::{Error, StoreError};
use serde_json::Value;
use session::IssuedSession;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

use super::session;

/// How long a begun ceremony may be finished.
const CEREMONY_MS: i64 = 5 * 60_000;

/// Most passkeys one account may hold.
pub const MAX_PER_ACCOUNT: usize = 20;

/// A begun ceremony: the id the widget sends back, and the options for
/// `navigator.credentials.create` / `get` (`{"publicKey": …}`, binary fields base64url).
pub struct Begun {
    pub ceremony: String,
    pub options: Value,
}

/// The relying party for a request: the host of the page's origin, which must be one of the
/// site's origins (or Rostra's own).
struct RelyingParty {
    webauthn: Webauthn,
    rp_id: String,
    origin: String,
}

async fn relying_party(
    state: &AppState,
    site_key: &str,
    client: &Client,
) -> Result<RelyingParty, ApiError> {
    let site = state.sites.get(site_key).await?;
    let origin = client.origin.clone().ok_or(PasskeyError::OriginRequired)?;
    check_origin(state, &site, client)?;
    let url = Url::parse(&origin).map_err(|_| PasskeyError::OriginRequired)?;
    let rp_id = match url.host() {
        Some(url::Host::Domain(d)) => d.to_string(),
        _ => return Err(PasskeyError::UnsupportedOrigin.into()),
    };
    let webauthn = WebauthnBuilder::new(&rp_id, &url)
        .and_then(|b| b.rp_name(&site.name).build())
        .map_err(|_| PasskeyError::UnsupportedOrigin)?;
    Ok(RelyingParty {
        webauthn,
        rp_id,
        origin,
    })
}

fn internal(what: &str, e: impl std::fmt::Display) -> ApiError {
    Error::Store(StoreError::Other(format!("{what}: {e}"))).into()
}

async fn save(
    state: &AppState,
    kind: CeremonyKind,
    account: Option<&Account>,
    rp: &RelyingParty,
    ceremony_state: String,
) -> Result<String, ApiError> {
    let id = random_token();
    state
        .store
        .save_ceremony(PendingCeremony {
            id_hash: hash_token(&id),
            kind,
            account_id: account.map(|a| a.id),
            rp_id: rp.rp_id.clone(),
            origin: rp.origin.clone(),
            state: ceremony_state,
            expires_at: now_ms() + CEREMONY_MS,
        })
        .await?;
    Ok(id)
}

/// Takes a ceremony (once), checking its kind, age and origin.
async fn take(
    state: &AppState,
    id: &str,
    kind: CeremonyKind,
    rp: &RelyingParty,
) -> Result<PendingCeremony, ApiError> {
    if id.is_empty() || id.len() > 128 {
        return Err(PasskeyError::InvalidCeremony.into());
    }
    let found = state
        .store
        .take_ceremony(&hash_token(id), kind, now_ms())
        .await?
        .ok_or(PasskeyError::InvalidCeremony)?;
    if found.origin != rp.origin || found.rp_id != rp.rp_id {
        return Err(PasskeyError::OriginMismatch.into());
    }
    Ok(found)
}

fn credential_id(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Begins adding a passkey to the signed-in account, for the page's host.
pub async fn begin_registration(
    state: &AppState,
    account: &Account,
    site_key: &str,
    client: &Client,
) -> Result<Begun, ApiError> {
    let rp = relying_party(state, site_key, client).await?;
    rate_limit(state, Action::Account, client)?;
    let existing = state.store.passkeys_of(account.id).await?;
    if existing.len() >= MAX_PER_ACCOUNT {
        return Err(PasskeyError::TooMany.into());
    }
    // One user handle per account, kept by every authenticator that holds one of its passkeys.
    let handle = match existing.first() {
        Some(p) => Uuid::parse_str(&p.user_handle).map_err(|e| internal("user handle", e))?,
        None => Uuid::from_bytes(rand::random()),
    };
    let exclude = existing
        .iter()
        .filter(|p| p.rp_id == rp.rp_id)
        .filter_map(|p| URL_SAFE_NO_PAD.decode(&p.credential_id).ok())
        .collect::<Vec<_>>();
    let user_name = account.email.as_deref().unwrap_or(&account.display_name);
    let (options, registration) = rp
        .webauthn
        .start_passkey_registration(handle, user_name, &account.display_name, Some(exclude))
        .map_err(|e| internal("passkey registration", e))?;
    let mut options = serde_json::to_value(options).map_err(|e| internal("options", e))?;
    // A discoverable credential: signing in then needs no e-mail address, so the sign-in answer
    // cannot tell anyone which addresses have accounts.
    if let Some(selection) = options.pointer_mut("/publicKey/authenticatorSelection") {
        selection["residentKey"] = "required".into();
        selection["requireResidentKey"] = true.into();
    }
    let saved = serde_json::to_string(&RegistrationState {
        user_handle: handle.to_string(),
        registration,
    })
    .map_err(|e| internal("state", e))?;
    let ceremony = save(state, CeremonyKind::Register, Some(account), &rp, saved).await?;
    Ok(Begun { ceremony, options })
}

/// Finishes adding a passkey: verifies the authenticator's answer and stores the credential.
pub async fn finish_registration(
    state: &AppState,
    account: &Account,
    site_key: &str,
    ceremony: &str,
    answer: Value,
    name: Option<&str>,
    client: &Client,
) -> Result<Passkey, ApiError> {
    let rp = relying_party(state, site_key, client).await?;
    let pending = take(state, ceremony, CeremonyKind::Register, &rp).await?;
    if pending.account_id != Some(account.id) {
        return Err(PasskeyError::InvalidCeremony.into());
    }
    let answer: RegisterPublicKeyCredential =
        serde_json::from_value(answer).map_err(|_| PasskeyError::Rejected)?;
    let begun: RegistrationState =
        serde_json::from_str(&pending.state).map_err(|e| internal("state", e))?;
    let passkey = rp
        .webauthn
        .finish_passkey_registration(&answer, &begun.registration)
        .map_err(|_| PasskeyError::Rejected)?;
    let label = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(60).collect::<String>())
        .unwrap_or_else(|| format!("Passkey on {}", rp.rp_id));
    let stored = state
        .store
        .add_passkey(NewPasskey {
            account_id: account.id,
            credential_id: credential_id(passkey.cred_id()),
            user_handle: begun.user_handle,
            rp_id: rp.rp_id.clone(),
            name: label,
            credential: serde_json::to_string(&passkey).map_err(|e| internal("passkey", e))?,
            created_at: now_ms(),
        })
        .await;
    match stored {
        Err(Error::Store(StoreError::Conflict(_))) => Err(PasskeyError::Taken.into()),
        other => Ok(other?),
    }
}

/// What a registration keeps between its two halves: the library's state, and the user handle
/// it was begun with (which the authenticator's answer does not repeat).
#[derive(serde::Serialize, serde::Deserialize)]
struct RegistrationState {
    user_handle: String,
    registration: PasskeyRegistration,
}

/// Begins signing in with a passkey the authenticator offers for the page's host.
pub async fn begin_sign_in(
    state: &AppState,
    site_key: &str,
    client: &Client,
) -> Result<Begun, ApiError> {
    let rp = relying_party(state, site_key, client).await?;
    rate_limit(state, Action::Login, client)?;
    let (options, auth) = rp
        .webauthn
        .start_discoverable_authentication()
        .map_err(|e| internal("passkey sign-in", e))?;
    // The widget asks with a button, not the browser's autofill: keep only the options.
    let options = serde_json::json!({
        "publicKey": serde_json::to_value(options.public_key).map_err(|e| internal("options", e))?
    });
    let saved = serde_json::to_string(&auth).map_err(|e| internal("state", e))?;
    let ceremony = save(state, CeremonyKind::SignIn, None, &rp, saved).await?;
    Ok(Begun { ceremony, options })
}

/// Finishes signing in: the credential must be one stored for this relying party, with the
/// user handle it was registered under; the assertion must verify against its key.
pub async fn finish_sign_in(
    state: &AppState,
    site_key: &str,
    ceremony: &str,
    answer: Value,
    client: &Client,
) -> Result<(Account, IssuedSession), ApiError> {
    let rp = relying_party(state, site_key, client).await?;
    let pending = take(state, ceremony, CeremonyKind::SignIn, &rp).await?;
    let answer: PublicKeyCredential =
        serde_json::from_value(answer).map_err(|_| PasskeyError::Rejected)?;
    let (handle, raw_id) = rp
        .webauthn
        .identify_discoverable_authentication(&answer)
        .map_err(|_| PasskeyError::Rejected)?;
    let stored = state
        .store
        .passkey_by_credential(&credential_id(raw_id))
        .await?
        .filter(|p| p.rp_id == rp.rp_id && p.user_handle == handle.to_string())
        .ok_or(PasskeyError::Unknown)?;
    let auth: DiscoverableAuthentication =
        serde_json::from_str(&pending.state).map_err(|e| internal("state", e))?;
    let mut key: webauthn_rs::prelude::Passkey =
        serde_json::from_str(&stored.credential).map_err(|e| internal("passkey", e))?;
    let result = rp
        .webauthn
        .finish_discoverable_authentication_v2(&answer, auth, &key)
        .map_err(|_| PasskeyError::Rejected)?;
    key.update_credential(&result);
    let updated = serde_json::to_string(&key).map_err(|e| internal("passkey", e))?;
    state
        .store
        .passkey_used(stored.id, &updated, now_ms())
        .await?;
    let account = state
        .store
        .account(stored.account_id)
        .await?
        .ok_or(PasskeyError::Unknown)?;
    let issued = session::issue(state, account.id).await?;
    Ok((account, issued))
}

/// Removes one of the reader's passkeys.
pub async fn remove(
    state: &AppState,
    account: &Account,
    id: i64,
    client: &Client,
) -> Result<(), ApiError> {
    rate_limit(state, Action::Account, client)?;
    if state.store.delete_passkey(account.id, id).await? {
        Ok(())
    } else {
        Err(PasskeyError::NotFound.into())
    }
}
