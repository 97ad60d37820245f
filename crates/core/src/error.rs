//! The one domain error enum: every variant has a stable snake_case code clients may rely on.

use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong in storage, in terms both backends can report.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or foreign-key rule refused the write.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// Anything else (I/O, a broken connection, a bug): logged, never shown to clients.
    #[error("storage failure: {0}")]
    Other(String),
}

#[derive(Debug, Error)]
pub enum Error {
    #[error("No site has the key '{0}'.")]
    UnknownSite(String),
    #[error("The page URL is not an absolute http(s) URL.")]
    InvalidUrl,
    #[error("The thread identifier must be 1 to {0} characters.")]
    InvalidIdentifier(usize),
    #[error("The page's origin is not one of this site's origins.")]
    UrlNotOnSite,
    #[error("The comment is empty.")]
    BodyEmpty,
    #[error("The comment is shorter than {0} characters.")]
    BodyTooShort(usize),
    #[error("The comment is longer than {0} characters.")]
    BodyTooLong(usize),
    #[error("The name is longer than {0} characters.")]
    NameTooLong(usize),
    #[error("That is not an e-mail address.")]
    InvalidEmail,
    #[error("The website must be an http or https URL.")]
    InvalidAuthorUrl,
    #[error("The page title is longer than {0} characters.")]
    TitleTooLong(usize),
    #[error("The comment being replied to does not exist in this thread.")]
    ParentNotFound,
    #[error("This thread is closed for comments.")]
    ThreadClosed,
    #[error("No such comment.")]
    CommentNotFound,
    #[error("No such thread.")]
    ThreadNotFound,
    #[error("That comment has been deleted.")]
    CommentDeleted,
    #[error("The edit token is missing.")]
    MissingToken,
    #[error("The edit token does not belong to this comment.")]
    InvalidToken,
    #[error("The time to edit or delete this comment has passed.")]
    EditWindowExpired,
    #[error("A vote is 1, -1 or 0.")]
    InvalidVote,
    #[error("That cursor is not one Rostra gave out.")]
    InvalidCursor,
    #[error("The sort must be oldest, newest or best.")]
    InvalidSort,
    #[error("You can't comment on this site.")]
    Banned,
    #[error("{0}")]
    CommentRejected(String),
    #[error("You have reported this comment already.")]
    AlreadyReported,
    #[error("A report's reason is spam, harassment, hate, violence, off_topic or other.")]
    InvalidReportReason,
    #[error("The note is longer than {0} characters.")]
    NoteTooLong(usize),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Error {
    /// The stable code sent to clients in `{"error": {"code": …}}`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::UnknownSite(_) => "unknown_site",
            Error::InvalidUrl => "invalid_url",
            Error::InvalidIdentifier(_) => "invalid_identifier",
            Error::UrlNotOnSite => "url_not_on_site",
            Error::BodyEmpty => "body_empty",
            Error::BodyTooShort(_) => "body_too_short",
            Error::BodyTooLong(_) => "body_too_long",
            Error::NameTooLong(_) => "name_too_long",
            Error::InvalidEmail => "invalid_email",
            Error::InvalidAuthorUrl => "invalid_author_url",
            Error::TitleTooLong(_) => "title_too_long",
            Error::ParentNotFound => "parent_not_found",
            Error::ThreadClosed => "thread_closed",
            Error::CommentNotFound => "comment_not_found",
            Error::ThreadNotFound => "thread_not_found",
            Error::CommentDeleted => "comment_deleted",
            Error::MissingToken => "missing_token",
            Error::InvalidToken => "invalid_token",
            Error::EditWindowExpired => "edit_window_expired",
            Error::InvalidVote => "invalid_vote",
            Error::InvalidCursor => "invalid_cursor",
            Error::InvalidSort => "invalid_sort",
            Error::Banned => "banned",
            Error::CommentRejected(_) => "comment_rejected",
            Error::AlreadyReported => "already_reported",
            Error::InvalidReportReason => "invalid_report_reason",
            Error::NoteTooLong(_) => "note_too_long",
            Error::Store(StoreError::NotFound) => "not_found",
            Error::Store(StoreError::Conflict(_)) => "conflict",
            Error::Store(StoreError::Other(_)) => "internal",
        }
    }
}
