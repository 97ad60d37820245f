//! Comentario v3 JSON exports: `{"version":3, "pages":[…], "comments":[…], "commenters":[…]}`,
//! with UUID ids, pages named by path, and comments holding both Markdown and HTML.

use crate::commento::Authors;
use crate::json_arrays::stream_array;
use crate::ThreadRecord;
use crate::{dates, non_blank, Body, CommentRecord, Emit, Input, ReadError, Record, Skipped};
use rostra_core::Status;
use serde::Deserialize;
use std::collections::HashMap;
use std::io::SeekFrom;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    id: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    created_time: Option<String>,
    #[serde(default)]
    is_readonly: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Commenter {
    id: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    website_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Comment {
    id: String,
    page_id: String,
    #[serde(default)]
    parent_id: Option<String>,
    #[serde(default)]
    markdown: String,
    #[serde(default)]
    html: String,
    created_time: String,
    #[serde(default)]
    edited_time: Option<String>,
    #[serde(default)]
    is_approved: bool,
    #[serde(default)]
    is_pending: bool,
    #[serde(default)]
    is_deleted: bool,
    #[serde(default)]
    score: i64,
    #[serde(default)]
    user_created: Option<String>,
    #[serde(default)]
    author_name: Option<String>,
}

/// Reads a Comentario v3 export in passes: pages and commenters (few) first, then the comments
/// one at a time. Pages are threads keyed by their path on the site. Deleted → deleted;
/// approved → published; pending or not approved → pending (a rejected comment in Comentario is
/// "not approved and not pending": rejected).
pub fn read(input: &mut dyn Input, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    let mut authors: Authors = HashMap::new();
    let version = stream_array(&mut *input, "commenters", &mut |c: Commenter| {
        authors.insert(c.id, (c.name, c.email, c.website_url));
        Ok(())
    })?;
    if version != Some(3) {
        return Err(ReadError::Unrecognized(format!(
            "not a Comentario v3 export (version {version:?}); v1 exports are read with \
             --format commento"
        )));
    }
    input.seek(SeekFrom::Start(0))?;
    let mut pages = std::collections::HashSet::new();
    stream_array(&mut *input, "pages", &mut |p: Page| {
        pages.insert(p.id.clone());
        emit(Record::Thread(ThreadRecord {
            source_id: p.id,
            url: crate::commento::page_url("", &p.path),
            identifier: None,
            title: non_blank(p.title.as_deref()),
            created_at: p.created_time.as_deref().and_then(dates::parse),
            closed: p.is_readonly,
        }))
    })?;
    input.seek(SeekFrom::Start(0))?;
    stream_array(&mut *input, "comments", &mut |c: Comment| {
        comment(c, &authors, emit)
    })?;
    Ok(())
}

fn comment(c: Comment, authors: &Authors, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    let Some(created_at) = dates::parse(&c.created_time) else {
        return emit(Record::Skipped(Skipped {
            item: format!("comment {}", c.id),
            reason: format!("its createdTime {:?} is not a date", c.created_time),
        }));
    };
    let (name, email, url) = c
        .user_created
        .as_ref()
        .and_then(|u| authors.get(u).cloned())
        .unwrap_or_default();
    let status = if c.is_deleted {
        Status::Deleted
    } else if c.is_approved {
        Status::Published
    } else if c.is_pending {
        Status::Pending
    } else {
        Status::Rejected
    };
    let body = if c.markdown.trim().is_empty() {
        Body::Html(c.html)
    } else {
        Body::Markdown(c.markdown)
    };
    emit(Record::Comment(Box::new(CommentRecord {
        source_id: c.id,
        thread_source_id: c.page_id,
        parent_source_id: non_blank(c.parent_id.as_deref()),
        author_name: non_blank(name.as_deref()).or_else(|| non_blank(c.author_name.as_deref())),
        author_email: non_blank(email.as_deref()),
        author_url: non_blank(url.as_deref()),
        body,
        created_at,
        edited_at: c
            .edited_time
            .as_deref()
            .and_then(dates::parse)
            .filter(|t| *t > 0),
        status,
        upvotes: c.score.max(0),
        downvotes: (-c.score).max(0),
        revisions: Vec::new(),
        votes: Vec::new(),
    })))
}
