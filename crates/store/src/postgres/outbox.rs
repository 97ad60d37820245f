//! The outbox of messages to deliver, in PostgreSQL; a claim skips rows another instance holds.

use super::{db_err, PgStore};
use async_trait::async_trait;
use rostra_core::outbox::{NewOutboxItem, OutboxItem};
use rostra_core::store::OutboxStore;
use rostra_core::Result;
use sqlx::postgres::PgRow;
use sqlx::Row;

const COLUMNS: &str =
    "id, kind, recipient, payload, attempts, next_attempt_at, sent_at, last_error, created_at";

fn item(r: &PgRow) -> Result<OutboxItem> {
    Ok(OutboxItem {
        id: r.try_get("id").map_err(db_err)?,
        kind: r.try_get("kind").map_err(db_err)?,
        recipient: r.try_get("recipient").map_err(db_err)?,
        payload: r.try_get("payload").map_err(db_err)?,
        attempts: r.try_get("attempts").map_err(db_err)?,
        next_attempt_at: r.try_get("next_attempt_at").map_err(db_err)?,
        sent_at: r.try_get("sent_at").map_err(db_err)?,
        last_error: r.try_get("last_error").map_err(db_err)?,
        created_at: r.try_get("created_at").map_err(db_err)?,
    })
}

#[async_trait]
impl OutboxStore for PgStore {
    async fn enqueue(&self, new: NewOutboxItem, now: i64) -> Result<i64> {
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query_scalar(
                    "INSERT INTO outbox (kind, recipient, payload, next_attempt_at, created_at) \
                         VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(&new.kind)
                .bind(&new.recipient)
                .bind(&new.payload)
                .bind(now)
                .bind(now)
                .fetch_one(c)
                .await
                .map_err(db_err)
            })
        })
        .await
    }

    async fn claim_outbox(
        &self,
        now: i64,
        lease_until: i64,
        limit: u32,
    ) -> Result<Vec<OutboxItem>> {
        self.write(move |c| {
                Box::pin(async move {
                    let sql = format!(
                        "UPDATE outbox SET next_attempt_at = $1 WHERE id IN (SELECT id FROM outbox \
                         WHERE sent_at IS NULL AND next_attempt_at IS NOT NULL \
                         AND next_attempt_at <= $2 ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
                         RETURNING {COLUMNS}"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(lease_until)
                        .bind(now)
                        .bind(i64::from(limit))
                        .fetch_all(c)
                        .await
                        .map_err(db_err)?;
                    rows.iter().map(item).collect()
                })
            })
            .await
    }

    async fn outbox_sent(&self, id: i64, at: i64) -> Result<()> {
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, sent_at = $1, \
                         next_attempt_at = NULL WHERE id = $2",
                )
                .bind(at)
                .bind(id)
                .execute(c)
                .await
                .map_err(db_err)?;
                Ok(())
            })
        })
        .await
    }

    async fn outbox_failed(&self, id: i64, error: &str, retry_at: Option<i64>) -> Result<()> {
        let error = error.to_string();
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = $1, \
                         next_attempt_at = $2 WHERE id = $3",
                )
                .bind(&error)
                .bind(retry_at)
                .bind(id)
                .execute(c)
                .await
                .map_err(db_err)?;
                Ok(())
            })
        })
        .await
    }

    async fn outbox_item(&self, id: i64) -> Result<Option<OutboxItem>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM outbox WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(item).transpose()
    }

    async fn purge_outbox(&self, before: i64) -> Result<u64> {
        self.write(move |c| {
            Box::pin(async move {
                let done =
                    sqlx::query("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1")
                        .bind(before)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                Ok(done.rows_affected())
            })
        })
        .await
    }
    async fn recent_outbox(&self, before_id: Option<i64>, limit: u32) -> Result<Vec<OutboxItem>> {
        let rows = match before_id {
            Some(before) => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM outbox WHERE id < $1 ORDER BY id DESC LIMIT $2"
                ))
                .bind(before)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM outbox ORDER BY id DESC LIMIT $1"
                ))
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await
            }
        }
        .map_err(db_err)?;
        rows.iter().map(item).collect()
    }
}
