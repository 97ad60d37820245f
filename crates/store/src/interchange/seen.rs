//! The comments an import has written so far, by source id, so that a reply finds a parent
//! that came earlier in the file without asking the database.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Comments of this import by the hash of their source id: their local id (as an offset from
/// the first) and thread id, in 16 bytes, so a million comments take about 35 MB. Two source ids
/// with the same 64-bit hash among a million have odds of about 3 in 10^8; even then a reply is
/// only affected if both are in its thread.
#[derive(Default)]
pub(super) struct Seen {
    first: Option<i64>,
    by_source: HashMap<u64, (u32, u32)>,
}

impl Seen {
    pub(super) fn get(&self, source: &str) -> Option<(i64, i64)> {
        let (offset, thread) = *self.by_source.get(&source_key(source))?;
        Some((self.first? + i64::from(offset), i64::from(thread)))
    }

    /// Remembers a comment (those whose numbers do not fit wait for the end instead).
    pub(super) fn insert(&mut self, source: &str, id: i64, thread: i64) {
        let first = *self.first.get_or_insert(id);
        if let (Ok(offset), Ok(thread)) = (u32::try_from(id - first), u32::try_from(thread)) {
            self.by_source.insert(source_key(source), (offset, thread));
        }
    }
}

fn source_key(source: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    source.hash(&mut h);
    h.finish()
}
