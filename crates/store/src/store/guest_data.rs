//! A guest's own comments: found by a confirmed address or by edit tokens, and kept as a
//! deleted user's when the guest asks.

use super::{Backend, SqlStore};
use crate::rows::COMMENT_COLUMNS;
use crate::sql::{query, Db};
use async_trait::async_trait;
use rostra_core::store::GuestDataStore;
use rostra_core::{Comment, CommentId, Result, SiteId};

#[async_trait]
impl<B: Backend> GuestDataStore for SqlStore<B> {
    async fn comments_by_guest_email(&self, site: SiteId, email: &str) -> Result<Vec<Comment>> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE account_id IS NULL \
             AND thread_id IN (SELECT id FROM threads WHERE site_id = ?) \
             AND (lower(author_email) = ? OR author_key IN (SELECT author_key \
             FROM verified_guests WHERE site_id = ? AND lower(email) = ?)) ORDER BY id"
        );
        let email = email.trim().to_lowercase();
        let q = query(&sql)
            .bind(site.0)
            .bind(&email)
            .bind(site.0)
            .bind(&email);
        self.reader().fetch_all(q).await
    }

    async fn comments_by_edit_tokens(&self, token_hashes: &[String]) -> Result<Vec<Comment>> {
        if token_hashes.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE account_id IS NULL \
             AND edit_token_hash IN (?) ORDER BY id"
        );
        self.reader()
            .fetch_all(query(&sql).bind(token_hashes))
            .await
    }

    async fn anonymize_guest_comments(&self, ids: &[CommentId], deleted_name: &str) -> Result<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let deleted_name = deleted_name.to_string();
        self.write(move |c| {
            Box::pin(async move {
                let q = query(
                    "UPDATE comments SET author_name = ?, author_email = NULL, \
                     author_url = NULL, author_key = NULL, ip_hash = NULL, net_hash = NULL, \
                     edit_token_hash = NULL WHERE account_id IS NULL AND id IN (?)",
                );
                c.execute(q.bind(&deleted_name).bind(&ids[..])).await
            })
        })
        .await
    }

    async fn guest_data_link(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<(SiteId, String)>> {
        let q = query(
            "SELECT site_id, email FROM email_links WHERE token_hash = ? \
             AND purpose = 'guest_data' AND expires_at > ?",
        );
        let row: Option<(Option<i64>, Option<String>)> = self
            .reader()
            .fetch_optional(q.bind(token_hash).bind(now))
            .await?;
        Ok(match row {
            Some((Some(site), Some(email))) => Some((SiteId(site), email)),
            _ => None,
        })
    }
}
