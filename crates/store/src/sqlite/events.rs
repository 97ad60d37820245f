//! Thread events in SQLite.

use super::rows::Cells;
use super::writer::direct_err;
use super::{db_err, SqliteStore};
use async_trait::async_trait;
use rostra_core::events::{NewEvent, ThreadEvent};
use rostra_core::store::EventStore;
use rostra_core::{Result, SiteId, StoreError, ThreadId};
use rusqlite::params;

const SELECT: &str = "SELECT e.id, e.thread_id, t.site_id, t.key, e.kind, e.payload, e.at \
     FROM thread_events e JOIN threads t ON t.id = e.thread_id";

fn event(r: &impl Cells) -> Result<ThreadEvent> {
    Ok(ThreadEvent {
        id: r.cell("id")?,
        thread_id: ThreadId(r.cell("thread_id")?),
        site_id: SiteId(r.cell("site_id")?),
        thread_key: r.cell("key")?,
        kind: r.cell("kind")?,
        payload: r.cell("payload")?,
        at: r.cell("at")?,
    })
}

#[async_trait]
impl EventStore for SqliteStore {
    async fn append_event(
        &self,
        thread: ThreadId,
        kind: &str,
        payload: &str,
        at: i64,
    ) -> Result<ThreadEvent> {
        let (kind, payload) = (kind.to_string(), payload.to_string());
        let id = self
            .writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query_scalar::<_, i64>(
                        "INSERT INTO thread_events (thread_id, kind, payload, at) VALUES (?, ?, ?, ?) RETURNING id",
                    )
                    .bind(thread.0)
                    .bind(&kind)
                    .bind(&payload)
                    .bind(at)
                    .fetch_one(c)
                    .await
                    .map_err(db_err)
                })
            })
            .await?;
        self.event(id)
            .await?
            .ok_or_else(|| StoreError::NotFound.into())
    }

    async fn append_events(&self, events: &[NewEvent]) -> Result<Vec<ThreadEvent>> {
        let events = events.to_vec();
        self.writer
            .write_direct_lazy(move |db| {
                let mut ids = Vec::with_capacity(events.len());
                let mut insert = db
                    .prepare_cached(
                        "INSERT INTO thread_events (thread_id, kind, payload, at) \
                         VALUES (?, ?, ?, ?) RETURNING id",
                    )
                    .map_err(direct_err)?;
                for e in &events {
                    let id: i64 = insert
                        .query_row(params![e.thread.0, e.kind, e.payload, e.at], |r| r.get(0))
                        .map_err(direct_err)?;
                    ids.push(id);
                }
                let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
                    return Ok(Vec::new());
                };
                // One writer: the ids of this job's rows are the only ones in this range.
                let mut select = db
                    .prepare_cached(&format!(
                        "{SELECT} WHERE e.id BETWEEN ? AND ? ORDER BY e.id"
                    ))
                    .map_err(direct_err)?;
                let mut rows = select.query([first, last]).map_err(direct_err)?;
                let mut stored = Vec::with_capacity(ids.len());
                while let Some(row) = rows.next().map_err(direct_err)? {
                    stored.push(event(row)?);
                }
                Ok(stored)
            })
            .await
    }

    async fn event(&self, id: i64) -> Result<Option<ThreadEvent>> {
        let row = sqlx::query(&format!("{SELECT} WHERE e.id = ?"))
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        row.as_ref().map(event).transpose()
    }

    async fn events_since(
        &self,
        thread: ThreadId,
        after: i64,
        limit: u32,
    ) -> Result<Vec<ThreadEvent>> {
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE e.thread_id = ? AND e.id > ? ORDER BY e.id LIMIT ?"
        ))
        .bind(thread.0)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        rows.iter().map(event).collect()
    }

    async fn purge_events(&self, before: i64) -> Result<u64> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query("DELETE FROM thread_events WHERE at < ?")
                        .bind(before)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    Ok(done.rows_affected())
                })
            })
            .await
    }
}
