//! Sites and server-wide settings.

use super::{Backend, SqlStore};
use crate::rows::SITE_COLUMNS;
use crate::sql::{query, Db};
use async_trait::async_trait;
use rostra_core::store::SiteStore;
use rostra_core::{NewSite, Result, Site, SiteId};

#[async_trait]
impl<B: Backend> SiteStore for SqlStore<B> {
    async fn create_site(&self, site: NewSite, now: i64) -> Result<Site> {
        let sql = "INSERT INTO sites (key, name, origins, prompt, created_at) \
                   VALUES (?, ?, ?, ?, ?) RETURNING id";
        let args = vec![
            site.key.as_str().into(),
            site.name.as_str().into(),
            site.origins.join(" ").into(),
            site.prompt.clone().into(),
            now.into(),
        ];
        Ok(Site {
            id: SiteId(self.write_id(sql, args).await?),
            key: site.key,
            name: site.name,
            origins: site.origins,
            prompt: site.prompt,
            created_at: now,
        })
    }

    async fn update_site(&self, site: &Site) -> Result<()> {
        let sql = "UPDATE sites SET name = ?, origins = ?, prompt = ? WHERE id = ?";
        let args = vec![
            site.name.as_str().into(),
            site.origins.join(" ").into(),
            site.prompt.clone().into(),
            site.id.0.into(),
        ];
        self.write_one(sql, args).await.map(drop)
    }

    async fn list_sites(&self) -> Result<Vec<Site>> {
        let mut read = self.reader();
        let order = read.dialect().byte_order();
        let sql = format!("SELECT {SITE_COLUMNS} FROM sites ORDER BY key{order}");
        read.fetch_all(query(&sql)).await
    }

    async fn site_by_key(&self, key: &str) -> Result<Option<Site>> {
        let sql = format!("SELECT {SITE_COLUMNS} FROM sites WHERE key = ?");
        self.reader().fetch_optional(query(&sql).bind(key)).await
    }

    /// Two instances starting at once (PostgreSQL): the second insert waits for the first and
    /// does nothing; both then read the value that won.
    async fn server_secret(&self, name: &str, fresh: String) -> Result<String> {
        let name = name.to_string();
        self.write(move |c| {
            Box::pin(async move {
                let q = query(
                    "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                );
                c.execute(q.bind(&name).bind(&fresh)).await?;
                let q = query("SELECT value FROM settings WHERE name = ?").bind(&name);
                let (value,): (String,) = c.fetch_one(q).await?;
                Ok(value)
            })
        })
        .await
    }
}
