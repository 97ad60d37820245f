//! Comments, revisions and votes: edits, deletions and votes as write use cases (on SQLite,
//! direct writes; on PostgreSQL, with the comment's row locked), and the public pages' reads.

use super::{visibility, Backend, SqlStore};
use crate::rows::{COMMENT_COLUMNS, PUBLIC};
use crate::sql::{query, Db, Dialect};
use async_trait::async_trait;
use rostra_core::comment::{Revision, Status};
use rostra_core::store::CommentStore;
use rostra_core::{
    Comment, CommentEdit, CommentId, Error, NewComment, NewVote, Result, Sort, Thread, ThreadId,
    VoteTotals,
};
use std::collections::HashSet;

pub(crate) async fn load(c: &mut impl Db, id: CommentId) -> Result<Comment> {
    let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE id = ?");
    c.fetch_optional(query(&sql).bind(id.0))
        .await?
        .ok_or(Error::CommentNotFound)
}

/// Loads a comment and, on PostgreSQL, locks its row until the transaction ends, so that an
/// edit, a vote and a deletion of the same comment happen one after the other.
pub(crate) async fn load_locked(c: &mut impl Db, id: CommentId) -> Result<Comment> {
    let sql = format!(
        "SELECT {COMMENT_COLUMNS} FROM comments WHERE id = ?{}",
        c.dialect().lock()
    );
    c.fetch_optional(query(&sql).bind(id.0))
        .await?
        .ok_or(Error::CommentNotFound)
}

/// On PostgreSQL, locks the row of the thread a comment is in, before any of its comments (the
/// one lock order every write that changes a thread's public comments keeps).
pub(crate) async fn lock_thread_of(c: &mut impl Db, comment: CommentId) -> Result<()> {
    if c.dialect() == Dialect::Postgres {
        let q = query(
            "SELECT t.id FROM threads t JOIN comments c ON c.thread_id = t.id WHERE c.id = ? \
             FOR NO KEY UPDATE OF t",
        );
        c.scalar::<i64>(q.bind(comment.0)).await?;
    }
    Ok(())
}

async fn edit(c: &mut impl Db, id: CommentId, edit: CommentEdit) -> Result<Comment> {
    let old = load_locked(c, id).await?;
    if old.status == Status::Deleted {
        return Err(Error::CommentDeleted);
    }
    let q = query("INSERT INTO comment_revisions (comment_id, body, replaced_at) VALUES (?, ?, ?)");
    c.execute(q.bind(id.0).bind(&old.body).bind(edit.edited_at))
        .await?;
    let q = query("UPDATE comments SET body = ?, body_html = ?, edited_at = ? WHERE id = ?");
    c.execute(
        q.bind(&edit.body)
            .bind(&edit.body_html)
            .bind(edit.edited_at)
            .bind(id.0),
    )
    .await?;
    load(c, id).await
}

async fn delete(c: &mut impl Db, id: CommentId, at: i64) -> Result<Comment> {
    lock_thread_of(c, id).await?;
    let old = load_locked(c, id).await?;
    if old.status == Status::Deleted {
        return Err(Error::CommentDeleted);
    }
    let q = query(
        "UPDATE comments SET status = 'deleted', body = '', body_html = '', author_name = NULL, \
         author_email = NULL, author_url = NULL, edited_at = ? WHERE id = ?",
    );
    c.execute(q.bind(at).bind(id.0)).await?;
    let q = query("DELETE FROM comment_revisions WHERE comment_id = ?");
    c.execute(q.bind(id.0)).await?;
    if old.status == Status::Published {
        let q = query("UPDATE threads SET comment_count = comment_count - 1 WHERE id = ?");
        c.execute(q.bind(old.thread_id.0)).await?;
        if old.reply_count == 0 {
            visibility::uncount_upwards(c, old.parent_id).await?;
        }
    }
    load(c, id).await
}

