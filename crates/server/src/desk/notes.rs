//! Moderators' notes on an author: added from the author's drawer, read by the site's
//! moderators only, deleted by any of them; both in the audit log.

use super::author::of_comment;
use crate::error::ApiError;
use crate::moderating::load_for;
use crate::state::{now_ms, AppState};
use rostra_core::desk::{AuthorNote, NewAuthorNote, MAX_NOTE_CHARS};
use rostra_core::moderation::NewAuditEntry;
use rostra_core::user::User;
use rostra_core::CommentId;

/// Adds a note on the author of a comment; answers it.
pub async fn add(
    state: &AppState,
    user: &User,
    id: CommentId,
    body: &str,
) -> Result<AuthorNote, ApiError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(ApiError::InvalidChoice("Write the note first"));
    }
    if body.chars().count() > MAX_NOTE_CHARS {
        return Err(ApiError::InvalidChoice(
            "A note is at most 2000 characters long",
        ));
    }
    let (comment, thread) = load_for(state, user, id).await?;
    let author = of_comment(state, &comment, thread.site)
        .await?
        .ok_or(ApiError::InvalidChoice(
            "This comment carries no account or identity to file a note under",
        ))?;
    let now = now_ms();
    let entry = NewAuditEntry {
        at: now,
        actor: Some(user.id),
        action: "note.add".into(),
        target: String::new(),
        site_id: Some(thread.site),
        reason: Some(body.to_string()),
        detail: format!(
            "on the {} author of comment:{}",
            author.matched.kind(),
            id.0
        ),
    };
    let note = NewAuthorNote {
        site_id: thread.site,
        subject: author.subject,
        body: body.to_string(),
        created_by: user.id,
        created_at: now,
    };
    Ok(state.store.add_author_note(note, entry).await?)
}

/// Deletes a note on a site this moderator moderates.
pub async fn delete(state: &AppState, user: &User, note_id: i64) -> Result<(), ApiError> {
    let note = state
        .store
        .author_note(note_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !user.may_moderate(note.site_id) {
        return Err(ApiError::Forbidden);
    }
    let entry = NewAuditEntry {
        at: now_ms(),
        actor: Some(user.id),
        action: "note.delete".into(),
        target: format!("note:{note_id}"),
        site_id: Some(note.site_id),
        reason: None,
        detail: format!(
            "note on {} removed",
            note.subject.split(':').next().unwrap_or("")
        ),
    };
    state
        .store
        .delete_author_note(note.site_id, note_id, entry)
        .await?;
    Ok(())
}
