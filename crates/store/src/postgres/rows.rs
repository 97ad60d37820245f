//! Turning PostgreSQL rows into domain types, in one place.

use super::db_err;
use rostra_core::comment::Status;
use rostra_core::{Comment, CommentId, Result, Site, SiteId, StoreError, Thread, ThreadId};
use sqlx::postgres::PgRow;
use sqlx::Row;

pub const COMMENT_COLUMNS: &str = "id, thread_id, parent_id, root_id, status, author_name, \
    author_email, author_url, body, body_html, created_at, edited_at, upvotes, downvotes, \
    reply_count, edit_token_hash, ip_hash, author_key, net_hash, reasons, report_count, \
    moderator_note, account_id, author_badge";

pub const THREAD_COLUMNS: &str = "id, site_id, key, url, title, created_at, closed, comment_count";

pub const SITE_COLUMNS: &str = "id, key, name, origins, prompt, created_at";

/// What the public sees: published comments, and tombstones that still have replies.
pub const PUBLIC: &str = "(status = 'published' OR (status = 'deleted' AND reply_count > 0))";

pub fn comment(row: &PgRow) -> Result<Comment> {
    let status: String = row.try_get("status").map_err(db_err)?;
    Ok(Comment {
        id: CommentId(row.try_get("id").map_err(db_err)?),
        thread_id: ThreadId(row.try_get("thread_id").map_err(db_err)?),
        parent_id: row
            .try_get::<Option<i64>, _>("parent_id")
            .map_err(db_err)?
            .map(CommentId),
        root_id: CommentId(row.try_get("root_id").map_err(db_err)?),
        status: Status::parse(&status)
            .ok_or_else(|| StoreError::Other(format!("unknown comment status '{status}'")))?,
        author_name: row.try_get("author_name").map_err(db_err)?,
        author_email: row.try_get("author_email").map_err(db_err)?,
        author_url: row.try_get("author_url").map_err(db_err)?,
        body: row.try_get("body").map_err(db_err)?,
        body_html: row.try_get("body_html").map_err(db_err)?,
        created_at: row.try_get("created_at").map_err(db_err)?,
        edited_at: row.try_get("edited_at").map_err(db_err)?,
        upvotes: row.try_get("upvotes").map_err(db_err)?,
        downvotes: row.try_get("downvotes").map_err(db_err)?,
        reply_count: row.try_get("reply_count").map_err(db_err)?,
        edit_token_hash: row.try_get("edit_token_hash").map_err(db_err)?,
        ip_hash: row.try_get("ip_hash").map_err(db_err)?,
        author_key: row.try_get("author_key").map_err(db_err)?,
        net_hash: row.try_get("net_hash").map_err(db_err)?,
        reasons: reasons(&row.try_get::<String, _>("reasons").map_err(db_err)?),
        report_count: row.try_get("report_count").map_err(db_err)?,
        moderator_note: row.try_get("moderator_note").map_err(db_err)?,
        account_id: row
            .try_get::<Option<i64>, _>("account_id")
            .map_err(db_err)?
            .map(rostra_core::AccountId),
        author_badge: row.try_get("author_badge").map_err(db_err)?,
    })
}

/// Reasons are stored as JSON text (portable: no JSON column types).
pub fn reasons(json: &str) -> Vec<rostra_core::moderation::Reason> {
    serde_json::from_str(json).unwrap_or_default()
}

pub fn reasons_json(reasons: &[rostra_core::moderation::Reason]) -> String {
    serde_json::to_string(reasons).unwrap_or_else(|_| "[]".into())
}

pub fn thread(row: &PgRow) -> Result<Thread> {
    Ok(Thread {
        id: ThreadId(row.try_get("id").map_err(db_err)?),
        site_id: SiteId(row.try_get("site_id").map_err(db_err)?),
        key: row.try_get("key").map_err(db_err)?,
        url: row.try_get("url").map_err(db_err)?,
        title: row.try_get("title").map_err(db_err)?,
        created_at: row.try_get("created_at").map_err(db_err)?,
        closed: row.try_get("closed").map_err(db_err)?,
        comment_count: row.try_get("comment_count").map_err(db_err)?,
    })
}

pub fn site(row: &PgRow) -> Result<Site> {
    let origins: String = row.try_get("origins").map_err(db_err)?;
    Ok(Site {
        id: SiteId(row.try_get("id").map_err(db_err)?),
        key: row.try_get("key").map_err(db_err)?,
        name: row.try_get("name").map_err(db_err)?,
        origins: origins.split_whitespace().map(str::to_string).collect(),
        prompt: row.try_get("prompt").map_err(db_err)?,
        created_at: row.try_get("created_at").map_err(db_err)?,
    })
}

pub fn comments(rows: &[PgRow]) -> Result<Vec<Comment>> {
    rows.iter().map(comment).collect()
}
