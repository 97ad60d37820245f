//! Our own format, JSON lines: a header line, then each thread followed by its comments (with
//! revisions and votes). Written by `rostra export --format rostra`, read back by `rostra import`.
//! The specification is in docs/import.md.

use crate::VoteRecord;
use crate::{Body, CommentRecord, Emit, Input, ReadError, Record, RevisionRecord, ThreadRecord};
use rostra_core::Status;
use serde::{Deserialize, Serialize};
use std::io::Write;

/// The version this build writes and reads.
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum Line {
    Rostra {
        version: u32,
    },
    Thread {
        id: String,
        url: String,
        identifier: Option<String>,
        title: Option<String>,
        created_at: Option<i64>,
        closed: bool,
    },
    Comment {
        id: String,
        thread: String,
        parent: Option<String>,
        status: Status,
        author_name: Option<String>,
        author_email: Option<String>,
        author_url: Option<String>,
        body: String,
        body_html: String,
        created_at: i64,
        edited_at: Option<i64>,
        upvotes: i64,
        downvotes: i64,
        revisions: Vec<Revision>,
        votes: Vec<Vote>,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Revision {
    body: String,
    replaced_at: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vote {
    voter_hash: Option<String>,
    ip_hash: String,
    value: i8,
    voted_at: i64,
}

/// Reads a Rostra export.
pub fn read(input: &mut dyn Input, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    let mut text = String::new();
    let mut number = 0u64;
    loop {
        text.clear();
        if input.read_line(&mut text)? == 0 {
            break;
        }
        number += 1;
        if text.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(&text)
            .map_err(|e| ReadError::malformed(format!("line {number}"), e))?;
        match (number, line) {
            (1, Line::Rostra { version }) if version == VERSION => {}
            (1, Line::Rostra { version }) => {
                return Err(ReadError::malformed(
                    "line 1",
                    format!("version {version} is not supported (this build reads {VERSION})"),
                ))
            }
            (1, _) | (_, Line::Rostra { .. }) => {
                return Err(ReadError::malformed(
                    format!("line {number}"),
                    "the header {\"type\":\"rostra\",…} must be the first line, and only it",
                ))
            }
            (_, line) => emit(record_of(line))?,
        }
    }
    if number == 0 {
        return Err(ReadError::malformed("line 1", "the file is empty"));
    }
    Ok(())
}

fn record_of(line: Line) -> Record {
    match line {
        Line::Rostra { .. } => unreachable_header(),
        Line::Thread {
            id,
            url,
            identifier,
            title,
            created_at,
            closed,
        } => Record::Thread(ThreadRecord {
            source_id: id,
            url,
            identifier,
            title,
            created_at,
            closed,
        }),
        Line::Comment {
            id,
            thread,
            parent,
            status,
            author_name,
            author_email,
            author_url,
            body,
            body_html,
            created_at,
            edited_at,
            upvotes,
            downvotes,
            revisions,
            votes,
        } => Record::Comment(Box::new(CommentRecord {
            source_id: id,
            thread_source_id: thread,
            parent_source_id: parent,
            author_name,
            author_email,
            author_url,
            body: Body::Both {
                markdown: body,
                html: body_html,
            },
            created_at,
            edited_at,
            status,
            upvotes,
            downvotes,
            revisions: revisions
                .into_iter()
                .map(|r| RevisionRecord {
                    body: r.body,
                    replaced_at: r.replaced_at,
                })
                .collect(),
            votes: votes
                .into_iter()
                .map(|v| VoteRecord {
                    voter_hash: v.voter_hash,
                    ip_hash: v.ip_hash,
                    value: v.value,
                    voted_at: v.voted_at,
                })
                .collect(),
        })),
    }
}

/// The header is matched before `record_of` is called; an empty skip keeps this total.
fn unreachable_header() -> Record {
    Record::Skipped(crate::Skipped {
        item: "header".into(),
        reason: "a second header line".into(),
    })
}

/// Writes our format: the header first, then records as they come.
pub struct Writer<W: Write> {
    out: W,
}

impl<W: Write> Writer<W> {
    pub fn new(mut out: W) -> std::io::Result<Writer<W>> {
        line(&mut out, &Line::Rostra { version: VERSION })?;
        Ok(Writer { out })
    }

    /// Writes a thread or a comment (skips are not part of an export).
    pub fn write(&mut self, record: &Record) -> std::io::Result<()> {
        match record {
            Record::Thread(t) => line(
                &mut self.out,
                &Line::Thread {
                    id: t.source_id.clone(),
                    url: t.url.clone(),
                    identifier: t.identifier.clone(),
                    title: t.title.clone(),
                    created_at: t.created_at,
                    closed: t.closed,
                },
            ),
            Record::Comment(c) => line(&mut self.out, &comment_line(c)),
            Record::Skipped(_) => Ok(()),
        }
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

fn comment_line(c: &CommentRecord) -> Line {
    let (body, body_html) = match &c.body {
        Body::Both { markdown, html }
        | Body::Prepared {
            source: markdown,
            html,
        } => (markdown.clone(), html.clone()),
        Body::Markdown(m) => (m.clone(), rostra_core::markdown::render(m)),
        Body::Html(h) => (
            rostra_core::markdown::html_to_text(h),
            rostra_core::markdown::sanitize_html(h),
        ),
    };
    Line::Comment {
        id: c.source_id.clone(),
        thread: c.thread_source_id.clone(),
        parent: c.parent_source_id.clone(),
        status: c.status,
        author_name: c.author_name.clone(),
        author_email: c.author_email.clone(),
        author_url: c.author_url.clone(),
        body,
        body_html,
        created_at: c.created_at,
        edited_at: c.edited_at,
        upvotes: c.upvotes,
        downvotes: c.downvotes,
        revisions: c
            .revisions
            .iter()
            .map(|r| Revision {
                body: r.body.clone(),
                replaced_at: r.replaced_at,
            })
            .collect(),
        votes: c
            .votes
            .iter()
            .map(|v| Vote {
                voter_hash: v.voter_hash.clone(),
                ip_hash: v.ip_hash.clone(),
                value: v.value,
                voted_at: v.voted_at,
            })
            .collect(),
    }
}

fn line<W: Write>(out: &mut W, value: &Line) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}
