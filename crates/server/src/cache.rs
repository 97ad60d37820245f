//! The read path's cache: serialized thread pages and comment counts, per thread, in memory.
//!
//! Every write to a thread invalidates its entry. A page read from the database while a write
//! was landing must not be cached after the invalidation, or readers would see the old page
//! until the next write; so invalidations are numbered, a reader notes the number before it
//! reads, and a page is only stored if its thread was not invalidated since.

use bytes::Bytes;
use rostra_core::{SiteId, Sort};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ThreadRef {
    pub site: SiteId,
    pub key: String,
}

/// A serialized page with its validator.
#[derive(Clone)]
pub struct Page {
    pub body: Bytes,
    pub etag: String,
    /// The same, ready to send (built once, not per request).
    pub etag_header: axum::http::HeaderValue,
}

impl Page {
    pub fn new(body: Bytes) -> Page {
        let etag = format!("\"{:016x}\"", fnv1a(&body));
        let etag_header = axum::http::HeaderValue::from_str(&etag)
            .unwrap_or_else(|_| axum::http::HeaderValue::from_static("\"0\""));
        Page {
            body,
            etag,
            etag_header,
        }
    }
}

#[derive(Default)]
struct Entry {
    /// The invalidation number of the last write to this thread.
    invalidated_at: u64,
    pages: HashMap<(Sort, u64), Page>,
    count: Option<i64>,
    last_used: AtomicU64,
}

/// What a raw query string (`site=…&url=…&sort=…`) was resolved to, so that the hot path
/// skips parsing and URL normalization.
#[derive(Clone)]
pub struct Alias {
    pub thread: std::sync::Arc<ThreadRef>,
    pub sort: Sort,
    pub offset: u64,
}

pub struct ThreadCache {
    entries: RwLock<HashMap<ThreadRef, Entry>>,
    aliases: RwLock<HashMap<String, Alias>>,
    epoch: AtomicU64,
    /// The newest invalidation number among evicted entries.
    evicted_up_to: AtomicU64,
    capacity: usize,
}

impl ThreadCache {
    pub fn new(capacity: usize) -> ThreadCache {
        ThreadCache {
            entries: RwLock::default(),
            aliases: RwLock::default(),
            epoch: AtomicU64::new(1),
            evicted_up_to: AtomicU64::new(0),
            capacity: capacity.max(16),
        }
    }

