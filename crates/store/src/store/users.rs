//! Moderator and admin accounts and their sessions.

use super::{Backend, SqlStore};
use crate::rows::{Cells, FromRow};
use crate::sql::{query, Db, Value};
use async_trait::async_trait;
use rostra_core::store::UserStore;
use rostra_core::user::{NewUser, Role, Session, User};
use rostra_core::{Result, SiteId, StoreError, UserId};

const USER_COLUMNS: &str = "id, email, role, password_hash, created_at";

/// A user without their sites (`with_sites` adds them).
impl FromRow for User {
    fn from_row(row: &impl Cells) -> Result<User> {
        let role: String = row.cell("role")?;
        Ok(User {
            id: UserId(row.cell("id")?),
            email: row.cell("email")?,
            role: Role::parse(&role)
                .ok_or_else(|| StoreError::Other(format!("unknown role '{role}'")))?,
            sites: Vec::new(),
            password_hash: row.cell("password_hash")?,
            created_at: row.cell("created_at")?,
        })
    }
}

impl FromRow for Session {
    fn from_row(row: &impl Cells) -> Result<Session> {
        Ok(Session {
            token_hash: row.cell("token_hash")?,
            user_id: UserId(row.cell("user_id")?),
            csrf_token: row.cell("csrf_token")?,
            created_at: row.cell("created_at")?,
            expires_at: row.cell("expires_at")?,
        })
    }
}

async fn with_sites(read: &mut impl Db, mut user: User) -> Result<User> {
    let q = query("SELECT site_id FROM user_sites WHERE user_id = ? ORDER BY site_id");
    let sites: Vec<(i64,)> = read.fetch_all(q.bind(user.id.0)).await?;
    user.sites = sites.into_iter().map(|(s,)| SiteId(s)).collect();
    Ok(user)
}

async fn add_sites(c: &mut impl Db, user: i64, sites: &[SiteId]) -> Result<()> {
    for site in sites {
        let q = query("INSERT INTO user_sites (user_id, site_id) VALUES (?, ?)");
        c.execute(q.bind(user).bind(site.0)).await?;
    }
    Ok(())
}

impl<B: Backend> SqlStore<B> {
    async fn user_where(&self, condition: &str, value: Value<'_>) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE {condition}");
        let mut read = self.reader();
        match read.fetch_optional(query(&sql).bind(value)).await? {
            Some(user) => Ok(Some(with_sites(&mut read, user).await?)),
            None => Ok(None),
        }
    }
}

#[async_trait]
impl<B: Backend> UserStore for SqlStore<B> {
    async fn create_user(&self, user: NewUser, now: i64) -> Result<User> {
        let id = self
            .write(move |c| {
                Box::pin(async move {
                    let q = query(
                        "INSERT INTO users (email, role, password_hash, created_at) \
                         VALUES (?, ?, ?, ?) RETURNING id",
                    );
                    let email = user.email.to_lowercase();
                    let q = q.bind(&email).bind(user.role.as_str());
                    let (id,): (i64,) = c.fetch_one(q.bind(&user.password_hash).bind(now)).await?;
                    add_sites(c, id, &user.sites).await?;
                    Ok(id)
                })
            })
            .await?;
        self.user(UserId(id))
            .await?
            .ok_or_else(|| StoreError::NotFound.into())
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        self.user_where("id = ?", id.0.into()).await
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let email = email.trim().to_lowercase();
        self.user_where("email = ?", email.as_str().into()).await
    }

    async fn list_users(&self) -> Result<Vec<User>> {
        let mut read = self.reader();
        let order = read.dialect().byte_order();
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY email{order}");
        let found: Vec<User> = read.fetch_all(query(&sql)).await?;
        let mut users = Vec::with_capacity(found.len());
        for user in found {
            users.push(with_sites(&mut read, user).await?);
        }
        Ok(users)
    }

    async fn set_user_sites(&self, id: UserId, sites: &[SiteId]) -> Result<()> {
        let sites = sites.to_vec();
        self.write(move |c| {
            Box::pin(async move {
                // Two changes to one user's sites at once go one after the other.
                let sql = format!("SELECT id FROM users WHERE id = ?{}", c.dialect().lock());
                c.scalar::<i64>(query(&sql).bind(id.0)).await?;
                let q = query("DELETE FROM user_sites WHERE user_id = ?");
                c.execute(q.bind(id.0)).await?;
                add_sites(c, id.0, &sites).await
            })
        })
        .await
    }

    async fn create_session(&self, s: Session) -> Result<()> {
        let sql = "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
                   VALUES (?, ?, ?, ?, ?)";
        let args = vec![
            s.token_hash.into(),
            s.user_id.0.into(),
            s.csrf_token.into(),
            s.created_at.into(),
            s.expires_at.into(),
        ];
        self.write_one(sql, args).await.map(drop)
    }

    async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let q = query(
            "SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM sessions \
             WHERE token_hash = ?",
        );
        self.reader().fetch_optional(q.bind(token_hash)).await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        let sql = "DELETE FROM sessions WHERE token_hash = ?";
        self.write_one(sql, vec![token_hash.into()]).await.map(drop)
    }

    async fn delete_expired_sessions(&self, now: i64) -> Result<u64> {
        let sql = "DELETE FROM sessions WHERE expires_at < ?";
        self.write_one(sql, vec![now.into()]).await
    }
}
