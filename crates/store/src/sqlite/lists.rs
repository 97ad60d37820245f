//! The most discussed threads and the latest published comments of a site, in SQLite.

use super::rows::{self, placeholders, COMMENT_COLUMNS, THREAD_COLUMNS};
use super::{db_err, SqliteStore};
use crate::lists::{attach_threads, prefixed};
use async_trait::async_trait;
use rostra_core::lists::{DiscussedThread, ListStore, ListedComment};
use rostra_core::{Result, SiteId, ThreadId};
use sqlx::Row;

#[async_trait]
impl ListStore for SqliteStore {
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
        let found = sqlx::query(&sql)
            .bind(site.0)
            .bind(since)
            .bind(i64::from(limit))
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        found
            .iter()
            .map(|row| {
                Ok(DiscussedThread {
                    thread: rows::thread(row)?,
                    recent_comments: row.try_get("recent_comments").map_err(db_err)?,
                })
            })
            .collect()
    }

    async fn latest_comments(
        &self,
        site: SiteId,
        thread: Option<ThreadId>,
        limit: u32,
    ) -> Result<Vec<ListedComment>> {
        let columns = prefixed("c", COMMENT_COLUMNS);
        let in_thread = if thread.is_some() {
            " AND c.thread_id = ?"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {columns} FROM comments c JOIN threads t ON t.id = c.thread_id \
             WHERE t.site_id = ? AND c.status = 'published'{in_thread} \
             ORDER BY c.created_at DESC, c.id DESC LIMIT ?"
        );
        let mut q = sqlx::query(&sql).bind(site.0);
        if let Some(t) = thread {
            q = q.bind(t.0);
        }
        let found = q
            .bind(i64::from(limit))
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        let comments = rows::comments(&found)?;
        let mut ids: Vec<i64> = comments.iter().map(|c| c.thread_id.0).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {THREAD_COLUMNS} FROM threads WHERE id IN ({})",
            placeholders(ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in &ids {
            q = q.bind(id);
        }
        let threads = q.fetch_all(&self.read).await.map_err(db_err)?;
        let threads = threads.iter().map(rows::thread).collect::<Result<_>>()?;
        Ok(attach_threads(comments, threads))
    }
}
