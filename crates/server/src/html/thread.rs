//! The thread as plain HTML with a plain form, for readers without JavaScript and for
//! publishers who include it server-side inside the embed container.

use super::own_comments::{own_notes, OwnNote};
use super::rows::{flatten, Links, Row};
use super::{page, HtmlError};
use crate::client::Client;
use crate::error::ApiError;
use crate::reading::{load_replies, load_thread};
use crate::state::{now_ms, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use rostra_core::tree::{decode_cursor, encode_cursor};
use rostra_core::{CommentId, Error, Site, Sort, Thread, ThreadKey};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct ThreadParams {
    pub site: String,
    pub url: String,
    pub identifier: Option<String>,
    pub title: Option<String>,
    pub sort: Option<String>,
    pub cursor: Option<String>,
    /// Show the form as a reply to this comment.
    pub reply: Option<i64>,
    /// Show the report form for this comment.
    pub report: Option<i64>,
    /// Show only the replies under this comment (from "more replies").
    pub under: Option<i64>,
    /// Answer the fragment alone, for server-side inclusion.
    pub fragment: Option<u8>,
}

impl ThreadParams {
    /// The order asked for, or the default.
    fn sort(&self) -> Result<Sort, Error> {
        Ok(self
            .sort
            .as_deref()
            .map(Sort::parse)
            .transpose()?
            .unwrap_or_default())
    }
}

pub struct SortLink {
    label: &'static str,
    href: String,
    current: bool,
}

/// What the author typed, put back in the form when it is answered again.
#[derive(Default)]
pub struct Draft {
    pub body: String,
    pub author_name: String,
    pub author_email: String,
    pub author_url: String,
    pub notify: bool,
}

#[derive(Template)]
#[template(path = "thread_fragment.html")]
pub struct Fragment {
    heading: String,
    error: Option<String>,
    sorts: Vec<SortLink>,
    rows: Vec<Row>,
    next_href: Option<String>,
    closed: bool,
    action: String,
    replying_to: Option<String>,
    prompt: String,
    site: String,
    url: String,
    identifier: Option<String>,
    title: Option<String>,
    parent: Option<i64>,
    return_to: String,
    name_max: usize,
    body_max: usize,
    reporting: Option<(i64, String)>,
    report_action: String,
    report_reasons: Vec<(&'static str, &'static str)>,
    /// The thread's Atom feed.
    feed_url: String,
    /// What the author typed, when the form is answered again.
    pub(super) draft: Draft,
    /// What the checks would hold the draft for (the form then offers "Post anyway").
    pub(super) nudge: Option<String>,
    /// The reader's own comments here that are held, rejected or removed, and why.
    pub(super) own: Vec<OwnNote>,
    pub(super) thread_id: Option<i64>,
}

const REPORT_REASONS: [(&str, &str); 6] = [
    ("spam", "Spam"),
    ("harassment", "Harassment"),
    ("hate", "Hate"),
    ("violence", "Violence or threats"),
    ("off_topic", "Off-topic"),
    ("other", "Something else"),
];

#[derive(Template)]
#[template(path = "thread_page.html")]
struct ThreadPageHtml {
    page_title: String,
    /// The article's title (or "Comments"), the page's one `h1`.
    page_heading: String,
    page_url: String,
    feed_url: String,
    fragment: String,
}

/// Renders the thread fragment. `return_to` is where the form comes back to after posting.
pub async fn fragment(
    state: &AppState,
    site: &Site,
    p: &ThreadParams,
    return_to: String,
    error: Option<String>,
) -> Result<Fragment, ApiError> {
    let key = ThreadKey::for_page(site, &p.url, p.identifier.as_deref())?;
    let sort = p.sort()?;
    let links = base_links(state, site, p, &key, sort);
    let (thread, rows, next) = rows_and_next(state, site, p, &key, sort, &links).await?;
    let (replying_to, reporting) = form_targets(state, p).await?;
    let thread_id = thread.as_ref().map(|t| t.id.0);
    let (count, closed, title) = match &thread {
        Some(t) => (
            t.comment_count,
            t.is_closed(state.close_after_days(), now_ms()),
            t.title.clone(),
        ),
        None => (0, false, None),
    };
    let feed_url = crate::feeds::feed_url(
        &state.public_origin,
        &site.key,
        Some(&key.url),
        p.identifier.as_deref(),
    );
    Ok(Fragment {
        heading: heading(count),
        error,
        sorts: sort_links(&links, sort),
        rows,
        next_href: next,
        closed,
        action: format!("{}/thread/comment", state.public_origin),
        replying_to,
        prompt: site
            .prompt
            .clone()
            .unwrap_or_else(|| state.config.comments.default_prompt.clone()),
        site: site.key.clone(),
        url: key.url,
        identifier: p.identifier.clone(),
        title: title.or_else(|| p.title.clone()),
        parent: p.reply,
        return_to,
        name_max: state.limits.name_max_chars,
        body_max: state.limits.body_max_chars,
        reporting,
        report_action: format!("{}/thread/report", state.public_origin),
        report_reasons: REPORT_REASONS.to_vec(),
        feed_url,
        draft: Default::default(),
        nudge: None,
        own: Vec::new(),
        thread_id,
    })
}

/// The thread (when it exists yet) and the page of rows asked for: the top-level comments, or
/// more replies `under` one; with the link to the next page.
async fn rows_and_next(
    state: &AppState,
    site: &Site,
    p: &ThreadParams,
    key: &ThreadKey,
    sort: Sort,
    links: &Links,
) -> Result<(Option<Thread>, Vec<Row>, Option<String>), ApiError> {
    let offset = decode_cursor(p.cursor.as_deref())?;
    let top_offset = if p.under.is_some() { 0 } else { offset };
    let loaded = load_thread(state, site, key.clone(), sort, top_offset).await?;
    let (nodes, next) = match p.under {
        Some(id) => {
            let r = load_replies(state, CommentId(id), offset).await?;
            (
                r.nodes,
                r.next_offset.map(|o| {
                    links.with(&[("under", id.to_string()), ("cursor", encode_cursor(o))])
                }),
            )
        }
        None => (
            loaded.nodes,
            loaded
                .next_offset
                .map(|o| links.with(&[("cursor", encode_cursor(o))])),
        ),
    };
    let mut rows = flatten(&nodes, links);
    let pinned = loaded.pinned.map(|c| c.id.0);
    for r in rows.iter_mut() {
        r.pinned = Some(r.id) == pinned;
    }
    Ok((loaded.thread, rows, next))
}

/// The comment a reply form answers and the one a report form is about, as their forms name
/// them.
async fn form_targets(
    state: &AppState,
    p: &ThreadParams,
) -> Result<(Option<String>, Option<(i64, String)>), ApiError> {
    let replying_to = match p.reply {
        Some(id) => Some(reply_target(state, id).await?),
        None => None,
    };
    let reporting = match p.report {
        Some(id) => Some((id, reply_target(state, id).await?)),
        None => None,
    };
    Ok((replying_to, reporting))
}

fn heading(count: i64) -> String {
    match count {
        0 => "Comments".to_string(),
        1 => "1 comment".to_string(),
        n => format!("{n} comments"),
    }
}

fn sort_links(links: &Links, current: Sort) -> Vec<SortLink> {
    [Sort::Oldest, Sort::Newest, Sort::Best]
        .into_iter()
        .map(|s| SortLink {
            label: s.as_str(),
            href: links.with(&[("sort", s.as_str().into())]),
            current: s == current,
        })
        .collect()
}

async fn reply_target(state: &AppState, id: i64) -> Result<String, ApiError> {
    let c = state
        .store
        .comment(CommentId(id))
        .await?
        .filter(|c| c.is_public())
        .ok_or(Error::ParentNotFound)?;
    Ok(c.author_name
        .unwrap_or_else(|| crate::api::views::ANONYMOUS.into()))
}

/// Links on the page keep the thread and sort, and point at Rostra's own `/thread`.
fn base_links(
    state: &AppState,
    site: &Site,
    p: &ThreadParams,
    key: &ThreadKey,
    sort: Sort,
) -> Links {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    s.append_pair("site", &site.key)
        .append_pair("url", &key.url);
    if let Some(i) = &p.identifier {
        s.append_pair("identifier", i);
    }
    if sort != Sort::Oldest {
        s.append_pair("sort", sort.as_str());
    }
    Links {
        base: format!("{}/thread?{}", state.public_origin, s.finish()),
    }
}

pub async fn get_thread(
    State(state): State<Arc<AppState>>,
    headers: axum::http::HeaderMap,
    Query(p): Query<ThreadParams>,
) -> Result<Response, HtmlError> {
    let site = state.sites.get(&p.site).await?;
    let key = ThreadKey::for_page(&site, &p.url, p.identifier.as_deref())?;
    let back = base_links(&state, &site, &p, &key, Sort::Oldest).base;
    let mut f = fragment(&state, &site, &p, back, None).await?;
    f.own = own_notes(&state, &headers, f.thread_id).await?;
    Ok(with_csp(
        render(f, &key.url, p.fragment == Some(1), StatusCode::OK),
        &site,
    ))
}

pub(super) fn render(
    f: Fragment,
    page_url: &str,
    fragment_only: bool,
    status: StatusCode,
) -> Response {
    if fragment_only {
        return page(status, f);
    }
    match f.render() {
        Ok(fragment) => page(
            status,
            ThreadPageHtml {
                // "12 comments · A headline": which article, in the tab and in the history.
                page_title: match &f.title {
                    Some(t) => format!("{} · {t}", f.heading),
                    None => f.heading.clone(),
                },
                page_heading: f.title.clone().unwrap_or_else(|| "Comments".into()),
                page_url: page_url.into(),
                feed_url: f.feed_url,
                fragment,
            },
        ),
        Err(e) => HtmlError(ApiError::Domain(
            rostra_core::StoreError::Other(e.to_string()).into(),
        ))
        .into_response(),
    }
}

/// Rostra's own thread page runs no script at all, and its form may only post to Rostra and
/// come back to the site's pages.
pub(super) fn with_csp(mut response: Response, site: &Site) -> Response {
    let policy = format!(
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' {}; base-uri 'none'",
        site.origins.join(" ")
    );
    if let Ok(v) = header::HeaderValue::from_str(&policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    response
}

/// Only back to Rostra's own thread page or a page on the site's origins; never elsewhere.
pub(super) fn safe_return(state: &AppState, site: &Site, raw: Option<&str>) -> String {
    let fallback = format!("{}/", state.public_origin);
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return fallback;
    };
    let ours = raw.starts_with(&format!("{}/", state.public_origin));
    let on_site = rostra_core::page_url::origin_of(raw).is_some_and(|o| site.allows_origin(&o));
    if (ours || on_site) && !raw.contains(['\r', '\n']) {
        raw.split('#').next().unwrap_or(raw).to_string()
    } else {
        fallback
    }
}

#[derive(Deserialize)]
pub struct ReportForm {
    site: String,
    comment: i64,
    reason: String,
    note: Option<String>,
    return_to: Option<String>,
}

/// The plain report form's post: back to the comment (303), or the reason it failed.
pub async fn post_report(
    State(state): State<Arc<AppState>>,
    client: Client,
    Form(f): Form<ReportForm>,
) -> Result<Response, HtmlError> {
    let site = state.sites.get(&f.site).await?;
    let back = safe_return(&state, &site, f.return_to.as_deref());
    match crate::comments::report::report(
        &state,
        CommentId(f.comment),
        &f.reason,
        f.note.as_deref(),
        &client,
    )
    .await
    {
        Ok(()) | Err(ApiError::Domain(Error::AlreadyReported)) => Ok((
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("{back}#comment-{}", f.comment))],
        )
            .into_response()),
        Err(e) => Err(HtmlError(e)),
    }
}
