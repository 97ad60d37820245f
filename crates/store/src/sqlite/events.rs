//! Thread events in SQLite.

use super::{db_err, SqliteStore};
use async_trait::async_trait;
use rostra_core::events::{NewEvent, ThreadEvent};
use rostra_core::store::EventStore;
use rostra_core::{Result, SiteId, StoreError, ThreadId};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

const SELECT: &str = "SELECT e.id, e.thread_id, t.site_id, t.key, e.kind, e.payload, e.at \
     FROM thread_events e JOIN threads t ON t.id = e.thread_id";

fn event(r: &SqliteRow) -> Result<ThreadEvent> {
    Ok(ThreadEvent {
        id: r.try_get(0).map_err(db_err)?,
        thread_id: ThreadId(r.try_get(1).map_err(db_err)?),
        site_id: SiteId(r.try_get(2).map_err(db_err)?),
        thread_key: r.try_get(3).map_err(db_err)?,
        kind: r.try_get(4).map_err(db_err)?,
        payload: r.try_get(5).map_err(db_err)?,
        at: r.try_get(6).map_err(db_err)?,
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
            .write_lazy(move |c| {
                Box::pin(async move {
                    let mut ids = Vec::with_capacity(events.len());
                    for e in &events {
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO thread_events (thread_id, kind, payload, at) \
                             VALUES (?, ?, ?, ?) RETURNING id",
                        )
                        .bind(e.thread.0)
                        .bind(e.kind)
                        .bind(&e.payload)
                        .bind(e.at)
                        .fetch_one(&mut *c)
                        .await
                        .map_err(db_err)?;
                        ids.push(id);
                    }
                    let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
                        return Ok(Vec::new());
                    };
                    // One writer: the ids of this job's rows are the only ones in this range.
                    let rows = sqlx::query(&format!(
                        "{SELECT} WHERE e.id BETWEEN ? AND ? ORDER BY e.id"
                    ))
                    .bind(first)
                    .bind(last)
                    .fetch_all(&mut *c)
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(event).collect()
                })
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
