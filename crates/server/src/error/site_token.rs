//! Why a site's machine token (`Authorization: Bearer`) is refused, and the machine import's
//! own failures: each with its own status, code and message.

use axum::http::StatusCode;

/// What goes wrong with a request that carries (or should carry) a site token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteTokenError {
    /// No `Authorization: Bearer` header.
    Required,
    /// No token has this value.
    Unknown,
    /// The token was revoked (`rostra site token revoke`).
    Revoked,
    /// The token belongs to another site.
    WrongSite,
    /// The token was made for another scope.
    WrongScope,
    /// An import into the site is running already (from the admin page or a token).
    ImportRunning,
    /// The upload was empty.
    EmptyUpload,
    /// The file could not be read as its format (the text says why); nothing was imported.
    ImportFailed(String),
}

impl SiteTokenError {
    pub fn status(&self) -> StatusCode {
        match self {
            SiteTokenError::Required | SiteTokenError::Unknown | SiteTokenError::Revoked => {
                StatusCode::UNAUTHORIZED
            }
            SiteTokenError::WrongSite | SiteTokenError::WrongScope => StatusCode::FORBIDDEN,
            SiteTokenError::ImportRunning => StatusCode::CONFLICT,
            SiteTokenError::EmptyUpload => StatusCode::BAD_REQUEST,
            SiteTokenError::ImportFailed(_) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            SiteTokenError::Required => "token_required",
            SiteTokenError::Unknown => "token_unknown",
            SiteTokenError::Revoked => "token_revoked",
            SiteTokenError::WrongSite => "token_wrong_site",
            SiteTokenError::WrongScope => "token_wrong_scope",
            SiteTokenError::ImportRunning => "import_running",
            SiteTokenError::EmptyUpload => "empty_upload",
            SiteTokenError::ImportFailed(_) => "import_failed",
        }
    }

    pub fn message(&self) -> String {
        match self {
            SiteTokenError::Required => {
                "Send the site's token as Authorization: Bearer TOKEN (rostra site token create)."
                    .into()
            }
            SiteTokenError::Unknown => {
                "That token is not known here; check that it was copied whole.".into()
            }
            SiteTokenError::Revoked => "That token was revoked; make a new one.".into(),
            SiteTokenError::WrongSite => "That token belongs to another site.".into(),
            SiteTokenError::WrongScope => "That token may not do this (wrong scope).".into(),
            SiteTokenError::ImportRunning => {
                "An import into this site is running already; try again when it ends.".into()
            }
            SiteTokenError::EmptyUpload => "The upload is empty: send the file as the body.".into(),
            SiteTokenError::ImportFailed(why) => format!("{why}; nothing was imported."),
        }
    }
}
