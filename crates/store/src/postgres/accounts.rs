//! Reader accounts, their sessions and one-time e-mail links, in PostgreSQL.

use super::{db_err, PgStore};
use async_trait::async_trait;
use rostra_core::account::{
    Account, EmailLink, GuestIdentity, LinkPurpose, NewAccount, ReaderSession,
};
use rostra_core::store::AccountStore;
use rostra_core::{AccountId, Result, SiteId, StoreError};
use sqlx::postgres::PgRow;
use sqlx::Row;

const COLUMNS: &str = "id, site_id, external_id, email, email_verified_at, password_hash, \
     display_name, avatar_url, role, created_at";

fn account(r: &PgRow) -> Result<Account> {
    Ok(Account {
        id: AccountId(r.try_get("id").map_err(db_err)?),
        site_id: r
            .try_get::<Option<i64>, _>("site_id")
            .map_err(db_err)?
            .map(SiteId),
        external_id: r.try_get("external_id").map_err(db_err)?,
        email: r.try_get("email").map_err(db_err)?,
        email_verified_at: r.try_get("email_verified_at").map_err(db_err)?,
        password_hash: r.try_get("password_hash").map_err(db_err)?,
        display_name: r.try_get("display_name").map_err(db_err)?,
        avatar_url: r.try_get("avatar_url").map_err(db_err)?,
        role: r.try_get("role").map_err(db_err)?,
        created_at: r.try_get("created_at").map_err(db_err)?,
    })
}

