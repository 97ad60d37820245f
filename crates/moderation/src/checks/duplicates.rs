//! Floods and duplicates: the same or nearly the same text posted again within a window, by
//! anyone, is held. Near-duplicates are found by SimHash over word trigrams.

use super::{Check, CheckInput};
use rostra_core::moderation::{Reason, Verdict};
use rostra_core::SiteId;
use std::collections::VecDeque;
use std::sync::Mutex;

/// Texts shorter than this (after normalizing) are never duplicates: "Thanks!" twice is fine.
const MIN_CHARS: usize = 24;
/// SimHashes this close (in differing bits) are the same text.
const NEAR: u32 = 3;
/// Texts compared for near-duplicates: the latest this many (repeats and floods come in
/// bursts; this keeps the check's cost flat however busy the site is).
const COMPARE_LATEST: usize = 4096;

pub struct DuplicateCheck {
    window_ms: i64,
    capacity: usize,
    recent: Mutex<VecDeque<(i64, SiteId, u64)>>,
}

impl DuplicateCheck {
    pub fn new(window_secs: u64, capacity: usize) -> DuplicateCheck {
        DuplicateCheck {
            window_ms: window_secs as i64 * 1000,
            capacity,
            recent: Mutex::default(),
        }
    }
}

fn normalized_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// SimHash of word trigrams (or of the words, for short texts).
pub fn simhash(words: &[String]) -> u64 {
    let mut weights = [0i32; 64];
    let grams: Vec<String> = if words.len() >= 3 {
        words.windows(3).map(|w| w.join(" ")).collect()
    } else {
        words.to_vec()
    };
    for g in &grams {
        let h = fnv(g);
        for (bit, w) in weights.iter_mut().enumerate() {
            *w += if h >> bit & 1 == 1 { 1 } else { -1 };
        }
    }
    weights.iter().enumerate().fold(
        0u64,
        |acc, (bit, w)| if *w > 0 { acc | 1 << bit } else { acc },
    )
}

impl DuplicateCheck {
    /// The reason, if the text repeats a recent one; `remember` adds it to the memory (and
    /// drops what is past the window), a preview leaves the memory as it was.
    fn find(&self, input: &CheckInput<'_>, remember: bool) -> Vec<Reason> {
        // A window of 0 turns the check off (two posts in the same millisecond are no repeat).
        if self.window_ms <= 0 {
            return Vec::new();
        }
        let words = normalized_words(input.body);
        if words.iter().map(String::len).sum::<usize>() < MIN_CHARS {
            return Vec::new();
        }
        let hash = simhash(&words);
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        let since = input.now - self.window_ms;
        if remember {
            while recent.front().is_some_and(|(t, _, _)| *t < since)
                || recent.len() >= self.capacity
            {
                recent.pop_front();
            }
        }
        let earlier = recent
            .iter()
            .rev()
            .take(COMPARE_LATEST)
            .filter(|(t, _, _)| *t >= since)
            .find(|(_, site, h)| *site == input.site && (h ^ hash).count_ones() <= NEAR)
            .map(|(t, _, _)| *t);
        if remember {
            recent.push_back((input.now, input.site, hash));
        }
        match earlier {
            None => Vec::new(),
            Some(t) => vec![Reason {
                check: "duplicate".into(),
                verdict: Verdict::Hold,
                detail: format!(
                    "the same text was posted {} seconds earlier",
                    (input.now - t) / 1000
                ),
                score: None,
                spans: Vec::new(),
            }],
        }
    }
}

impl Check for DuplicateCheck {
    fn check(&self, input: &CheckInput<'_>) -> Vec<Reason> {
        self.find(input, true)
    }

    fn preview(&self, input: &CheckInput<'_>) -> Vec<Reason> {
        self.find(input, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::tests::policy;

    #[test]
    fn a_window_of_zero_turns_the_check_off() {
        let d = DuplicateCheck::new(0, 100);
        let p = policy();
        let text = "Buy cheap watches at the best prices online today, limited offer for readers";
        for _ in 0..2 {
            let input = CheckInput {
                site: SiteId(1),
                body: text,
                author_name: None,
                policy: &p,
                now: 5,
            };
            assert!(d.check(&input).is_empty(), "same text, same millisecond");
        }
    }

    #[test]
    fn holds_repeats_and_near_repeats_within_the_window() {
        let d = DuplicateCheck::new(600, 100);
        let p = policy();
        let input = |body: &'static str, now: i64, site: i64| CheckInput {
            site: SiteId(site),
            body,
            author_name: None,
            policy: &p,
            now,
        };
        let text = "Buy cheap watches at the best prices online today, limited offer for readers";
        assert!(d.check(&input(text, 0, 1)).is_empty());
        let again =
            "Buy cheap watches at the best prices online today, limited offer for readers!!";
        assert_eq!(d.check(&input(again, 1000, 1)).len(), 1);
        assert!(d.check(&input(text, 2000, 2)).is_empty(), "another site");
        assert!(
            d.check(&input(text, 10_000_000, 1)).is_empty(),
            "after the window"
        );
        assert!(d.check(&input("Thanks!", 10_000_001, 1)).is_empty());
        assert!(
            d.check(&input("Thanks!", 10_000_002, 1)).is_empty(),
            "short texts never"
        );
        let other = "A completely different comment about the council vote and the shuttle bus";
        assert!(d.check(&input(other, 10_000_003, 1)).is_empty());
    }

    #[test]
    fn a_preview_sees_repeats_but_remembers_nothing() {
        let d = DuplicateCheck::new(600, 100);
        let p = policy();
        let input = |now: i64| CheckInput {
            site: SiteId(1),
            body: "A long enough comment about the new tram line and its stops",
            author_name: None,
            policy: &p,
            now,
        };
        assert!(d.preview(&input(0)).is_empty());
        assert!(
            d.preview(&input(1)).is_empty(),
            "the first preview was not kept"
        );
        assert!(
            d.check(&input(2)).is_empty(),
            "nor does it make the post a repeat"
        );
        assert_eq!(
            d.preview(&input(3)).len(),
            1,
            "a preview sees the posted text"
        );
        assert_eq!(d.check(&input(4)).len(), 1);
    }
}
