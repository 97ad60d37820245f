//! Writing: post, edit, delete, vote, report. Each handler parses, calls its use case in
//! `comments`, and answers.

use super::views::CommentView;
use super::{bearer, ApiJson, IdPath};
use crate::accounts::session::MaybeReader;
use crate::client::Client;
use crate::comments::draft::CommentInput;
use crate::comments::{create, delete, edit, report as reporting, vote as voting};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use rostra_core::CommentId;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

pub async fn post_comment(
    State(state): State<Arc<AppState>>,
    client: Client,
    MaybeReader(reader): MaybeReader,
    ApiJson(input): ApiJson<CommentInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let posted = create::post_comment(&state, input, &client, reader.as_ref()).await?;
    let body = json!({
        "comment": CommentView::for_author(&posted.comment),
        "thread": {"id": posted.thread.id.0, "comment_count": posted.thread.comment_count},
        "edit_token": posted.edit_token,
        "edit_until": posted.edit_until,
        "notify_replies": posted.notify,
    });
    Ok((StatusCode::CREATED, Json(body)))
}

#[derive(Deserialize)]
pub struct EditInput {
    pub body: String,
}

pub async fn edit_comment(
    State(state): State<Arc<AppState>>,
    IdPath(id): IdPath,
    client: Client,
    headers: HeaderMap,
    ApiJson(input): ApiJson<EditInput>,
) -> Result<Json<Value>, ApiError> {
    let comment = edit::edit_comment(
        &state,
        CommentId(id),
        bearer(&headers),
        &input.body,
        &client,
    )
    .await?;
    Ok(Json(
        json!({ "comment": CommentView::for_author(&comment) }),
    ))
}

pub async fn delete_comment(
    State(state): State<Arc<AppState>>,
    IdPath(id): IdPath,
    client: Client,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let comment = delete::delete_comment(&state, CommentId(id), bearer(&headers), &client).await?;
    Ok(Json(json!({ "comment": CommentView::public(&comment) })))
}

#[derive(Deserialize)]
pub struct VoteInput {
    pub value: i64,
}

pub async fn vote(
    State(state): State<Arc<AppState>>,
    IdPath(id): IdPath,
    client: Client,
    ApiJson(input): ApiJson<VoteInput>,
) -> Result<Json<Value>, ApiError> {
    let totals = voting::vote(&state, CommentId(id), input.value, &client).await?;
    Ok(Json(json!(totals)))
}

#[derive(Deserialize)]
pub struct ReportInput {
    pub reason: String,
    pub note: Option<String>,
}

pub async fn report(
    State(state): State<Arc<AppState>>,
    IdPath(id): IdPath,
    client: Client,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    reporting::report(
        &state,
        CommentId(id),
        &input.reason,
        input.note.as_deref(),
        &client,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({ "reported": true }))))
}
