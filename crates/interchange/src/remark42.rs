//! Remark42 backups (JSON lines): a first line of metadata (`version`, `users`, `posts`), then
//! one comment per line, each naming its page in `locator.url` and its parent in `pid`.

use crate::ThreadRecord;
use crate::{dates, non_blank, Body, CommentRecord, Emit, Input, ReadError, Record, Skipped};
use rostra_core::Status;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

#[derive(Deserialize)]
struct Meta {
    version: i64,
}

#[derive(Deserialize)]
struct Comment {
    id: String,
    #[serde(default)]
    pid: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    user: User,
    locator: Locator,
    #[serde(default)]
    score: i64,
    #[serde(default)]
    votes: HashMap<String, bool>,
    time: String,
    #[serde(default)]
    edit: Option<Edit>,
    #[serde(default)]
    delete: bool,
    #[serde(default)]
    title: Option<String>,
}

#[derive(Deserialize, Default)]
struct User {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct Locator {
    url: String,
}

#[derive(Deserialize)]
struct Edit {
    time: String,
}

/// Reads a (decompressed) Remark42 backup. Threads are the distinct `locator.url`s; votes are
/// counted from `votes` (or taken from `score` when the votes are not listed).
pub fn read(input: &mut dyn Input, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    let mut seen_threads: HashSet<String> = HashSet::new();
    let mut line = String::new();
    let mut number = 0u64;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            break;
        }
        number += 1;
        if line.trim().is_empty() {
            continue;
        }
        let at = |e: serde_json::Error| ReadError::malformed(format!("line {number}"), e);
        if number == 1 {
            let meta: Meta = serde_json::from_str(&line).map_err(at)?;
            if meta.version != 1 {
                return Err(ReadError::malformed(
                    "line 1",
                    format!("backup version {} is not supported (only 1)", meta.version),
                ));
            }
            continue;
        }
        let c: Comment = serde_json::from_str(&line).map_err(at)?;
        comment(c, number, &mut seen_threads, emit)?;
    }
    if number == 0 {
        return Err(ReadError::malformed("line 1", "the file is empty"));
    }
    Ok(())
}

fn comment(
    c: Comment,
    line: u64,
    seen_threads: &mut HashSet<String>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let Some(created_at) = dates::parse(&c.time) else {
        return emit(Record::Skipped(Skipped {
            item: format!("comment {} (line {line})", c.id),
            reason: format!("its time {:?} is not a date", c.time),
        }));
    };
    if seen_threads.insert(c.locator.url.clone()) {
        emit(Record::Thread(ThreadRecord {
            source_id: c.locator.url.clone(),
            url: c.locator.url.clone(),
            identifier: None,
            title: non_blank(c.title.as_deref()),
            created_at: Some(created_at),
            closed: false,
        }))?;
    }
    let (mut upvotes, mut downvotes) = (0, 0);
    for up in c.votes.values() {
        if *up {
            upvotes += 1;
        } else {
            downvotes += 1;
        }
    }
    if c.votes.is_empty() {
        upvotes = c.score.max(0);
        downvotes = (-c.score).max(0);
    }
    emit(Record::Comment(Box::new(CommentRecord {
        source_id: c.id,
        thread_source_id: c.locator.url,
        parent_source_id: non_blank(Some(&c.pid)),
        author_name: non_blank(Some(&c.user.name)),
        author_email: None,
        author_url: None,
        body: Body::Html(c.text),
        created_at,
        edited_at: c.edit.and_then(|e| dates::parse(&e.time)),
        status: if c.delete {
            Status::Deleted
        } else {
            Status::Published
        },
        upvotes,
        downvotes,
        revisions: Vec::new(),
        votes: Vec::new(),
    })))
}
