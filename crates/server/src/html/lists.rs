//! The page lists as server-rendered HTML fragments a publisher includes without JavaScript.

use super::{page, HtmlError};
use crate::page_lists::{self, ListQuery};
use crate::state::AppState;
use crate::text::utc;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;

/// "1 comment", "2 comments".
pub fn comments_label(n: i64) -> String {
    if n == 1 {
        "1 comment".into()
    } else {
        format!("{n} comments")
    }
}

struct DiscussedRow {
    url: String,
    title: String,
    label: String,
}

#[derive(Template)]
#[template(path = "lists_most_discussed.html")]
struct MostDiscussedHtml {
    days: u32,
    rows: Vec<DiscussedRow>,
}

struct LatestRow {
    url: String,
    author: String,
    thread_title: String,
    excerpt: String,
    iso: String,
    when: String,
}

#[derive(Template)]
#[template(path = "lists_latest.html")]
struct LatestHtml {
    rows: Vec<LatestRow>,
}

pub async fn most_discussed(
    State(state): State<Arc<AppState>>,
    Query(q): Query<ListQuery>,
) -> Result<Response, HtmlError> {
    let (days, limit) = q.bounds()?;
    let site = state.sites.get(&q.site).await?;
    let threads = page_lists::most_discussed(&state, &site, days, limit).await?;
    let rows = threads
        .iter()
        .map(|t| DiscussedRow {
            url: t.url.clone(),
            title: t.title.clone(),
            label: comments_label(t.recent_comments),
        })
        .collect();
    Ok(page(StatusCode::OK, MostDiscussedHtml { days, rows }))
}

pub async fn latest(
    State(state): State<Arc<AppState>>,
    Query(q): Query<ListQuery>,
) -> Result<Response, HtmlError> {
    let (_, limit) = q.bounds()?;
    let site = state.sites.get(&q.site).await?;
    let comments = page_lists::latest(&state, &site, limit).await?;
    let rows = comments
        .iter()
        .map(|c| {
            let (when, iso) = utc(c.created_at);
            LatestRow {
                url: c.url.clone(),
                author: c.author_name.clone(),
                thread_title: c.thread_title.clone(),
                excerpt: c.excerpt.clone(),
                iso,
                when,
            }
        })
        .collect();
    Ok(page(StatusCode::OK, LatestHtml { rows }))
}