    /// The number to pass back to `put_*` after reading from the database.
    pub fn ticket(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    pub fn page(&self, thread: &ThreadRef, sort: Sort, offset: u64) -> Option<Page> {
        let entries = self.read();
        let entry = entries.get(thread)?;
        entry
            .last_used
            .store(self.epoch.load(Ordering::Relaxed), Ordering::Relaxed);
        entry.pages.get(&(sort, offset)).cloned()
    }

    pub fn alias(&self, raw_query: &str) -> Option<Alias> {
        self.aliases
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(raw_query)
            .cloned()
    }

    pub fn put_alias(&self, raw_query: &str, alias: Alias) {
        let mut aliases = self.aliases.write().unwrap_or_else(|e| e.into_inner());
        if aliases.len() >= self.capacity * 4 {
            aliases.clear();
        }
        aliases.insert(raw_query.to_string(), alias);
    }

    /// Forgets every alias (when sites, and so the origins a URL must match, may have changed).
    pub fn clear_aliases(&self) {
        self.aliases
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    pub fn put_page(&self, thread: ThreadRef, sort: Sort, offset: u64, page: Page, ticket: u64) {
        self.update(thread, ticket, |e| {
            e.pages.insert((sort, offset), page);
        });
    }

    pub fn count(&self, thread: &ThreadRef) -> Option<i64> {
        self.read().get(thread).and_then(|e| e.count)
    }

    pub fn put_count(&self, thread: ThreadRef, count: i64, ticket: u64) {
        self.update(thread, ticket, |e| e.count = Some(count));
    }

    /// Whether none of these threads was invalidated after `ticket` was taken.
    pub fn unchanged_since(&self, threads: &[ThreadRef], ticket: u64) -> bool {
        let entries = self.read();
        let evicted = self.evicted_up_to.load(Ordering::SeqCst);
        threads.iter().all(|t| match entries.get(t) {
            Some(e) => e.invalidated_at <= ticket,
            None => evicted <= ticket,
        })
    }

    /// Forgets every cached thread (events may have been missed).
    pub fn clear(&self) {
        let number = self.epoch.fetch_add(1, Ordering::SeqCst) + 1;
        let mut entries = self.lock();
        entries.clear();
        self.evicted_up_to.fetch_max(number, Ordering::SeqCst);
    }

    /// Forgets everything cached for a thread; call after every write to it.
    pub fn invalidate(&self, thread: &ThreadRef) {
        let number = self.epoch.fetch_add(1, Ordering::SeqCst) + 1;
        let mut entries = self.lock();
        let entry = entries.entry(thread.clone()).or_default();
        entry.invalidated_at = number;
        entry.pages.clear();
        entry.count = None;
    }

    fn update(&self, thread: ThreadRef, ticket: u64, f: impl FnOnce(&mut Entry)) {
        let mut entries = self.lock();
        let stale = match entries.get(&thread) {
            Some(e) => e.invalidated_at > ticket,
            None => self.evicted_up_to.load(Ordering::SeqCst) > ticket,
        };
        if stale {
            return;
        }
        if entries.len() >= self.capacity && !entries.contains_key(&thread) {
            self.evict(&mut entries);
        }
        let entry = entries.entry(thread).or_default();
        entry.last_used.store(ticket, Ordering::Relaxed);
        f(entry);
    }

    /// Drops the least recently used quarter of the entries.
    fn evict(&self, entries: &mut HashMap<ThreadRef, Entry>) {
        let mut ages: Vec<u64> = entries
            .values()
            .map(|e| e.last_used.load(Ordering::Relaxed))
            .collect();
        ages.sort_unstable();
        let cutoff = ages[ages.len() / 4];
        let mut newest_evicted = 0;
        entries.retain(|_, e| {
            let keep = e.last_used.load(Ordering::Relaxed) > cutoff;
            if !keep {
                newest_evicted = newest_evicted.max(e.invalidated_at);
            }
            keep
        });
        self.evicted_up_to
            .fetch_max(newest_evicted, Ordering::SeqCst);
    }

    fn lock(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<ThreadRef, Entry>> {
        self.entries.write().unwrap_or_else(|e| e.into_inner())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<ThreadRef, Entry>> {
        self.entries.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// FNV-1a, 64 bits: a content hash for ETags, the same on every instance.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(k: &str) -> ThreadRef {
        ThreadRef {
            site: SiteId(1),
            key: k.into(),
        }
    }

    #[test]
    fn caches_until_invalidated() {
        let c = ThreadCache::new(100);
        let ticket = c.ticket();
        c.put_page(
            t("a"),
            Sort::Oldest,
            0,
            Page::new(Bytes::from_static(b"x")),
            ticket,
        );
        assert!(c.page(&t("a"), Sort::Oldest, 0).is_some());
        assert!(c.page(&t("a"), Sort::Newest, 0).is_none());
        c.invalidate(&t("a"));
        assert!(c.page(&t("a"), Sort::Oldest, 0).is_none());
    }

    #[test]
    fn a_read_that_raced_a_write_is_not_cached() {
        let c = ThreadCache::new(100);
        let ticket = c.ticket();
        c.invalidate(&t("a"));
        c.put_page(
            t("a"),
            Sort::Oldest,
            0,
            Page::new(Bytes::from_static(b"old")),
            ticket,
        );
        assert!(c.page(&t("a"), Sort::Oldest, 0).is_none());
        c.put_count(t("a"), 3, ticket);
        assert_eq!(c.count(&t("a")), None);
        c.put_count(t("a"), 4, c.ticket());
        assert_eq!(c.count(&t("a")), Some(4));
    }

    #[test]
    fn eviction_keeps_the_bound_and_the_race_rule() {
        let c = ThreadCache::new(16);
        let early = c.ticket();
        c.invalidate(&t("x"));
        for i in 0..40 {
            c.put_count(t(&i.to_string()), i, c.ticket());
        }
        assert!(c.lock().len() <= 16);
        c.put_count(t("x"), 1, early);
        assert!(c.count(&t("x")).is_none() || c.lock().len() <= 16);
    }

    #[test]
    fn etags_follow_content() {
        assert_eq!(
            Page::new(Bytes::from_static(b"a")).etag,
            Page::new(Bytes::from_static(b"a")).etag
        );
        assert_ne!(
            Page::new(Bytes::from_static(b"a")).etag,
            Page::new(Bytes::from_static(b"b")).etag
        );
    }
}
