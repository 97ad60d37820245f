//! The most discussed threads and the latest published comments of a site.

use super::{Backend, SqlStore};
use crate::rows::{Cells, FromRow, COMMENT_COLUMNS, THREAD_COLUMNS};
use crate::sql::{query, Db};
use async_trait::async_trait;
use rostra_core::lists::{DiscussedThread, ListStore, ListedComment};
use rostra_core::{Comment, Result, SiteId, Thread, ThreadId};
use std::collections::HashMap;

impl FromRow for DiscussedThread {
    fn from_row(row: &impl Cells) -> Result<DiscussedThread> {
        Ok(DiscussedThread {
            thread: Thread::from_row(row)?,
            recent_comments: row.cell("recent_comments")?,
        })
    }
}

#[async_trait]
impl<B: Backend> ListStore for SqlStore<B> {
    async fn most_discussed(
        &self,
        site: SiteId,
        since: i64,
        limit: u32,
    ) -> Result<Vec<DiscussedThread>> {
        let columns = prefixed("t", THREAD_COLUMNS);
        let sql = format!(
            "SELECT {columns}, COUNT(*) AS recent_comments \
             FROM comments c JOIN threads t ON t.id = c.thread_id \
             WHERE t.site_id = ? AND c.status = 'published' AND c.created_at >= ? \
             GROUP BY {columns} ORDER BY recent_comments DESC, t.id DESC LIMIT ?"
        );
        let q = query(&sql).bind(site.0).bind(since).bind(i64::from(limit));
        self.reader().fetch_all(q).await
    }

    async fn latest_comments(
        &self,
        site: SiteId,
        thread: Option<ThreadId>,
        limit: u32,
    ) -> Result<Vec<ListedComment>> {
        let columns = prefixed("c", COMMENT_COLUMNS);
        let in_thread = match thread {
            Some(_) => " AND c.thread_id = ?",
            None => "",
        };
        let sql = format!(
            "SELECT {columns} FROM comments c JOIN threads t ON t.id = c.thread_id \
             WHERE t.site_id = ? AND c.status = 'published'{in_thread} \
             ORDER BY c.created_at DESC, c.id DESC LIMIT ?"
        );
        let mut q = query(&sql).bind(site.0);
        if let Some(t) = thread {
            q = q.bind(t.0);
        }
        let comments: Vec<Comment> = self.reader().fetch_all(q.bind(i64::from(limit))).await?;
        let mut ids: Vec<i64> = comments.iter().map(|c| c.thread_id.0).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("SELECT {THREAD_COLUMNS} FROM threads WHERE id IN (?)");
        let threads = self.reader().fetch_all(query(&sql).bind(&ids[..])).await?;
        Ok(attach_threads(comments, threads))
    }
}

/// `a, b` as `p.a, p.b`, for a column list used in a join.
fn prefixed(table: &str, columns: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{table}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Pairs each comment with its thread, keeping the comments' order (a comment whose thread is
/// missing cannot happen under the foreign key, and is left out).
fn attach_threads(comments: Vec<Comment>, threads: Vec<Thread>) -> Vec<ListedComment> {
    let by_id: HashMap<i64, Thread> = threads.into_iter().map(|t| (t.id.0, t)).collect();
    comments
        .into_iter()
        .filter_map(|comment| {
            let thread = by_id.get(&comment.thread_id.0)?.clone();
            Some(ListedComment { comment, thread })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefixes_every_column() {
        assert_eq!(super::prefixed("t", "id, key,\n url"), "t.id, t.key, t.url");
    }
}
