//! Comments, revisions and votes in PostgreSQL: the write use cases, each in one transaction,
//! and the trait that also serves the public pages (see `pages`).

use super::rows::{self, COMMENT_COLUMNS, THREAD_COLUMNS};
use super::{db_err, lock_thread_of, pages, visibility, PgStore};
use async_trait::async_trait;
use rostra_core::comment::{Revision, Status};
use rostra_core::moderation::Decision;
use rostra_core::store::CommentStore;
use rostra_core::{
    Comment, CommentEdit, CommentId, Error, NewComment, NewVote, Result, SiteId, Sort, StoreError,
    Thread, ThreadId, VoteTotals,
};
use sqlx::{PgConnection, Row};

pub(super) async fn load(c: &mut PgConnection, id: CommentId) -> Result<Comment> {
    fetch(c, id, "").await
}

/// Loads a comment and locks its row until the transaction ends, so that an edit, a vote and a
/// deletion of the same comment happen one after the other.
pub(super) async fn load_locked(c: &mut PgConnection, id: CommentId) -> Result<Comment> {
    fetch(c, id, " FOR NO KEY UPDATE").await
}

async fn fetch(c: &mut PgConnection, id: CommentId, lock: &str) -> Result<Comment> {
    let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE id = $1{lock}");
    let row = sqlx::query(&sql)
        .bind(id.0)
        .fetch_optional(&mut *c)
        .await
        .map_err(db_err)?;
    row.as_ref()
        .map(rows::comment)
        .transpose()?
        .ok_or(Error::CommentNotFound)
}

async fn locked_thread(c: &mut PgConnection, site: SiteId, key: &str) -> Result<Option<Thread>> {
    let sql = format!(
        "SELECT {THREAD_COLUMNS} FROM threads WHERE site_id = $1 AND key = $2 FOR NO KEY UPDATE"
    );
    let row = sqlx::query(&sql)
        .bind(site.0)
        .bind(key)
        .fetch_optional(&mut *c)
        .await
        .map_err(db_err)?;
    row.as_ref().map(rows::thread).transpose()
}

/// The comment's thread, locked; created on the first comment. When two first comments arrive
/// at once, one insert wins and the other finds its thread.
async fn thread_for(c: &mut PgConnection, new: &NewComment) -> Result<Thread> {
    let thread = match locked_thread(c, new.site_id, &new.thread_key).await? {
        Some(thread) => thread,
        None => {
            let sql = format!(
                "INSERT INTO threads (site_id, key, url, title, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (site_id, key) DO NOTHING \
                 RETURNING {THREAD_COLUMNS}"
            );
            let inserted = sqlx::query(&sql)
                .bind(new.site_id.0)
                .bind(&new.thread_key)
                .bind(&new.page_url)
                .bind(&new.page_title)
                .bind(new.created_at)
                .fetch_optional(&mut *c)
                .await
                .map_err(db_err)?;
            if let Some(row) = inserted {
                return rows::thread(&row);
            }
            locked_thread(c, new.site_id, &new.thread_key)
                .await?
                .ok_or(StoreError::NotFound)?
        }
    };
    if thread.closed || new.close_before.is_some_and(|t| thread.created_at < t) {
        return Err(Error::ThreadClosed);
    }
    if thread.title.is_none() && new.page_title.is_some() {
        sqlx::query("UPDATE threads SET title = $1 WHERE id = $2")
            .bind(&new.page_title)
            .bind(thread.id.0)
            .execute(&mut *c)
            .await
            .map_err(db_err)?;
    }
    Ok(thread)
}

/// The root of the new comment's tree: its parent's root, after checking the parent may be
/// replied to.
async fn root_under(c: &mut PgConnection, parent: CommentId, thread: ThreadId) -> Result<i64> {
    let row = sqlx::query("SELECT thread_id, status, root_id FROM comments WHERE id = $1")
        .bind(parent.0)
        .fetch_optional(&mut *c)
        .await
        .map_err(db_err)?
        .ok_or(Error::ParentNotFound)?;
    let (parent_thread, status, root): (i64, String, i64) = (
        row.try_get(0).map_err(db_err)?,
        row.try_get(1).map_err(db_err)?,
        row.try_get(2).map_err(db_err)?,
    );
    match Status::parse(&status) {
        _ if parent_thread != thread.0 => Err(Error::ParentNotFound),
        Some(Status::Deleted) => Err(Error::CommentDeleted),
        Some(Status::Rejected) | None => Err(Error::ParentNotFound),
        Some(Status::Published | Status::Pending) => Ok(root),
    }
}

