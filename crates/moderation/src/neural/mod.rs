//! Small neural toxicity models trained from scratch by our own code: a fastText-style embedding
//! bag and a 1-D convolution over word vectors, both with one sigmoid output per attribute.
//!
//! Inputs are hashed word unigrams, word bigrams within a sentence, a shouting marker and
//! character 3–5-grams of each normalized word ([`features`]), looked up in one embedding table.
//! The bag averages the vectors of all features; the convolution also slides filters of 2–3
//! words over the per-word averages and keeps each filter's maximum, so it can see word order
//! ("are not vermin"). Six sigmoid outputs follow, in [`Attribute::ALL`] order, trained with a
//! binary cross-entropy that skips unknown labels ([`train`]). The stored model keeps one byte
//! per embedding weight with a scale per row ([`NeuralModel`]); a long text scores as its worst
//! sentence window, like the linear model.
//!
//! [`Attribute::ALL`]: rostra_core::attributes::Attribute::ALL

mod evaluate;
mod features;
mod file;
mod net;
mod rng;
mod score;
mod train;

// The classifier's own tokenizer and normalization, shared with the linear model.
use crate::toxicity::text;

#[cfg(test)]
mod tests;

pub use evaluate::{evaluate, NeuralEvaluation};
pub use file::{NeuralModel, NeuralModelError};
pub use score::NeuralScore;
pub use train::{train, Architecture, NeuralOptions};

use crate::toxicity::LabeledText;

/// Number of outputs: one per attribute, in `Attribute::ALL` order.
pub const OUTPUTS: usize = 6;

/// One training text with what is known of each attribute (`None`: not labeled for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeuralExample {
    pub text: String,
    pub labels: [Option<bool>; OUTPUTS],
}

impl NeuralExample {
    /// A text labeled for toxicity only (the binary data sets we have readers for).
    pub fn toxicity(text: String, toxic: bool) -> NeuralExample {
        let mut labels = [None; OUTPUTS];
        labels[0] = Some(toxic);
        NeuralExample { text, labels }
    }
}

impl From<&LabeledText> for NeuralExample {
    fn from(labeled: &LabeledText) -> NeuralExample {
        NeuralExample::toxicity(labeled.text.clone(), labeled.label)
    }
}
