//! Notifications: readers' reply subscriptions, moderators' alert settings and digest items,
//! and sites' webhooks with the events they receive.

use crate::ids::{CommentId, SiteId, ThreadId, UserId};
use serde::Serialize;

/// A reader's wish to hear about replies: to one comment (`comment_id`) or anywhere in a
/// thread (`thread_id`), sent to a verified address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subscription {
    pub id: i64,
    pub site_id: SiteId,
    pub thread_id: Option<ThreadId>,
    pub comment_id: Option<CommentId>,
    #[serde(skip)]
    pub email: String,
    /// When the address was confirmed; `None` while a double opt-in waits for it.
    pub confirmed_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscription {
    pub site_id: SiteId,
    /// Replies anywhere in this thread (set this or `comment_id`).
    pub thread_id: Option<ThreadId>,
    /// Replies to this comment.
    pub comment_id: Option<CommentId>,
    pub email: String,
    /// The address is known to be the reader's (a confirmed account or guest address); else the
    /// subscription waits for the reader to confirm it from an e-mail.
    pub confirmed: bool,
}

/// How a moderator hears about held and reported comments on the sites they moderate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertMode {
    #[default]
    Off,
    /// One e-mail per held or reported comment.
    Immediate,
    /// Everything since the last digest in one e-mail, every `notifications.digest_interval_secs`.
    Digest,
}

impl AlertMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertMode::Off => "off",
            AlertMode::Immediate => "immediate",
            AlertMode::Digest => "digest",
        }
    }

    pub fn parse(s: &str) -> Option<AlertMode> {
        Some(match s {
            "off" => AlertMode::Off,
            "immediate" => AlertMode::Immediate,
            "digest" => AlertMode::Digest,
            _ => return None,
        })
    }
}

/// Why a comment needs a moderator's look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    Held,
    Reported,
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Held => "held",
            AlertKind::Reported => "reported",
        }
    }

    pub fn parse(s: &str) -> Option<AlertKind> {
        match s {
            "held" => Some(AlertKind::Held),
            "reported" => Some(AlertKind::Reported),
            _ => None,
        }
    }
}

/// An alert waiting for a moderator's next digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestItem {
    pub id: i64,
    pub user_id: UserId,
    pub comment_id: CommentId,
    pub kind: AlertKind,
    pub created_at: i64,
}

/// An address a site's comment events are posted to, signed with its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Webhook {
    pub id: i64,
    pub site_id: SiteId,
    pub url: String,
    #[serde(skip)]
    pub secret: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhook {
    pub site_id: SiteId,
    pub url: String,
    pub secret: String,
}

/// The comment events a webhook receives.
pub const WEBHOOK_EVENTS: [&str; 5] = [
    "comment.created",
    "comment.edited",
    "comment.deleted",
    "comment.approved",
    "comment.rejected",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_and_kinds_round_trip() {
        for m in [AlertMode::Off, AlertMode::Immediate, AlertMode::Digest] {
            assert_eq!(AlertMode::parse(m.as_str()), Some(m));
        }
        for k in [AlertKind::Held, AlertKind::Reported] {
            assert_eq!(AlertKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(AlertMode::parse("weekly"), None);
    }
}
