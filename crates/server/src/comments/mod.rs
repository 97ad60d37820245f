//! What readers do to comments, one use case a file, shared by the JSON API and the plain HTML
//! form: `create`, `edit`, `delete`, `vote`, `report`. Each reads top to bottom: validate, gather
//! the facts, decide, store, announce. This file holds the facts they share.

pub mod create;
pub mod delete;
pub mod draft;
pub mod edit;
pub mod report;
pub mod vote;

use crate::cache::ThreadRef;
use crate::client::{check_origin, Client};
use crate::error::ApiError;
use crate::state::{now_ms, AppState};
use rostra_core::attributes::Attribute;
use rostra_core::comment::Status;
use rostra_core::moderation::{Reason, Verdict};
use rostra_core::privacy::{constant_time_eq, hash_token};
use rostra_core::{Comment, CommentId, Error, Site, Thread};
use std::sync::Arc;

/// A comment with its thread and site, after checking the browser's origin against the site.
pub(crate) struct Context {
    pub comment: Comment,
    pub thread: ThreadRef,
    pub site: Arc<Site>,
}

/// A comment and the thread it is in.
pub async fn comment_and_thread(
    state: &AppState,
    id: CommentId,
) -> Result<(Comment, Thread), ApiError> {
    let comment = state
        .store
        .comment(id)
        .await?
        .ok_or(Error::CommentNotFound)?;
    let thread = state
        .store
        .thread(comment.thread_id)
        .await?
        .ok_or(Error::ThreadNotFound)?;
    Ok((comment, thread))
}

pub(crate) async fn comment_context(
    state: &AppState,
    id: CommentId,
    client: &Client,
) -> Result<Context, ApiError> {
    let (comment, thread) = comment_and_thread(state, id).await?;
    let site = state.sites.by_id(thread.site_id).await?;
    check_origin(state, &site, client)?;
    Ok(Context {
        comment,
        thread: ThreadRef {
            site: thread.site_id,
            key: thread.key,
        },
        site,
    })
}

/// `comment_context` for the comment's author: the edit token matches, the comment is not
/// deleted, and the edit window is open.
async fn authors_context(
    state: &AppState,
    id: CommentId,
    token: Option<&str>,
    client: &Client,
) -> Result<Context, ApiError> {
    let ctx = comment_context(state, id, client).await?;
    let comment = &ctx.comment;
    let token = token.ok_or(Error::MissingToken)?;
    let owns = comment
        .edit_token_hash
        .as_deref()
        .is_some_and(|h| constant_time_eq(h, &hash_token(token)));
    if !owns {
        return Err(Error::InvalidToken.into());
    }
    if comment.status == Status::Deleted {
        return Err(Error::CommentDeleted.into());
    }
    let window = state.policy(&ctx.site).await?.edit_window_secs as i64 * 1000;
    if now_ms() > comment.created_at + window {
        return Err(Error::EditWindowExpired.into());
    }
    Ok(ctx)
}

/// What the author is told when the checks refuse a comment: what to change, without scores.
fn rejection_message(reasons: &[Reason]) -> String {
    let words: Vec<&str> = reasons
        .iter()
        .filter(|r| r.verdict == Verdict::Reject && r.check == "banned_words")
        .flat_map(|r| r.spans.iter().map(|s| s.text.as_str()))
        .collect();
    if !words.is_empty() {
        return format!(
            "This site does not allow some of the words used ({}). Please rephrase.",
            words.join(", ")
        );
    }
    let attribute = reasons
        .iter()
        .filter(|r| r.verdict == Verdict::Reject)
        .filter_map(|r| Attribute::parse(&r.check).map(|a| (a, r.score.unwrap_or(0.0))))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((attribute, _)) = attribute {
        return format!(
            "This comment reads as {}. Please rephrase it.",
            attribute.phrase()
        );
    }
    "This comment breaks the site's rules. Please rephrase it.".into()
}
