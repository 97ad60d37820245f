//! Sites and server-wide settings in SQLite.

use super::rows::{self, SITE_COLUMNS};
use super::{db_err, SqliteStore};
use async_trait::async_trait;
use rostra_core::store::SiteStore;
use rostra_core::{NewSite, Result, Site, SiteId};

#[async_trait]
impl SiteStore for SqliteStore {
    async fn create_site(&self, site: NewSite, now: i64) -> Result<Site> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO sites (key, name, origins, prompt, created_at) \
                         VALUES (?, ?, ?, ?, ?) RETURNING id",
                    )
                    .bind(&site.key)
                    .bind(&site.name)
                    .bind(site.origins.join(" "))
                    .bind(&site.prompt)
                    .bind(now)
                    .fetch_one(c)
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
                })
            })
            .await
    }

    async fn update_site(&self, site: &Site) -> Result<()> {
        let site = site.clone();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query("UPDATE sites SET name = ?, origins = ?, prompt = ? WHERE id = ?")
                        .bind(&site.name)
                        .bind(site.origins.join(" "))
                        .bind(&site.prompt)
                        .bind(site.id.0)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    Ok(())
                })
            })
            .await
    }

    async fn list_sites(&self) -> Result<Vec<Site>> {
        let sql = format!("SELECT {SITE_COLUMNS} FROM sites ORDER BY key");
        let rows = sqlx::query(&sql)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        rows.iter().map(rows::site).collect()
    }

    async fn site_by_key(&self, key: &str) -> Result<Option<Site>> {
        let sql = format!("SELECT {SITE_COLUMNS} FROM sites WHERE key = ?");
        let row = sqlx::query(&sql)
            .bind(key)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        row.as_ref().map(rows::site).transpose()
    }

    async fn server_secret(&self, name: &str, fresh: String) -> Result<String> {
        let name = name.to_string();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
                        .bind(&name)
                        .bind(&fresh)
                        .execute(&mut *c)
                        .await
                        .map_err(db_err)?;
                    sqlx::query_scalar("SELECT value FROM settings WHERE name = ?")
                        .bind(&name)
                        .fetch_one(&mut *c)
                        .await
                        .map_err(db_err)
                })
            })
            .await
    }
}
