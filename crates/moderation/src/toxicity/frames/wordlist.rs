//! A fixed list of words looked up in constant time: a hash set (FNV-1a, fast on short words)
//! built on first use from the list as written (an array, or words separated by white space).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) struct WordList {
    words: &'static [&'static str],
    /// More words, separated by white space (long lists read better as text).
    spaced: &'static str,
    set: OnceLock<HashSet<&'static str, BuildHasherDefault<Fnv>>>,
}

impl WordList {
    pub(crate) const fn new(words: &'static [&'static str]) -> WordList {
        WordList {
            words,
            spaced: "",
            set: OnceLock::new(),
        }
    }

    /// A list written as words separated by white space.
    pub(crate) const fn spaced(words: &'static str) -> WordList {
        WordList {
            words: &[],
            spaced: words,
            set: OnceLock::new(),
        }
    }

    /// Every word of the list, as written.
    pub(crate) fn words(&self) -> impl Iterator<Item = &'static str> {
        self.words
            .iter()
            .copied()
            .chain(self.spaced.split_whitespace())
    }

    pub(crate) fn contains(&self, word: &&str) -> bool {
        self.set
            .get_or_init(|| self.words().collect())
            .contains(word)
    }
}
