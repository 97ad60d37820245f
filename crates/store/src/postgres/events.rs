//! Thread events in PostgreSQL.

use super::{db_err, PgStore};
use async_trait::async_trait;
use rostra_core::events::{NewEvent, ThreadEvent};
use rostra_core::store::EventStore;
use rostra_core::{Result, SiteId, StoreError, ThreadId};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

const SELECT: &str = "SELECT e.id, e.thread_id, t.site_id, t.key, e.kind, e.payload, e.at \
     FROM thread_events e JOIN threads t ON t.id = e.thread_id";

fn event(r: &PgRow) -> Result<ThreadEvent> {
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

/// Stores one event and answers it whole, in one statement.
async fn insert(
    c: &mut PgConnection,
    thread: ThreadId,
    kind: &str,
    payload: &str,
    at: i64,
) -> Result<ThreadEvent> {
    let row = sqlx::query(
        "WITH e AS (INSERT INTO thread_events (thread_id, kind, payload, at) \
         VALUES ($1, $2, $3, $4) RETURNING id, thread_id, kind, payload, at) \
         SELECT e.id, e.thread_id, t.site_id, t.key, e.kind, e.payload, e.at \
         FROM e JOIN threads t ON t.id = e.thread_id",
    )
    .bind(thread.0)
    .bind(kind)
    .bind(payload)
    .bind(at)
    .fetch_optional(&mut *c)
    .await
    .map_err(db_err)?;
    row.as_ref()
        .map(event)
        .transpose()?
        .ok_or_else(|| StoreError::NotFound.into())
}

#[async_trait]
impl EventStore for PgStore {
    async fn append_event(
        &self,
        thread: ThreadId,
        kind: &str,
        payload: &str,
        at: i64,
    ) -> Result<ThreadEvent> {
        let (kind, payload) = (kind.to_string(), payload.to_string());
        self.write(move |c| Box::pin(async move { insert(c, thread, &kind, &payload, at).await }))
            .await
    }

    async fn append_events(&self, events: &[NewEvent]) -> Result<Vec<ThreadEvent>> {
        let events = events.to_vec();
        self.write(move |c| {
            Box::pin(async move {
                let mut stored = Vec::with_capacity(events.len());
                for e in &events {
                    stored.push(insert(c, e.thread, e.kind, &e.payload, e.at).await?);
                }
                Ok(stored)
            })
        })
        .await
    }

    async fn event(&self, id: i64) -> Result<Option<ThreadEvent>> {
        let row = sqlx::query(&format!("{SELECT} WHERE e.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
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
            "{SELECT} WHERE e.thread_id = $1 AND e.id > $2 ORDER BY e.id LIMIT $3"
        ))
        .bind(thread.0)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(event).collect()
    }

    async fn purge_events(&self, before: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM thread_events WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
