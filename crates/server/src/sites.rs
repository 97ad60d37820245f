//! Sites, held in memory: every request names one, and browsers' origins are checked against
//! all of them. Refreshed from the database periodically and when an unknown key is asked for.

use rostra_core::{Error, Site, SiteId, Store};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How long an unknown key is answered from memory before the database is asked again.
const MISS_TTL: Duration = Duration::from_secs(5);

pub struct SiteCache {
    store: Arc<dyn Store>,
    by_key: RwLock<HashMap<String, Arc<Site>>>,
    origins: RwLock<HashSet<String>>,
    misses: Mutex<HashMap<String, Instant>>,
}

impl SiteCache {
    pub async fn load(store: Arc<dyn Store>) -> Result<SiteCache, Error> {
        let cache = SiteCache {
            store,
            by_key: RwLock::default(),
            origins: RwLock::default(),
            misses: Mutex::default(),
        };
        cache.refresh().await?;
        Ok(cache)
    }

    /// Reloads every site from the database.
    pub async fn refresh(&self) -> Result<(), Error> {
        let sites = self.store.list_sites().await?;
        let origins = sites
            .iter()
            .flat_map(|s| s.origins.iter().cloned())
            .collect();
        let by_key = sites
            .into_iter()
            .map(|s| (s.key.clone(), Arc::new(s)))
            .collect();
        *write(&self.by_key) = by_key;
        *write(&self.origins) = origins;
        lock(&self.misses).clear();
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Arc<Site>, Error> {
        if let Some(site) = read(&self.by_key).get(key) {
            return Ok(site.clone());
        }
        // Only keys a site could have reach the database (no control characters, no NULs).
        let plausible = !key.is_empty()
            && key.len() <= 64
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !plausible {
            return Err(Error::UnknownSite(
                key.chars().filter(|c| !c.is_control()).take(64).collect(),
            ));
        }
        let recently_missed = lock(&self.misses)
            .get(key)
            .is_some_and(|t| t.elapsed() < MISS_TTL);
        if !recently_missed && key.len() <= 64 {
            if let Some(site) = self.store.site_by_key(key).await? {
                self.refresh().await?;
                return Ok(Arc::new(site));
            }
            let mut misses = lock(&self.misses);
            if misses.len() > 10_000 {
                misses.clear();
            }
            misses.insert(key.to_string(), Instant::now());
        }
        Err(Error::UnknownSite(key.chars().take(64).collect()))
    }

    /// The site a thread belongs to (sites are few, so a scan of the cache is fine).
    pub async fn by_id(&self, id: SiteId) -> Result<Arc<Site>, Error> {
        let find = |c: &Self| read(&c.by_key).values().find(|s| s.id == id).cloned();
        if let Some(site) = find(self) {
            return Ok(site);
        }
        self.refresh().await?;
        find(self).ok_or(Error::ThreadNotFound)
    }

    /// Whether any site lists this (normalized) origin.
    pub fn knows_origin(&self, origin: &str) -> bool {
        read(&self.origins).contains(origin)
    }
}

// A poisoned lock only means another request panicked mid-update of a plain map; the map is
// still usable, so we take it rather than fail every later request.
fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|e| e.into_inner())
}
fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|e| e.into_inner())
}
fn lock<T>(l: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    l.lock().unwrap_or_else(|e| e.into_inner())
}
