//! Reading: thread pages (cached, with ETags), more replies, and comment counts.

use super::views::{CommentView, ThreadView};
use super::{ApiQuery, IdPath};
use crate::cache::{Alias, Page, ThreadRef};
use crate::error::ApiError;
use crate::reading::{load_replies, load_thread};
use crate::state::{now_ms, AppState};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Json;
use bytes::Bytes;
use rostra_core::tree::{decode_cursor, encode_cursor};
use rostra_core::{page_url, CommentId, Error, SiteId, Sort, ThreadKey};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Deserialize)]
pub struct ThreadQuery {
    pub site: String,
    pub url: String,
    pub identifier: Option<String>,
    pub sort: Option<String>,
    pub cursor: Option<String>,
}

pub async fn get_thread(
    State(state): State<Arc<AppState>>,
    uri: axum::http::Uri,
    IfNoneMatch(if_none_match): IfNoneMatch,
) -> Result<Response, ApiError> {
    let raw = uri.query().unwrap_or_default();
    if let Some(response) = from_cache(&state, raw, if_none_match.as_ref()) {
        return Ok(response);
    }
    let axum::extract::Query(q) = axum::extract::Query::<ThreadQuery>::try_from_uri(&uri)?;
    let site = state.sites.get(&q.site).await?;
    let key = ThreadKey::for_page(&site, &q.url, q.identifier.as_deref())?;
    let sort = q
        .sort
        .as_deref()
        .map(Sort::parse)
        .transpose()?
        .unwrap_or_default();
    let offset = decode_cursor(q.cursor.as_deref())?;
    let thread_ref = ThreadRef {
        site: site.id,
        key: key.key.clone(),
    };
    state.threads.put_alias(
        raw,
        Alias {
            thread: std::sync::Arc::new(thread_ref.clone()),
            sort,
            offset,
        },
    );
    let page = match state.threads.page(&thread_ref, sort, offset) {
        Some(page) => page,
        None => {
            let ticket = state.threads.ticket();
            let loaded = load_thread(&state, &site, key, sort, offset).await?;
            let nudge = state.policy(&site).await?.nudge;
            let view = ThreadView::new(&state, &site, &loaded, sort, now_ms(), nudge);
            let page = Page::new(Bytes::from(serde_json::to_vec(&view).map_err(internal)?));
            state
                .threads
                .put_page(thread_ref, sort, offset, page.clone(), ticket);
            page
        }
    };
    Ok(cached_json(page, if_none_match.as_ref()))
}

/// The hot path: a query string seen before, its page still cached. Also answered before
/// routing (`crate::cached_reads`), so both give the same answer.
pub fn from_cache(
    state: &AppState,
    raw_query: &str,
    if_none_match: Option<&HeaderValue>,
) -> Option<Response> {
    let a = state.threads.alias(raw_query)?;
    let page = state.threads.page(&a.thread, a.sort, a.offset)?;
    Some(cached_json(page, if_none_match))
}

/// Just the `If-None-Match` header (the hot path needs no other, and copies no other).
pub struct IfNoneMatch(Option<HeaderValue>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for IfNoneMatch {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(IfNoneMatch(
            parts.headers.get(header::IF_NONE_MATCH).cloned(),
        ))
    }
}

/// Answers with the page, or 304 when the client already has it.
fn cached_json(page: Page, if_none_match: Option<&HeaderValue>) -> Response {
    let fresh = if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == page.etag)
        });
    // Every header the answer will carry, in one map sized once: the layers outside find
    // theirs already set and add nothing.
    let mut h = HeaderMap::with_capacity(8);
    h.insert(header::ETAG, page.etag_header);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    let mut response = if fresh {
        let mut r = Response::new(axum::body::Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        // Set here, as the router would, so that the answer given before routing is the same.
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(page.body.len()));
        Response::new(axum::body::Body::from(page.body))
    };
    *response.headers_mut() = h;
    response
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Domain(rostra_core::StoreError::Other(e.to_string()).into())
}

