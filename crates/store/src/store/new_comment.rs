//! A new comment: its thread (found or created), its place under its parent, its first
//! moderation decision and the counts. On SQLite a direct write; on PostgreSQL, the thread's row
//! is locked first.

use crate::rows::{reasons_json, COMMENT_COLUMNS, THREAD_COLUMNS};
use crate::sql::{query, Db, Dialect};
use rostra_core::comment::Status;
use rostra_core::moderation::Decision;
use rostra_core::{Comment, CommentId, Error, NewComment, Result, StoreError, Thread, ThreadId};

pub(crate) async fn create(c: &mut impl Db, new: NewComment) -> Result<(Comment, Thread)> {
    let mut thread = thread_for(c, &new).await?;
    let root = match new.parent_id {
        Some(p) => Some(root_under(c, p, thread.id).await?),
        None => None,
    };
    let comment = insert(c, &new, thread.id, root).await?;
    let first = Decision {
        comment_id: comment.id,
        at: new.created_at,
        actor: None,
        action: new.status.as_str().into(),
        reasons: new.reasons.clone(),
        note: None,
    };
    super::moderation_writes::record_decision(c, &first).await?;
    if new.status == Status::Published {
        let q = query("UPDATE threads SET comment_count = comment_count + 1 WHERE id = ?");
        c.execute(q.bind(thread.id.0)).await?;
        thread.comment_count += 1;
        if let Some(p) = new.parent_id {
            let q = query("UPDATE comments SET reply_count = reply_count + 1 WHERE id = ?");
            c.execute(q.bind(p.0)).await?;
        }
    }
    Ok((comment, thread))
}

/// The next comment id as each database hands it out: SQLite's writer (or an import's
/// transaction) is the only one that writes, so one past the largest; PostgreSQL takes the
/// next from the column's sequence (and, with `FROM generate_series(…)` after it, several).
pub(crate) fn next_comment_id(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "SELECT COALESCE(MAX(id), 0) + 1 AS id FROM comments",
        Dialect::Postgres => "SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id",
    }
}

/// The comment's row, with its id chosen in the same statement so that a top-level comment can
/// be its own root.
async fn insert(
    c: &mut impl Db,
    new: &NewComment,
    thread: ThreadId,
    root: Option<i64>,
) -> Result<Comment> {
    let next = next_comment_id(c.dialect());
    let sql = format!(
        "INSERT INTO comments (id, thread_id, parent_id, root_id, status, author_name, \
         author_email, author_url, body, body_html, created_at, edit_token_hash, ip_hash, \
         author_key, net_hash, reasons, account_id, author_badge) \
         SELECT next.id, ?, ?, COALESCE(?, next.id), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? \
         FROM ({next}) AS next RETURNING {COMMENT_COLUMNS}"
    );
    let reasons = reasons_json(&new.reasons);
    let q = query(&sql)
        .bind(thread.0)
        .bind(new.parent_id.map(|p| p.0))
        .bind(root)
        .bind(new.status.as_str())
        .bind(&new.author_name)
        .bind(&new.author_email)
        .bind(&new.author_url)
        .bind(&new.body)
        .bind(&new.body_html)
        .bind(new.created_at)
        .bind(&new.edit_token_hash)
        .bind(&new.ip_hash)
        .bind(&new.author_key)
        .bind(&new.net_hash)
        .bind(&reasons)
        .bind(new.account_id.map(|a| a.0))
        .bind(&new.author_badge);
    c.fetch_one(q).await
}

async fn find_thread(c: &mut impl Db, new: &NewComment) -> Result<Option<Thread>> {
    let sql = format!(
        "SELECT {THREAD_COLUMNS} FROM threads WHERE site_id = ? AND key = ?{}",
        c.dialect().lock()
    );
    c.fetch_optional(query(&sql).bind(new.site_id.0).bind(&new.thread_key))
        .await
}

/// The comment's thread (locked on PostgreSQL), created on the first comment. When two first
/// comments arrive at once (PostgreSQL), one insert wins and the other finds its thread.
async fn thread_for(c: &mut impl Db, new: &NewComment) -> Result<Thread> {
    let thread = match find_thread(c, new).await? {
        Some(thread) => thread,
        None => {
            let sql = format!(
                "INSERT INTO threads (site_id, key, url, title, created_at) \
                 VALUES (?, ?, ?, ?, ?) ON CONFLICT (site_id, key) DO NOTHING \
                 RETURNING {THREAD_COLUMNS}"
            );
            let q = query(&sql).bind(new.site_id.0).bind(&new.thread_key);
            let q = q
                .bind(&new.page_url)
                .bind(&new.page_title)
                .bind(new.created_at);
            match c.fetch_optional(q).await? {
                Some(thread) => thread,
                None => find_thread(c, new).await?.ok_or(StoreError::NotFound)?,
            }
        }
    };
    if thread.closed || new.close_before.is_some_and(|t| thread.created_at < t) {
        return Err(Error::ThreadClosed);
    }
    if thread.title.is_none() && new.page_title.is_some() {
        let q = query("UPDATE threads SET title = ? WHERE id = ?");
        c.execute(q.bind(&new.page_title).bind(thread.id.0)).await?;
    }
    Ok(thread)
}

/// The root of the new comment's tree: its parent's root, after checking the parent may be
/// replied to.
async fn root_under(c: &mut impl Db, parent: CommentId, thread: ThreadId) -> Result<i64> {
    let q = query("SELECT thread_id, status, root_id FROM comments WHERE id = ?");
    let (parent_thread, status, root): (i64, String, i64) = c
        .fetch_optional(q.bind(parent.0))
        .await?
        .ok_or(Error::ParentNotFound)?;
    match Status::parse(&status) {
        _ if parent_thread != thread.0 => Err(Error::ParentNotFound),
        Some(Status::Deleted) => Err(Error::CommentDeleted),
        Some(Status::Rejected) | None => Err(Error::ParentNotFound),
        Some(Status::Published | Status::Pending) => Ok(root),
    }
}
