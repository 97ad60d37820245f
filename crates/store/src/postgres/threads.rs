//! Threads and comment counts in PostgreSQL.

use super::rows::{self, THREAD_COLUMNS};
use super::{db_err, PgStore};
use async_trait::async_trait;
use rostra_core::store::ThreadStore;
use rostra_core::{Error, Result, SiteId, Thread, ThreadId};

#[async_trait]
impl ThreadStore for PgStore {
    async fn thread_by_key(&self, site: SiteId, key: &str) -> Result<Option<Thread>> {
        let sql = format!("SELECT {THREAD_COLUMNS} FROM threads WHERE site_id = $1 AND key = $2");
        let row = sqlx::query(&sql)
            .bind(site.0)
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(rows::thread).transpose()
    }

    async fn thread(&self, id: ThreadId) -> Result<Option<Thread>> {
        let sql = format!("SELECT {THREAD_COLUMNS} FROM threads WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(rows::thread).transpose()
    }

    async fn list_threads(&self, site: SiteId) -> Result<Vec<Thread>> {
        let sql = format!("SELECT {THREAD_COLUMNS} FROM threads WHERE site_id = $1 ORDER BY id");
        let rows = sqlx::query(&sql)
            .bind(site.0)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(rows::thread).collect()
    }

    async fn set_thread_closed(&self, id: ThreadId, closed: bool) -> Result<()> {
        let done = sqlx::query("UPDATE threads SET closed = $1 WHERE id = $2")
            .bind(closed)
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(Error::ThreadNotFound);
        }
        Ok(())
    }

    async fn comment_counts(&self, site: SiteId, keys: &[String]) -> Result<Vec<(String, i64)>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query_as(
            "SELECT key, comment_count FROM threads WHERE site_id = $1 AND key = ANY($2)",
        )
        .bind(site.0)
        .bind(keys)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)
    }
}
