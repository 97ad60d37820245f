//! Reader accounts, their sessions and one-time e-mail links.

use super::{Backend, SqlStore};
use crate::rows::{Cells, FromRow};
use crate::sql::{query, Db};
use async_trait::async_trait;
use rostra_core::account::{
    Account, EmailLink, GuestIdentity, LinkPurpose, NewAccount, ReaderSession,
};
use rostra_core::store::AccountStore;
use rostra_core::{AccountId, Result, SiteId, StoreError};

const COLUMNS: &str = "id, site_id, external_id, email, email_verified_at, password_hash, \
     display_name, avatar_url, role, created_at";

impl FromRow for Account {
    fn from_row(r: &impl Cells) -> Result<Account> {
        Ok(Account {
            id: AccountId(r.cell("id")?),
            site_id: r.cell::<Option<i64>>("site_id")?.map(SiteId),
            external_id: r.cell("external_id")?,
            email: r.cell("email")?,
            email_verified_at: r.cell("email_verified_at")?,
            password_hash: r.cell("password_hash")?,
            display_name: r.cell("display_name")?,
            avatar_url: r.cell("avatar_url")?,
            role: r.cell("role")?,
            created_at: r.cell("created_at")?,
        })
    }
}

impl FromRow for ReaderSession {
    fn from_row(r: &impl Cells) -> Result<ReaderSession> {
        Ok(ReaderSession {
            token_hash: r.cell("token_hash")?,
            account_id: AccountId(r.cell("account_id")?),
            created_at: r.cell("created_at")?,
            expires_at: r.cell("expires_at")?,
        })
    }
}

/// An account's row, inserted or (an SSO account, by its site's external id) updated; answers
/// its id. An update leaves the password alone.
async fn save_account(c: &mut impl Db, sql: &str, new: &NewAccount, now: i64) -> Result<i64> {
    let email = new.email.as_ref().map(|e| e.trim().to_lowercase());
    let q = query(sql)
        .bind(new.site_id.map(|s| s.0))
        .bind(&new.external_id)
        .bind(&email)
        .bind(new.email_verified_at)
        .bind(&new.password_hash)
        .bind(&new.display_name)
        .bind(&new.avatar_url);
    let (id,): (i64,) = c.fetch_one(q.bind(&new.role).bind(now)).await?;
    Ok(id)
}

async fn use_email_link(
    c: &mut impl Db,
    token_hash: &str,
    purpose: LinkPurpose,
    now: i64,
) -> Result<Option<AccountId>> {
    let q = query(
        "UPDATE email_links SET used_at = ? WHERE token_hash = ? AND purpose = ? \
         AND used_at IS NULL AND expires_at > ? RETURNING account_id",
    );
    let q = q
        .bind(now)
        .bind(token_hash)
        .bind(purpose.as_str())
        .bind(now);
    let account: Option<i64> = c.scalar::<Option<i64>>(q).await?.flatten();
    if let Some(id) = account {
        let q = query(
            "UPDATE accounts SET email_verified_at = ? WHERE id = ? \
             AND email_verified_at IS NULL",
        );
        c.execute(q.bind(now).bind(id)).await?;
    }
    Ok(account.map(AccountId))
}

async fn use_guest_link(
    c: &mut impl Db,
    token_hash: &str,
    now: i64,
) -> Result<Option<GuestIdentity>> {
    let q = query(
        "UPDATE email_links SET used_at = ? WHERE token_hash = ? AND purpose = 'guest' \
         AND used_at IS NULL AND expires_at > ? RETURNING site_id, author_key, email",
    );
    let row: Option<(Option<i64>, Option<String>, Option<String>)> = c
        .fetch_optional(q.bind(now).bind(token_hash).bind(now))
        .await?;
    let Some((Some(site), Some(author_key), Some(email))) = row else {
        return Ok(None);
    };
    let q = query(
        "INSERT INTO verified_guests (site_id, author_key, email, verified_at) \
         VALUES (?, ?, ?, ?) ON CONFLICT (site_id, author_key) \
         DO UPDATE SET email = excluded.email, verified_at = excluded.verified_at",
    );
    c.execute(q.bind(site).bind(&author_key).bind(&email).bind(now))
        .await?;
    Ok(Some(GuestIdentity {
        site_id: SiteId(site),
        author_key,
        email,
    }))
}

impl<B: Backend> SqlStore<B> {
    async fn saved_account(&self, sql: &'static str, new: NewAccount, now: i64) -> Result<Account> {
        let id = self
            .write(move |c| Box::pin(async move { save_account(c, sql, &new, now).await }))
            .await?;
        self.account(AccountId(id))
            .await?
            .ok_or_else(|| StoreError::NotFound.into())
    }
}

#[async_trait]
impl<B: Backend> AccountStore for SqlStore<B> {
    async fn create_account(&self, new: NewAccount, now: i64) -> Result<Account> {
        let sql = "INSERT INTO accounts (site_id, external_id, email, email_verified_at, \
                   password_hash, display_name, avatar_url, role, created_at) \
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
        self.saved_account(sql, new, now).await
    }

    async fn account(&self, id: AccountId) -> Result<Option<Account>> {
        let sql = format!("SELECT {COLUMNS} FROM accounts WHERE id = ?");
        self.reader().fetch_optional(query(&sql).bind(id.0)).await
    }

    async fn account_by_email(&self, email: &str) -> Result<Option<Account>> {
        let sql = format!("SELECT {COLUMNS} FROM accounts WHERE email = ? AND site_id IS NULL");
        let email = email.trim().to_lowercase();
        self.reader().fetch_optional(query(&sql).bind(&email)).await
    }

