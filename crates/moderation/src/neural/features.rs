//! The neural models' inputs: each normalized word of a text becomes a few hashed buckets (the
//! word, the bigram it ends within its sentence, a marker when it is shouted, and the character
//! 3–5-grams of the word padded with `<` and `>`), and the words are grouped into sentence
//! windows for scoring long texts.

use super::text::{tokenize, Tokens};
use std::ops::Range;

const CHAR_MIN: usize = 3;
const CHAR_MAX: usize = 5;
/// Longer words contribute the n-grams of their first bytes only.
const MAX_WORD_BYTES: usize = 24;

const SEED_WORD: u64 = 0x51_7cc1_b727_220a;
const SEED_BIGRAM: u64 = 0x2545_f491_4f6c_dd1d;
const SEED_CHAR: u64 = 0x94d0_49bb_1331_11eb;
const SEED_SHOUTED: u64 = 0x6a09_e667_f3bc_c908;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// The buckets of one text, token by token: token `i` owns `buckets[ends[i-1]..ends[i]]`.
#[derive(Debug, Default, Clone)]
pub(crate) struct TextFeatures {
    pub buckets: Vec<u32>,
    pub ends: Vec<u32>,
    /// Whether token `i` starts a sentence.
    pub starts: Vec<bool>,
    /// Byte range of token `i` in the original text.
    pub spans: Vec<(usize, usize)>,
}

impl TextFeatures {
    pub fn tokens(&self) -> usize {
        self.ends.len()
    }

    /// The buckets of token `i`.
    #[cfg(test)]
    pub fn of(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.buckets[start..self.ends[i] as usize]
    }
}

#[inline]
fn fnv(h: u64, byte: u8) -> u64 {
    (h ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
}

#[inline]
fn bucket(h: u64, bits: u32) -> u32 {
    let h = (h ^ (h >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    let h = (h ^ (h >> 29)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    (h >> (64 - bits)) as u32
}

/// Tokenizes `text` and hashes its features into `2^bits` buckets, into `out` (cleared first).
pub(crate) fn extract(text: &str, bits: u32, out: &mut TextFeatures) {
    extract_tokens(&tokenize(text), bits, out);
}

fn extract_tokens(tokens: &Tokens, bits: u32, out: &mut TextFeatures) {
    out.buckets.clear();
    out.ends.clear();
    out.starts.clear();
    out.spans.clear();
    let mut previous: Option<u64> = None;
    let mut padded = [0u8; MAX_WORD_BYTES + 2];
    for token in &tokens.tokens {
        let word = tokens.norm(token).as_bytes();
        let word_hash = word.iter().fold(SEED_WORD, |h, &b| fnv(h, b));
        out.buckets.push(bucket(word_hash, bits));
        if let (Some(prev), false) = (previous, token.starts_sentence) {
            out.buckets
                .push(bucket(prev.rotate_left(17) ^ word_hash ^ SEED_BIGRAM, bits));
        }
        previous = Some(word_hash);
        if token.shouted {
            out.buckets.push(bucket(SEED_SHOUTED, bits));
        }
        let kept = word.len().min(MAX_WORD_BYTES);
        padded[0] = b'<';
        padded[1..=kept].copy_from_slice(&word[..kept]);
        padded[kept + 1] = b'>';
        let padded = &padded[..kept + 2];
        for start in 0..padded.len().saturating_sub(CHAR_MIN - 1) {
            let mut h = SEED_CHAR;
            for (n, &byte) in padded[start..].iter().take(CHAR_MAX).enumerate() {
                h = fnv(h, byte);
                if n + 1 >= CHAR_MIN {
                    out.buckets.push(bucket(h, bits));
                }
            }
        }
        out.ends.push(out.buckets.len() as u32);
        out.starts.push(token.starts_sentence);
        out.spans.push((token.original.start, token.original.end));
    }
}

/// Groups tokens into sentence windows of at least `min_tokens` tokens; a shorter tail joins
/// the window before it.
pub(crate) fn windows(starts: &[bool], min_tokens: usize) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut begin = 0;
    for (i, &starts_sentence) in starts.iter().enumerate() {
        if starts_sentence && i >= begin + min_tokens {
            out.push(begin..i);
            begin = i;
        }
    }
    let n = starts.len();
    if n > begin {
        match out.last_mut() {
            Some(last) if n - begin < min_tokens => last.end = n,
            _ => out.push(begin..n),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_own_their_buckets() {
        let mut f = TextFeatures::default();
        extract("You idiot. Go", 16, &mut f);
        assert_eq!(f.tokens(), 3);
        // "<you>": unigram + 3 + 2 + 1 character n-grams.
        assert_eq!(f.of(0).len(), 1 + 3 + 2 + 1);
        // "idiot" ends a bigram; "<idiot>" has 5 + 4 + 3 n-grams.
        assert_eq!(f.of(1).len(), 2 + 5 + 4 + 3);
        // "go" starts a sentence: no bigram; "<go>" has 2 + 1 n-grams.
        assert_eq!(f.of(2).len(), 1 + 2 + 1);
        assert_eq!(f.starts, [true, false, true]);
        assert!(f.buckets.iter().all(|&b| b < 1 << 16));
    }

    #[test]
    fn windows_merge_short_sentences() {
        let starts = [true, false, true, false, false, true, false];
        assert_eq!(windows(&starts, 3), vec![0..7]);
        assert_eq!(windows(&starts, 2), vec![0..2, 2..5, 5..7]);
        assert_eq!(windows(&starts, 16), vec![0..7]);
        assert!(windows(&[], 3).is_empty());
    }
}
