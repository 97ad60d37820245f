//! Scoring a text by sentence windows, length-normalized, with the words that raised the score.
//!
//! A window's logit is `bias + Σ weights / √(number of features)`, words and character n-grams
//! normalized apart: the feature vector has unit length (exactly so when no feature repeats).
//! Sentences are grouped into windows of about a tweet's length, the size of the texts the model
//! learned from, and the text scores as its worst window. A short text (up to
//! [`WHOLE_TEXT_MAX_TOKENS`] words) also scores as a whole; a longer one only by windows, so that
//! neither length itself (repeated common n-grams inflate a whole-text sum faster than its norm)
//! nor averaging can move the score: civil paragraphs stay civil however many there are, and one
//! abusive sentence among them scores as it would alone, give or take its window neighbour.

use super::features::{extract, TokenFeatures};
use super::model::Model;
use super::text::{tokenize, Tokens};
use serde::Serialize;
use std::ops::Range;

/// Sentences are merged into scoring windows of at least this many words.
const MIN_WINDOW_TOKENS: usize = 16;
/// Texts up to this many words are scored as a whole as well as by windows.
const WHOLE_TEXT_MAX_TOKENS: usize = 60;
/// Training splits long comments into windows of at least this many words.
pub(crate) const MIN_TRAINING_WINDOW_TOKENS: usize = 6;
/// Most terms reported per text.
const MAX_TERMS: usize = 8;
/// Smallest log-odds contribution for a word to be reported as a reason.
const MIN_TERM_WEIGHT: f32 = 0.5;

/// Words never shown as a reason: they carry a sentence's weight (a bigram ends on them) but
/// are not what a reader finds abusive.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "is", "are", "was", "were", "be",
    "it", "its", "this", "that", "for", "with", "as", "by", "i", "me", "my", "we", "our", "so",
    "just", "all", "do", "does", "have", "has", "der", "die", "das", "und", "ist", "ein", "eine",
    "le", "la", "les", "et", "est", "un", "une", "de", "des",
];

/// The classifier's verdict on one text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Score {
    /// Probability that the text is abusive, 0–1.
    pub probability: f32,
    /// Byte range of the highest-scoring sentence window, when the text has any words.
    pub worst_sentence: Option<(usize, usize)>,
    /// The words that raised the score most, highest first.
    pub terms: Vec<Term>,
}

/// One word of the text and how much it raised the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    /// The word as written in the original text.
    pub text: String,
    /// Byte offsets in the original text.
    pub start: usize,
    pub end: usize,
    /// Contribution to the log-odds of its sentence window (the word, its character n-grams,
    /// and the bigram it ends).
    pub weight: f32,
}

/// A token's (or window's) summed quantized weights and feature counts, words and characters
/// apart.
#[derive(Debug, Default, Clone, Copy)]
struct TokenSum {
    words: i64,
    /// The part of `words` from the bigram this token ends (with the word before it).
    pair: i64,
    word_count: u32,
    chars: i64,
    char_count: u32,
}

impl TokenSum {
    fn add(mut self, other: &TokenSum) -> TokenSum {
        self.words += other.words;
        self.pair += other.pair;
        self.word_count += other.word_count;
        self.chars += other.chars;
        self.char_count += other.char_count;
        self
    }
}

/// The factors turning summed weights into log-odds: scale / √(feature count of the window).
#[derive(Debug, Clone, Copy)]
struct Norms {
    words: f32,
    chars: f32,
}

impl Norms {
    fn apply(&self, sum: &TokenSum) -> f32 {
        sum.words as f32 * self.words + sum.chars as f32 * self.chars
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Groups tokens into sentence windows of at least `min_tokens` tokens (a shorter tail joins the
/// window before it).
fn sentence_windows(tokens: &Tokens, min_tokens: usize) -> Vec<Range<usize>> {
    let mut windows: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for (i, token) in tokens.tokens.iter().enumerate() {
        if i > start && token.starts_sentence && i - start >= min_tokens {
            windows.push(start..i);
            start = i;
        }
    }
    let n = tokens.tokens.len();
    if n > start {
        match windows.last_mut() {
            Some(last) if n - start < min_tokens => last.end = n,
            _ => windows.push(start..n),
        }
    }
    windows
}

fn byte_range(tokens: &Tokens, window: &Range<usize>) -> (usize, usize) {
    (
        tokens.tokens[window.start].original.start,
        tokens.tokens[window.end - 1].original.end,
    )
}

/// Byte ranges of the training windows of `text` (sentences merged to at least
/// [`MIN_TRAINING_WINDOW_TOKENS`] words), from the first to the last word of each.
pub(crate) fn sentence_ranges(text: &str) -> Vec<(usize, usize)> {
    let tokens = tokenize(text);
    let windows = sentence_windows(&tokens, MIN_TRAINING_WINDOW_TOKENS);
    windows.iter().map(|w| byte_range(&tokens, w)).collect()
}

/// A text tokenized and hashed once, for every head that scores it: its tokens, their
/// features, its scoring windows, and the tokens whose raising contributions are muted (quoted,
/// reported or negated words: see `frames`).
pub(crate) struct Prepared<'t> {
    pub text: &'t str,
    pub tokens: Tokens,
    features: TokenFeatures,
    windows: Vec<Range<usize>>,
    whole: bool,
    pub muted: Vec<bool>,
}

/// Tokenizes and hashes `text` for models of `bits` hash bits; nothing muted yet.
pub(crate) fn prepare(text: &str, bits: u32) -> Prepared<'_> {
    let tokens = tokenize(text);
    let mut features = TokenFeatures::default();
    extract(&tokens, bits, &mut features);
    let windows = sentence_windows(&tokens, MIN_WINDOW_TOKENS);
    let whole = windows.len() == 1 || tokens.tokens.len() <= WHOLE_TEXT_MAX_TOKENS;
    let muted = vec![false; tokens.tokens.len()];
    Prepared {
        text,
        tokens,
        features,
        windows,
        whole,
        muted,
    }
}

impl Model {
    /// Scores one text. Runs in microseconds; never fails.
    pub fn score(&self, text: &str) -> Score {
        if self.is_zero() {
            return Score::default();
        }
        self.score_prepared(&prepare(text, self.bits))
    }

