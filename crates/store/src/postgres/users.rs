//! Moderator and admin accounts and their sessions in PostgreSQL.

use super::{db_err, PgStore};
use async_trait::async_trait;
use rostra_core::store::UserStore;
use rostra_core::user::{NewUser, Role, Session, User};
use rostra_core::{Result, SiteId, StoreError, UserId};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Row};

const USER_COLUMNS: &str = "id, email, role, password_hash, created_at";

async fn with_sites(pool: &PgPool, row: &PgRow) -> Result<User> {
    let id: i64 = row.try_get("id").map_err(db_err)?;
    let role: String = row.try_get("role").map_err(db_err)?;
    let sites: Vec<(i64,)> =
        sqlx::query_as("SELECT site_id FROM user_sites WHERE user_id = $1 ORDER BY site_id")
            .bind(id)
            .fetch_all(pool)
            .await
            .map_err(db_err)?;
    Ok(User {
        id: UserId(id),
        email: row.try_get("email").map_err(db_err)?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Other(format!("unknown role '{role}'")))?,
        sites: sites.into_iter().map(|s| SiteId(s.0)).collect(),
        password_hash: row.try_get("password_hash").map_err(db_err)?,
        created_at: row.try_get("created_at").map_err(db_err)?,
    })
}

async fn add_sites(c: &mut PgConnection, user: i64, sites: &[SiteId]) -> Result<()> {
    for site in sites {
        sqlx::query("INSERT INTO user_sites (user_id, site_id) VALUES ($1, $2)")
            .bind(user)
            .bind(site.0)
            .execute(&mut *c)
            .await
            .map_err(db_err)?;
    }
    Ok(())
}

#[async_trait]
impl UserStore for PgStore {
    async fn create_user(&self, user: NewUser, now: i64) -> Result<User> {
        let id = self
            .write(move |c| {
                Box::pin(async move {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO users (email, role, password_hash, created_at) \
                         VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(user.email.to_lowercase())
                    .bind(user.role.as_str())
                    .bind(&user.password_hash)
                    .bind(now)
                    .fetch_one(&mut *c)
                    .await
                    .map_err(db_err)?;
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
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        match row {
            Some(row) => Ok(Some(with_sites(&self.pool, &row).await?)),
            None => Ok(None),
        }
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        let row = sqlx::query(&sql)
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        match row {
            Some(row) => Ok(Some(with_sites(&self.pool, &row).await?)),
            None => Ok(None),
        }
    }

    async fn list_users(&self) -> Result<Vec<User>> {
        // Byte order, as SQLite sorts, whatever the database's collation.
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY email COLLATE \"C\"");
        let rows = sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let mut users = Vec::with_capacity(rows.len());
        for row in &rows {
            users.push(with_sites(&self.pool, row).await?);
        }
        Ok(users)
    }

    async fn set_user_sites(&self, id: UserId, sites: &[SiteId]) -> Result<()> {
        let sites = sites.to_vec();
        self.write(move |c| {
            Box::pin(async move {
                // Two changes to one user's sites at once go one after the other.
                sqlx::query("SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE")
                    .bind(id.0)
                    .fetch_optional(&mut *c)
                    .await
                    .map_err(db_err)?;
                sqlx::query("DELETE FROM user_sites WHERE user_id = $1")
                    .bind(id.0)
                    .execute(&mut *c)
                    .await
                    .map_err(db_err)?;
                add_sites(c, id.0, &sites).await
            })
        })
        .await
    }

    async fn create_session(&self, s: Session) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&s.token_hash)
        .bind(s.user_id.0)
        .bind(&s.csrf_token)
        .bind(s.created_at)
        .bind(s.expires_at)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let row: Option<(String, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM sessions \
             WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(row.map(
            |(token_hash, user, csrf_token, created_at, expires_at)| Session {
                token_hash,
                user_id: UserId(user),
                csrf_token,
                created_at,
                expires_at,
            },
        ))
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn delete_expired_sessions(&self, now: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
