//! Training: plain stochastic gradient descent over the examples in a seeded order, the rate
//! falling linearly to zero (as fastText does), one thread. The same examples, order and
//! options give the same model bytes.

use super::features::{extract, TextFeatures};
use super::file::NeuralModel;
use super::net::{
    backward, convolve, embed, head, loss, step_layers, step_rows, Grads, Layers, Table, Work,
};
use super::rng::Rng;
use super::{NeuralExample, OUTPUTS};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Which network to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Architecture {
    /// The mean of every feature's vector (fastText-style), then the outputs.
    Bag,
    /// The bag, plus max-pooled filters over consecutive word vectors.
    Conv,
}

impl std::str::FromStr for Architecture {
    type Err = String;

    /// `bag` or `conv`.
    fn from_str(name: &str) -> Result<Architecture, String> {
        match name {
            "bag" => Ok(Architecture::Bag),
            "conv" => Ok(Architecture::Conv),
            _ => Err(format!("unknown architecture {name:?} (bag or conv)")),
        }
    }
}

/// Training settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeuralOptions {
    pub architecture: Architecture,
    /// Seeds the initial weights and the order of the examples in each epoch.
    pub seed: u64,
    /// Passes over the data.
    pub epochs: u32,
    /// Features are hashed into `2^bits` embedding rows.
    pub bits: u32,
    /// Length of each embedding row.
    pub dim: usize,
    /// Convolution filters and their width in words (`Conv` only).
    pub filters: usize,
    pub width: usize,
    /// Starting learning rate; it falls linearly to zero over the run.
    pub learning_rate: f32,
}

impl Default for NeuralOptions {
    /// The convolution measured best within the speed and memory limits (see MODERATION.md,
    /// "Neural models we tried"): 2^16 rows of 16, 32 filters of 3 words, 5 epochs at 0.2.
    fn default() -> Self {
        NeuralOptions {
            architecture: Architecture::Conv,
            seed: 20_261_207,
            epochs: 5,
            bits: 16,
            dim: 16,
            filters: 32,
            width: 3,
            learning_rate: 0.2,
        }
    }
}

/// The ranges a model file may declare; training clamps its options into them.
pub(crate) const MIN_BITS: u32 = 4;
pub(crate) const MAX_BITS: u32 = 24;
pub(crate) const MAX_DIM: usize = 256;
pub(crate) const MAX_FILTERS: usize = 1024;
pub(crate) const MAX_WIDTH: usize = 8;

/// Every example's buckets, flattened; example `e` owns `buckets[spans[e]]` and the token ends
/// `ends[tokens[e]]` (relative to its first bucket).
pub(crate) struct Encoded {
    pub buckets: Vec<u32>,
    pub ends: Vec<u32>,
    pub spans: Vec<Range<usize>>,
    pub tokens: Vec<Range<usize>>,
}

impl Encoded {
    pub fn new(examples: &[NeuralExample], bits: u32) -> Encoded {
        let mut out = Encoded {
            buckets: Vec::new(),
            ends: Vec::new(),
            spans: Vec::with_capacity(examples.len()),
            tokens: Vec::with_capacity(examples.len()),
        };
        let mut features = TextFeatures::default();
        for example in examples {
            extract(&example.text, bits, &mut features);
            let (b, t) = (out.buckets.len(), out.ends.len());
            out.buckets.extend_from_slice(&features.buckets);
            out.ends.extend_from_slice(&features.ends);
            out.spans.push(b..out.buckets.len());
            out.tokens.push(t..out.ends.len());
        }
        out
    }

    /// The buckets and token ends of example `e`.
    pub fn example(&self, e: usize) -> (&[u32], &[u32]) {
        (
            &self.buckets[self.spans[e].clone()],
            &self.ends[self.tokens[e].clone()],
        )
    }
}

/// The network being trained: f32 embeddings and layers.
pub(crate) struct Params {
    pub table: Table,
    pub layers: Layers,
}

impl Params {
    pub fn init(options: &NeuralOptions, rng: &mut Rng) -> Params {
        let bits = options.bits.clamp(MIN_BITS, MAX_BITS);
        let dim = options.dim.clamp(1, MAX_DIM);
        let (filters, width) = match options.architecture {
            Architecture::Bag => (0, 1),
            Architecture::Conv => (
                options.filters.clamp(1, MAX_FILTERS),
                options.width.clamp(1, MAX_WIDTH),
            ),
        };
        let limit = match options.architecture {
            Architecture::Bag => 1.0 / dim as f32,
            Architecture::Conv => 1.0 / (dim as f32).sqrt(),
        };
        let values = (0..(1usize << bits) * dim)
            .map(|_| rng.uniform(limit))
            .collect();
        let mut layers = Layers::zeros(dim, filters, width);
        let conv_limit = (6.0 / (width * dim + filters) as f32).sqrt();
        for f in 0..filters {
            for input in 0..width * dim {
                let at = layers.conv_at(f, input);
                layers.conv_w[at] = rng.uniform(conv_limit);
            }
        }
        Params {
            table: Table { dim, values },
            layers,
        }
    }

    /// One example's loss and gradient (the forward and the backward pass).
    pub fn gradient(
        &self,
        buckets: &[u32],
        ends: &[u32],
        labels: &[Option<bool>; OUTPUTS],
        work: &mut Work,
        grads: &mut Grads,
    ) -> f32 {
        let dim = self.table.dim;
        embed(&self.table, buckets, ends, work);
        convolve(&self.layers, dim, work);
        let logits = head(&self.layers, dim, 0..ends.len(), work);
        let (value, dz) = loss(&logits, labels);
        backward(&self.layers, dim, work, &dz, grads);
        value
    }
}

/// Trains a model on `examples`. Texts without any word are skipped.
pub fn train(examples: &[NeuralExample], options: &NeuralOptions) -> NeuralModel {
    let bits = options.bits.clamp(MIN_BITS, MAX_BITS);
    let mut rng = Rng::new(options.seed);
    let mut params = Params::init(options, &mut rng);
    let data = Encoded::new(examples, bits);
    let mut order: Vec<usize> = (0..examples.len())
        .filter(|&e| !data.tokens[e].is_empty())
        .collect();
    let total_steps = (order.len() as u64 * u64::from(options.epochs)).max(1) as f32;
    let (mut work, mut grads) = (
        Work::default(),
        Grads::new(params.table.dim, &params.layers),
    );
    let mut step = 0u64;
    for _ in 0..options.epochs {
        rng.shuffle(&mut order);
        for &e in &order {
            let rate = options.learning_rate * (1.0 - step as f32 / total_steps);
            step += 1;
            let (buckets, ends) = data.example(e);
            params.gradient(buckets, ends, &examples[e].labels, &mut work, &mut grads);
            step_layers(&mut params.layers, &grads.layers, rate);
            step_rows(&mut params.table, buckets, ends, &grads, rate);
        }
    }
    let mut trained = [false; OUTPUTS];
    for example in examples {
        for (t, label) in trained.iter_mut().zip(&example.labels) {
            *t |= label.is_some();
        }
    }
    NeuralModel::quantize(
        options.architecture,
        bits,
        &params.table,
        params.layers,
        trained,
    )
}
