//! Whole answers of `/api/counts`, kept per raw query string: an article list asks for the same
//! set of pages on every view. An answer is served again while none of its threads was written
//! to since it was built (the thread cache's invalidation numbers say so).

use crate::cache::{Page, ThreadCache, ThreadRef};
use std::collections::HashMap;
use std::sync::RwLock;

struct Answer {
    page: Page,
    threads: Vec<ThreadRef>,
    /// The thread cache's ticket taken before the counts were read.
    ticket: u64,
}

pub struct CountAnswers {
    answers: RwLock<HashMap<String, Answer>>,
    capacity: usize,
}

impl CountAnswers {
    pub fn new(capacity: usize) -> CountAnswers {
        CountAnswers {
            answers: RwLock::default(),
            capacity: capacity.max(1),
        }
    }

    /// The answer built for this query, if none of its threads changed since.
    pub fn get(&self, raw_query: &str, threads: &ThreadCache) -> Option<Page> {
        let answers = self.answers.read().unwrap_or_else(|e| e.into_inner());
        let a = answers.get(raw_query)?;
        threads
            .unchanged_since(&a.threads, a.ticket)
            .then(|| a.page.clone())
    }

    /// Keeps an answer; when full, starts over (the answers are cheap to rebuild).
    pub fn put(&self, raw_query: &str, page: Page, threads: Vec<ThreadRef>, ticket: u64) {
        let mut answers = self.answers.write().unwrap_or_else(|e| e.into_inner());
        if answers.len() >= self.capacity && !answers.contains_key(raw_query) {
            answers.clear();
        }
        answers.insert(
            raw_query.to_string(),
            Answer {
                page,
                threads,
                ticket,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use rostra_core::SiteId;

    fn t(k: &str) -> ThreadRef {
        ThreadRef {
            site: SiteId(1),
            key: k.into(),
        }
    }

    #[test]
    fn an_answer_lasts_until_one_of_its_threads_is_written_to() {
        let threads = ThreadCache::new(100);
        let answers = CountAnswers::new(4);
        let page = Page::new(Bytes::from_static(b"{}"));
        answers.put("q", page, vec![t("a"), t("b")], threads.ticket());
        assert!(answers.get("q", &threads).is_some());
        threads.invalidate(&t("c"));
        assert!(answers.get("q", &threads).is_some());
        threads.invalidate(&t("b"));
        assert!(answers.get("q", &threads).is_none());
    }

    #[test]
    fn an_answer_built_before_a_write_is_stale_at_once() {
        let threads = ThreadCache::new(100);
        let answers = CountAnswers::new(4);
        let ticket = threads.ticket();
        threads.invalidate(&t("a"));
        let page = Page::new(Bytes::from_static(b"{}"));
        answers.put("q", page, vec![t("a")], ticket);
        assert!(answers.get("q", &threads).is_none());
    }
}
