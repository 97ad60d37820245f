//! Threads and comment counts in SQLite.

use super::rows::{self, placeholders, THREAD_COLUMNS};
use super::{db_err, SqliteStore};
use async_trait::async_trait;
use rostra_core::store::ThreadStore;
use rostra_core::{Error, Result, SiteId, Thread, ThreadId};

#[async_trait]
impl ThreadStore for SqliteStore {
    async fn thread_by_key(&self, site: SiteId, key: &str) -> Result<Option<Thread>> {
        let sql = format!("SELECT {THREAD_COLUMNS} FROM threads WHERE site_id = ? AND key = ?");
        let row = sqlx::query(&sql)
            .bind(site.0)
            .bind(key)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        row.as_ref().map(rows::thread).transpose()
    }

    async fn thread(&self, id: ThreadId) -> Result<Option<Thread>> {
        let sql = format!("SELECT {THREAD_COLUMNS} FROM threads WHERE id = ?");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        row.as_ref().map(rows::thread).transpose()
    }

    async fn list_threads(&self, site: SiteId) -> Result<Vec<Thread>> {
        let sql = format!("SELECT {THREAD_COLUMNS} FROM threads WHERE site_id = ? ORDER BY id");
        let rows = sqlx::query(&sql)
            .bind(site.0)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        rows.iter().map(rows::thread).collect()
    }

    async fn set_thread_closed(&self, id: ThreadId, closed: bool) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query("UPDATE threads SET closed = ? WHERE id = ?")
                        .bind(closed)
                        .bind(id.0)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(Error::ThreadNotFound);
                    }
                    Ok(())
                })
            })
            .await
    }

    async fn comment_counts(&self, site: SiteId, keys: &[String]) -> Result<Vec<(String, i64)>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT key, comment_count FROM threads WHERE site_id = ? AND key IN ({})",
            placeholders(keys.len())
        );
        let mut q = sqlx::query_as::<_, (String, i64)>(&sql).bind(site.0);
        for k in keys {
            q = q.bind(k);
        }
        q.fetch_all(&self.read).await.map_err(db_err)
    }
}
