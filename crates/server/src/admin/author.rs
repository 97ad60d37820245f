//! The author's drawer (key `u`): an author's record on the site, their bans, the moderators'
//! notes on them, and "reject all and ban".

use super::queue::back_to;
use super::session::Moderator;
use super::view::Nav;
use super::{form_fields, AdminError, Page};
use crate::desk::author::{drawer, Drawer};
use crate::desk::notes;
use crate::desk::reject_all::{reject_all_and_ban, Span};
use crate::moderating::ban_until;
use crate::state::{now_ms, AppState};
use crate::text::utc;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bytes::Bytes;
use rostra_core::desk::{AuthorMatch, AuthorNote};
use rostra_core::moderation::Ban;
use rostra_core::{Comment, CommentId};
use std::sync::Arc;

pub struct CommentLine {
    id: i64,
    when: String,
    status: &'static str,
    excerpt: String,
    reasons: String,
    reports: i64,
}

pub struct BanLine {
    kind: &'static str,
    since: String,
    until: String,
    active: bool,
    reason: String,
}

pub struct NoteLine {
    id: i64,
    when: String,
    who: String,
    body: String,
}

#[derive(Template)]
#[template(path = "admin/author.html")]
struct AuthorPage {
    nav: Nav,
    csrf: String,
    back: String,
    flash: Option<String>,
    comment_id: i64,
    name: String,
    matched_by: &'static str,
    account_or_guest: &'static str,
    verified: bool,
    counts: Vec<(&'static str, i64)>,
    rejection_rate: String,
    first_seen: String,
    comments: Vec<CommentLine>,
    more_comments: bool,
    bans: Vec<BanLine>,
    notes: Vec<NoteLine>,
    can_note: bool,
}

#[derive(serde::Deserialize)]
pub struct DrawerQuery {
    done: Option<String>,
}

fn matched_by(d: &Drawer) -> (&'static str, &'static str) {
    match d.author.as_ref().map(|a| &a.matched) {
        Some(AuthorMatch::Account(_)) => ("their reader account", "reader account"),
        Some(AuthorMatch::VerifiedEmail(_)) => (
            "the e-mail address their guest identity confirmed",
            "guest (verified pseudonym)",
        ),
        Some(AuthorMatch::Guest(_)) => ("their guest identity token", "guest"),
        None => (
            "nothing: this comment has no account or identity token",
            "guest",
        ),
    }
}

fn excerpt(s: &str) -> String {
    let mut e: String = s.chars().take(140).collect();
    if s.chars().count() > 140 {
        e.push('…');
    }
    e
}

fn comment_lines(comments: &[Comment]) -> Vec<CommentLine> {
    comments
        .iter()
        .map(|c| CommentLine {
            id: c.id.0,
            when: utc(c.created_at).0,
            status: c.status.as_str(),
            excerpt: excerpt(&c.body),
            reasons: c
                .reasons
                .iter()
                .map(|x| x.check.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            reports: c.report_count,
        })
        .collect()
}

fn ban_lines(bans: &[Ban], now: i64) -> Vec<BanLine> {
    bans.iter()
        .map(|b| BanLine {
            kind: b.kind.as_str(),
            since: utc(b.created_at).0,
            until: b.expires_at.map_or_else(|| "for good".into(), |t| utc(t).0),
            active: b.expires_at.is_none_or(|t| t > now),
            reason: b.reason.clone().unwrap_or_default(),
        })
        .collect()
}

fn note_lines(notes: &[AuthorNote]) -> Vec<NoteLine> {
    notes
        .iter()
        .map(|n| NoteLine {
            id: n.id,
            when: utc(n.created_at).0,
            who: n
                .created_by_email
                .clone()
                .unwrap_or_else(|| "a former moderator".into()),
            body: n.body.clone(),
        })
        .collect()
}

fn page_of(d: Drawer, m: &Moderator, state: &AppState, flash: Option<String>) -> AuthorPage {
    let (matched, account_or_guest) = matched_by(&d);
    let r = &d.record;
    AuthorPage {
        nav: Nav::new(state, m),
        csrf: m.csrf.clone(),
        back: format!("/admin/comments/{}/author", d.comment.id.0),
        flash,
        comment_id: d.comment.id.0,
        name: d
            .comment
            .author_name
            .clone()
            .unwrap_or_else(|| "Anonymous".into()),
        matched_by: matched,
        account_or_guest,
        verified: d.author.as_ref().is_some_and(|a| a.verified_email),
        counts: vec![
            ("comments", r.total),
            ("published", r.published),
            ("held", r.pending),
            ("rejected", r.rejected),
            ("deleted", r.deleted),
            ("reported", r.reported),
        ],
        rejection_rate: r
            .rejection_rate()
            .map_or_else(|| "none decided yet".into(), |p| format!("{p} %")),
        first_seen: r.first_seen.map(|t| utc(t).0).unwrap_or_default(),
        more_comments: r.total > r.comments.len() as i64,
        comments: comment_lines(&r.comments),
        bans: ban_lines(&d.bans, now_ms()),
        notes: note_lines(&d.notes),
        can_note: d.author.is_some(),
    }
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<DrawerQuery>,
) -> Result<Response, AdminError> {
    let d = drawer(&state, &m.user, CommentId(id)).await?;
    let page = page_of(d, &m, &state, q.done);
    Ok(Page(StatusCode::OK, page).into_response())
}

pub async fn add_note(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    notes::add(
        &state,
        &m.user,
        CommentId(id),
        f.get("body").unwrap_or_default(),
    )
    .await?;
    Ok(back_to(
        Some(&format!("/admin/comments/{id}/author")),
        "Note added.",
    ))
}

pub async fn delete_note(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    notes::delete(&state, &m.user, id).await?;
    Ok(back_to(f.get("back"), "Note deleted."))
}

pub async fn reject_all(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, AdminError> {
    let f = form_fields(&body);
    m.check_csrf(f.get("csrf"))?;
    let span = Span::parse(f.get("span").unwrap_or("all"))
        .ok_or_else(|| AdminError::BadRequest("reject all, or the last 24 hours".into()))?;
    let until = ban_until(f.get("duration").unwrap_or("forever"), now_ms())
        .ok_or_else(|| AdminError::BadRequest("unknown ban duration".into()))?;
    let done = reject_all_and_ban(
        &state,
        &m.user,
        CommentId(id),
        span,
        f.get("reason").unwrap_or_default(),
        until,
    )
    .await?;
    Ok(back_to(
        f.get("back"),
        &format!(
            "{} comments rejected, {} bans added.",
            done.rejected, done.bans
        ),
    ))
}
