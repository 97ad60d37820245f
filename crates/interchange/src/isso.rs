//! Isso: its SQLite database file (`threads` by page path, `comments` in Markdown with `mode`
//! 1 accepted, 2 pending, 4 deleted), and its "generic" JSON import format.

use crate::ThreadRecord;
use crate::{non_blank, Body, CommentRecord, Emit, Input, ReadError, Record, Skipped};
use futures::TryStreamExt;
use rostra_core::Status;
use serde::de::{self, SeqAccess, Visitor};
use serde::Deserialize;
use sqlx::sqlite::{SqliteConnectOptions, SqliteRow};
use sqlx::{Connection, Row, SqliteConnection};
use std::fmt;
use std::path::Path;

/// Whether a file starts like a SQLite database.
pub fn is_sqlite(head: &[u8]) -> bool {
    head.starts_with(b"SQLite format 3\0")
}

/// Reads an Isso database (opened read-only; Isso may keep running).
pub async fn read_database(path: &Path, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false);
    let bad = |e: sqlx::Error| ReadError::malformed(path.display().to_string(), e);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(bad)?;
    {
        let mut threads =
            sqlx::query("SELECT id, uri, title FROM threads ORDER BY id").fetch(&mut conn);
        while let Some(row) = threads.try_next().await.map_err(bad)? {
            let id: i64 = row.try_get(0).map_err(bad)?;
            let uri: String = row.try_get(1).map_err(bad)?;
            emit(Record::Thread(ThreadRecord {
                source_id: id.to_string(),
                url: uri,
                identifier: None,
                title: non_blank(row.try_get::<Option<String>, _>(2).map_err(bad)?.as_deref()),
                created_at: None,
                closed: false,
            }))?;
        }
    }
    {
        let mut comments = sqlx::query(
            "SELECT id, tid, parent, created, modified, mode, text, author, email, website, \
             likes, dislikes FROM comments ORDER BY id",
        )
        .fetch(&mut conn);
        while let Some(row) = comments.try_next().await.map_err(bad)? {
            emit(comment_of(&row).map_err(bad)?)?;
        }
    }
    let _ = conn.close().await;
    Ok(())
}

fn comment_of(row: &SqliteRow) -> Result<Record, sqlx::Error> {
    let id: i64 = row.try_get(0)?;
    let mode: i64 = row.try_get::<Option<i64>, _>(5)?.unwrap_or(1);
    let status = match mode {
        1 => Status::Published,
        2 => Status::Pending,
        4 => Status::Deleted,
        other => {
            return Ok(Record::Skipped(Skipped {
                item: format!("comment {id}"),
                reason: format!("unknown Isso mode {other}"),
            }))
        }
    };
    let seconds = |i: usize| -> Result<Option<i64>, sqlx::Error> {
        Ok(row
            .try_get::<Option<f64>, _>(i)?
            .map(|s| (s * 1000.0).round() as i64))
    };
    Ok(Record::Comment(Box::new(CommentRecord {
        source_id: id.to_string(),
        thread_source_id: row.try_get::<i64, _>(1)?.to_string(),
        parent_source_id: row.try_get::<Option<i64>, _>(2)?.map(|p| p.to_string()),
        author_name: non_blank(row.try_get::<Option<String>, _>(7)?.as_deref()),
        author_email: non_blank(row.try_get::<Option<String>, _>(8)?.as_deref()),
        author_url: non_blank(row.try_get::<Option<String>, _>(9)?.as_deref()),
        body: Body::Markdown(row.try_get::<Option<String>, _>(6)?.unwrap_or_default()),
        created_at: seconds(3)?.unwrap_or(0),
        edited_at: seconds(4)?,
        status,
        upvotes: row.try_get::<Option<i64>, _>(10)?.unwrap_or(0),
        downvotes: row.try_get::<Option<i64>, _>(11)?.unwrap_or(0),
        revisions: Vec::new(),
        votes: Vec::new(),
    })))
}

#[derive(Deserialize)]
struct GenericThread {
    id: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    comments: Vec<GenericComment>,
}

#[derive(Deserialize)]
struct GenericComment {
    id: serde_json::Value,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    website: Option<String>,
    created: String,
    #[serde(default)]
    text: String,
}

/// Reads Isso's "generic" JSON (`[{"id": "/path/", "title": …, "comments": [...]}]`), one
/// thread at a time. Comment ids repeat between threads, so a comment's source id is
/// `thread id#comment id`.
pub fn read_generic_json(input: &mut dyn Input, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    let mut failure = None;
    let mut de = serde_json::Deserializer::from_reader(&mut *input);
    let outcome = de::Deserializer::deserialize_seq(
        &mut de,
        Threads {
            emit,
            failure: &mut failure,
        },
    )
    .and_then(|()| de.end());
    if let Some(f) = failure {
        return Err(f);
    }
    outcome.map_err(|e| ReadError::json(&e))
}

struct Threads<'a, 'b> {
    emit: &'a mut Emit<'b>,
    failure: &'a mut Option<ReadError>,
}

impl<'de> Visitor<'de> for Threads<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of threads")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while let Some(thread) = seq.next_element::<GenericThread>()? {
            if let Err(e) = generic_thread(thread, self.emit) {
                *self.failure = Some(e);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

fn generic_thread(t: GenericThread, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    emit(Record::Thread(ThreadRecord {
        source_id: t.id.clone(),
        url: t.id.clone(),
        identifier: None,
        title: non_blank(t.title.as_deref()),
        created_at: None,
        closed: false,
    }))?;
    for c in t.comments {
        let id = match &c.id {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let source_id = format!("{}#{id}", t.id);
        let Some(created_at) = crate::dates::parse(&c.created) else {
            emit(Record::Skipped(Skipped {
                item: format!("comment {source_id}"),
                reason: format!("its date {:?} is not a date", c.created),
            }))?;
            continue;
        };
        emit(Record::Comment(Box::new(CommentRecord {
            source_id,
            thread_source_id: t.id.clone(),
            parent_source_id: None,
            author_name: non_blank(c.author.as_deref()),
            author_email: non_blank(c.email.as_deref()),
            author_url: non_blank(c.website.as_deref()),
            body: Body::Markdown(c.text),
            created_at,
            edited_at: None,
            status: Status::Published,
            upvotes: 0,
            downvotes: 0,
            revisions: Vec::new(),
            votes: Vec::new(),
        })))?;
    }
    Ok(())
}
