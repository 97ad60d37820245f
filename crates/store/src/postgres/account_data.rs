//! A reader's own data in PostgreSQL: their comments, deleting their account, and forgetting
//! guests' unconfirmed addresses.

use super::rows::{self, COMMENT_COLUMNS};
use super::{db_err, PgStore};
use async_trait::async_trait;
use rostra_core::store::AccountDataStore;
use rostra_core::{AccountId, Comment, Result};

#[async_trait]
impl AccountDataStore for PgStore {
    async fn comments_by_account(&self, id: AccountId) -> Result<Vec<Comment>> {
        let sql =
            format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE account_id = $1 ORDER BY id");
        let found = sqlx::query(&sql)
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        found.iter().map(rows::comment).collect()
    }

    async fn delete_account(&self, id: AccountId, deleted_name: &str) -> Result<u64> {
        let deleted_name = deleted_name.to_string();
        self.write(move |c| {
            Box::pin(async move {
                let kept = sqlx::query(
                    "UPDATE comments SET author_name = $1, author_email = NULL, \
                         author_url = NULL, author_key = NULL, ip_hash = NULL, net_hash = NULL, \
                         author_badge = NULL, account_id = NULL WHERE account_id = $2",
                )
                .bind(&deleted_name)
                .bind(id.0)
                .execute(&mut *c)
                .await
                .map_err(db_err)?
                .rows_affected();
                for sql in [
                    "DELETE FROM reader_sessions WHERE account_id = $1",
                    "DELETE FROM email_links WHERE account_id = $1",
                    "DELETE FROM passkeys WHERE account_id = $1",
                    "DELETE FROM webauthn_ceremonies WHERE account_id = $1",
                    "DELETE FROM accounts WHERE id = $1",
                ] {
                    sqlx::query(sql)
                        .bind(id.0)
                        .execute(&mut *c)
                        .await
                        .map_err(db_err)?;
                }
                Ok(kept)
            })
        })
        .await
    }

    async fn purge_unverified_emails(&self, before: i64) -> Result<u64> {
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE comments SET author_email = NULL WHERE author_email IS NOT NULL \
                         AND account_id IS NULL AND created_at < $1 AND NOT EXISTS (SELECT 1 \
                         FROM verified_guests v, threads t WHERE t.id = comments.thread_id \
                         AND v.site_id = t.site_id AND v.author_key = comments.author_key)",
                )
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
