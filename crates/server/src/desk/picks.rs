//! Editors' picks and pins: a moderator of the site features a published comment (its author
//! told by e-mail when they asked for reply e-mails) or pins one to the top of its thread. Each
//! is in the audit log and refreshes the public thread.

use crate::error::ApiError;
use crate::moderating::load_for;
use crate::state::{now_ms, AppState};
use rostra_core::comment::Status;
use rostra_core::moderation::NewAuditEntry;
use rostra_core::user::User;
use rostra_core::{Comment, CommentId, SiteId};

fn entry(user: &User, action: &str, id: CommentId, site: SiteId) -> NewAuditEntry {
    NewAuditEntry {
        at: now_ms(),
        actor: Some(user.id),
        action: action.into(),
        target: format!("comment:{}", id.0),
        site_id: Some(site),
        reason: None,
        detail: String::new(),
    }
}

/// Features the comment (`on`) or stops featuring it; answers it.
pub async fn feature(
    state: &AppState,
    user: &User,
    id: CommentId,
    on: bool,
) -> Result<Comment, ApiError> {
    let (comment, thread) = load_for(state, user, id).await?;
    if on && comment.status != Status::Published {
        return Err(ApiError::InvalidChoice(
            "Only a published comment can be featured",
        ));
    }
    if on == comment.featured_at.is_some() {
        return Ok(comment);
    }
    let (action, at) = match on {
        true => ("comment.feature", Some(now_ms())),
        false => ("comment.unfeature", None),
    };
    let done = state
        .store
        .set_featured(id, at, entry(user, action, id, thread.site))
        .await?;
    state.threads.invalidate(&thread);
    crate::live::comment_changed(state, Some(&comment), &done).await;
    if on {
        if let Err(e) = crate::notify::featured::on_featured(state, &done).await {
            tracing::warn!(error = %e, comment = id.0, "could not queue the featured e-mail");
        }
    }
    Ok(done)
}

/// Pins the comment to the top of its thread (`on`, replacing any other pin), or unpins it.
pub async fn pin(state: &AppState, user: &User, id: CommentId, on: bool) -> Result<(), ApiError> {
    let (comment, thread) = load_for(state, user, id).await?;
    if on && comment.status != Status::Published {
        return Err(ApiError::InvalidChoice(
            "Only a published comment can be pinned",
        ));
    }
    let current = state
        .store
        .thread(comment.thread_id)
        .await?
        .and_then(|t| t.pinned_comment_id);
    let wanted = match on {
        true => Some(id),
        // Unpinning another comment than the pinned one changes nothing.
        false if current == Some(id) => None,
        false => return Ok(()),
    };
    if current == wanted {
        return Ok(());
    }
    let action = if on { "thread.pin" } else { "thread.unpin" };
    state
        .store
        .set_pinned(
            comment.thread_id,
            wanted,
            entry(user, action, id, thread.site),
        )
        .await?;
    state.threads.invalidate(&thread);
    Ok(())
}
