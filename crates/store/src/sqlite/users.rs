//! Moderator and admin accounts and their sessions in SQLite.

use super::{db_err, SqliteStore};
use async_trait::async_trait;
use rostra_core::store::UserStore;
use rostra_core::user::{NewUser, Role, Session, User};
use rostra_core::{Result, SiteId, StoreError, UserId};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};

const USER_COLUMNS: &str = "id, email, role, password_hash, created_at";

async fn with_sites(pool: &SqlitePool, row: &SqliteRow) -> Result<User> {
    let id: i64 = row.try_get("id").map_err(db_err)?;
    let role: String = row.try_get("role").map_err(db_err)?;
    let sites: Vec<(i64,)> =
        sqlx::query_as("SELECT site_id FROM user_sites WHERE user_id = ? ORDER BY site_id")
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

#[async_trait]
impl UserStore for SqliteStore {
    async fn create_user(&self, user: NewUser, now: i64) -> Result<User> {
        let id = self
            .writer
            .write(move |c| {
                Box::pin(async move {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO users (email, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                    )
                    .bind(user.email.to_lowercase())
                    .bind(user.role.as_str())
                    .bind(&user.password_hash)
                    .bind(now)
                    .fetch_one(&mut *c)
                    .await
                    .map_err(db_err)?;
                    for site in &user.sites {
                        sqlx::query("INSERT INTO user_sites (user_id, site_id) VALUES (?, ?)")
                            .bind(id)
                            .bind(site.0)
                            .execute(&mut *c)
                            .await
                            .map_err(db_err)?;
                    }
                    Ok(id)
                })
            })
            .await?;
        self.user(UserId(id))
            .await?
            .ok_or_else(|| StoreError::NotFound.into())
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?");
        match sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?
        {
            Some(row) => Ok(Some(with_sites(&self.read, &row).await?)),
            None => Ok(None),
        }
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?");
        let row = sqlx::query(&sql)
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        match row {
            Some(row) => Ok(Some(with_sites(&self.read, &row).await?)),
            None => Ok(None),
        }
    }

    async fn list_users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY email");
        let rows = sqlx::query(&sql)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        let mut users = Vec::with_capacity(rows.len());
        for row in &rows {
            users.push(with_sites(&self.read, row).await?);
        }
        Ok(users)
    }

    async fn set_user_sites(&self, id: UserId, sites: &[SiteId]) -> Result<()> {
        let sites = sites.to_vec();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query("DELETE FROM user_sites WHERE user_id = ?")
                        .bind(id.0)
                        .execute(&mut *c)
                        .await
                        .map_err(db_err)?;
                    for site in sites {
                        sqlx::query("INSERT INTO user_sites (user_id, site_id) VALUES (?, ?)")
                            .bind(id.0)
                            .bind(site.0)
                            .execute(&mut *c)
                            .await
                            .map_err(db_err)?;
                    }
                    Ok(())
                })
            })
            .await
    }

    async fn create_session(&self, s: Session) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
                        .bind(&s.token_hash)
                        .bind(s.user_id.0)
                        .bind(&s.csrf_token)
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

    async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let row: Option<(String, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM sessions WHERE token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(&self.read)
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
        let token_hash = token_hash.to_string();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
                        .bind(&token_hash)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    Ok(())
                })
            })
            .await
    }

    async fn delete_expired_sessions(&self, now: i64) -> Result<u64> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query("DELETE FROM sessions WHERE expires_at < ?")
                        .bind(now)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    Ok(done.rows_affected())
                })
            })
            .await
    }
}
