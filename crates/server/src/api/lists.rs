//! The page lists as JSON: the most discussed threads and the latest comments of a site.

use super::ApiQuery;
use crate::error::ApiError;
use crate::page_lists::{self, ListQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::sync::Arc;

/// Browsers ask again each time (a reader who just commented expects to see it); the server
/// answers from its own cache, which follows every write.
const CACHE_CONTROL: &str = "no-cache";

pub async fn most_discussed(
    State(state): State<Arc<AppState>>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let (days, limit) = q.bounds()?;
    let site = state.sites.get(&q.site).await?;
    let threads = page_lists::most_discussed(&state, &site, days, limit).await?;
    let body = json!({"days": days, "threads": *threads});
    Ok(([(header::CACHE_CONTROL, CACHE_CONTROL)], Json(body)).into_response())
}

pub async fn latest(
    State(state): State<Arc<AppState>>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let (_, limit) = q.bounds()?;
    let site = state.sites.get(&q.site).await?;
    let comments = page_lists::latest(&state, &site, limit).await?;
    let body = json!({ "comments": *comments });
    Ok(([(header::CACHE_CONTROL, CACHE_CONTROL)], Json(body)).into_response())
}
