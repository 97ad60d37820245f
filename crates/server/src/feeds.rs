//! Atom feeds (RFC 4287) of the latest published comments of a thread or of a whole site,
//! written with an XML writer so that every name, title and comment is escaped.

use crate::api::ApiQuery;
use crate::cache::Page;
use crate::error::ApiError;
use crate::page_lists::{author_name, comment_link, thread_title};
use crate::state::AppState;
use crate::text::utc;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use rostra_core::lists::ListedComment;
use rostra_core::{Site, Thread, ThreadKey};
use serde::Deserialize;
use std::sync::Arc;

/// Most entries in one feed.
pub const FEED_ENTRIES: u32 = 50;
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
pub const ATOM_TYPE: &str = "application/atom+xml; charset=utf-8";

/// `site` alone is the site's feed; with `url` (and optionally `identifier`), one thread's.
#[derive(Deserialize)]
pub struct FeedQuery {
    pub site: String,
    pub url: Option<String>,
    pub identifier: Option<String>,
}

/// The address of a thread's feed (or the site's, without a page URL).
pub fn feed_url(
    public_origin: &str,
    site: &str,
    page_url: Option<&str>,
    identifier: Option<&str>,
) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("site", site);
    if let Some(u) = page_url {
        q.append_pair("url", u);
    }
    if let Some(i) = identifier {
        q.append_pair("identifier", i);
    }
    format!("{public_origin}/feed.atom?{}", q.finish())
}

pub async fn get_feed(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> Result<Response, ApiError> {
    let site = state.sites.get(&q.site).await?;
    let feed = match &q.url {
        Some(page_url) => {
            let key = ThreadKey::for_page(&site, page_url, q.identifier.as_deref())?;
            let thread = state.store.thread_by_key(site.id, &key.key).await?;
            let comments = match &thread {
                Some(t) => {
                    state
                        .store
                        .latest_comments(site.id, Some(t.id), FEED_ENTRIES)
                        .await?
                }
                None => Vec::new(),
            };
            let self_url = feed_url(
                &state.public_origin,
                &site.key,
                Some(&key.url),
                q.identifier.as_deref(),
            );
            thread_feed(&state, &key, thread.as_ref(), &comments, &self_url)
        }
        None => {
            let comments = state
                .store
                .latest_comments(site.id, None, FEED_ENTRIES)
                .await?;
            let self_url = feed_url(&state.public_origin, &site.key, None, None);
            site_feed(&state, &site, &comments, &self_url)
        }
    }
    .map_err(|e| ApiError::Domain(rostra_core::StoreError::Other(e.to_string()).into()))?;
    Ok(answer(Page::new(Bytes::from(feed)), &headers))
}

/// The feed with its ETag, or 304 when the reader already has it.
fn answer(page: Page, headers: &HeaderMap) -> Response {
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == page.etag)
        });
    let caching = [
        (header::ETAG, page.etag_header.clone()),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=60"),
        ),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, caching).into_response();
    }
    (
        caching,
        [(header::CONTENT_TYPE, HeaderValue::from_static(ATOM_TYPE))],
        page.body,
    )
        .into_response()
}

/// What a feed says about itself, besides its entries.
struct FeedHead<'a> {
    id: &'a str,
    title: String,
    self_url: &'a str,
    page_url: Option<&'a str>,
    /// Used when there are no entries.
    updated: i64,
}

fn thread_feed(
    state: &AppState,
    key: &ThreadKey,
    thread: Option<&Thread>,
    comments: &[ListedComment],
    self_url: &str,
) -> std::io::Result<Vec<u8>> {
    let title = thread.map_or_else(|| key.url.clone(), thread_title);
    let head = FeedHead {
        id: self_url,
        title: format!("Comments on “{title}”"),
        self_url,
        page_url: Some(&key.url),
        updated: thread.map_or(0, |t| t.created_at),
    };
    write_feed(state, &head, comments)
}

