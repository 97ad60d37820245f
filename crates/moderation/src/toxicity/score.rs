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
    word_count: u32,
    chars: i64,
    char_count: u32,
}

impl TokenSum {
    fn add(mut self, other: &TokenSum) -> TokenSum {
        self.words += other.words;
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

impl Model {
    /// Every attribute's score for one text (provisional: the single toxicity head).
    pub fn assess(&self, text: &str) -> crate::assessment::Assessment {
        let score = self.score(text);
        let mut assessment = crate::assessment::Assessment::zero();
        let toxicity = &mut assessment.attributes[0];
        toxicity.score = score.probability;
        toxicity.spans = score
            .terms
            .iter()
            .map(|t| rostra_core::moderation::Span {
                text: t.text.clone(),
                start: t.start,
                end: t.end,
                weight: Some(t.weight),
            })
            .collect();
        assessment
    }

    /// Scores one text. Runs in microseconds; never fails.
    pub fn score(&self, text: &str) -> Score {
        if self.is_zero() {
            return Score::default();
        }
        let tokens = tokenize(text);
        let sums = self.token_sums(&tokens);
        let windows = sentence_windows(&tokens, MIN_WINDOW_TOKENS);
        let mut best = f32::NEG_INFINITY;
        if windows.len() == 1 || tokens.tokens.len() <= WHOLE_TEXT_MAX_TOKENS {
            best = self.logit(&sums).0;
        }
        let mut worst: Option<((usize, usize), f32)> = None;
        let mut terms = Vec::new();
        for window in &windows {
            let (logit, norms) = self.logit(&sums[window.clone()]);
            best = best.max(logit);
            if worst.is_none_or(|(_, worst_logit)| logit > worst_logit) {
                worst = Some((byte_range(&tokens, window), logit));
            }
            for (token, sum) in tokens.tokens[window.clone()]
                .iter()
                .zip(&sums[window.clone()])
            {
                let weight = norms.apply(sum);
                if weight >= MIN_TERM_WEIGHT {
                    let (start, end) = (token.original.start, token.original.end);
                    terms.push(Term {
                        text: text[start..end].to_string(),
                        start,
                        end,
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

    /// Per token: the sums of its word and character-n-gram weights, and how many there are.
    fn token_sums(&self, tokens: &Tokens) -> Vec<TokenSum> {
        let mut features = TokenFeatures::default();
        extract(tokens, self.bits, &mut features);
        let total = |fs: &[u32]| fs.iter().map(|&b| i64::from(self.weight(b as usize))).sum();
        (0..tokens.tokens.len())
            .map(|i| {
                let (words, chars) = features.of(i);
                TokenSum {
                    words: total(words),
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
