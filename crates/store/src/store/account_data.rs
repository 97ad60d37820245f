//! A reader's own data: their comments, deleting their account, and forgetting guests'
//! unconfirmed addresses.

use super::{Backend, SqlStore};
use crate::rows::COMMENT_COLUMNS;
use crate::sql::{query, Db};
use async_trait::async_trait;
use rostra_core::store::AccountDataStore;
use rostra_core::{AccountId, Comment, Result};

async fn delete_account(c: &mut impl Db, id: AccountId, deleted_name: &str) -> Result<u64> {
    let q = query(
        "UPDATE comments SET author_name = ?, author_email = NULL, author_url = NULL, \
         author_key = NULL, ip_hash = NULL, net_hash = NULL, author_badge = NULL, \
         account_id = NULL WHERE account_id = ?",
    );
    let kept = c.execute(q.bind(deleted_name).bind(id.0)).await?;
    for sql in [
        "DELETE FROM reader_sessions WHERE account_id = ?",
        "DELETE FROM email_links WHERE account_id = ?",
        "DELETE FROM passkeys WHERE account_id = ?",
        "DELETE FROM webauthn_ceremonies WHERE account_id = ?",
        "DELETE FROM accounts WHERE id = ?",
    ] {
        c.execute(query(sql).bind(id.0)).await?;
    }
    Ok(kept)
}

#[async_trait]
impl<B: Backend> AccountDataStore for SqlStore<B> {
    async fn comments_by_account(&self, id: AccountId) -> Result<Vec<Comment>> {
        let sql =
            format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE account_id = ? ORDER BY id");
        self.reader().fetch_all(query(&sql).bind(id.0)).await
    }

    async fn delete_account(&self, id: AccountId, deleted_name: &str) -> Result<u64> {
        let deleted_name = deleted_name.to_string();
        self.write(move |c| Box::pin(async move { delete_account(c, id, &deleted_name).await }))
            .await
    }

    async fn purge_unverified_emails(&self, before: i64) -> Result<u64> {
        let sql = "UPDATE comments SET author_email = NULL WHERE author_email IS NOT NULL \
                   AND account_id IS NULL AND created_at < ? AND NOT EXISTS (SELECT 1 \
                   FROM verified_guests v, threads t WHERE t.id = comments.thread_id \
                   AND v.site_id = t.site_id AND v.author_key = comments.author_key)";
        self.write_one(sql, vec![before.into()]).await
    }
}
