//! Each site's moderation policy and bans in force, held in memory for the posting path.
//!
//! Every comment needs both; asking the database twice per comment was measured at about 6 % of
//! a write's CPU. This instance forgets a site's entry the moment it changes the policy or adds a
//! ban; other instances reload it after at most [`RELOAD_AFTER`].

use rostra_core::moderation::{Ban, BanKind, SitePolicy};
use rostra_core::{Error, SiteId, Store};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How stale another instance's change may be here (a new ban, a changed policy).
pub const RELOAD_AFTER: Duration = Duration::from_secs(2);

pub struct Rules {
    /// The site's own policy; `None` means the configured default applies.
    pub policy: Option<SitePolicy>,
    bans: Vec<Ban>,
    loaded: Instant,
}

impl Rules {
    /// Whether any of these (kind, hashed value) pairs is banned at `now`.
    pub fn banned(&self, values: &[(BanKind, String)], now: i64) -> bool {
        self.bans.iter().any(|b| {
            b.expires_at.is_none_or(|t| t > now)
                && values
                    .iter()
                    .any(|(kind, hash)| b.kind == *kind && b.value_hash == *hash)
        })
    }
}

pub struct SiteRules {
    store: Arc<dyn Store>,
    by_site: RwLock<HashMap<SiteId, Arc<Rules>>>,
}

impl SiteRules {
    pub fn new(store: Arc<dyn Store>) -> SiteRules {
        SiteRules {
            store,
            by_site: RwLock::default(),
        }
    }

    pub async fn get(&self, site: SiteId, now: i64) -> Result<Arc<Rules>, Error> {
        let cached = self
            .by_site
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&site)
            .filter(|r| r.loaded.elapsed() < RELOAD_AFTER)
            .cloned();
        if let Some(rules) = cached {
            return Ok(rules);
        }
        let rules = Arc::new(Rules {
            policy: self.store.site_policy(site).await?,
            bans: self.store.site_bans(site, now).await?,
            loaded: Instant::now(),
        });
        self.by_site
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(site, rules.clone());
        Ok(rules)
    }

    /// Drops a site's entry after this instance changed its policy or bans.
    pub fn forget(&self, site: SiteId) {
        self.by_site
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&site);
    }
}
