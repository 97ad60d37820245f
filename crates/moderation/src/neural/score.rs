//! Scoring a text with a neural model, and the words behind a score.
//!
//! A text of up to [`WHOLE_TEXT_MAX_TOKENS`] words scores as a whole and by sentence windows of at
//! least [`MIN_WINDOW_TOKENS`] words, a longer one by windows only; each output takes its highest
//! window. Length alone cannot raise or lower a score (an average over many civil paragraphs
//! would hide one abusive sentence among them).
//!
//! Reasons: an output's logit splits exactly into a part per word (plus the biases). The bag
//! gives word `i` its share `w · s_i / N`; a filter whose maximum is at position `p` gives word
//! `p + j` the term `head_f · (W_f,j · t_(p+j))` of its sum. Words adding at least
//! [`MIN_TERM_WEIGHT`] to the log-odds of the output's highest window are reported.

use super::features::{extract, windows, TextFeatures};
use super::file::NeuralModel;
use super::net::{convolve, dot, embed, head, sigmoid, Work};
use super::OUTPUTS;
use crate::assessment::Assessment;
use rostra_core::moderation::Span;
use std::ops::Range;

const MIN_WINDOW_TOKENS: usize = 16;
const WHOLE_TEXT_MAX_TOKENS: usize = 60;
/// Smallest log-odds contribution for a word to be reported (chosen on the toxic-spans trial
/// set: 0.3 → span F1 0.526, 0.5 → 0.560, 0.8 → 0.577, 1.2 → 0.571), and how many are.
const MIN_TERM_WEIGHT: f32 = 0.8;
const MAX_TERMS: usize = 8;

/// A neural model's verdict on one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NeuralScore {
    /// One probability per attribute, in `Attribute::ALL` order (0 for outputs the model was not
    /// trained on).
    pub probabilities: [f32; OUTPUTS],
    /// Byte range of the window that gave the highest toxicity logit, when the text has words.
    pub worst_window: Option<(usize, usize)>,
}

/// One forward pass over a text: its features, the network's scratch, and per output the best
/// logit and the tokens it came from.
pub(super) struct Pass {
    pub features: TextFeatures,
    pub work: Work,
    pub logits: [f32; OUTPUTS],
    pub ranges: [Range<usize>; OUTPUTS],
}

impl NeuralModel {
    pub(super) fn pass(&self, text: &str) -> Pass {
        let mut features = TextFeatures::default();
        extract(text, self.bits, &mut features);
        let tokens = features.tokens();
        let mut pass = Pass {
            features,
            work: Work::default(),
            logits: self.layers.head_b,
            ranges: std::array::from_fn(|_| 0..0),
        };
        if tokens == 0 {
            return pass;
        }
        let dim = self.table.dim;
        let work = &mut pass.work;
        embed(
            &self.table,
            &pass.features.buckets,
            &pass.features.ends,
            work,
        );
        convolve(&self.layers, dim, work);
        let mut candidates = windows(&pass.features.starts, MIN_WINDOW_TOKENS);
        if candidates.len() > 1 && tokens <= WHOLE_TEXT_MAX_TOKENS {
            candidates.insert(0, 0..tokens);
        }
        pass.logits = [f32::NEG_INFINITY; OUTPUTS];
        for range in candidates {
            let logits = head(&self.layers, dim, range.clone(), work);
            for (k, logit) in logits.into_iter().enumerate() {
                if logit > pass.logits[k] {
                    pass.logits[k] = logit;
                    pass.ranges[k] = range.clone();
                }
            }
        }
        pass
    }

    fn probabilities(&self, logits: [f32; OUTPUTS]) -> [f32; OUTPUTS] {
        std::array::from_fn(|k| {
            if self.trained[k] {
                sigmoid(logits[k])
            } else {
                0.0
            }
        })
    }

    /// Scores one text; never fails.
    pub fn score(&self, text: &str) -> NeuralScore {
        let pass = self.pass(text);
        let range = &pass.ranges[0];
        let spans = &pass.features.spans;
        NeuralScore {
            probabilities: self.probabilities(pass.logits),
            worst_window: (!range.is_empty())
                .then(|| (spans[range.start].0, spans[range.end - 1].1)),
        }
    }

    /// The words that raised `output`'s score most, highest first, as spans of `text`.
    pub fn explain(&self, text: &str, output: usize) -> Vec<Span> {
        let mut pass = self.pass(text);
        self.terms(text, &mut pass, output.min(OUTPUTS - 1))
    }

    /// Every attribute's score, each with the words behind it.
    pub fn assess(&self, text: &str) -> Assessment {
        let mut pass = self.pass(text);
        let probabilities = self.probabilities(pass.logits);
        let mut assessment = Assessment::zero();
        for (k, score) in assessment.attributes.iter_mut().enumerate() {
            score.score = probabilities[k];
            if self.trained[k] {
                score.spans = self.terms(text, &mut pass, k);
            }
        }
        assessment
    }

    fn terms(&self, text: &str, pass: &mut Pass, k: usize) -> Vec<Span> {
        let range = pass.ranges[k].clone();
        if range.is_empty() {
            return Vec::new();
        }
        let contributions = self.contributions(pass, k, range.clone());
        let mut terms: Vec<(usize, f32)> = range
            .zip(contributions)
            .filter(|&(_, weight)| weight >= MIN_TERM_WEIGHT)
            .collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        terms.truncate(MAX_TERMS);
        terms
            .into_iter()
            .map(|(i, weight)| {
                let (start, end) = pass.features.spans[i];
                Span {
                    text: text[start..end].to_string(),
                    start,
                    end,
                    weight: Some(weight),
                }
            })
            .collect()
    }

    /// Each token's part of output `k`'s logit over `range` (the biases left out).
    pub(super) fn contributions(&self, pass: &mut Pass, k: usize, range: Range<usize>) -> Vec<f32> {
        let (dim, layers, work) = (self.table.dim, &self.layers, &mut pass.work);
        head(layers, dim, range.clone(), work);
        let (filters, width) = (layers.filters, layers.width);
        let weights = &layers.head_w[k * (filters + dim)..(k + 1) * (filters + dim)];
        let count: f32 = work.counts[range.clone()].iter().sum();
        let mut out: Vec<f32> = range
            .clone()
            .map(|i| dot(&weights[filters..], &work.sums[i * dim..(i + 1) * dim]) / count.max(1.0))
            .collect();
        for (f, &weight) in weights[..filters].iter().enumerate() {
            if work.hidden[f] <= 0.0 {
                continue;
            }
            let p = work.argmax[f];
            for j in 0..width.min(work.counts.len() - p) {
                let Some(slot) = (p + j)
                    .checked_sub(range.start)
                    .and_then(|i| out.get_mut(i))
                else {
                    continue;
                };
                let vector = &work.vectors[(p + j) * dim..(p + j + 1) * dim];
                let part: f32 = (0..dim)
                    .map(|c| layers.conv_w[layers.conv_at(f, j * dim + c)] * vector[c])
                    .sum();
                *slot += weight * part;
            }
        }
        out
    }
}