async fn create(c: &mut PgConnection, new: NewComment) -> Result<(Comment, Thread)> {
    let mut thread = thread_for(c, &new).await?;
    let root = match new.parent_id {
        Some(p) => Some(root_under(c, p, thread.id).await?),
        None => None,
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO comments (thread_id, parent_id, root_id, status, author_name, author_email, \
         author_url, body, body_html, created_at, edit_token_hash, ip_hash, author_key, net_hash, \
         reasons, account_id, author_badge) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         RETURNING id",
    )
    .bind(thread.id.0)
    .bind(new.parent_id.map(|p| p.0))
    .bind(root.unwrap_or(0))
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
    .bind(rows::reasons_json(&new.reasons))
    .bind(new.account_id.map(|a| a.0))
    .bind(&new.author_badge)
    .fetch_one(&mut *c)
    .await
    .map_err(db_err)?;
    let first = Decision {
        comment_id: CommentId(id),
        at: new.created_at,
        actor: None,
        action: new.status.as_str().into(),
        reasons: new.reasons.clone(),
        note: None,
    };
    super::moderation_writes::record_decision(c, &first).await?;
    if root.is_none() {
        exec(c, "UPDATE comments SET root_id = id WHERE id = $1", id).await?;
    }
    if new.status == Status::Published {
        exec(
            c,
            "UPDATE threads SET comment_count = comment_count + 1 WHERE id = $1",
            thread.id.0,
        )
        .await?;
        thread.comment_count += 1;
        if let Some(p) = new.parent_id {
            let sql = "UPDATE comments SET reply_count = reply_count + 1 WHERE id = $1";
            exec(c, sql, p.0).await?;
        }
    }
    Ok((load(c, CommentId(id)).await?, thread))
}

async fn exec(c: &mut PgConnection, sql: &str, id: i64) -> Result<()> {
    sqlx::query(sql)
        .bind(id)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    Ok(())
}

async fn edit(c: &mut PgConnection, id: CommentId, edit: CommentEdit) -> Result<Comment> {
    let old = load_locked(c, id).await?;
    if old.status == Status::Deleted {
        return Err(Error::CommentDeleted);
    }
    sqlx::query(
        "INSERT INTO comment_revisions (comment_id, body, replaced_at) VALUES ($1, $2, $3)",
    )
    .bind(id.0)
    .bind(&old.body)
    .bind(edit.edited_at)
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    sqlx::query("UPDATE comments SET body = $1, body_html = $2, edited_at = $3 WHERE id = $4")
        .bind(&edit.body)
        .bind(&edit.body_html)
        .bind(edit.edited_at)
        .bind(id.0)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    load(c, id).await
}

async fn delete(c: &mut PgConnection, id: CommentId, at: i64) -> Result<Comment> {
    lock_thread_of(c, id).await?;
    let old = load_locked(c, id).await?;
    if old.status == Status::Deleted {
        return Err(Error::CommentDeleted);
    }
    sqlx::query(
        "UPDATE comments SET status = 'deleted', body = '', body_html = '', author_name = NULL, \
         author_email = NULL, author_url = NULL, edited_at = $1 WHERE id = $2",
    )
    .bind(at)
    .bind(id.0)
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    let sql = "DELETE FROM comment_revisions WHERE comment_id = $1";
    exec(c, sql, id.0).await?;
    if old.status == Status::Published {
        exec(
            c,
            "UPDATE threads SET comment_count = comment_count - 1 WHERE id = $1",
            old.thread_id.0,
        )
        .await?;
        if old.reply_count == 0 {
            visibility::uncount_upwards(c, old.parent_id).await?;
        }
    }
    load(c, id).await
}