#[derive(Deserialize)]
pub struct RepliesQuery {
    pub cursor: Option<String>,
}

pub async fn get_replies(
    State(state): State<Arc<AppState>>,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<RepliesQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let offset = decode_cursor(q.cursor.as_deref())?;
    let parent = state
        .store
        .comment(CommentId(id))
        .await?
        .ok_or(Error::CommentNotFound)?;
    if !parent.is_public() {
        return Err(Error::CommentNotFound.into());
    }
    let page = load_replies(&state, parent.id, offset).await?;
    let comments: Vec<CommentView> = page.nodes.iter().map(CommentView::tree).collect();
    Ok(Json(
        json!({"comments": comments, "next_cursor": page.next_offset.map(encode_cursor)}),
    ))
}

/// Most pages one counts request may ask about.
const MAX_COUNT_URLS: usize = 100;

pub async fn get_counts(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    IfNoneMatch(if_none_match): IfNoneMatch,
) -> Result<Response, ApiError> {
    let raw = raw.unwrap_or_default();
    // The hot path: an article list asking again, none of its threads written to since.
    if let Some(page) = state.count_answers.get(&raw, &state.threads) {
        return Ok(cached_json(page, if_none_match.as_ref()));
    }
    let ticket = state.threads.ticket();
    let (site_key, urls) = counts_query(&raw)?;
    let site = state.sites.get(&site_key).await?;
    let (counts, threads) = count_pages(&state, site.id, urls, ticket).await?;
    let body = serde_json::to_vec(&json!({ "counts": counts })).unwrap_or_default();
    let page = Page::new(Bytes::from(body));
    state.count_answers.put(&raw, page.clone(), threads, ticket);
    Ok(cached_json(page, if_none_match.as_ref()))
}

/// The site key and the pages (`url`, repeated) of a counts query.
fn counts_query(raw: &str) -> Result<(String, Vec<String>), ApiError> {
    let mut site_key = None;
    let mut urls = Vec::new();
    for (k, v) in url::form_urlencoded::parse(raw.as_bytes()) {
        match k.as_ref() {
            "site" => site_key = Some(v.into_owned()),
            "url" => urls.push(v.into_owned()),
            _ => {}
        }
    }
    let site_key = site_key.ok_or_else(|| ApiError::InvalidQuery("site is required".into()))?;
    if urls.len() > MAX_COUNT_URLS {
        return Err(ApiError::InvalidQuery(format!(
            "at most {MAX_COUNT_URLS} urls at once"
        )));
    }
    Ok((site_key, urls))
}

/// Each page's comment count, by the URL as asked (0 for one that is not a page URL), from the
/// cache or else in one store read; with the threads the answer depends on.
async fn count_pages(
    state: &AppState,
    site: SiteId,
    urls: Vec<String>,
    ticket: u64,
) -> Result<(serde_json::Map<String, Value>, Vec<ThreadRef>), ApiError> {
    let mut counts = serde_json::Map::new();
    let mut missing: HashMap<String, Vec<String>> = HashMap::new();
    let mut threads = Vec::with_capacity(urls.len());
    for u in urls {
        let Some(key) = page_url::normalize(&u) else {
            counts.insert(u, 0.into());
            continue;
        };
        let thread = ThreadRef {
            site,
            key: key.clone(),
        };
        match state.threads.count(&thread) {
            Some(n) => {
                counts.insert(u, n.into());
            }
            None => missing.entry(key).or_default().push(u),
        }
        threads.push(thread);
    }
    if missing.is_empty() {
        return Ok((counts, threads));
    }
    let keys: Vec<String> = missing.keys().cloned().collect();
    let found: HashMap<String, i64> = state
        .store
        .comment_counts(site, &keys)
        .await?
        .into_iter()
        .collect();
    for (key, asked) in missing {
        let n = found.get(&key).copied().unwrap_or(0);
        state.threads.put_count(ThreadRef { site, key }, n, ticket);
        for u in asked {
            counts.insert(u, n.into());
        }
    }
    Ok((counts, threads))
}