    async fn set_account_name(&self, id: AccountId, name: &str) -> Result<()> {
        let name = name.to_string();
        self.write(move |c| {
            Box::pin(async move {
                let q = query("UPDATE accounts SET display_name = ? WHERE id = ?");
                found(c.execute(q.bind(&name).bind(id.0)).await?)?;
                // The comments show the account's name; a deleted one shows none anyway.
                let q = query(
                    "UPDATE comments SET author_name = ? WHERE account_id = ? \
                     AND status <> 'deleted'",
                );
                c.execute(q.bind(&name).bind(id.0)).await?;
                Ok(())
            })
        })
        .await
    }

    async fn set_account_password(&self, id: AccountId, password_hash: &str) -> Result<()> {
        let sql = "UPDATE accounts SET password_hash = ? WHERE id = ?";
        found(
            self.write_one(sql, vec![password_hash.into(), id.0.into()])
                .await?,
        )
    }

    async fn create_reader_session(&self, s: ReaderSession) -> Result<()> {
        let sql = "INSERT INTO reader_sessions (token_hash, account_id, created_at, expires_at) \
                   VALUES (?, ?, ?, ?)";
        let args = vec![
            s.token_hash.into(),
            s.account_id.0.into(),
            s.created_at.into(),
            s.expires_at.into(),
        ];
        self.write_one(sql, args).await.map(drop)
    }

    async fn reader_session(&self, token_hash: &str) -> Result<Option<ReaderSession>> {
        let q = query(
            "SELECT token_hash, account_id, created_at, expires_at FROM reader_sessions \
             WHERE token_hash = ?",
        );
        self.reader().fetch_optional(q.bind(token_hash)).await
    }

    async fn delete_reader_session(&self, token_hash: &str) -> Result<()> {
        let sql = "DELETE FROM reader_sessions WHERE token_hash = ?";
        self.write_one(sql, vec![token_hash.into()]).await.map(drop)
    }

    async fn create_email_link(&self, link: EmailLink) -> Result<()> {
        let sql = "INSERT INTO email_links (token_hash, purpose, account_id, created_at, \
                   expires_at, site_id, author_key, email) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        let guest = link.guest.as_ref();
        let args = vec![
            link.token_hash.as_str().into(),
            link.purpose.as_str().into(),
            link.account_id.map(|a| a.0).into(),
            link.created_at.into(),
            link.expires_at.into(),
            guest.map(|g| g.site_id.0).into(),
            guest.map(|g| g.author_key.clone()).into(),
            guest.map(|g| g.email.clone()).into(),
        ];
        self.write_one(sql, args).await.map(drop)
    }

    async fn use_email_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        now: i64,
    ) -> Result<Option<AccountId>> {
        let token_hash = token_hash.to_string();
        self.write(move |c| {
            Box::pin(async move { use_email_link(c, &token_hash, purpose, now).await })
        })
        .await
    }

    async fn use_guest_link(&self, token_hash: &str, now: i64) -> Result<Option<GuestIdentity>> {
        let token_hash = token_hash.to_string();
        self.write(move |c| Box::pin(async move { use_guest_link(c, &token_hash, now).await }))
            .await
    }

    async fn is_verified_guest(&self, site: SiteId, author_key: &str) -> Result<bool> {
        let q =
            query("SELECT verified_at FROM verified_guests WHERE site_id = ? AND author_key = ?");
        let found: Option<i64> = self
            .reader()
            .scalar(q.bind(site.0).bind(author_key))
            .await?;
        Ok(found.is_some())
    }

    async fn set_sso_secret(&self, site: SiteId, secret: &str, now: i64) -> Result<()> {
        let sql = "INSERT INTO site_sso (site_id, secret, created_at) VALUES (?, ?, ?) \
                   ON CONFLICT (site_id) DO UPDATE SET secret = excluded.secret, \
                   created_at = excluded.created_at";
        let args = vec![site.0.into(), secret.into(), now.into()];
        self.write_one(sql, args).await.map(drop)
    }

    async fn sso_secret(&self, site: SiteId) -> Result<Option<String>> {
        let q = query("SELECT secret FROM site_sso WHERE site_id = ?");
        self.reader().scalar(q.bind(site.0)).await
    }

    async fn upsert_sso_account(&self, new: NewAccount, now: i64) -> Result<Account> {
        let sql = "INSERT INTO accounts (site_id, external_id, email, email_verified_at, \
                   password_hash, display_name, avatar_url, role, created_at) \
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, external_id) DO UPDATE SET email = excluded.email, \
                   email_verified_at = excluded.email_verified_at, \
                   display_name = excluded.display_name, avatar_url = excluded.avatar_url, \
                   role = excluded.role RETURNING id";
        self.saved_account(sql, new, now).await
    }

    async fn delete_expired_reader_sessions(&self, now: i64) -> Result<u64> {
        self.write(move |c| {
            Box::pin(async move {
                let sessions = query("DELETE FROM reader_sessions WHERE expires_at < ?");
                let links = query("DELETE FROM email_links WHERE expires_at < ?");
                Ok(c.execute(sessions.bind(now)).await? + c.execute(links.bind(now)).await?)
            })
        })
        .await
    }
}

/// An update that touched no row was about an account that does not exist.
fn found(rows: u64) -> Result<()> {
    match rows {
        0 => Err(StoreError::NotFound.into()),
        _ => Ok(()),
    }
}
