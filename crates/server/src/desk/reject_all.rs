//! "Reject all and ban": bans the author of a comment on its site (by identity and e-mail) and
//! rejects their held and published comments there, all of them or the last 24 hours', with one
//! reason, which each author hears through the statement of reasons like any rejection.

use super::author::{ban_values, of_comment};
use crate::error::ApiError;
use crate::moderating::{self, load_for, Action};
use crate::state::{now_ms, AppState};
use rostra_core::comment::Status;
use rostra_core::moderation::{BanKind, NewAuditEntry};
use rostra_core::user::User;
use rostra_core::{Comment, CommentId};

/// Which of the author's comments go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    All,
    LastDay,
}

impl Span {
    pub fn parse(s: &str) -> Option<Span> {
        match s {
            "all" => Some(Span::All),
            "24h" => Some(Span::LastDay),
            _ => None,
        }
    }
}

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub rejected: usize,
    pub bans: usize,
}

/// The longest reason, in characters (it is mailed to the author).
const MAX_REASON_CHARS: usize = 1000;

pub async fn reject_all_and_ban(
    state: &AppState,
    user: &User,
    id: CommentId,
    span: Span,
    reason: &str,
    ban_until: Option<i64>,
) -> Result<Outcome, ApiError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::InvalidChoice(
            "Give the reason the author will be sent",
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(ApiError::InvalidChoice(
            "The reason is at most 1000 characters long",
        ));
    }
    let (comment, thread) = load_for(state, user, id).await?;
    let now = now_ms();
    let since = (span == Span::LastDay).then(|| now - 86_400_000);
    let open = match of_comment(state, &comment, thread.site).await? {
        Some(a) => {
            state
                .store
                .author_open_comments(thread.site, &a.matched, since)
                .await?
        }
        None => vec![comment.clone()],
    };
    // The bans first, so that nothing new slips in while the comments go.
    let bans = ban_every_identity(state, user, &comment, &open, ban_until, reason).await?;
    let mut rejected = 0;
    for c in &open {
        if matches!(c.status, Status::Pending | Status::Published) {
            moderating::act(state, user, c.id, Action::Reject, Some(reason.into())).await?;
            rejected += 1;
        }
    }
    let entry = NewAuditEntry {
        at: now,
        actor: Some(user.id),
        action: "author.reject_all".into(),
        target: format!("comment:{}", id.0),
        site_id: Some(thread.site),
        reason: Some(reason.into()),
        detail: format!(
            "{rejected} comments rejected ({}), {} bans",
            if since.is_some() { "last 24 h" } else { "all" },
            bans
        ),
    };
    state.store.append_audit(entry).await?;
    Ok(Outcome { rejected, bans })
}

/// Bans every identity and address the author used on these comments (an author matched by
/// account or confirmed address may have posted from several), each once; answers how many.
async fn ban_every_identity(
    state: &AppState,
    user: &User,
    first: &Comment,
    comments: &[Comment],
    until: Option<i64>,
    reason: &str,
) -> Result<usize, ApiError> {
    let mut seen: Vec<(BanKind, String)> = Vec::new();
    let mut made = 0;
    for c in std::iter::once(first).chain(comments) {
        let mut kinds: Vec<BanKind> = Vec::new();
        for value in ban_values(state, c) {
            if !seen.contains(&value) {
                kinds.push(value.0);
                seen.push(value);
            }
        }
        if !kinds.is_empty() {
            let bans = moderating::ban(state, user, c.id, &kinds, until, Some(reason.into()));
            made += bans.await?.len();
        }
    }
    Ok(made)
}
