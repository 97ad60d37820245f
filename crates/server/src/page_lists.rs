//! The lists for the page around the threads ("Most discussed", "Latest comments"): their
//! bounds, the views all three forms (JSON, widget, HTML) share, and a brief in-memory cache.
//!
//! Article lists read these on every view, so answers are cached per site and parameters. An
//! answer is kept until any thread changes on any instance (the thread cache's epoch moves on
//! every write this instance applies or hears of) and at most a minute, so a day window never
//! drifts far.

use crate::api::views::ANONYMOUS;
use crate::error::ApiError;
use crate::state::{now_ms, AppState};
use rostra_core::lists::{DiscussedThread, ListedComment};
use rostra_core::{markdown, Site, SiteId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const DEFAULT_DAYS: u32 = 7;
pub const MAX_DAYS: u32 = 365;
pub const DEFAULT_LIMIT: u32 = 10;
pub const MAX_LIMIT: u32 = 50;
/// Longest excerpt of a comment in "Latest comments", in characters.
pub const EXCERPT_CHARS: usize = 160;
const CACHE_AGE: Duration = Duration::from_secs(60);
const CACHE_ENTRIES: usize = 1024;
const DAY_MS: i64 = 86_400_000;

/// The query of every list: which site, how many days back, how many items.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    pub site: String,
    pub days: Option<u32>,
    pub limit: Option<u32>,
}

impl ListQuery {
    /// The day window and the limit, checked against their bounds.
    pub fn bounds(&self) -> Result<(u32, u32), ApiError> {
        let days = self.days.unwrap_or(DEFAULT_DAYS);
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_DAYS).contains(&days) {
            return Err(ApiError::InvalidQuery(format!(
                "days must be between 1 and {MAX_DAYS}"
            )));
        }
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::InvalidQuery(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        Ok((days, limit))
    }
}

/// One of the most discussed threads, as the public sees it.
#[derive(Debug, Clone, Serialize)]
pub struct DiscussedView {
    pub url: String,
    pub title: String,
    /// Published comments in the thread.
    pub comment_count: i64,
    /// Published comments written within the day window.
    pub recent_comments: i64,
}

/// One of the latest comments, as the public sees it: plain text, never an e-mail address.
#[derive(Debug, Clone, Serialize)]
pub struct LatestView {
    pub id: i64,
    pub author_name: String,
    /// The comment's text without markup, shortened.
    pub excerpt: String,
    /// Unix milliseconds.
    pub created_at: i64,
    pub thread_url: String,
    pub thread_title: String,
    /// The comment on its page (`thread_url#comment-ID`).
    pub url: String,
}

impl DiscussedView {
    fn new(d: &DiscussedThread) -> DiscussedView {
        DiscussedView {
            url: d.thread.url.clone(),
            title: thread_title(&d.thread),
            comment_count: d.thread.comment_count,
            recent_comments: d.recent_comments,
        }
    }
}

impl LatestView {
    pub fn new(l: &ListedComment) -> LatestView {
        LatestView {
            id: l.comment.id.0,
            author_name: author_name(&l.comment),
            excerpt: excerpt(&l.comment.body_html, EXCERPT_CHARS),
            created_at: l.comment.created_at,
            thread_url: l.thread.url.clone(),
            thread_title: thread_title(&l.thread),
            url: comment_link(&l.thread.url, l.comment.id.0),
        }
    }
}

/// The thread's title, or its address when the publisher gave none.
pub fn thread_title(t: &rostra_core::Thread) -> String {
    t.title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| t.url.clone())
}

pub fn author_name(c: &rostra_core::Comment) -> String {
    c.author_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| ANONYMOUS.into())
}

/// Where a comment is on its page: the anchor both the widget and the plain thread use.
pub fn comment_link(page_url: &str, id: i64) -> String {
    format!("{page_url}#comment-{id}")
}

/// The plain text of sanitized comment HTML on one line, cut at a word to `max` characters.
pub fn excerpt(html: &str, max: usize) -> String {
    let text = markdown::html_to_text(html);
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in words {
        let extra = w.chars().count() + usize::from(!out.is_empty());
        if out.chars().count() + extra > max {
            if out.is_empty() {
                out = w.chars().take(max).collect();
            }
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum ListKey {
    MostDiscussed { site: SiteId, days: u32, limit: u32 },
    Latest { site: SiteId, limit: u32 },
}

#[derive(Clone)]
enum Listed {
    MostDiscussed(Arc<Vec<DiscussedView>>),
    Latest(Arc<Vec<LatestView>>),
}

struct Cached {
    epoch: u64,
    at: Instant,
    value: Listed,
}

/// Recent answers, by site and parameters.
#[derive(Default)]
pub struct ListCache {
    entries: Mutex<HashMap<ListKey, Cached>>,
}

impl ListCache {
    fn get(&self, key: &ListKey, epoch: u64) -> Option<Listed> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|c| c.epoch == epoch && c.at.elapsed() < CACHE_AGE)
            .map(|c| c.value.clone())
    }

    fn put(&self, key: ListKey, epoch: u64, value: Listed) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CACHE_ENTRIES {
            entries.clear();
        }
        let at = Instant::now();
        entries.insert(key, Cached { epoch, at, value });
    }
}

/// The site's most discussed threads over the last `days` days.
pub async fn most_discussed(
    state: &AppState,
    site: &Site,
    days: u32,
    limit: u32,
) -> Result<Arc<Vec<DiscussedView>>, ApiError> {
    let key = ListKey::MostDiscussed {
        site: site.id,
        days,
        limit,
    };
    let epoch = state.threads.ticket();
    let lists = state.features.get::<ListCache>();
    if let Some(Listed::MostDiscussed(v)) = lists.and_then(|l| l.get(&key, epoch)) {
        return Ok(v);
    }
    let since = now_ms() - i64::from(days) * DAY_MS;
    let found = state.store.most_discussed(site.id, since, limit).await?;
    let views = Arc::new(found.iter().map(DiscussedView::new).collect::<Vec<_>>());
    if let Some(lists) = lists {
        lists.put(key, epoch, Listed::MostDiscussed(views.clone()));
    }
    Ok(views)
}

/// The site's newest published comments.
pub async fn latest(
    state: &AppState,
    site: &Site,
    limit: u32,
) -> Result<Arc<Vec<LatestView>>, ApiError> {
    let key = ListKey::Latest {
        site: site.id,
        limit,
    };
    let epoch = state.threads.ticket();
    let lists = state.features.get::<ListCache>();
    if let Some(Listed::Latest(v)) = lists.and_then(|l| l.get(&key, epoch)) {
        return Ok(v);
    }
    let found = state.store.latest_comments(site.id, None, limit).await?;
    let views = Arc::new(found.iter().map(LatestView::new).collect::<Vec<_>>());
    if let Some(lists) = lists {
        lists.put(key, epoch, Listed::Latest(views.clone()));
    }
    Ok(views)
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_are_plain_text_cut_at_a_word() {
        let html = "<p>Hello <strong>world</strong> &amp; <em>friends</em></p><p>again</p>";
        assert_eq!(excerpt(html, 100), "Hello world & friends again");
        assert_eq!(excerpt(html, 14), "Hello world &…");
        assert_eq!(excerpt("<p>abcdefgh</p>", 4), "abcd…");
    }
}
