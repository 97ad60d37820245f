//! Sites' machine-to-machine tokens: made, listed, found by hash, revoked, marked used.

use super::{Backend, SqlStore};
use crate::rows::{Cells, FromRow};
use crate::sql::{query, Db};
use async_trait::async_trait;
use rostra_core::site::{NewSiteToken, SiteToken, TokenScope};
use rostra_core::store::SiteTokenStore;
use rostra_core::{Result, SiteId, StoreError};

const TOKEN_COLUMNS: &str = "id, site_id, scope, label, created_at, last_used_at, revoked_at";

impl FromRow for SiteToken {
    fn from_row(r: &impl Cells) -> Result<SiteToken> {
        let scope: String = r.cell("scope")?;
        Ok(SiteToken {
            id: r.cell("id")?,
            site_id: SiteId(r.cell("site_id")?),
            scope: TokenScope::parse(&scope)
                .ok_or_else(|| StoreError::Other(format!("unknown token scope '{scope}'")))?,
            label: r.cell("label")?,
            created_at: r.cell("created_at")?,
            last_used_at: r.cell("last_used_at")?,
            revoked_at: r.cell("revoked_at")?,
        })
    }
}

#[async_trait]
impl<B: Backend> SiteTokenStore for SqlStore<B> {
    async fn create_site_token(&self, new: NewSiteToken, now: i64) -> Result<SiteToken> {
        let sql = "INSERT INTO site_tokens (site_id, scope, label, token_hash, created_at) \
                   VALUES (?, ?, ?, ?, ?) RETURNING id";
        let args = vec![
            new.site_id.0.into(),
            new.scope.as_str().into(),
            new.label.clone().into(),
            new.token_hash.into(),
            now.into(),
        ];
        Ok(SiteToken {
            id: self.write_id(sql, args).await?,
            site_id: new.site_id,
            scope: new.scope,
            label: new.label,
            created_at: now,
            last_used_at: None,
            revoked_at: None,
        })
    }

    async fn site_tokens(&self, site: SiteId) -> Result<Vec<SiteToken>> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM site_tokens WHERE site_id = ? ORDER BY id");
        self.reader().fetch_all(query(&sql).bind(site.0)).await
    }

    async fn site_token_by_hash(&self, token_hash: &str) -> Result<Option<SiteToken>> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM site_tokens WHERE token_hash = ?");
        self.reader()
            .fetch_optional(query(&sql).bind(token_hash))
            .await
    }

    async fn revoke_site_token(&self, site: SiteId, id: i64, now: i64) -> Result<bool> {
        let sql = "UPDATE site_tokens SET revoked_at = ? \
                   WHERE site_id = ? AND id = ? AND revoked_at IS NULL";
        let args = vec![now.into(), site.0.into(), id.into()];
        Ok(self.write_one(sql, args).await? > 0)
    }

    async fn site_token_used(&self, id: i64, now: i64) -> Result<()> {
        let sql = "UPDATE site_tokens SET last_used_at = ? WHERE id = ?";
        self.write_one(sql, vec![now.into(), id.into()])
            .await
            .map(drop)
    }
}
