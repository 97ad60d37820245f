//! Disqus XML exports: `<thread>` elements (page, identifier, title), then `<post>` elements
//! (the comments), each naming its thread and parent by `dsq:id`.

use crate::xml::{Item, Node, Walker};
use crate::ThreadRecord;
use crate::{dates, non_blank, Body, CommentRecord, Emit, Input, ReadError, Record, Skipped};
use rostra_core::Status;
use std::collections::HashMap;

/// Reads a Disqus export. Threads without a link and deleted threads are skipped, and so are
/// the posts in them; a post's status follows `isSpam` (rejected) and `isDeleted` (deleted).
pub fn read(input: &mut dyn Input, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    let mut walker = Walker::new(input);
    // Threads skipped, with why: their posts are skipped for the same reason.
    let mut skipped_threads: HashMap<String, String> = HashMap::new();
    let capture = |path: &[String], name: &str| {
        path.len() == 1 && matches!(name, "thread" | "post" | "category")
    };
    loop {
        match walker.next(&capture)? {
            Item::Open { name, depth: 1 } if name != "disqus" => {
                return Err(ReadError::malformed(
                    format!("line {}", walker.line()),
                    format!("the root element is <{name}>, not <disqus>"),
                ))
            }
            Item::Element(node) if node.name == "thread" => {
                if let Some((id, reason)) = thread(&node, emit)? {
                    skipped_threads.insert(id, reason);
                }
            }
            Item::Element(node) if node.name == "post" => post(&node, &skipped_threads, emit)?,
            Item::End => return Ok(()),
            _ => {}
        }
    }
}

/// Emits a thread, or a skip; answers the id and reason of a skipped thread.
fn thread(node: &Node, emit: &mut Emit<'_>) -> Result<Option<(String, String)>, ReadError> {
    let Some(id) = node.attr("id") else {
        return Err(ReadError::malformed(
            format!("line {}", node.line),
            "<thread> without dsq:id",
        ));
    };
    let item = format!("thread dsq:id={id} (line {})", node.line);
    let reason = if node.flag("isDeleted") {
        Some("deleted in Disqus")
    } else if node.text_of("link").is_none() {
        Some("it has no <link>")
    } else {
        None
    };
    if let Some(reason) = reason {
        emit(Record::Skipped(Skipped {
            item,
            reason: reason.into(),
        }))?;
        return Ok(Some((id, reason.into())));
    }
    emit(Record::Thread(ThreadRecord {
        source_id: id,
        url: node.text_of("link").unwrap_or_default(),
        identifier: node.text_of("id"),
        title: node.text_of("title"),
        created_at: node.text_of("createdAt").and_then(|d| dates::parse(&d)),
        closed: node.flag("isClosed"),
    }))?;
    Ok(None)
}

fn post(
    node: &Node,
    skipped_threads: &HashMap<String, String>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let at = format!("line {}", node.line);
    let Some(id) = node.attr("id") else {
        return skip(emit, format!("post ({at})"), "it has no dsq:id");
    };
    let item = format!("post dsq:id={id} ({at})");
    let Some(thread) = node.child("thread").and_then(|t| t.attr("id")) else {
        return skip(emit, item, "it names no thread");
    };
    if let Some(why) = skipped_threads.get(&thread) {
        return skip(
            emit,
            item,
            &format!("its thread dsq:id={thread} was skipped: {why}"),
        );
    }
    let Some(created_at) = node.text_of("createdAt").and_then(|d| dates::parse(&d)) else {
        return skip(emit, item, "it has no valid <createdAt>");
    };
    let author = node.child("author");
    let status = if node.flag("isSpam") {
        Status::Rejected
    } else if node.flag("isDeleted") {
        Status::Deleted
    } else {
        Status::Published
    };
    emit(Record::Comment(Box::new(CommentRecord {
        source_id: id,
        thread_source_id: thread,
        parent_source_id: node.child("parent").and_then(|p| p.attr("id")),
        author_name: author.and_then(|a| a.text_of("name")),
        author_email: author.and_then(|a| a.text_of("email")),
        author_url: author.and_then(|a| non_blank(a.raw_text_of("link"))),
        body: Body::Html(node.raw_text_of("message").unwrap_or_default().to_string()),
        created_at,
        edited_at: None,
        status,
        upvotes: 0,
        downvotes: 0,
        revisions: Vec::new(),
        votes: Vec::new(),
    })))
}

fn skip(emit: &mut Emit<'_>, item: String, reason: &str) -> Result<(), ReadError> {
    emit(Record::Skipped(Skipped {
        item,
        reason: reason.into(),
    }))
}
