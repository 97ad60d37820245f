//! Reading comments for the public pages in PostgreSQL: one comment, revisions, a page of
//! top-level comments, bounded replies under them, and pages of replies with their subtrees.

use super::db_err;
use super::rows::{self, COMMENT_COLUMNS, PUBLIC};
use rostra_core::comment::Revision;
use rostra_core::{Comment, CommentId, Result, Sort, ThreadId};
use sqlx::PgPool;
use std::collections::HashSet;

pub async fn comment(pool: &PgPool, id: CommentId) -> Result<Option<Comment>> {
    let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(id.0)
        .fetch_optional(pool)
        .await
        .map_err(db_err)?;
    row.as_ref().map(rows::comment).transpose()
}

pub async fn revisions(pool: &PgPool, id: CommentId) -> Result<Vec<Revision>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT body, replaced_at FROM comment_revisions WHERE comment_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(pool)
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

fn order_by(sort: Sort) -> &'static str {
    match sort {
        Sort::Oldest => "id ASC",
        Sort::Newest => "id DESC",
        Sort::Best => "(upvotes - downvotes) DESC, id ASC",
    }
}

pub async fn top_level_page(
    pool: &PgPool,
    thread: ThreadId,
    sort: Sort,
    offset: u64,
    limit: u32,
) -> Result<Vec<Comment>> {
    let sql = format!(
        "SELECT {COMMENT_COLUMNS} FROM comments WHERE thread_id = $1 AND parent_id IS NULL \
         AND {PUBLIC} ORDER BY {} LIMIT $2 OFFSET $3",
        order_by(sort)
    );
    let rows = sqlx::query(&sql)
        .bind(thread.0)
        .bind(i64::from(limit))
        .bind(offset as i64)
        .fetch_all(pool)
        .await
        .map_err(db_err)?;
    rows::comments(&rows)
}

pub async fn descendants(
    pool: &PgPool,
    roots: &[CommentId],
    per_root: u32,
) -> Result<Vec<Comment>> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COMMENT_COLUMNS} FROM (SELECT *, ROW_NUMBER() OVER \
         (PARTITION BY root_id ORDER BY id) AS row_rank FROM comments WHERE root_id = ANY($1) \
         AND parent_id IS NOT NULL AND {PUBLIC}) AS ranked WHERE row_rank <= $2 ORDER BY id"
    );
    let ids: Vec<i64> = roots.iter().map(|r| r.0).collect();
    let rows = sqlx::query(&sql)
        .bind(&ids)
        .bind(i64::from(per_root))
        .fetch_all(pool)
        .await
        .map_err(db_err)?;
    rows::comments(&rows)
}

pub async fn replies_page(
    pool: &PgPool,
    parent: CommentId,
    offset: u64,
    limit: u32,
    budget: u32,
) -> Result<(Vec<Comment>, Vec<Comment>)> {
    let sql = format!(
        "SELECT {COMMENT_COLUMNS} FROM comments WHERE parent_id = $1 AND {PUBLIC} \
         ORDER BY id LIMIT $2 OFFSET $3"
    );
    let rows = sqlx::query(&sql)
        .bind(parent.0)
        .bind(i64::from(limit))
        .bind(offset as i64)
        .fetch_all(pool)
        .await
        .map_err(db_err)?;
    let children = rows::comments(&rows)?;
    let Some(first) = children.first() else {
        return Ok((children, Vec::new()));
    };
    let sql = format!(
        "SELECT {COMMENT_COLUMNS} FROM comments WHERE root_id = $1 AND id > $2 \
         AND parent_id IS NOT NULL AND parent_id <> $3 AND {PUBLIC} ORDER BY id LIMIT $4"
    );
    let rows = sqlx::query(&sql)
        .bind(first.root_id.0)
        .bind(first.id.0)
        .bind(parent.0)
        .bind(i64::from(budget))
        .fetch_all(pool)
        .await
        .map_err(db_err)?;
    let mut inside: HashSet<CommentId> = children.iter().map(|c| c.id).collect();
    let mut below = Vec::new();
    for c in rows::comments(&rows)? {
        if c.parent_id.is_some_and(|p| inside.contains(&p)) {
            inside.insert(c.id);
            below.push(c);
        }
    }
    Ok((children, below))
}
