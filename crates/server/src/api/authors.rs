//! What authors are told through the API: `POST /api/comments/check` (what the checks would
//! decide about a draft) and `GET /api/comments/{id}` (a comment; for its author, with the
//! statement of reasons).

use super::views::CommentView;
use super::{bearer, ApiJson, IdPath};
use crate::accounts::session::MaybeReader;
use crate::client::Client;
use crate::comments::draft::CommentInput;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rostra_core::account::Account;
use rostra_core::privacy::{constant_time_eq, hash_token};
use rostra_core::{Comment, CommentId, Error};
use serde_json::json;
use std::sync::Arc;

pub async fn check(
    State(state): State<Arc<AppState>>,
    client: Client,
    MaybeReader(reader): MaybeReader,
    ApiJson(input): ApiJson<CommentInput>,
) -> Result<Response, ApiError> {
    let preview = crate::checking::check_draft(&state, &input, &client, reader.as_ref()).await?;
    Ok(private(Json(preview).into_response()))
}

pub async fn get_comment(
    State(state): State<Arc<AppState>>,
    IdPath(id): IdPath,
    headers: HeaderMap,
    MaybeReader(reader): MaybeReader,
) -> Response {
    let answer = comment_for(&state, CommentId(id), bearer(&headers), reader.as_ref()).await;
    private(answer.into_response())
}

/// The comment as its author sees it (with the statement of reasons), or as anyone does.
async fn comment_for(
    state: &AppState,
    id: CommentId,
    token: Option<&str>,
    reader: Option<&Account>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let comment = state
        .store
        .comment(id)
        .await?
        .ok_or(Error::CommentNotFound)?;
    if is_author(&comment, token, reader) {
        let statement = crate::statement::for_comment(state, &comment).await?;
        return Ok(Json(json!({
            "comment": CommentView::for_author(&comment),
            "moderation": statement,
        })));
    }
    if !comment.is_public() {
        return Err(Error::CommentNotFound.into());
    }
    Ok(Json(json!({ "comment": CommentView::public(&comment) })))
}

/// The comment's author: the edit token it was posted with (also after the edit window), or
/// the reader account it was posted from.
pub fn is_author(comment: &Comment, token: Option<&str>, reader: Option<&Account>) -> bool {
    let by_token = token.is_some_and(|t| {
        comment
            .edit_token_hash
            .as_deref()
            .is_some_and(|h| constant_time_eq(h, &hash_token(t)))
    });
    let by_account = reader.is_some_and(|a| comment.account_id == Some(a.id));
    by_token || by_account
}

/// Answers that differ by who asks are kept by no cache.
fn private(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}
