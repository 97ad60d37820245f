//! The outbox of messages to deliver.

use super::notifications::ENQUEUE;
use super::{Backend, SqlStore};
use crate::rows::{Cells, FromRow};
use crate::sql::{query, Db};
use async_trait::async_trait;
use rostra_core::outbox::{NewOutboxItem, OutboxItem};
use rostra_core::store::OutboxStore;
use rostra_core::Result;

const COLUMNS: &str =
    "id, kind, recipient, payload, attempts, next_attempt_at, sent_at, last_error, created_at";

impl FromRow for OutboxItem {
    fn from_row(r: &impl Cells) -> Result<OutboxItem> {
        Ok(OutboxItem {
            id: r.cell("id")?,
            kind: r.cell("kind")?,
            recipient: r.cell("recipient")?,
            payload: r.cell("payload")?,
            attempts: r.cell("attempts")?,
            next_attempt_at: r.cell("next_attempt_at")?,
            sent_at: r.cell("sent_at")?,
            last_error: r.cell("last_error")?,
            created_at: r.cell("created_at")?,
        })
    }
}

/// Leases due items to this instance until `lease_until`; on PostgreSQL, items another
/// instance is claiming at the same moment are left to it.
async fn claim(c: &mut impl Db, now: i64, lease_until: i64, limit: u32) -> Result<Vec<OutboxItem>> {
    let sql = format!(
        "UPDATE outbox SET next_attempt_at = ? WHERE id IN (SELECT id FROM outbox \
         WHERE sent_at IS NULL AND next_attempt_at IS NOT NULL AND next_attempt_at <= ? \
         ORDER BY next_attempt_at, id LIMIT ?{}) RETURNING {COLUMNS}",
        c.dialect().skip_locked()
    );
    let q = query(&sql)
        .bind(lease_until)
        .bind(now)
        .bind(i64::from(limit));
    c.fetch_all(q).await
}

#[async_trait]
impl<B: Backend> OutboxStore for SqlStore<B> {
    async fn enqueue(&self, new: NewOutboxItem, now: i64) -> Result<i64> {
        let args = vec![
            new.kind.into(),
            new.recipient.into(),
            new.payload.into(),
            now.into(),
            now.into(),
        ];
        self.write_id(ENQUEUE, args).await
    }

    async fn claim_outbox(
        &self,
        now: i64,
        lease_until: i64,
        limit: u32,
    ) -> Result<Vec<OutboxItem>> {
        self.write(move |c| Box::pin(claim(c, now, lease_until, limit)))
            .await
    }

    async fn outbox_sent(&self, id: i64, at: i64) -> Result<()> {
        let sql = "UPDATE outbox SET attempts = attempts + 1, sent_at = ?, \
                   next_attempt_at = NULL WHERE id = ?";
        self.write_one(sql, vec![at.into(), id.into()])
            .await
            .map(drop)
    }

    async fn outbox_failed(&self, id: i64, error: &str, retry_at: Option<i64>) -> Result<()> {
        let sql = "UPDATE outbox SET attempts = attempts + 1, last_error = ?, \
                   next_attempt_at = ? WHERE id = ?";
        let args = vec![error.into(), retry_at.into(), id.into()];
        self.write_one(sql, args).await.map(drop)
    }

    async fn outbox_item(&self, id: i64) -> Result<Option<OutboxItem>> {
        let sql = format!("SELECT {COLUMNS} FROM outbox WHERE id = ?");
        self.reader().fetch_optional(query(&sql).bind(id)).await
    }

    async fn purge_outbox(&self, before: i64) -> Result<u64> {
        let sql = "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?";
        self.write_one(sql, vec![before.into()]).await
    }

    async fn recent_outbox(&self, before_id: Option<i64>, limit: u32) -> Result<Vec<OutboxItem>> {
        let before = match before_id {
            Some(_) => " WHERE id < ?",
            None => "",
        };
        let sql = format!("SELECT {COLUMNS} FROM outbox{before} ORDER BY id DESC LIMIT ?");
        let mut q = query(&sql);
        if let Some(id) = before_id {
            q = q.bind(id);
        }
        self.reader().fetch_all(q.bind(i64::from(limit))).await
    }
}