/// The comment's row is locked first (PostgreSQL), so two votes of one voter at once are
/// counted one after the other and the second finds the first.
async fn vote(c: &mut impl Db, v: NewVote) -> Result<VoteTotals> {
    let target = load_locked(c, v.comment_id).await?;
    match target.status {
        Status::Published => {}
        Status::Deleted => return Err(Error::CommentDeleted),
        Status::Pending | Status::Rejected => return Err(Error::CommentNotFound),
    }
    let q = query(
        "SELECT id, CAST(value AS BIGINT) FROM votes WHERE comment_id = ? \
         AND (voter_hash = ? OR ip_hash = ?) ORDER BY id LIMIT 1",
    );
    let existing: Option<(i64, i64)> = c
        .fetch_optional(q.bind(v.comment_id.0).bind(&v.voter_hash).bind(&v.ip_hash))
        .await?;
    let value = i64::from(v.value);
    match (existing, value) {
        (Some((vote_id, _)), 0) => {
            c.execute(query("DELETE FROM votes WHERE id = ?").bind(vote_id))
                .await?;
        }
        (Some((vote_id, _)), value) => {
            let q = query(
                "UPDATE votes SET value = ?, voter_hash = COALESCE(?, voter_hash), \
                 voted_at = ? WHERE id = ?",
            );
            c.execute(q.bind(value).bind(&v.voter_hash).bind(v.at).bind(vote_id))
                .await?;
        }
        (None, 0) => {}
        (None, value) => {
            let q = query(
                "INSERT INTO votes (comment_id, voter_hash, ip_hash, value, voted_at) \
                 VALUES (?, ?, ?, ?, ?)",
            );
            let q = q.bind(v.comment_id.0).bind(&v.voter_hash).bind(&v.ip_hash);
            c.execute(q.bind(value).bind(v.at)).await?;
        }
    }
    let old = existing.map_or(0, |(_, value)| value);
    let up = i64::from(value == 1) - i64::from(old == 1);
    let down = i64::from(value == -1) - i64::from(old == -1);
    let q = query(
        "UPDATE comments SET upvotes = upvotes + ?, downvotes = downvotes + ? WHERE id = ? \
         RETURNING upvotes, downvotes",
    );
    let (upvotes, downvotes): (i64, i64) = c
        .fetch_one(q.bind(up).bind(down).bind(v.comment_id.0))
        .await?;
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

/// Of the comments after a page's first child in its tree, those inside the page's subtrees.
fn below(children: &[Comment], later: Vec<Comment>) -> Vec<Comment> {
    let mut inside: HashSet<CommentId> = children.iter().map(|c| c.id).collect();
    let mut below = Vec::new();
    for c in later {
        if c.parent_id.is_some_and(|p| inside.contains(&p)) {
            inside.insert(c.id);
            below.push(c);
        }
    }
    below
}

#[async_trait]
impl<B: Backend> CommentStore for SqlStore<B> {
    async fn create_comment(&self, new: NewComment) -> Result<(Comment, Thread)> {
        self.write(move |c| Box::pin(super::new_comment::create(c, new)))
            .await
    }

    async fn comment(&self, id: CommentId) -> Result<Option<Comment>> {
        let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE id = ?");
        self.reader().fetch_optional(query(&sql).bind(id.0)).await
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
        let q = query(
            "SELECT body, replaced_at FROM comment_revisions WHERE comment_id = ? ORDER BY id",
        );
        let rows: Vec<(String, i64)> = self.reader().fetch_all(q.bind(id.0)).await?;
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
        let q = query(&sql).bind(thread.0).bind(i64::from(limit));
        self.reader().fetch_all(q.bind(offset as i64)).await
    }

    async fn descendants(&self, roots: &[CommentId], per_root: u32) -> Result<Vec<Comment>> {
        if roots.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM (SELECT *, ROW_NUMBER() OVER \
             (PARTITION BY root_id ORDER BY id) AS row_rank FROM comments WHERE root_id IN (?) \
             AND parent_id IS NOT NULL AND {PUBLIC}) AS ranked WHERE row_rank <= ? ORDER BY id"
        );
        let ids: Vec<i64> = roots.iter().map(|r| r.0).collect();
        let q = query(&sql).bind(&ids[..]).bind(i64::from(per_root));
        self.reader().fetch_all(q).await
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
        let q = query(&sql).bind(parent.0).bind(i64::from(limit));
        let children: Vec<Comment> = self.reader().fetch_all(q.bind(offset as i64)).await?;
        let Some(first) = children.first() else {
            return Ok((children, Vec::new()));
        };
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE root_id = ? AND id > ? \
             AND parent_id IS NOT NULL AND parent_id <> ? AND {PUBLIC} ORDER BY id LIMIT ?"
        );
        let q = query(&sql)
            .bind(first.root_id.0)
            .bind(first.id.0)
            .bind(parent.0);
        let later = self.reader().fetch_all(q.bind(i64::from(budget))).await?;
        let below = below(&children, later);
        Ok((children, below))
    }
}
