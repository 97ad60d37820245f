//! Threads and comment counts.

use super::{Backend, SqlStore};
use crate::rows::THREAD_COLUMNS;
use crate::sql::{query, Db};
use async_trait::async_trait;
use rostra_core::store::ThreadStore;
use rostra_core::{Error, Result, SiteId, Thread, ThreadId};

#[async_trait]
impl<B: Backend> ThreadStore for SqlStore<B> {
    async fn thread_by_key(&self, site: SiteId, key: &str) -> Result<Option<Thread>> {
        let sql = format!("SELECT {THREAD_COLUMNS} FROM threads WHERE site_id = ? AND key = ?");
        let q = query(&sql).bind(site.0).bind(key);
        self.reader().fetch_optional(q).await
    }

    async fn thread(&self, id: ThreadId) -> Result<Option<Thread>> {
        let sql = format!("SELECT {THREAD_COLUMNS} FROM threads WHERE id = ?");
        self.reader().fetch_optional(query(&sql).bind(id.0)).await
    }

    async fn list_threads(&self, site: SiteId) -> Result<Vec<Thread>> {
        let sql = format!("SELECT {THREAD_COLUMNS} FROM threads WHERE site_id = ? ORDER BY id");
        self.reader().fetch_all(query(&sql).bind(site.0)).await
    }

    async fn set_thread_closed(&self, id: ThreadId, closed: bool) -> Result<()> {
        let sql = "UPDATE threads SET closed = ? WHERE id = ?";
        match self
            .write_one(sql, vec![closed.into(), id.0.into()])
            .await?
        {
            0 => Err(Error::ThreadNotFound),
            _ => Ok(()),
        }
    }

    async fn comment_counts(&self, site: SiteId, keys: &[String]) -> Result<Vec<(String, i64)>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let q = query("SELECT key, comment_count FROM threads WHERE site_id = ? AND key IN (?)");
        self.reader().fetch_all(q.bind(site.0).bind(keys)).await
    }
}
