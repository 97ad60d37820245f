//! Featuring a comment (key `f`) and pinning it to the top of its thread, from the queue or the
//! comment's page.

use super::queue::back_to;
use super::session::Moderator;
use super::{form_fields, AdminError};
use crate::desk::picks;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Redirect;
use bytes::Bytes;
use rostra_core::CommentId;
use std::sync::Arc;

/// `on=1` turns it on, `on=0` off; anything else is refused.
fn on(value: Option<&str>) -> Result<bool, AdminError> {
    match value {
        Some("1") => Ok(true),
        Some("0") => Ok(false),
        _ => Err(AdminError::BadRequest("on is 1 or 0".into())),
    }
}

pub async fn feature(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    let on = on(f.get("on"))?;
    picks::feature(&state, &m.user, CommentId(id), on).await?;
    let done = match on {
        true => format!("Comment {id} is featured."),
        false => format!("Comment {id} is no longer featured."),
    };
    Ok(back_to(f.get("back"), &done))
}

pub async fn pin(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    let on = on(f.get("on"))?;
    picks::pin(&state, &m.user, CommentId(id), on).await?;
    let done = match on {
        true => format!("Comment {id} is pinned to the top of its thread."),
        false => format!("Comment {id} is no longer pinned."),
    };
    Ok(back_to(f.get("back"), &done))
}
