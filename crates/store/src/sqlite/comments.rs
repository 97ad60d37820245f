//! Comments, revisions and votes in SQLite. Writes go through the group-commit writer.

use super::rows::{self, placeholders, COMMENT_COLUMNS, PUBLIC};
use super::{db_err, visibility, SqliteStore};
use async_trait::async_trait;
use rostra_core::comment::{Revision, Status};
use rostra_core::store::CommentStore;
use rostra_core::{
    Comment, CommentEdit, CommentId, Error, NewComment, NewVote, Result, Sort, Thread, ThreadId,
    VoteTotals,
};
use sqlx::SqliteConnection;

pub(super) async fn load(c: &mut SqliteConnection, id: CommentId) -> Result<Comment> {
    let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE id = ?");
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

async fn exec(c: &mut SqliteConnection, sql: &str, id: i64) -> Result<()> {
    sqlx::query(sql)
        .bind(id)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    Ok(())
}

async fn edit(c: &mut SqliteConnection, id: CommentId, edit: CommentEdit) -> Result<Comment> {
    let old = load(c, id).await?;
    if old.status == Status::Deleted {
        return Err(Error::CommentDeleted);
    }
    sqlx::query("INSERT INTO comment_revisions (comment_id, body, replaced_at) VALUES (?, ?, ?)")
        .bind(id.0)
        .bind(&old.body)
        .bind(edit.edited_at)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    sqlx::query("UPDATE comments SET body = ?, body_html = ?, edited_at = ? WHERE id = ?")
        .bind(&edit.body)
        .bind(&edit.body_html)
        .bind(edit.edited_at)
        .bind(id.0)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    load(c, id).await
}

async fn delete(c: &mut SqliteConnection, id: CommentId, at: i64) -> Result<Comment> {
    let old = load(c, id).await?;
    if old.status == Status::Deleted {
        return Err(Error::CommentDeleted);
    }
    sqlx::query(
        "UPDATE comments SET status = 'deleted', body = '', body_html = '', author_name = NULL, \
         author_email = NULL, author_url = NULL, edited_at = ? WHERE id = ?",
    )
    .bind(at)
    .bind(id.0)
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    exec(
        c,
        "DELETE FROM comment_revisions WHERE comment_id = ?",
        id.0,
    )
    .await?;
    if old.status == Status::Published {
        exec(
            c,
            "UPDATE threads SET comment_count = comment_count - 1 WHERE id = ?",
            old.thread_id.0,
        )
        .await?;
        if old.reply_count == 0 {
            visibility::uncount_upwards(c, old.parent_id).await?;
        }
    }
    load(c, id).await
}

async fn vote(c: &mut SqliteConnection, v: NewVote) -> Result<VoteTotals> {
    let target = load(c, v.comment_id).await?;
    match target.status {
        Status::Published => {}
        Status::Deleted => return Err(Error::CommentDeleted),
        Status::Pending | Status::Rejected => return Err(Error::CommentNotFound),
    }
    let existing: Option<(i64, i64)> = sqlx::query_as(
        "SELECT id, value FROM votes WHERE comment_id = ? AND (voter_hash = ? OR ip_hash = ?) \
         ORDER BY id LIMIT 1",
    )
    .bind(v.comment_id.0)
    .bind(&v.voter_hash)
    .bind(&v.ip_hash)
    .fetch_optional(&mut *c)
    .await
    .map_err(db_err)?;
    let old = existing.map_or(0, |(_, value)| value);
    match (existing, v.value) {
        (Some((vote_id, _)), 0) => exec(c, "DELETE FROM votes WHERE id = ?", vote_id).await?,
        (Some((vote_id, _)), value) => {
            sqlx::query("UPDATE votes SET value = ?, voter_hash = COALESCE(?, voter_hash), voted_at = ? WHERE id = ?")
                .bind(i64::from(value))
                .bind(&v.voter_hash)
                .bind(v.at)
                .bind(vote_id)
                .execute(&mut *c)
                .await
                .map_err(db_err)?;
        }
        (None, 0) => {}
        (None, value) => {
            sqlx::query("INSERT INTO votes (comment_id, voter_hash, ip_hash, value, voted_at) VALUES (?, ?, ?, ?, ?)")
                .bind(v.comment_id.0)
                .bind(&v.voter_hash)
                .bind(&v.ip_hash)
                .bind(i64::from(value))
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
        "UPDATE comments SET upvotes = upvotes + ?, downvotes = downvotes + ? WHERE id = ? \
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

fn order_by(sort: Sort) -> &'static str {
    match sort {
        Sort::Oldest => "id ASC",
        Sort::Newest => "id DESC",
        Sort::Best => "(upvotes - downvotes) DESC, id ASC",
    }
}

#[async_trait]
impl CommentStore for SqliteStore {
    async fn create_comment(&self, new: NewComment) -> Result<(Comment, Thread)> {
        self.writer
            .write_direct(move |db| super::new_comment::create(db, new))
            .await
    }

    async fn comment(&self, id: CommentId) -> Result<Option<Comment>> {
        let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE id = ?");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        row.as_ref().map(rows::comment).transpose()
    }

    async fn edit_comment(&self, id: CommentId, e: CommentEdit) -> Result<Comment> {
        self.writer.write(move |c| Box::pin(edit(c, id, e))).await
    }

    async fn delete_comment(&self, id: CommentId, at: i64) -> Result<Comment> {
        self.writer
            .write(move |c| Box::pin(delete(c, id, at)))
            .await
    }

    async fn vote(&self, v: NewVote) -> Result<VoteTotals> {
        self.writer.write(move |c| Box::pin(vote(c, v))).await
    }

    async fn revisions(&self, id: CommentId) -> Result<Vec<Revision>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT body, replaced_at FROM comment_revisions WHERE comment_id = ? ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|(body, replaced_at)| Revision {
                comment_id: id,
                body,
                replaced_at,
            })
            .collect())
    }

    async fn top_level_page(
        &self,
        thread: ThreadId,
        sort: Sort,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<Comment>> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE thread_id = ? AND parent_id IS NULL \
             AND {PUBLIC} ORDER BY {} LIMIT ? OFFSET ?",
            order_by(sort)
        );
        let rows = sqlx::query(&sql)
            .bind(thread.0)
            .bind(i64::from(limit))
            .bind(offset as i64)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        rows::comments(&rows)
    }

    async fn descendants(&self, roots: &[CommentId], per_root: u32) -> Result<Vec<Comment>> {
        if roots.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM (SELECT *, ROW_NUMBER() OVER \
             (PARTITION BY root_id ORDER BY id) AS rank FROM comments WHERE root_id IN ({}) \
             AND parent_id IS NOT NULL AND {PUBLIC}) WHERE rank <= ? ORDER BY id",
            placeholders(roots.len())
        );
        let mut q = sqlx::query(&sql);
        for r in roots {
            q = q.bind(r.0);
        }
        let rows = q
            .bind(i64::from(per_root))
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        rows::comments(&rows)
    }

    async fn replies_page(
        &self,
        parent: CommentId,
        offset: u64,
        limit: u32,
        budget: u32,
    ) -> Result<(Vec<Comment>, Vec<Comment>)> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE parent_id = ? AND {PUBLIC} \
             ORDER BY id LIMIT ? OFFSET ?"
        );
        let rows = sqlx::query(&sql)
            .bind(parent.0)
            .bind(i64::from(limit))
            .bind(offset as i64)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        let children = rows::comments(&rows)?;
        let Some(first) = children.first() else {
            return Ok((children, Vec::new()));
        };
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE root_id = ? AND id > ? \
             AND parent_id IS NOT NULL AND parent_id <> ? AND {PUBLIC} ORDER BY id LIMIT ?"
        );
        let rows = sqlx::query(&sql)
            .bind(first.root_id.0)
            .bind(first.id.0)
            .bind(parent.0)
            .bind(i64::from(budget))
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        let mut inside: std::collections::HashSet<CommentId> =
            children.iter().map(|c| c.id).collect();
        let mut below = Vec::new();
        for c in rows::comments(&rows)? {
            if c.parent_id.is_some_and(|p| inside.contains(&p)) {
                inside.insert(c.id);
                below.push(c);
            }
        }
        Ok((children, below))
    }
}
