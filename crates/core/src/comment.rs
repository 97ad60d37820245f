//! Comments: what is stored, what a new comment and an edit carry, statuses, sorts and votes.

use crate::error::Error;
use crate::ids::{AccountId, CommentId, SiteId, ThreadId};
use crate::moderation::Reason;
use serde::{Deserialize, Serialize};

/// Where a comment stands. Only `Published` comments (and `Deleted` ones that still have
/// replies, as tombstones) are shown in public threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Published,
    /// Held for a moderator; only its author sees it.
    Pending,
    /// Refused by a moderator.
    Rejected,
    Deleted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Pending => "pending",
            Status::Rejected => "rejected",
            Status::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "published" => Status::Published,
            "pending" => Status::Pending,
            "rejected" => Status::Rejected,
            "deleted" => Status::Deleted,
            _ => return None,
        })
    }
}

/// The order of top-level comments. Replies are always oldest first, so a conversation reads
/// top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Oldest,
    Newest,
    /// Highest score first, older first among equals.
    Best,
}

impl Sort {
    pub fn parse(s: &str) -> Result<Sort, Error> {
        match s {
            "oldest" => Ok(Sort::Oldest),
            "newest" => Ok(Sort::Newest),
            "best" => Ok(Sort::Best),
            _ => Err(Error::InvalidSort),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Oldest => "oldest",
            Sort::Newest => "newest",
            Sort::Best => "best",
        }
    }
}

/// A stored comment, with everything moderators may see. Public views leave out the e-mail
/// address, the hashes and the source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: CommentId,
    pub thread_id: ThreadId,
    pub parent_id: Option<CommentId>,
    /// The top-level comment this one hangs under (itself, for a top-level comment).
    pub root_id: CommentId,
    pub status: Status,
    pub author_name: Option<String>,
    pub author_email: Option<String>,
    pub author_url: Option<String>,
    /// The Markdown the author wrote.
    pub body: String,
    /// The sanitized HTML rendered from `body`.
    pub body_html: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub upvotes: i64,
    pub downvotes: i64,
    /// Direct replies shown in public (published, or tombstones that still have replies).
    pub reply_count: i64,
    pub edit_token_hash: Option<String>,
    pub ip_hash: Option<String>,
    /// Hash of the commenter's identity (a guest's author token), for history, trust and bans.
    pub author_key: Option<String>,
    /// Hash of the client's network (/24 or /48), for network bans.
    pub net_hash: Option<String>,
    /// Why the checks decided what they did (shown to moderators).
    pub reasons: Vec<Reason>,
    /// Distinct readers who reported it.
    pub report_count: i64,
    /// What a moderator told the author (on a rejection).
    pub moderator_note: Option<String>,
    /// The reader account it was posted from (`None`: a guest).
    pub account_id: Option<AccountId>,
    /// `staff` or `moderator`: shown next to the author's name.
    pub author_badge: Option<String>,
    /// When a moderator made it an editors' pick (`None`: not featured).
    pub featured_at: Option<i64>,
}

impl Comment {
    pub fn score(&self) -> i64 {
        self.upvotes - self.downvotes
    }

    /// Whether the public sees this comment: published ones, and deleted ones kept as tombstones
    /// because replies hang under them.
    pub fn is_public(&self) -> bool {
        match self.status {
            Status::Published => true,
            Status::Deleted => self.reply_count > 0,
            Status::Pending | Status::Rejected => false,
        }
    }
}

/// A comment about to be stored: validated and rendered, its thread named by key.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub site_id: SiteId,
    pub thread_key: String,
    pub page_url: String,
    pub page_title: Option<String>,
    pub parent_id: Option<CommentId>,
    pub status: Status,
    pub author_name: Option<String>,
    pub author_email: Option<String>,
    pub author_url: Option<String>,
    pub body: String,
    pub body_html: String,
    pub created_at: i64,
    pub edit_token_hash: String,
    pub ip_hash: Option<String>,
    pub author_key: Option<String>,
    pub net_hash: Option<String>,
    pub reasons: Vec<Reason>,
    /// Threads created more than this long ago take no new comments (`None`: never closes).
    pub close_before: Option<i64>,
    /// The reader account posting it (`None`: a guest).
    pub account_id: Option<AccountId>,
    /// `staff` or `moderator`, from the account's SSO role or a linked Rostra moderator.
    pub author_badge: Option<String>,
}

/// A new text for a comment. The previous text is kept as a revision.
#[derive(Debug, Clone)]
pub struct CommentEdit {
    pub body: String,
    pub body_html: String,
    pub edited_at: i64,
}

/// A vote: +1, -1, or 0 to take it back. One per voter token and one per client address hash.
#[derive(Debug, Clone)]
pub struct NewVote {
    pub comment_id: CommentId,
    pub voter_hash: Option<String>,
    pub ip_hash: String,
    pub value: i8,
    pub at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VoteTotals {
    pub upvotes: i64,
    pub downvotes: i64,
    pub score: i64,
    pub value: i8,
}

/// A previous text of an edited comment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    pub comment_id: CommentId,
    pub body: String,
    pub replaced_at: i64,
}
