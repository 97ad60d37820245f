//! Sites and server-wide settings in PostgreSQL.

use super::rows::{self, SITE_COLUMNS};
use super::{db_err, PgStore};
use async_trait::async_trait;
use rostra_core::store::SiteStore;
use rostra_core::{NewSite, Result, Site, SiteId};

#[async_trait]
impl SiteStore for PgStore {
    async fn create_site(&self, site: NewSite, now: i64) -> Result<Site> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sites (key, name, origins, prompt, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&site.key)
        .bind(&site.name)
        .bind(site.origins.join(" "))
        .bind(&site.prompt)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(Site {
            id: SiteId(id),
            key: site.key,
            name: site.name,
            origins: site.origins,
            prompt: site.prompt,
            created_at: now,
        })
    }

    async fn update_site(&self, site: &Site) -> Result<()> {
        sqlx::query("UPDATE sites SET name = $1, origins = $2, prompt = $3 WHERE id = $4")
            .bind(&site.name)
            .bind(site.origins.join(" "))
            .bind(&site.prompt)
            .bind(site.id.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn list_sites(&self) -> Result<Vec<Site>> {
        // Byte order, as SQLite sorts, whatever the database's collation.
        let sql = format!("SELECT {SITE_COLUMNS} FROM sites ORDER BY key COLLATE \"C\"");
        let rows = sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(rows::site).collect()
    }

    async fn site_by_key(&self, key: &str) -> Result<Option<Site>> {
        let sql = format!("SELECT {SITE_COLUMNS} FROM sites WHERE key = $1");
        let row = sqlx::query(&sql)
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(rows::site).transpose()
    }

    async fn server_secret(&self, name: &str, fresh: String) -> Result<String> {
        // Two instances starting at once: the second insert waits for the first and does
        // nothing; both then read the value that won.
        let name = name.to_string();
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO settings (name, value) VALUES ($1, $2) \
                     ON CONFLICT (name) DO NOTHING",
                )
                .bind(&name)
                .bind(&fresh)
                .execute(&mut *c)
                .await
                .map_err(db_err)?;
                sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
                    .bind(&name)
                    .fetch_one(&mut *c)
                    .await
                    .map_err(db_err)
            })
        })
        .await
    }
}
