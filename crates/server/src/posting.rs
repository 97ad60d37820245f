//! Writing comments, shared by the JSON API and the plain HTML form: check, render, store,
//! invalidate the thread's cache.

use crate::api::error::ApiError;
use crate::cache::ThreadRef;
use crate::client::Client;
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use rostra_core::comment::Status;
use rostra_core::privacy::{constant_time_eq, hash_token, random_token};
use rostra_core::thread::close_before;
use rostra_core::validate::{self, AuthorInput};
use rostra_core::{
    markdown, Comment, CommentEdit, CommentId, Error, NewComment, NewVote, Site, Thread, ThreadKey,
    VoteTotals,
};
use std::sync::Arc;

/// What a commenter sends, from JSON or a form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CommentInput {
    pub site: String,
    pub url: String,
    pub identifier: Option<String>,
    pub title: Option<String>,
    pub parent: Option<i64>,
    pub author_name: Option<String>,
    pub author_email: Option<String>,
    pub author_url: Option<String>,
    pub body: String,
}

pub struct Posted {
    pub comment: Comment,
    pub thread: Thread,
    pub edit_token: String,
    pub edit_until: i64,
}

/// Browsers may write only from the site's own origins or Rostra's own pages; requests without
/// an `Origin` (servers, scripts) are not browsers acting for someone else.
pub fn check_origin(state: &AppState, site: &Site, client: &Client) -> Result<(), ApiError> {
    match &client.origin {
        None => Ok(()),
        Some(o) if site.allows_origin(o) || *o == state.public_origin => Ok(()),
        Some(_) => Err(ApiError::OriginNotAllowed),
    }
}

fn rate_limit(state: &AppState, action: Action, client: &Client) -> Result<(), ApiError> {
    state
        .rate_limits
        .check(action, &client.ip_hash)
        .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })
}

pub async fn post_comment(
    state: &Arc<AppState>,
    input: CommentInput,
    client: &Client,
) -> Result<Posted, ApiError> {
    let site = state.sites.get(&input.site).await?;
    check_origin(state, &site, client)?;
    let key = ThreadKey::for_page(&site, &input.url, input.identifier.as_deref())?;
    let body = validate::body(&input.body, &state.limits)?;
    let author = validate::author(
        &AuthorInput {
            name: input.author_name.as_deref(),
            email: input.author_email.as_deref(),
            url: input.author_url.as_deref(),
        },
        &state.limits,
    )?;
    let title = validate::title(input.title.as_deref(), &state.limits)?;
    rate_limit(state, Action::Comment, client)?;
    let now = now_ms();
    let edit_token = random_token();
    let new = NewComment {
        site_id: site.id,
        thread_key: key.key.clone(),
        page_url: key.url,
        page_title: title,
        parent_id: input.parent.map(CommentId),
        status: Status::Published,
        author_name: author.name,
        author_email: author.email,
        author_url: author.url,
        body_html: markdown::render(&body),
        body,
        created_at: now,
        edit_token_hash: hash_token(&edit_token),
        ip_hash: Some(client.ip_hash.clone()),
        close_before: close_before(state.close_after_days(), now),
    };
    let (comment, thread) = state.store.create_comment(new).await?;
    state.threads.invalidate(&ThreadRef {
        site: site.id,
        key: key.key,
    });
    state.metrics.comment_created();
    let edit_until = comment.created_at + edit_window_ms(state);
    Ok(Posted {
        comment,
        thread,
        edit_token,
        edit_until,
    })
}

fn edit_window_ms(state: &AppState) -> i64 {
    state.config.comments.edit_window_secs as i64 * 1000
}

/// A comment with its thread, after checking the browser's origin against the thread's site.
async fn comment_context(
    state: &AppState,
    id: CommentId,
    client: &Client,
) -> Result<(Comment, ThreadRef), ApiError> {
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
    let site = state.sites.by_id(thread.site_id).await?;
    check_origin(state, &site, client)?;
    Ok((
        comment,
        ThreadRef {
            site: thread.site_id,
            key: thread.key,
        },
    ))
}

/// Checks the edit token and the edit window on top of `comment_context`.
async fn authorize(
    state: &AppState,
    id: CommentId,
    token: Option<&str>,
    client: &Client,
) -> Result<(Comment, ThreadRef), ApiError> {
    let (comment, thread) = comment_context(state, id, client).await?;
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
    if now_ms() > comment.created_at + edit_window_ms(state) {
        return Err(Error::EditWindowExpired.into());
    }
    Ok((comment, thread))
}

pub async fn edit_comment(
    state: &Arc<AppState>,
    id: CommentId,
    token: Option<&str>,
    body: &str,
    client: &Client,
) -> Result<Comment, ApiError> {
    let (_, thread) = authorize(state, id, token, client).await?;
    let body = validate::body(body, &state.limits)?;
    rate_limit(state, Action::Edit, client)?;
    let edit = CommentEdit {
        body_html: markdown::render(&body),
        body,
        edited_at: now_ms(),
    };
    let comment = state.store.edit_comment(id, edit).await?;
    state.threads.invalidate(&thread);
    Ok(comment)
}

pub async fn delete_comment(
    state: &Arc<AppState>,
    id: CommentId,
    token: Option<&str>,
    client: &Client,
) -> Result<Comment, ApiError> {
    let (_, thread) = authorize(state, id, token, client).await?;
    rate_limit(state, Action::Edit, client)?;
    let comment = state.store.delete_comment(id, now_ms()).await?;
    state.threads.invalidate(&thread);
    Ok(comment)
}

pub async fn vote(
    state: &Arc<AppState>,
    id: CommentId,
    value: i64,
    client: &Client,
) -> Result<VoteTotals, ApiError> {
    let value = match value {
        -1 | 0 | 1 => value as i8,
        _ => return Err(Error::InvalidVote.into()),
    };
    let (_, thread) = comment_context(state, id, client).await?;
    rate_limit(state, Action::Vote, client)?;
    let vote = NewVote {
        comment_id: id,
        voter_hash: client.voter_hash.clone(),
        ip_hash: client.ip_hash.clone(),
        value,
        at: now_ms(),
    };
    let totals = state.store.vote(vote).await?;
    state.threads.invalidate(&thread);
    Ok(totals)
}