    /// Scores a prepared text: muted tokens may lower a window's score but not raise it.
    pub(crate) fn score_prepared(&self, p: &Prepared<'_>) -> Score {
        if self.is_zero() {
            return Score::default();
        }
        let sums = self.token_sums(&p.features, p.tokens.tokens.len());
        let mut best = f32::NEG_INFINITY;
        if p.whole {
            best = self.window_logit(&sums, &p.muted, 0..sums.len()).0;
        }
        let mut worst: Option<((usize, usize), f32)> = None;
        let mut terms = Vec::new();
        for window in &p.windows {
            let (logit, contributions) = self.window_logit(&sums, &p.muted, window.clone());
            best = best.max(logit);
            if worst.is_none_or(|(_, worst_logit)| logit > worst_logit) {
                worst = Some((byte_range(&p.tokens, window), logit));
            }
            for (i, weight) in window.clone().zip(contributions) {
                let word = p.tokens.norm(&p.tokens.tokens[i]);
                if weight >= MIN_TERM_WEIGHT && !p.muted[i] && !FUNCTION_WORDS.contains(&word) {
                    let range = p.tokens.tokens[i].original.clone();
                    terms.push(Term {
                        text: p.text[range.clone()].to_string(),
                        start: range.start,
                        end: range.end,
                        weight,
                    });
                }
            }
        }
        terms.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.start.cmp(&b.start)));
        terms.truncate(MAX_TERMS);
        let probability = if best.is_finite() {
            sigmoid(best)
        } else {
            sigmoid(self.bias)
        };
        Score {
            probability,
            worst_sentence: worst.map(|(range, _)| range),
            terms,
        }
    }

    /// The log-odds of the tokens in `range` and each token's contribution to it; a muted
    /// token's contribution counts only when it lowers the score.
    fn window_logit(
        &self,
        sums: &[TokenSum],
        muted: &[bool],
        range: Range<usize>,
    ) -> (f32, Vec<f32>) {
        let (_, norms) = self.logit(&sums[range.clone()]);
        let contributions: Vec<f32> = sums[range.clone()].iter().map(|s| norms.apply(s)).collect();
        // A muted word may still raise the score through the bigram it ends ("cant stand"),
        // which was learned with the negation in it.
        let total: f32 = contributions
            .iter()
            .zip(&sums[range.clone()])
            .zip(&muted[range])
            .map(|((&c, s), &m)| match m {
                true => {
                    let pair = s.pair as f32 * norms.words;
                    (c - pair).min(0.0) + pair
                }
                false => c,
            })
            .sum();
        (self.bias + total, contributions)
    }

    /// Per token: the sums of its word and character-n-gram weights, and how many there are.
    fn token_sums(&self, features: &TokenFeatures, count: usize) -> Vec<TokenSum> {
        let total = |fs: &[u32]| fs.iter().map(|&b| i64::from(self.weight(b as usize))).sum();
        (0..count)
            .map(|i| {
                let (words, chars) = features.of(i);
                TokenSum {
                    words: total(words),
                    pair: match features.has_pair[i] {
                        true => i64::from(self.weight(words[1] as usize)),
                        false => 0,
                    },
                    word_count: words.len() as u32,
                    chars: total(chars),
                    char_count: chars.len() as u32,
                }
            })
            .collect()
    }

    /// The log-odds of a run of tokens, and the norms that produced it.
    fn logit(&self, sums: &[TokenSum]) -> (f32, Norms) {
        let total = sums.iter().fold(TokenSum::default(), |acc, t| acc.add(t));
        let norm = |count: u32| {
            if count == 0 {
                0.0
            } else {
                self.scale / (count as f32).sqrt()
            }
        };
        let norms = Norms {
            words: norm(total.word_count),
            chars: norm(total.char_count),
        };
        (self.bias + norms.apply(&total), norms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_merge_short_sentences() {
        let tokens =
            tokenize("Yes. I think this is right and fair. Ok. Thanks for the long reply here.");
        assert_eq!(sentence_windows(&tokens, 6), vec![0..8, 8..15]);
        assert_eq!(sentence_windows(&tokens, 16), vec![0..15]);
        assert!(sentence_windows(&tokenize(""), 6).is_empty());
        assert_eq!(sentence_windows(&tokenize("Hi. You."), 6), vec![0..2]);
    }

    #[test]
    fn zero_model_scores_zero() {
        let score = Model::zero().score("anything at all");
        assert_eq!(score, Score::default());
    }
}
