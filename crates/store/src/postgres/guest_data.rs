//! A guest's own comments in PostgreSQL: found by a confirmed address or by edit tokens, and
//! kept as a deleted user's when the guest asks.

use super::rows::{self, COMMENT_COLUMNS};
use super::{db_err, PgStore};
use async_trait::async_trait;
use rostra_core::store::GuestDataStore;
use rostra_core::{Comment, CommentId, Result, SiteId};

#[async_trait]
impl GuestDataStore for PgStore {
    async fn comments_by_guest_email(&self, site: SiteId, email: &str) -> Result<Vec<Comment>> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE account_id IS NULL \
             AND thread_id IN (SELECT id FROM threads WHERE site_id = $1) \
             AND (lower(author_email) = $2 OR author_key IN (SELECT author_key \
             FROM verified_guests WHERE site_id = $1 AND lower(email) = $2)) ORDER BY id"
        );
        let found = sqlx::query(&sql)
            .bind(site.0)
            .bind(email.trim().to_lowercase())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        found.iter().map(rows::comment).collect()
    }

    async fn comments_by_edit_tokens(&self, token_hashes: &[String]) -> Result<Vec<Comment>> {
        if token_hashes.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE account_id IS NULL \
             AND edit_token_hash = ANY($1) ORDER BY id"
        );
        let found = sqlx::query(&sql)
            .bind(token_hashes)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        found.iter().map(rows::comment).collect()
    }

    async fn anonymize_guest_comments(&self, ids: &[CommentId], deleted_name: &str) -> Result<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let deleted_name = deleted_name.to_string();
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE comments SET author_name = $1, author_email = NULL, \
                     author_url = NULL, author_key = NULL, ip_hash = NULL, net_hash = NULL, \
                     edit_token_hash = NULL WHERE account_id IS NULL AND id = ANY($2)",
                )
                .bind(&deleted_name)
                .bind(&ids)
                .execute(&mut *c)
                .await
                .map_err(db_err)?;
                Ok(done.rows_affected())
            })
        })
        .await
    }

    async fn guest_data_link(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<(SiteId, String)>> {
        let row: Option<(Option<i64>, Option<String>)> = sqlx::query_as(
            "SELECT site_id, email FROM email_links WHERE token_hash = $1 \
             AND purpose = 'guest_data' AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(match row {
            Some((Some(site), Some(email))) => Some((SiteId(site), email)),
            _ => None,
        })
    }
}