#[async_trait]
impl AccountStore for PgStore {
    async fn create_account(&self, new: NewAccount, now: i64) -> Result<Account> {
        let id: i64 = self
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query_scalar(
                        "INSERT INTO accounts (site_id, external_id, email, email_verified_at, \
                         password_hash, display_name, avatar_url, role, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    )
                    .bind(new.site_id.map(|s| s.0))
                    .bind(&new.external_id)
                    .bind(new.email.map(|e| e.trim().to_lowercase()))
                    .bind(new.email_verified_at)
                    .bind(&new.password_hash)
                    .bind(&new.display_name)
                    .bind(&new.avatar_url)
                    .bind(&new.role)
                    .bind(now)
                    .fetch_one(c)
                    .await
                    .map_err(db_err)
                })
            })
            .await?;
        self.account(AccountId(id))
            .await?
            .ok_or_else(|| StoreError::NotFound.into())
    }

    async fn account(&self, id: AccountId) -> Result<Option<Account>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM accounts WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(account).transpose()
    }

    async fn account_by_email(&self, email: &str) -> Result<Option<Account>> {
        let sql = format!("SELECT {COLUMNS} FROM accounts WHERE email = $1 AND site_id IS NULL");
        let row = sqlx::query(&sql)
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(account).transpose()
    }

    async fn set_account_name(&self, id: AccountId, name: &str) -> Result<()> {
        let name = name.to_string();
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query("UPDATE accounts SET display_name = $1 WHERE id = $2")
                    .bind(&name)
                    .bind(id.0)
                    .execute(&mut *c)
                    .await
                    .map_err(db_err)?;
                found(done.rows_affected())?;
                // The comments show the account's name; a deleted one shows none anyway.
                sqlx::query(
                    "UPDATE comments SET author_name = $1 WHERE account_id = $2 \
                         AND status <> 'deleted'",
                )
                .bind(&name)
                .bind(id.0)
                .execute(&mut *c)
                .await
                .map_err(db_err)?;
                Ok(())
            })
        })
        .await
    }

    async fn set_account_password(&self, id: AccountId, password_hash: &str) -> Result<()> {
        let hash = password_hash.to_string();
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
                    .bind(&hash)
                    .bind(id.0)
                    .execute(c)
                    .await
                    .map_err(db_err)?;
                found(done.rows_affected())
            })
        })
        .await
    }

    async fn create_reader_session(&self, s: ReaderSession) -> Result<()> {
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO reader_sessions (token_hash, account_id, created_at, \
                         expires_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(&s.token_hash)
                .bind(s.account_id.0)
                .bind(s.created_at)
                .bind(s.expires_at)
                .execute(c)
                .await
                .map_err(db_err)?;
                Ok(())
            })
        })
        .await
    }

    async fn reader_session(&self, token_hash: &str) -> Result<Option<ReaderSession>> {
        let row: Option<(String, i64, i64, i64)> = sqlx::query_as(
            "SELECT token_hash, account_id, created_at, expires_at FROM reader_sessions \
             WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(row.map(
            |(token_hash, account, created_at, expires_at)| ReaderSession {
                token_hash,
                account_id: AccountId(account),
                created_at,
                expires_at,
            },
        ))
    }

    async fn delete_reader_session(&self, token_hash: &str) -> Result<()> {
        let token_hash = token_hash.to_string();
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query("DELETE FROM reader_sessions WHERE token_hash = $1")
                    .bind(&token_hash)
                    .execute(c)
                    .await
                    .map_err(db_err)?;
                Ok(())
            })
        })
        .await
    }

    async fn create_email_link(&self, link: EmailLink) -> Result<()> {
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO email_links (token_hash, purpose, account_id, created_at, \
                         expires_at, site_id, author_key, email) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&link.token_hash)
                .bind(link.purpose.as_str())
                .bind(link.account_id.map(|a| a.0))
                .bind(link.created_at)
                .bind(link.expires_at)
                .bind(link.guest.as_ref().map(|g| g.site_id.0))
                .bind(link.guest.as_ref().map(|g| g.author_key.clone()))
                .bind(link.guest.as_ref().map(|g| g.email.clone()))
                .execute(c)
                .await
                .map_err(db_err)?;
                Ok(())
            })
        })
        .await
    }

    async fn use_email_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        now: i64,
    ) -> Result<Option<AccountId>> {
        let token_hash = token_hash.to_string();
        self.write(move |c| {
            Box::pin(async move {
                let account: Option<Option<i64>> = sqlx::query_scalar(
                    "UPDATE email_links SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 \
                         AND used_at IS NULL AND expires_at > $4 RETURNING account_id",
                )
                .bind(now)
                .bind(&token_hash)
                .bind(purpose.as_str())
                .bind(now)
                .fetch_optional(&mut *c)
                .await
                .map_err(db_err)?;
                let account = account.flatten();
                if let Some(id) = account {
                    sqlx::query(
                        "UPDATE accounts SET email_verified_at = $1 \
                             WHERE id = $2 AND email_verified_at IS NULL",
                    )
                    .bind(now)
                    .bind(id)
                    .execute(&mut *c)
                    .await
                    .map_err(db_err)?;
                }
                Ok(account.map(AccountId))
            })
        })
        .await
    }

    async fn use_guest_link(&self, token_hash: &str, now: i64) -> Result<Option<GuestIdentity>> {
        let token_hash = token_hash.to_string();
        self.write(move |c| {
            Box::pin(async move {
                let row: Option<(Option<i64>, Option<String>, Option<String>)> = sqlx::query_as(
                    "UPDATE email_links SET used_at = $1 WHERE token_hash = $2 \
                     AND purpose = 'guest' AND used_at IS NULL AND expires_at > $3 \
                     RETURNING site_id, author_key, email",
                )
                .bind(now)
                .bind(&token_hash)
                .bind(now)
                .fetch_optional(&mut *c)
                .await
                .map_err(db_err)?;
                let Some((Some(site), Some(author_key), Some(email))) = row else {
                    return Ok(None);
                };
                sqlx::query(
                    "INSERT INTO verified_guests (site_id, author_key, email, verified_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (site_id, author_key) \
                     DO UPDATE SET email = excluded.email, verified_at = excluded.verified_at",
                )
                .bind(site)
                .bind(&author_key)
                .bind(&email)
                .bind(now)
                .execute(&mut *c)
                .await
                .map_err(db_err)?;
                Ok(Some(GuestIdentity {
                    site_id: SiteId(site),
                    author_key,
                    email,
                }))
            })
        })
        .await
    }

    async fn is_verified_guest(&self, site: SiteId, author_key: &str) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT verified_at FROM verified_guests WHERE site_id = $1 AND author_key = $2",
        )
        .bind(site.0)
        .bind(author_key)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(found.is_some())
    }

    async fn set_sso_secret(&self, site: SiteId, secret: &str, now: i64) -> Result<()> {
        let secret = secret.to_string();
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO site_sso (site_id, secret, created_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (site_id) DO UPDATE SET secret = excluded.secret, \
                         created_at = excluded.created_at",
                )
                .bind(site.0)
                .bind(&secret)
                .bind(now)
                .execute(c)
                .await
                .map_err(db_err)?;
                Ok(())
            })
        })
        .await
    }

    async fn sso_secret(&self, site: SiteId) -> Result<Option<String>> {
        sqlx::query_scalar("SELECT secret FROM site_sso WHERE site_id = $1")
            .bind(site.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn upsert_sso_account(&self, new: NewAccount, now: i64) -> Result<Account> {
        let id: i64 = self
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query_scalar(
                        "INSERT INTO accounts (site_id, external_id, email, email_verified_at, \
                         display_name, avatar_url, role, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                         ON CONFLICT (site_id, external_id) DO UPDATE SET email = excluded.email, \
                         email_verified_at = excluded.email_verified_at, \
                         display_name = excluded.display_name, avatar_url = excluded.avatar_url, \
                         role = excluded.role RETURNING id",
                    )
                    .bind(new.site_id.map(|s| s.0))
                    .bind(&new.external_id)
                    .bind(new.email.map(|e| e.trim().to_lowercase()))
                    .bind(new.email_verified_at)
                    .bind(&new.display_name)
                    .bind(&new.avatar_url)
                    .bind(&new.role)
                    .bind(now)
                    .fetch_one(c)
                    .await
                    .map_err(db_err)
                })
            })
            .await?;
        self.account(AccountId(id))
            .await?
            .ok_or_else(|| StoreError::NotFound.into())
    }

    async fn delete_expired_reader_sessions(&self, now: i64) -> Result<u64> {
        self.write(move |c| {
            Box::pin(async move {
                let mut n = 0;
                for sql in [
                    "DELETE FROM reader_sessions WHERE expires_at < $1",
                    "DELETE FROM email_links WHERE expires_at < $1",
                ] {
                    let done = sqlx::query(sql)
                        .bind(now)
                        .execute(&mut *c)
                        .await
                        .map_err(db_err)?;
                    n += done.rows_affected();
                }
                Ok(n)
            })
        })
        .await
    }
}

/// An update that touched no row was about an account that does not exist.
fn found(rows: u64) -> Result<()> {
    if rows == 0 {
        Err(StoreError::NotFound.into())
    } else {
        Ok(())
    }
}
