//! The most discussed threads and the latest published comments of a site, in PostgreSQL.

use super::rows::{self, COMMENT_COLUMNS, THREAD_COLUMNS};
use super::{db_err, PgStore};
use crate::lists::{attach_threads, prefixed};
use async_trait::async_trait;
use rostra_core::lists::{DiscussedThread, ListStore, ListedComment};
use rostra_core::{Result, SiteId, ThreadId};
use sqlx::Row;

#[async_trait]
impl ListStore for PgStore {
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
             WHERE t.site_id = $1 AND c.status = 'published' AND c.created_at >= $2 \
             GROUP BY t.id ORDER BY recent_comments DESC, t.id DESC LIMIT $3"
        );
        let found = sqlx::query(&sql)
            .bind(site.0)
            .bind(since)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
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
        // `$3` is NULL for the whole site.
        let sql = format!(
            "SELECT {columns} FROM comments c JOIN threads t ON t.id = c.thread_id \
             WHERE t.site_id = $1 AND c.status = 'published' \
             AND ($3::BIGINT IS NULL OR c.thread_id = $3) \
             ORDER BY c.created_at DESC, c.id DESC LIMIT $2"
        );
        let found = sqlx::query(&sql)
            .bind(site.0)
            .bind(i64::from(limit))
            .bind(thread.map(|t| t.0))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let comments = rows::comments(&found)?;
        let mut ids: Vec<i64> = comments.iter().map(|c| c.thread_id.0).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("SELECT {THREAD_COLUMNS} FROM threads WHERE id = ANY($1)");
        let threads = sqlx::query(&sql)
            .bind(&ids)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let threads = threads.iter().map(rows::thread).collect::<Result<_>>()?;
        Ok(attach_threads(comments, threads))
    }
}
