//! A new comment in SQLite: its thread (found or created), its place under its parent, its first
//! moderation decision and the counts, written directly by the group-commit writer.

use super::moderation_writes::DECISION_INSERT;
use super::rows::{self, COMMENT_COLUMNS, THREAD_COLUMNS};
use super::writer::direct_err;
use rostra_core::comment::Status;
use rostra_core::{Comment, CommentId, Error, NewComment, Result, StoreError, Thread, ThreadId};
use rusqlite::{params, Connection, OptionalExtension};

pub(super) fn create(db: &Connection, new: NewComment) -> Result<(Comment, Thread)> {
    let mut thread = thread_for(db, &new)?;
    let root = match new.parent_id {
        Some(p) => Some(root_under(db, p, thread.id)?),
        None => None,
    };
    // A top-level comment is its own root. The writer connection is the only one that writes,
    // so the id SQLite would choose (one past the largest) can be set in the same statement.
    let sql = format!(
        "INSERT INTO comments (id, thread_id, parent_id, root_id, status, author_name, \
         author_email, author_url, body, body_html, created_at, edit_token_hash, ip_hash, \
         author_key, net_hash, reasons, account_id, author_badge) \
         SELECT next.id, ?, ?, COALESCE(?, next.id), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? \
         FROM (SELECT COALESCE(MAX(id), 0) + 1 AS id FROM comments) AS next \
         RETURNING {COMMENT_COLUMNS}"
    );
    let mut insert = db.prepare_cached(&sql).map_err(direct_err)?;
    let mut rows = insert
        .query(params![
            thread.id.0,
            new.parent_id.map(|p| p.0),
            root,
            new.status.as_str(),
            new.author_name,
            new.author_email,
            new.author_url,
            new.body,
            new.body_html,
            new.created_at,
            new.edit_token_hash,
            new.ip_hash,
            new.author_key,
            new.net_hash,
            rows::reasons_json(&new.reasons),
            new.account_id.map(|a| a.0),
            new.author_badge,
        ])
        .map_err(direct_err)?;
    let row = rows
        .next()
        .map_err(direct_err)?
        .ok_or(StoreError::NotFound)?;
    let comment = rows::comment(row)?;
    drop(rows);
    db.prepare_cached(DECISION_INSERT)
        .and_then(|mut s| {
            s.execute(params![
                comment.id.0,
                new.created_at,
                None::<i64>,
                new.status.as_str(),
                rows::reasons_json(&new.reasons),
                None::<String>,
            ])
        })
        .map_err(direct_err)?;
    if new.status == Status::Published {
        exec(
            db,
            "UPDATE threads SET comment_count = comment_count + 1 WHERE id = ?",
            thread.id.0,
        )?;
        thread.comment_count += 1;
        if let Some(p) = new.parent_id {
            exec(
                db,
                "UPDATE comments SET reply_count = reply_count + 1 WHERE id = ?",
                p.0,
            )?;
        }
    }
    Ok((comment, thread))
}

/// The comment's thread: found by its key, or created with it. A closed thread takes nothing.
fn thread_for(db: &Connection, new: &NewComment) -> Result<Thread> {
    let sql = format!("SELECT {THREAD_COLUMNS} FROM threads WHERE site_id = ? AND key = ?");
    let mut find = db.prepare_cached(&sql).map_err(direct_err)?;
    let mut rows = find
        .query(params![new.site_id.0, new.thread_key])
        .map_err(direct_err)?;
    if let Some(row) = rows.next().map_err(direct_err)? {
        let thread = rows::thread(row)?;
        if thread.closed || new.close_before.is_some_and(|t| thread.created_at < t) {
            return Err(Error::ThreadClosed);
        }
        if thread.title.is_none() && new.page_title.is_some() {
            db.prepare_cached("UPDATE threads SET title = ? WHERE id = ?")
                .and_then(|mut s| s.execute(params![new.page_title, thread.id.0]))
                .map_err(direct_err)?;
        }
        return Ok(thread);
    }
    let sql = format!(
        "INSERT INTO threads (site_id, key, url, title, created_at) VALUES (?, ?, ?, ?, ?) \
         RETURNING {THREAD_COLUMNS}"
    );
    let mut insert = db.prepare_cached(&sql).map_err(direct_err)?;
    let mut rows = insert
        .query(params![
            new.site_id.0,
            new.thread_key,
            new.page_url,
            new.page_title,
            new.created_at
        ])
        .map_err(direct_err)?;
    let row = rows
        .next()
        .map_err(direct_err)?
        .ok_or(StoreError::NotFound)?;
    rows::thread(row)
}

/// The root of the new comment's tree: its parent's root, after checking the parent may be
/// replied to.
fn root_under(db: &Connection, parent: CommentId, thread: ThreadId) -> Result<i64> {
    let (parent_thread, status, root): (i64, String, i64) = db
        .prepare_cached("SELECT thread_id, status, root_id FROM comments WHERE id = ?")
        .and_then(|mut s| {
            s.query_row([parent.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()
        })
        .map_err(direct_err)?
        .ok_or(Error::ParentNotFound)?;
    match Status::parse(&status) {
        _ if parent_thread != thread.0 => Err(Error::ParentNotFound),
        Some(Status::Deleted) => Err(Error::CommentDeleted),
        Some(Status::Rejected) | None => Err(Error::ParentNotFound),
        Some(Status::Published | Status::Pending) => Ok(root),
    }
}

fn exec(db: &Connection, sql: &str, id: i64) -> Result<()> {
    db.prepare_cached(sql)
        .and_then(|mut s| s.execute([id]))
        .map(drop)
        .map_err(direct_err)
}
