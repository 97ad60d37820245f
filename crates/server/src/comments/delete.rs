//! An author deleting their comment with its edit token, inside the edit window.

use super::authors_context;
use crate::client::{rate_limit, Client};
use crate::error::ApiError;
use crate::notify::Change;
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use rostra_core::{Comment, CommentId};
use std::sync::Arc;

pub async fn delete_comment(
    state: &Arc<AppState>,
    id: CommentId,
    token: Option<&str>,
    client: &Client,
) -> Result<Comment, ApiError> {
    let ctx = authors_context(state, id, token, client).await?;
    rate_limit(state, Action::Edit, client)?;
    let comment = state.store.delete_comment(id, now_ms()).await?;
    state.threads.invalidate(&ctx.thread);
    crate::live::comment_changed(state, Some(&ctx.comment), &comment).await;
    crate::notify::comment_changed(state, Change::Deleted, &comment).await;
    Ok(comment)
}
