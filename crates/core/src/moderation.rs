//! Moderation in domain terms: verdicts with their reasons, per-site policy, reports, bans, the
//! decision history of a comment and the audit log.

use crate::attributes::AttributeRules;
use crate::ids::{CommentId, SiteId, UserId};
use serde::{Deserialize, Serialize};

/// What a check, or the whole pipeline, decides about a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    #[default]
    Allow,
    Hold,
    Reject,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Hold => "hold",
            Verdict::Reject => "reject",
        }
    }
}

/// A stretch of the comment that raised a check (a matched word, a toxic phrase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub text: String,
    /// Byte offsets in the comment's source.
    pub start: usize,
    pub end: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f32>,
}

/// Why a check decided what it did: shown to moderators, stored with the comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The check: `banned_words`, `suspect_words`, an attribute of the model (`toxicity`,
    /// `insult`, `identity_attack`, `threat`, `dehumanization`, `profanity`), `links`,
    /// `duplicate`, `premoderation`, `reports`, `external`, `ban`.
    pub check: String,
    pub verdict: Verdict,
    /// For people: "3 links (the site allows 2)".
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<Span>,
}

/// When comments are published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ModerationMode {
    /// Publish unless a check holds it.
    #[default]
    PostModeration,
    /// Hold every comment for a moderator.
    PreModeration,
    /// Hold comments of commenters with no approved comment yet.
    PreModerateNewcomers,
}

impl ModerationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ModerationMode::PostModeration => "post_moderation",
            ModerationMode::PreModeration => "pre_moderation",
            ModerationMode::PreModerateNewcomers => "pre_moderate_newcomers",
        }
    }

    pub fn parse(s: &str) -> Option<ModerationMode> {
        Some(match s {
            "post_moderation" => ModerationMode::PostModeration,
            "pre_moderation" => ModerationMode::PreModeration,
            "pre_moderate_newcomers" => ModerationMode::PreModerateNewcomers,
            _ => return None,
        })
    }
}

/// One site's moderation settings, edited by admins and stored in the database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SitePolicy {
    pub mode: ModerationMode,
    /// Hold comments with more links than this.
    pub max_links: u32,
    pub edit_window_secs: u64,
    /// Close threads this many days after their first comment (0: never).
    pub close_after_days: u32,
    /// Distinct reporters that hold a published comment.
    pub reports_to_hold: u32,
    /// Words that reject a comment, on top of the built-in list of slurs.
    pub banned_words: Vec<String>,
    /// Words that hold a comment for a moderator.
    pub suspect_words: Vec<String>,
    /// Under pre-moderation, publish at once the comments of a verified commenter (a reader
    /// account with a confirmed address, or a guest who confirmed one) who has at least this
    /// many approved comments on the site (0: never).
    pub trust_after: u32,
    /// Per attribute of the built-in model: the score that holds and the one that rejects.
    #[serde(default)]
    pub attributes: AttributeRules,
    /// Tell authors before posting when their comment would be held, with the words why.
    #[serde(default = "yes")]
    pub nudge: bool,
}

fn yes() -> bool {
    true
}

impl SitePolicy {
    /// Post-moderation under a preset's thresholds, with nothing else that holds (no word lists,
    /// two links allowed, no trust rule): the policy `rostra model eval` decides under.
    pub fn with_preset(preset: crate::attributes::Preset) -> SitePolicy {
        SitePolicy {
            mode: ModerationMode::PostModeration,
            max_links: 2,
            edit_window_secs: 900,
            close_after_days: 0,
            reports_to_hold: 3,
            banned_words: Vec::new(),
            suspect_words: Vec::new(),
            trust_after: 0,
            attributes: preset.rules(),
            nudge: true,
        }
    }
}

/// A reader's reason for reporting a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Spam,
    Harassment,
    Hate,
    Violence,
    OffTopic,
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 6] = [
        ReportReason::Spam,
        ReportReason::Harassment,
        ReportReason::Hate,
        ReportReason::Violence,
        ReportReason::OffTopic,
        ReportReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Spam => "spam",
            ReportReason::Harassment => "harassment",
            ReportReason::Hate => "hate",
            ReportReason::Violence => "violence",
            ReportReason::OffTopic => "off_topic",
            ReportReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ReportReason> {
        ReportReason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub comment_id: CommentId,
    pub reason: ReportReason,
    pub note: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewReport {
    pub comment_id: CommentId,
    /// Hash of the reporter (voter token or address): one report per reporter per comment.
    pub reporter_hash: String,
    pub reason: ReportReason,
    pub note: Option<String>,
    pub at: i64,
}

/// What a ban matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BanKind {
    /// A commenter identity (account or guest author token).
    Identity,
    /// A hashed e-mail address.
    Email,
    /// A hashed network: the /24 of an IPv4 address, the /48 of an IPv6 one.
    Network,
}

impl BanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BanKind::Identity => "identity",
            BanKind::Email => "email",
            BanKind::Network => "network",
        }
    }

    pub fn parse(s: &str) -> Option<BanKind> {
        Some(match s {
            "identity" => BanKind::Identity,
            "email" => BanKind::Email,
            "network" => BanKind::Network,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ban {
    pub id: i64,
    pub site_id: SiteId,
    pub kind: BanKind,
    pub value_hash: String,
    pub reason: Option<String>,
    pub created_by: Option<UserId>,
    pub created_at: i64,
    /// `None`: for good.
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewBan {
    pub site_id: SiteId,
    pub kind: BanKind,
    pub value_hash: String,
    pub reason: Option<String>,
    pub created_by: Option<UserId>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

/// One decision about a comment, by the pipeline or a moderator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub comment_id: CommentId,
    pub at: i64,
    /// `None`: the automatic checks.
    pub actor: Option<UserId>,
    /// `published`, `pending`, `rejected`, `deleted`, `held_by_reports`…
    pub action: String,
    pub reasons: Vec<Reason>,
    /// What a moderator wrote (the author sees it on a rejection).
    pub note: Option<String>,
}

/// One line of the append-only audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor: Option<UserId>,
    pub actor_email: Option<String>,
    pub action: String,
    /// `comment:12`, `user:3`, `site:news`, `ban:7`.
    pub target: String,
    pub site_id: Option<SiteId>,
    pub reason: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub at: i64,
    pub actor: Option<UserId>,
    pub action: String,
    pub target: String,
    pub site_id: Option<SiteId>,
    pub reason: Option<String>,
    pub detail: String,
}
