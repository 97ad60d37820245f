//! One comment in full: the item, its revisions and its whole decision history.

use super::session::Moderator;
use super::view::{item, ItemView, Nav};
use super::{AdminError, Page};
use crate::moderating;
use crate::state::AppState;
use crate::text::utc;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rostra_core::CommentId;
use std::sync::Arc;

pub struct DecisionView {
    when: String,
    who: String,
    action: String,
    why: String,
}

#[derive(Template)]
#[template(path = "admin/comment.html")]
struct CommentPage {
    nav: Nav,
    csrf: String,
    back: String,
    it: ItemView,
    revisions: Vec<(String, String)>,
    decisions: Vec<DecisionView>,
}

pub async fn detail(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(id): Path<i64>,
) -> Result<Response, AdminError> {
    let (comment, _) = moderating::load_for(&state, &m.user, CommentId(id)).await?;
    let revisions = state
        .store
        .revisions(comment.id)
        .await?
        .into_iter()
        .map(|r| (utc(r.replaced_at).0, r.body))
        .collect();
    let mut decisions = Vec::new();
    for d in state.store.decisions(comment.id).await? {
        let who = match d.actor {
            Some(u) => state
                .store
                .user(u)
                .await?
                .map_or_else(|| format!("user {}", u.0), |u| u.email),
            None => "automatic checks".into(),
        };
        let mut why: Vec<String> = d
            .reasons
            .iter()
            .map(|r| format!("{}: {}", r.check, r.detail))
            .collect();
        why.extend(d.note.clone());
        decisions.push(DecisionView {
            when: utc(d.at).0,
            who,
            action: d.action,
            why: why.join("; "),
        });
    }
    let page = CommentPage {
        csrf: m.csrf.clone(),
        back: format!("/admin/comments/{id}"),
        nav: Nav::new(&state, &m),
        it: item(&state, &comment).await?,
        revisions,
        decisions,
    };
    Ok(Page(StatusCode::OK, page).into_response())
}
