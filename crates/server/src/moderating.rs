//! What moderators do to comments and commenters: approve, reject, delete, ban. Each action
//! checks the moderator's sites, records the decision and an audit line, and refreshes the
//! public thread.

use crate::cache::ThreadRef;
use crate::deciding::email_hash;
use crate::error::ApiError;
use crate::state::{now_ms, AppState};
use rostra_core::comment::Status;
use rostra_core::moderation::{Ban, BanKind, Decision, NewAuditEntry, NewBan};
use rostra_core::store::Moderation;
use rostra_core::user::User;
use rostra_core::{Comment, CommentId, SiteId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Approve,
    Reject,
    Delete,
}

impl Action {
    pub fn parse(s: &str) -> Option<Action> {
        match s {
            "approve" => Some(Action::Approve),
            "reject" => Some(Action::Reject),
            "delete" => Some(Action::Delete),
            _ => None,
        }
    }

    fn status(self) -> Status {
        match self {
            Action::Approve => Status::Published,
            Action::Reject => Status::Rejected,
            Action::Delete => Status::Deleted,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Delete => "delete",
        }
    }
}

/// A comment and its site, after checking that this moderator may act on it.
pub async fn load_for(
    state: &AppState,
    user: &User,
    id: CommentId,
) -> Result<(Comment, ThreadRef), ApiError> {
    let (comment, thread) = crate::comments::comment_and_thread(state, id).await?;
    if !user.may_moderate(thread.site_id) {
        return Err(ApiError::Forbidden);
    }
    Ok((
        comment,
        ThreadRef {
            site: thread.site_id,
            key: thread.key,
        },
    ))
}

fn audit(
    user: &User,
    action: &str,
    target: String,
    site: SiteId,
    reason: Option<String>,
    detail: String,
) -> NewAuditEntry {
    NewAuditEntry {
        at: now_ms(),
        actor: Some(user.id),
        action: action.into(),
        target,
        site_id: Some(site),
        reason,
        detail,
    }
}

pub async fn act(
    state: &AppState,
    user: &User,
    id: CommentId,
    action: Action,
    note: Option<String>,
) -> Result<Comment, ApiError> {
    let (comment, thread) = load_for(state, user, id).await?;
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let detail = format!(
        "{} -> {}",
        comment.status.as_str(),
        action.status().as_str()
    );
    let m = Moderation {
        comment_id: id,
        status: action.status(),
        decision: Decision {
            comment_id: id,
            at: now_ms(),
            actor: Some(user.id),
            action: action.status().as_str().into(),
            reasons: Vec::new(),
            note: note.clone(),
        },
        audit: Some(audit(
            user,
            &format!("comment.{}", action.name()),
            format!("comment:{}", id.0),
            thread.site,
            note,
            detail,
        )),
    };
    let done = state.store.moderate(m).await?;
    state.threads.invalidate(&thread);
    crate::live::comment_changed(state, Some(&comment), &done).await;
    let change = match action {
        Action::Approve => crate::notify::Change::Approved,
        Action::Reject => crate::notify::Change::Rejected,
        Action::Delete => crate::notify::Change::Deleted,
    };
    crate::notify::comment_changed(state, change, &done).await;
    Ok(done)
}

/// How long a ban lasts.
pub fn ban_until(duration: &str, now: i64) -> Option<Option<i64>> {
    let days = match duration {
        "1d" => 1,
        "7d" => 7,
        "30d" => 30,
        "365d" => 365,
        "forever" => return Some(None),
        _ => return None,
    };
    Some(Some(now + days * 86_400_000))
}

/// Bans the author of a comment on its site, by each of the given kinds the comment allows.
pub async fn ban(
    state: &AppState,
    user: &User,
    id: CommentId,
    kinds: &[BanKind],
    expires_at: Option<i64>,
    reason: Option<String>,
) -> Result<Vec<Ban>, ApiError> {
    let (comment, thread) = load_for(state, user, id).await?;
    let reason = reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    let now = now_ms();
    let mut bans = Vec::new();
    for kind in kinds {
        let value = match kind {
            BanKind::Identity => comment.author_key.clone(),
            BanKind::Email => comment
                .author_email
                .as_deref()
                .map(|e| email_hash(state, e)),
            BanKind::Network => comment.net_hash.clone(),
        };
        let Some(value_hash) = value else { continue };
        let new = NewBan {
            site_id: thread.site,
            kind: *kind,
            value_hash,
            reason: reason.clone(),
            created_by: Some(user.id),
            created_at: now,
            expires_at,
        };
        let until = expires_at.map_or_else(
            || "for good".to_string(),
            |t| format!("until {}", crate::text::utc(t).0),
        );
        let entry = audit(
            user,
            "ban.create",
            String::new(),
            thread.site,
            reason.clone(),
            format!("{} ban from comment:{} {until}", kind.as_str(), id.0),
        );
        bans.push(state.store.create_ban(new, entry).await?);
    }
    state.site_rules.forget(thread.site);
    Ok(bans)
}