fn site_feed(
    state: &AppState,
    site: &Site,
    comments: &[ListedComment],
    self_url: &str,
) -> std::io::Result<Vec<u8>> {
    let head = FeedHead {
        id: self_url,
        title: format!("Latest comments on {}", site.name),
        self_url,
        page_url: site.origins.first().map(String::as_str),
        updated: site.created_at,
    };
    write_feed(state, &head, comments)
}

fn write_feed(
    state: &AppState,
    head: &FeedHead<'_>,
    comments: &[ListedComment],
) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    w.write_event(Event::Start(
        BytesStart::new("feed").with_attributes([("xmlns", ATOM_NS)]),
    ))?;
    text(&mut w, "id", head.id)?;
    text(&mut w, "title", &head.title)?;
    let updated = comments
        .iter()
        .map(|l| l.comment.edited_at.unwrap_or(l.comment.created_at))
        .max()
        .unwrap_or(head.updated);
    text(&mut w, "updated", &utc(updated).1)?;
    link(&mut w, "self", ATOM_TYPE, head.self_url)?;
    if let Some(page) = head.page_url {
        link(&mut w, "alternate", "text/html", page)?;
    }
    text(&mut w, "generator", "Rostra")?;
    for l in comments {
        entry(&mut w, state, l)?;
    }
    w.write_event(Event::End(BytesEnd::new("feed")))?;
    Ok(w.into_inner())
}

fn entry(w: &mut Writer<Vec<u8>>, state: &AppState, l: &ListedComment) -> std::io::Result<()> {
    let c = &l.comment;
    let author = author_name(c);
    w.write_event(Event::Start(BytesStart::new("entry")))?;
    text(
        w,
        "id",
        &entry_id(&state.public_origin, c.id.0, c.created_at),
    )?;
    text(
        w,
        "title",
        &format!("{author} on “{}”", thread_title(&l.thread)),
    )?;
    w.write_event(Event::Start(BytesStart::new("author")))?;
    text(w, "name", &author)?;
    w.write_event(Event::End(BytesEnd::new("author")))?;
    text(w, "published", &utc(c.created_at).1)?;
    text(w, "updated", &utc(c.edited_at.unwrap_or(c.created_at)).1)?;
    link(
        w,
        "alternate",
        "text/html",
        &comment_link(&l.thread.url, c.id.0),
    )?;
    w.write_event(Event::Start(
        BytesStart::new("content").with_attributes([("type", "html")]),
    ))?;
    w.write_event(Event::Text(BytesText::new(&xml_chars(&c.body_html))))?;
    w.write_event(Event::End(BytesEnd::new("content")))?;
    w.write_event(Event::End(BytesEnd::new("entry")))
}

/// A `tag:` URI (RFC 4151) that stays the same while the comment exists, whatever its page's
/// address becomes: this server's host, the day the comment was written, its id.
pub fn entry_id(public_origin: &str, id: i64, created_at: i64) -> String {
    let host = url::Url::parse(public_origin)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "localhost".into());
    let day = &utc(created_at).1[..10];
    format!("tag:{host},{day}:rostra/comment/{id}")
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(name)))?;
    w.write_event(Event::Text(BytesText::new(&xml_chars(value))))?;
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn link(w: &mut Writer<Vec<u8>>, rel: &str, kind: &str, href: &str) -> std::io::Result<()> {
    let href = xml_chars(href);
    w.write_event(Event::Empty(BytesStart::new("link").with_attributes([
        ("rel", rel),
        ("type", kind),
        ("href", href.as_str()),
    ])))
}

/// Drops the characters XML 1.0 cannot carry at all (most control characters), which escaping
/// cannot help with.
fn xml_chars(s: &str) -> String {
    s.chars()
        .filter(|c| {
            matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && *c != '\u{fffe}' && *c != '\u{ffff}')
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn entry_ids_are_tag_uris() {
        assert_eq!(
            super::entry_id("https://comments.example:8443", 42, 0),
            "tag:comments.example,1970-01-01:rostra/comment/42"
        );
        assert_eq!(super::xml_chars("a\u{1}b\tc"), "ab\tc");
    }
}
