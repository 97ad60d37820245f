//! What goes wrong with a passkey ceremony: each failure with its own status, code and message.

use axum::http::StatusCode;

/// What goes wrong with a passkey, each with its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasskeyError {
    /// The request has no `Origin` header: ceremonies run in a browser, on the site's page.
    OriginRequired,
    /// The page's host cannot be a relying party (an IP address).
    UnsupportedOrigin,
    /// The ceremony id is unknown, used, expired, or of the other kind.
    InvalidCeremony,
    /// Finished from another origin than it began on.
    OriginMismatch,
    /// The authenticator's answer fails verification (challenge, origin, signature, flags).
    Rejected,
    /// Sign-in with a credential no account here holds (for this relying party).
    Unknown,
    /// The credential is already registered.
    Taken,
    /// The account has no passkey with that id.
    NotFound,
    /// The account holds as many as it may (`accounts::passkeys::MAX_PER_ACCOUNT`).
    TooMany,
}

impl PasskeyError {
    pub fn status(self) -> StatusCode {
        match self {
            PasskeyError::Unknown => StatusCode::UNAUTHORIZED,
            PasskeyError::Taken | PasskeyError::TooMany => StatusCode::CONFLICT,
            PasskeyError::NotFound => StatusCode::NOT_FOUND,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            PasskeyError::OriginRequired => "origin_required",
            PasskeyError::UnsupportedOrigin => "unsupported_origin",
            PasskeyError::InvalidCeremony => "invalid_ceremony",
            PasskeyError::OriginMismatch => "origin_mismatch",
            PasskeyError::Rejected => "passkey_rejected",
            PasskeyError::Unknown => "unknown_passkey",
            PasskeyError::Taken => "passkey_taken",
            PasskeyError::NotFound => "passkey_not_found",
            PasskeyError::TooMany => "too_many_passkeys",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            PasskeyError::OriginRequired => "Passkeys work from a browser on the site's page.",
            PasskeyError::UnsupportedOrigin => {
                "Passkeys need the page to be on a domain name, not an IP address."
            }
            PasskeyError::InvalidCeremony => {
                "That passkey request is unknown, used or expired; start again."
            }
            PasskeyError::OriginMismatch => "Finish the passkey request on the page it began on.",
            PasskeyError::Rejected => "The passkey's answer could not be verified.",
            PasskeyError::Unknown => "That passkey is not registered here.",
            PasskeyError::Taken => "That passkey is registered already.",
            PasskeyError::NotFound => "No such passkey on your account.",
            PasskeyError::TooMany => "Your account has as many passkeys as it may; remove one.",
        }
    }
}
