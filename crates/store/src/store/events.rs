//! Thread events: what changed in a thread, for live readers and other instances.

use super::{Backend, SqlStore};
use crate::rows::{Cells, FromRow};
use crate::sql::{query, Db};
use async_trait::async_trait;
use rostra_core::events::{NewEvent, ThreadEvent};
use rostra_core::store::EventStore;
use rostra_core::{Result, SiteId, StoreError, ThreadId};

const SELECT: &str = "SELECT e.id, e.thread_id, t.site_id, t.key, e.kind, e.payload, e.at \
     FROM thread_events e JOIN threads t ON t.id = e.thread_id";

impl FromRow for ThreadEvent {
    fn from_row(r: &impl Cells) -> Result<ThreadEvent> {
        Ok(ThreadEvent {
            id: r.cell(0)?,
            thread_id: ThreadId(r.cell(1)?),
            site_id: SiteId(r.cell(2)?),
            thread_key: r.cell(3)?,
            kind: r.cell(4)?,
            payload: r.cell(5)?,
            at: r.cell(6)?,
        })
    }
}

/// Stores the events and answers them whole, in order.
async fn insert(c: &mut impl Db, events: &[NewEvent]) -> Result<Vec<ThreadEvent>> {
    let mut ids = Vec::with_capacity(events.len());
    for e in events {
        let q = query(
            "INSERT INTO thread_events (thread_id, kind, payload, at) VALUES (?, ?, ?, ?) \
             RETURNING id",
        );
        let q = q.bind(e.thread.0).bind(e.kind).bind(&e.payload).bind(e.at);
        let (id,): (i64,) = c.fetch_one(q).await?;
        ids.push(id);
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("{SELECT} WHERE e.id IN (?) ORDER BY e.id");
    c.fetch_all(query(&sql).bind(&ids[..])).await
}

#[async_trait]
impl<B: Backend> EventStore for SqlStore<B> {
    async fn append_event(
        &self,
        thread: ThreadId,
        kind: &str,
        payload: &str,
        at: i64,
    ) -> Result<ThreadEvent> {
        let (kind, payload) = (kind.to_string(), payload.to_string());
        let stored = self
            .write(move |c| {
                Box::pin(async move {
                    let q = query(
                        "INSERT INTO thread_events (thread_id, kind, payload, at) \
                         VALUES (?, ?, ?, ?) RETURNING id",
                    );
                    let q = q.bind(thread.0).bind(&kind).bind(&payload).bind(at);
                    let (id,): (i64,) = c.fetch_one(q).await?;
                    let sql = format!("{SELECT} WHERE e.id = ?");
                    c.fetch_optional(query(&sql).bind(id)).await
                })
            })
            .await?;
        stored.ok_or_else(|| StoreError::NotFound.into())
    }

    /// Events record changes that are durable already, so they are written lazily (SQLite).
    async fn append_events(&self, events: &[NewEvent]) -> Result<Vec<ThreadEvent>> {
        let events = events.to_vec();
        self.write_lazy(move |c| Box::pin(async move { insert(c, &events).await }))
            .await
    }

    async fn event(&self, id: i64) -> Result<Option<ThreadEvent>> {
        let sql = format!("{SELECT} WHERE e.id = ?");
        self.reader().fetch_optional(query(&sql).bind(id)).await
    }

    async fn events_since(
        &self,
        thread: ThreadId,
        after: i64,
        limit: u32,
    ) -> Result<Vec<ThreadEvent>> {
        let sql = format!("{SELECT} WHERE e.thread_id = ? AND e.id > ? ORDER BY e.id LIMIT ?");
        let q = query(&sql)
            .bind(thread.0)
            .bind(after)
            .bind(i64::from(limit));
        self.reader().fetch_all(q).await
    }

    async fn purge_events(&self, before: i64) -> Result<u64> {
        let sql = "DELETE FROM thread_events WHERE at < ?";
        self.write_one(sql, vec![before.into()]).await
    }
}
