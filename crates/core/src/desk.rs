//! The moderators' desk: who wrote a comment, as far as a site can tell (an account, a verified
//! address, a guest identity), what that author did there, the notes moderators keep on them, and
//! the comments editors lift (featured, pinned).

use crate::comment::Comment;
use crate::error::Result;
use crate::ids::{AccountId, CommentId, SiteId, ThreadId, UserId};
use crate::moderation::{Ban, BanKind, NewAuditEntry};
use crate::thread::Thread;
use async_trait::async_trait;

/// How an author is recognised on a site, the surest way first: the reader account they posted
/// from, else the address their guest identity confirmed, else the guest identity token alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorMatch {
    Account(AccountId),
    /// Every guest identity that confirmed this address on the site (compared without case).
    VerifiedEmail(String),
    /// The hash of a guest's identity token (`Comment::author_key`).
    Guest(String),
}

impl AuthorMatch {
    /// `account`, `verified_email` or `guest`: what the drawer says it matched by.
    pub fn kind(&self) -> &'static str {
        match self {
            AuthorMatch::Account(_) => "account",
            AuthorMatch::VerifiedEmail(_) => "verified_email",
            AuthorMatch::Guest(_) => "guest",
        }
    }
}

/// What an author did on one site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuthorRecord {
    /// Their comments, newest first, at most the number asked for.
    pub comments: Vec<Comment>,
    pub total: i64,
    pub published: i64,
    pub pending: i64,
    pub rejected: i64,
    pub deleted: i64,
    /// Comments that readers reported at least once (and no moderator cleared since).
    pub reported: i64,
    pub first_seen: Option<i64>,
}

impl AuthorRecord {
    /// Rejected comments as a share of those a decision was taken on (published or rejected),
    /// in percent; `None` before any.
    pub fn rejection_rate(&self) -> Option<u32> {
        let decided = self.published + self.rejected;
        (decided > 0).then(|| ((self.rejected * 100 + decided / 2) / decided) as u32)
    }
}

/// A moderator's note about an author, seen by the site's moderators only.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorNote {
    pub id: i64,
    pub site_id: SiteId,
    /// Whom it is about: `account:ID`, `email:HASH` or `guest:KEY` (see `AuthorMatch`).
    pub subject: String,
    pub body: String,
    pub created_by: Option<UserId>,
    /// The author's address (joined from the users), for showing who wrote the note.
    pub created_by_email: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewAuthorNote {
    pub site_id: SiteId,
    pub subject: String,
    pub body: String,
    pub created_by: UserId,
    pub created_at: i64,
}

/// The longest note a moderator may write, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

#[async_trait]
pub trait DeskStore: Send + Sync {
    /// An author's comments on the site (any status, newest first, at most `limit`) and counts.
    async fn author_record(
        &self,
        site: SiteId,
        author: &AuthorMatch,
        limit: u32,
    ) -> Result<AuthorRecord>;
    /// An author's held and published comments on the site created at or after `since`
    /// (everything with `None`), oldest first: what "reject all" rejects.
    async fn author_open_comments(
        &self,
        site: SiteId,
        author: &AuthorMatch,
        since: Option<i64>,
    ) -> Result<Vec<Comment>>;
    /// Every ban on the site matching any of these values, past and present, newest first.
    async fn bans_matching(&self, site: SiteId, values: &[(BanKind, String)]) -> Result<Vec<Ban>>;
    /// Stores a note with its audit line (whose target becomes `note:ID`).
    async fn add_author_note(
        &self,
        note: NewAuthorNote,
        audit: NewAuditEntry,
    ) -> Result<AuthorNote>;
    /// The notes on this subject on this site, newest first.
    async fn author_notes(&self, site: SiteId, subject: &str) -> Result<Vec<AuthorNote>>;
    async fn author_note(&self, id: i64) -> Result<Option<AuthorNote>>;
    /// Removes a site's note with its audit line; answers whether it was there.
    async fn delete_author_note(&self, site: SiteId, id: i64, audit: NewAuditEntry)
        -> Result<bool>;
}

/// Editors' picks and pins.
#[async_trait]
pub trait PicksStore: Send + Sync {
    /// Features a comment (`Some(when)`) or stops featuring it (`None`), with its audit line;
    /// answers the comment.
    async fn set_featured(
        &self,
        id: CommentId,
        featured_at: Option<i64>,
        audit: NewAuditEntry,
    ) -> Result<Comment>;
    /// Pins a comment to the top of its thread, or unpins the thread's (`None`), with its
    /// audit line; answers the thread.
    async fn set_pinned(
        &self,
        thread: ThreadId,
        comment: Option<CommentId>,
        audit: NewAuditEntry,
    ) -> Result<Thread>;
}
