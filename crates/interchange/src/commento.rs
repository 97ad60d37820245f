//! Commento (and Comentario's v1) JSON exports: `{"version":1, "comments":[…], "commenters":[…]}`.
//! Comments name their page by `host` + `path`, their parent by `parentHex` ("root" for none)
//! and their author by `commenterHex` ("anonymous" for none).

use crate::json_arrays::stream_array;
use crate::ThreadRecord;
use crate::{dates, non_blank, Body, CommentRecord, Emit, Input, ReadError, Record, Skipped};
use rostra_core::Status;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::io::SeekFrom;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Commenter {
    commenter_hex: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    link: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Comment {
    comment_hex: String,
    #[serde(default)]
    commenter_hex: String,
    creation_date: String,
    #[serde(default)]
    deleted: bool,
    #[serde(default, alias = "domain")]
    host: String,
    #[serde(default)]
    markdown: String,
    #[serde(default)]
    parent_hex: String,
    #[serde(default, alias = "url")]
    path: String,
    #[serde(default)]
    score: i64,
    #[serde(default)]
    state: String,
}

/// Who wrote comments: name, e-mail and website by id.
pub(crate) type Authors = HashMap<String, (Option<String>, Option<String>, Option<String>)>;

/// Reads a Commento v1 export in two passes: the commenters first (few), then the comments
/// (many), one at a time. `state` maps approved → published, unapproved → pending,
/// flagged → pending; `deleted` → deleted.
pub fn read(input: &mut dyn Input, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    let mut authors: Authors = HashMap::new();
    let version = stream_array(&mut *input, "commenters", &mut |c: Commenter| {
        authors.insert(c.commenter_hex, (c.name, c.email, c.link));
        Ok(())
    })?;
    if version != Some(1) {
        return Err(ReadError::Unrecognized(format!(
            "not a Commento v1 export (version {version:?}); Comentario v3 exports are read with \
             --format comentario"
        )));
    }
    input.seek(SeekFrom::Start(0))?;
    let mut threads: HashSet<String> = HashSet::new();
    stream_array(&mut *input, "comments", &mut |c: Comment| {
        comment(c, &authors, &mut threads, emit)
    })?;
    Ok(())
}

fn comment(
    c: Comment,
    authors: &Authors,
    threads: &mut HashSet<String>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let Some(created_at) = dates::parse(&c.creation_date) else {
        return emit(Record::Skipped(Skipped {
            item: format!("comment {}", c.comment_hex),
            reason: format!("its creationDate {:?} is not a date", c.creation_date),
        }));
    };
    let page = page_url(&c.host, &c.path);
    if threads.insert(page.clone()) {
        emit(Record::Thread(ThreadRecord {
            source_id: page.clone(),
            url: page.clone(),
            identifier: None,
            title: None,
            created_at: Some(created_at),
            closed: false,
        }))?;
    }
    let (name, email, link) = authors.get(&c.commenter_hex).cloned().unwrap_or_default();
    let status = match (c.deleted, c.state.as_str()) {
        (true, _) => Status::Deleted,
        (false, "approved") => Status::Published,
        _ => Status::Pending,
    };
    emit(Record::Comment(Box::new(CommentRecord {
        source_id: c.comment_hex,
        thread_source_id: page,
        parent_source_id: non_blank(Some(&c.parent_hex)).filter(|p| p != "root"),
        author_name: non_blank(name.as_deref()),
        author_email: non_blank(email.as_deref()).filter(|e| e != "undefined"),
        author_url: non_blank(link.as_deref()).filter(|l| l != "undefined"),
        body: Body::Markdown(c.markdown),
        created_at,
        edited_at: None,
        status,
        upvotes: c.score.max(0),
        downvotes: (-c.score).max(0),
        revisions: Vec::new(),
        votes: Vec::new(),
    })))
}

/// The page a comment is on: `https://host/path`, or the path alone when there is no host.
pub(crate) fn page_url(host: &str, path: &str) -> String {
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    match host.trim() {
        "" => path,
        h if h.starts_with("http://") || h.starts_with("https://") => {
            format!("{}{path}", h.trim_end_matches('/'))
        }
        h => format!("https://{h}{path}"),
    }
}
