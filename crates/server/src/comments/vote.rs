//! A reader voting on a comment: up, down, or taking their vote back.

use super::comment_context;
use crate::client::{rate_limit, Client};
use crate::error::ApiError;
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use rostra_core::{CommentId, Error, NewVote, VoteTotals};
use std::sync::Arc;

pub async fn vote(
    state: &Arc<AppState>,
    id: CommentId,
    value: i64,
    client: &Client,
) -> Result<VoteTotals, ApiError> {
    let value = match value {
        -1..=1 => value as i8,
        _ => return Err(Error::InvalidVote.into()),
    };
    // Limited before any database read: a flood of refused votes costs no lookups.
    rate_limit(state, Action::Vote, client)?;
    let ctx = comment_context(state, id, client).await?;
    let thread = ctx.thread;
    let vote = NewVote {
        comment_id: id,
        voter_hash: client.voter_hash.clone(),
        ip_hash: client.ip_hash.clone(),
        value,
        at: now_ms(),
    };
    let totals = state.store.vote(vote).await?;
    state.threads.invalidate(&thread);
    crate::live::votes_changed(state, ctx.comment.thread_id, id.0, &totals).await;
    Ok(totals)
}
