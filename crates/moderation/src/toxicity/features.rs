//! Hashed features of a tokenized text: word unigrams, word bigrams within a sentence, a marker on
//! words written in capitals, and character 2–5-grams inside each word (padded with `<` and `>`;
//! a group's name is one shared word with no n-grams, see `groups`), all hashed into `2^bits`
//! buckets. Every feature belongs to exactly one token, so a token's contribution is the sum of
//! its features' weights and sentence scores come from the same pass as the whole-text score.

use super::groups::is_group;
use super::text::Tokens;

/// Shortest and longest character n-gram, in bytes of the normalized word.
const CHAR_MIN: usize = 2;
const CHAR_MAX: usize = 5;
/// Longer words only contribute the n-grams of their first bytes (keeps garbage cheap).
const MAX_WORD_BYTES: usize = 24;

const SEED_WORD: u64 = 0xcbf2_9ce4_8422_2325;
const SEED_CHAR: u64 = 0x8422_2325_cbf2_9ce4;
const SEED_BIGRAM: u64 = 0x9e37_79b9_7f4a_7c15;
const SEED_SHOUTED: u64 = 0x5348_4f55_5445_4421;
/// Every group's name is this one word (see `groups`).
const SEED_GROUP: u64 = 0x4752_4f55_5021_2121;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// The features of one text: `buckets[ends[i-1]..ends[i]]` belong to token `i`, the word
/// features (unigram, bigram) first and its character n-grams from `word_ends[i]` on. The two
/// kinds are length-normalized separately, so the many character n-grams do not drown the words.
#[derive(Debug, Default, Clone)]
pub(crate) struct TokenFeatures {
    pub buckets: Vec<u32>,
    pub word_ends: Vec<u32>,
    pub ends: Vec<u32>,
    /// Whether token `i` has a bigram feature (with the word before it), second among its words.
    pub has_pair: Vec<bool>,
}

impl TokenFeatures {
    /// The word features and the character n-gram features of token `i`.
    pub fn of(&self, i: usize) -> (&[u32], &[u32]) {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let middle = self.word_ends[i] as usize;
        (
            &self.buckets[start..middle],
            &self.buckets[middle..self.ends[i] as usize],
        )
    }
}

#[inline]
fn fnv_step(h: u64, byte: u8) -> u64 {
    (h ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
}

#[inline]
fn to_bucket(h: u64, bits: u32) -> u32 {
    let h = (h ^ (h >> 31)).wrapping_mul(0xd6e8_feb8_6659_fd93);
    let h = (h ^ (h >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> (64 - bits)) as u32
}

/// Computes the hashed features of every token of `tokens` into `out` (cleared first).
pub(crate) fn extract(tokens: &Tokens, bits: u32, out: &mut TokenFeatures) {
    out.buckets.clear();
    out.word_ends.clear();
    out.ends.clear();
    out.has_pair.clear();
    let mut previous_word: Option<u64> = None;
    let mut padded = [0u8; MAX_WORD_BYTES + 2];
    for token in &tokens.tokens {
        let word = tokens.norm(token).as_bytes();
        let group = is_group(tokens.norm(token));
        let word_hash = match group {
            true => SEED_GROUP,
            false => word.iter().fold(SEED_WORD, |h, &b| fnv_step(h, b)),
        };
        out.buckets.push(to_bucket(word_hash, bits));
        // No bigram joins a group's name: "… are" after any group is not a feature of its own.
        let pair = match (previous_word, token.starts_sentence) {
            (Some(prev), false) if !group && prev != SEED_GROUP => {
                Some(prev.rotate_left(23) ^ word_hash ^ SEED_BIGRAM)
            }
            _ => None,
        };
        out.has_pair.push(pair.is_some());
        if let Some(pair) = pair {
            out.buckets.push(to_bucket(pair, bits));
        }
        previous_word = Some(word_hash);
        if token.shouted {
            out.buckets.push(to_bucket(SEED_SHOUTED, bits));
        }
        out.word_ends.push(out.buckets.len() as u32);
        if group {
            out.ends.push(out.buckets.len() as u32);
            continue;
        }
        let kept = word.len().min(MAX_WORD_BYTES);
        padded[0] = b'<';
        padded[1..=kept].copy_from_slice(&word[..kept]);
        padded[kept + 1] = b'>';
        let padded = &padded[..kept + 2];
        for start in 0..padded.len() - 1 {
            let mut h = SEED_CHAR;
            for (n, &byte) in padded[start..].iter().take(CHAR_MAX).enumerate() {
                h = fnv_step(h, byte);
                if n + 1 >= CHAR_MIN {
                    out.buckets.push(to_bucket(h, bits));
                }
            }
        }
        out.ends.push(out.buckets.len() as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::tokenize;
    use super::*;

    #[test]
    fn every_token_gets_its_own_features() {
        let tokens = tokenize("You idiot. Go");
        let mut f = TokenFeatures::default();
        extract(&tokens, 18, &mut f);
        assert_eq!(f.ends.len(), 3);
        let sizes = |(w, c): (&[u32], &[u32])| (w.len(), c.len());
        // "you": unigram; 4 + 3 + 2 + 1 char n-grams ("<you>" has 5 bytes).
        assert_eq!(sizes(f.of(0)), (1, 4 + 3 + 2 + 1));
        // "idiot" has a bigram with "you"; "go" starts a sentence and has none.
        assert_eq!(sizes(f.of(1)), (2, 4 + 4 + 4 + 3 + 2 + 1));
        assert_eq!(sizes(f.of(2)), (1, 3 + 2 + 1));
        assert!(f.buckets.iter().all(|&b| b < 1 << 18));
    }

    #[test]
    fn same_word_same_features_and_shouting_adds_one() {
        let (mut a, mut b, mut c) = Default::default();
        extract(&tokenize("Idiot"), 20, &mut a);
        extract(&tokenize("idiot"), 20, &mut b);
        extract(&tokenize("IDIOT"), 20, &mut c);
        assert_eq!(a.buckets, b.buckets);
        let (words, chars) = c.of(0);
        assert_eq!((words.len(), chars), (2, a.of(0).1));
    }
}
