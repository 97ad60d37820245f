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

/// What the form asks: its CSRF token checked, `on=1` (on) or `on=0` (off), and where to go back.
fn read_form(m: &Moderator, body: &[u8]) -> Result<(bool, Option<String>), AdminError> {
    let f = form_fields(body);
    m.check_csrf(f.get("csrf"))?;
    let on = match f.get("on") {
        Some("1") => true,
        Some("0") => false,
        _ => return Err(AdminError::BadRequest("on is 1 or 0".into())),
    };
    Ok((on, f.get("back").map(str::to_string)))
}

pub async fn feature(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let (on, back) = read_form(&m, &body)?;
    picks::feature(&state, &m.user, CommentId(id), on).await?;
    let done = if on {
        "is featured"
    } else {
        "is no longer featured"
    };
    Ok(back_to(back.as_deref(), &format!("Comment {id} {done}.")))
}

pub async fn pin(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let (on, back) = read_form(&m, &body)?;
    picks::pin(&state, &m.user, CommentId(id), on).await?;
    let done = if on {
        "is pinned to the top of its thread"
    } else {
        "is no longer pinned"
    };
    Ok(back_to(back.as_deref(), &format!("Comment {id} {done}.")))
}
