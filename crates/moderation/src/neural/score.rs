//! Scoring a text with a neural model: a text of up to [`WHOLE_TEXT_MAX_TOKENS`] words scores as
//! a whole and by sentence windows of at least [`MIN_WINDOW_TOKENS`] words, a longer one by
//! windows only; each output takes its highest window. Length alone cannot raise or lower a score
//! (an average over many civil paragraphs would hide one abusive sentence among them).

use super::features::{extract, windows, TextFeatures};
use super::file::NeuralModel;
use super::net::{convolve, embed, head, sigmoid, Work};
use super::OUTPUTS;

const MIN_WINDOW_TOKENS: usize = 16;
const WHOLE_TEXT_MAX_TOKENS: usize = 60;

/// A neural model's verdict on one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NeuralScore {
    /// One probability per attribute, in `Attribute::ALL` order (0 for outputs the model was not
    /// trained on).
    pub probabilities: [f32; OUTPUTS],
    /// Byte range of the window that gave the highest toxicity logit, when the text has words.
    pub worst_window: Option<(usize, usize)>,
}

impl NeuralModel {
    /// Scores one text; never fails.
    pub fn score(&self, text: &str) -> NeuralScore {
        let mut features = TextFeatures::default();
        extract(text, self.bits, &mut features);
        let tokens = features.tokens();
        if tokens == 0 {
            return NeuralScore {
                probabilities: self.probabilities(self.layers.head_b),
                worst_window: None,
            };
        }
        let dim = self.table.dim;
        let mut work = Work::default();
        embed(&self.table, &features.buckets, &features.ends, &mut work);
        convolve(&self.layers, dim, &mut work);
        let ranges = windows(&features.starts, MIN_WINDOW_TOKENS);
        let mut best = [f32::NEG_INFINITY; OUTPUTS];
        if ranges.len() == 1 || tokens <= WHOLE_TEXT_MAX_TOKENS {
            best = head(&self.layers, dim, 0..tokens, &mut work);
        }
        let mut worst: Option<(std::ops::Range<usize>, f32)> = None;
        for range in ranges {
            let logits = head(&self.layers, dim, range.clone(), &mut work);
            for (b, l) in best.iter_mut().zip(logits) {
                *b = b.max(l);
            }
            if worst.as_ref().is_none_or(|(_, w)| logits[0] > *w) {
                worst = Some((range, logits[0]));
            }
        }
        let worst_window = worst.map(|(range, _)| {
            (
                features.spans[range.start].0,
                features.spans[range.end - 1].1,
            )
        });
        NeuralScore {
            probabilities: self.probabilities(best),
            worst_window,
        }
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
}
