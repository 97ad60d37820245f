//! Threads: the discussion under one page, keyed by site and normalized URL or explicit id.

use crate::error::Error;
use crate::ids::{CommentId, SiteId, ThreadId};
use crate::page_url;
use crate::site::Site;
use serde::Serialize;

/// Longest explicit identifier a publisher may set.
pub const MAX_IDENTIFIER_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Thread {
    pub id: ThreadId,
    pub site_id: SiteId,
    pub key: String,
    pub url: String,
    pub title: Option<String>,
    pub created_at: i64,
    /// Closed by an admin.
    pub closed: bool,
    /// Public comments (published), kept up to date by every write.
    pub comment_count: i64,
    /// The comment staff pinned to the top of the thread.
    pub pinned_comment_id: Option<CommentId>,
}

impl Thread {
    /// Closed by an admin, or older than the configured number of days.
    pub fn is_closed(&self, close_after_days: Option<u32>, now: i64) -> bool {
        self.closed || close_before(close_after_days, now).is_some_and(|t| self.created_at < t)
    }
}

/// The creation time before which threads count as closed, for `close_after_days`.
pub fn close_before(close_after_days: Option<u32>, now: i64) -> Option<i64> {
    close_after_days.map(|d| now - i64::from(d) * 86_400_000)
}

/// The key a thread is stored under, with the page URL it was reached from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ThreadKey {
    pub key: String,
    pub url: String,
}

impl ThreadKey {
    /// Checks the page URL against the site's origins and derives the key: the explicit
    /// identifier when the publisher set one, else the normalized URL.
    pub fn for_page(site: &Site, url: &str, identifier: Option<&str>) -> Result<Self, Error> {
        let url = page_url::normalize(url).ok_or(Error::InvalidUrl)?;
        if !site.allows_origin(&url) {
            return Err(Error::UrlNotOnSite);
        }
        let key = match identifier.map(str::trim) {
            None => url.clone(),
            Some(id)
                if id.is_empty()
                    || id.chars().count() > MAX_IDENTIFIER_CHARS
                    || id.chars().any(char::is_control) =>
            {
                return Err(Error::InvalidIdentifier(MAX_IDENTIFIER_CHARS));
            }
            Some(id) => format!("id:{id}"),
        };
        Ok(ThreadKey { key, url })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site {
            id: SiteId(1),
            key: "news".into(),
            name: "News".into(),
            origins: vec!["https://news.example".into()],
            prompt: None,
            created_at: 0,
        }
    }

    #[test]
    fn keys_by_url_or_identifier() {
        let k = ThreadKey::for_page(&site(), "https://NEWS.example/a/?utm_source=x", None).unwrap();
        assert_eq!(k.key, "https://news.example/a");
        let k = ThreadKey::for_page(&site(), "https://news.example/b", Some(" story-9 ")).unwrap();
        assert_eq!(k.key, "id:story-9");
        assert_eq!(k.url, "https://news.example/b");
    }

    #[test]
    fn refuses_other_origins_and_bad_ids() {
        let s = site();
        assert!(matches!(
            ThreadKey::for_page(&s, "https://evil.example/a", None),
            Err(Error::UrlNotOnSite)
        ));
        assert!(matches!(
            ThreadKey::for_page(&s, "http://news.example/a", None),
            Err(Error::UrlNotOnSite)
        ));
        assert!(matches!(
            ThreadKey::for_page(&s, "nope", None),
            Err(Error::InvalidUrl)
        ));
        assert!(matches!(
            ThreadKey::for_page(&s, "https://news.example/a", Some("")),
            Err(Error::InvalidIdentifier(_))
        ));
    }

    #[test]
    fn closes_after_days() {
        let mut t = Thread {
            id: ThreadId(1),
            site_id: SiteId(1),
            key: "k".into(),
            url: "u".into(),
            title: None,
            created_at: 0,
            closed: false,
            comment_count: 0,
            pinned_comment_id: None,
        };
        let day = 86_400_000;
        assert!(!t.is_closed(None, 100 * day));
        assert!(!t.is_closed(Some(30), 29 * day));
        assert!(t.is_closed(Some(30), 31 * day));
        t.closed = true;
        assert!(t.is_closed(None, 0));
    }
}