/// The comment's row is locked first, so two votes of one voter at once are counted one
/// after the other and the second finds the first.
async fn vote(c: &mut PgConnection, v: NewVote) -> Result<VoteTotals> {
    let target = load_locked(c, v.comment_id).await?;
    match target.status {
        Status::Published => {}
        Status::Deleted => return Err(Error::CommentDeleted),
        Status::Pending | Status::Rejected => return Err(Error::CommentNotFound),
    }
    let existing: Option<(i64, i16)> = sqlx::query_as(
        "SELECT id, value FROM votes WHERE comment_id = $1 \
         AND (voter_hash = $2 OR ip_hash = $3) ORDER BY id LIMIT 1",
    )
    .bind(v.comment_id.0)
    .bind(&v.voter_hash)
    .bind(&v.ip_hash)
    .fetch_optional(&mut *c)
    .await
    .map_err(db_err)?;
    let old = existing.map_or(0, |(_, value)| i64::from(value));
    match (existing, v.value) {
        (Some((vote_id, _)), 0) => exec(c, "DELETE FROM votes WHERE id = $1", vote_id).await?,
        (Some((vote_id, _)), value) => {
            sqlx::query(
                "UPDATE votes SET value = $1, voter_hash = COALESCE($2, voter_hash), \
                 voted_at = $3 WHERE id = $4",
            )
            .bind(i16::from(value))
            .bind(&v.voter_hash)
            .bind(v.at)
            .bind(vote_id)
            .execute(&mut *c)
            .await
            .map_err(db_err)?;
        }
        (None, 0) => {}
        (None, value) => {
            sqlx::query(
                "INSERT INTO votes (comment_id, voter_hash, ip_hash, value, voted_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(v.comment_id.0)
            .bind(&v.voter_hash)
            .bind(&v.ip_hash)
            .bind(i16::from(value))
            .bind(v.at)
            .execute(&mut *c)
            .await
            .map_err(db_err)?;
        }
    }
    let new = i64::from(v.value);
    let up = i64::from(new == 1) - i64::from(old == 1);
    let down = i64::from(new == -1) - i64::from(old == -1);
    let (upvotes, downvotes): (i64, i64) = sqlx::query_as(
        "UPDATE comments SET upvotes = upvotes + $1, downvotes = downvotes + $2 WHERE id = $3 \
         RETURNING upvotes, downvotes",
    )
    .bind(up)
    .bind(down)
    .bind(v.comment_id.0)
    .fetch_one(&mut *c)
    .await
    .map_err(db_err)?;
    Ok(VoteTotals {
        upvotes,
        downvotes,
        score: upvotes - downvotes,
        value: v.value,
    })
}

#[async_trait]
impl CommentStore for PgStore {
    async fn create_comment(&self, new: NewComment) -> Result<(Comment, Thread)> {
        self.write(move |c| Box::pin(create(c, new))).await
    }

    async fn comment(&self, id: CommentId) -> Result<Option<Comment>> {
        pages::comment(&self.pool, id).await
    }

    async fn edit_comment(&self, id: CommentId, e: CommentEdit) -> Result<Comment> {
        self.write(move |c| Box::pin(edit(c, id, e))).await
    }

    async fn delete_comment(&self, id: CommentId, at: i64) -> Result<Comment> {
        self.write(move |c| Box::pin(delete(c, id, at))).await
    }

    async fn vote(&self, v: NewVote) -> Result<VoteTotals> {
        self.write(move |c| Box::pin(vote(c, v))).await
    }

    async fn revisions(&self, id: CommentId) -> Result<Vec<Revision>> {
        pages::revisions(&self.pool, id).await
    }

    async fn top_level_page(
        &self,
        thread: ThreadId,
        sort: Sort,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<Comment>> {
        pages::top_level_page(&self.pool, thread, sort, offset, limit).await
    }

    async fn descendants(&self, roots: &[CommentId], per_root: u32) -> Result<Vec<Comment>> {
        pages::descendants(&self.pool, roots, per_root).await
    }

    async fn replies_page(
        &self,
        parent: CommentId,
        offset: u64,
        limit: u32,
        budget: u32,
    ) -> Result<(Vec<Comment>, Vec<Comment>)> {
        pages::replies_page(&self.pool, parent, offset, limit, budget).await
    }
}
