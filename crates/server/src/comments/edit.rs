//! Editing a comment with its edit token, inside the edit window. The edit goes through the
//! checks again: what they would hold goes back to the queue, what they would reject is refused
//! and the old text stays.

use super::{authors_context, rejection_message};
use crate::client::{rate_limit, Client};
use crate::deciding::{self, Subject};
use crate::error::ApiError;
use crate::notify::Change;
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use rostra_core::comment::Status;
use rostra_core::moderation::{Decision, Reason};
use rostra_core::store::Moderation;
use rostra_core::validate;
use rostra_core::{markdown, Comment, CommentEdit, CommentId, Error};
use std::sync::Arc;

pub async fn edit_comment(
    state: &Arc<AppState>,
    id: CommentId,
    token: Option<&str>,
    body: &str,
    client: &Client,
) -> Result<Comment, ApiError> {
    let ctx = authors_context(state, id, token, client).await?;
    let body = validate::body(body, &state.limits)?;
    rate_limit(state, Action::Edit, client)?;
    let now = now_ms();
    let policy = state.policy(&ctx.site).await?;
    let subject = Subject {
        body: &body,
        name: ctx.comment.author_name.as_deref(),
        url: "",
        email: None,
        new: false,
    };
    let decided = deciding::decide(state, &ctx.site, &policy, &subject, client, now).await?;
    if decided.status == Status::Rejected {
        return Err(Error::CommentRejected(rejection_message(&decided.reasons)).into());
    }
    let edit = CommentEdit {
        body_html: markdown::render(&body),
        body,
        edited_at: now,
    };
    let mut comment = state.store.edit_comment(id, edit).await?;
    if decided.status == Status::Pending && comment.status == Status::Published {
        comment = hold_after_edit(state, &comment, decided.reasons, now).await?;
    }
    state.threads.invalidate(&ctx.thread);
    crate::live::comment_changed(state, Some(&ctx.comment), &comment).await;
    crate::notify::comment_changed(state, Change::Edited, &comment).await;
    Ok(comment)
}

/// The automatic checks held an edited comment: back to the queue, with their reasons.
async fn hold_after_edit(
    state: &AppState,
    comment: &Comment,
    reasons: Vec<Reason>,
    now: i64,
) -> Result<Comment, ApiError> {
    let m = Moderation {
        comment_id: comment.id,
        status: Status::Pending,
        decision: Decision {
            comment_id: comment.id,
            at: now,
            actor: None,
            action: "pending".into(),
            reasons,
            note: None,
        },
        audit: None,
    };
    Ok(state.store.moderate(m).await?)
}
