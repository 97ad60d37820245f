//! Training: naive-Bayes log-count-ratio feature weighting (NBSVM, Wang & Manning 2012) under an
//! L2-regularized logistic regression: a few seeded AdaGrad passes, then L-BFGS to the optimum.
//! Deterministic: one thread, one seed.

use super::corpus::Labeled;
use super::features::{extract, TokenFeatures};
use super::heads::AttributeModel;
use super::lbfgs;
use super::model::{Model, MAX_BITS, MIN_BITS};
use super::text::tokenize;
use rostra_core::attributes::Attribute;
use serde::{Deserialize, Serialize};

/// One training example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabeledText {
    pub text: String,
    /// True when abusive.
    pub label: bool,
}

/// Training settings. The defaults are the ones the shipped model was trained with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// Seeds the shuffling of examples in the AdaGrad passes that start the optimization.
    pub seed: u64,
    /// AdaGrad passes over the data before L-BFGS.
    pub epochs: u32,
    /// Most L-BFGS iterations.
    pub iterations: usize,
    /// Features are hashed into `2^bits` buckets (the model file holds 2 bytes per bucket).
    pub bits: u32,
    /// AdaGrad base learning rate.
    pub learning_rate: f32,
    /// L2 penalty on the mean log-loss (like scikit-learn's `1 / (C · n)`).
    pub l2: f32,
    /// Additive smoothing of the naive-Bayes feature counts.
    pub nb_alpha: f32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            seed: 20_240_601,
            epochs: 1,
            iterations: 150,
            bits: 19,
            learning_rate: 0.05,
            l2: 3e-5,
            nb_alpha: 1.0,
        }
    }
}

/// SplitMix64: a tiny, well-mixed, reproducible generator for shuffling.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// The hashed features of every example, flattened.
struct Corpus {
    buckets: Vec<u32>,
    /// Example `i` has word features `buckets[bounds[i].0..bounds[i].1]` and character n-grams
    /// `buckets[bounds[i].1..bounds[i].2]`.
    bounds: Vec<(usize, usize, usize)>,
    /// 1/√count of the word and of the character features of each example.
    inv_norms: Vec<(f32, f32)>,
    labels: Vec<bool>,
}

fn inv_sqrt(count: usize) -> f32 {
    1.0 / (count.max(1) as f32).sqrt()
}

impl Corpus {
    fn build(data: &[LabeledText], bits: u32) -> Corpus {
        let mut corpus = Corpus {
            buckets: Vec::new(),
            bounds: Vec::new(),
            inv_norms: Vec::new(),
            labels: Vec::new(),
        };
        let mut features = TokenFeatures::default();
        for example in data {
            extract(&tokenize(&example.text), bits, &mut features);
            let start = corpus.buckets.len();
            for i in 0..features.ends.len() {
                corpus.buckets.extend_from_slice(features.of(i).0);
            }
            let middle = corpus.buckets.len();
            for i in 0..features.ends.len() {
                corpus.buckets.extend_from_slice(features.of(i).1);
            }
            let end = corpus.buckets.len();
            corpus.bounds.push((start, middle, end));
            corpus
                .inv_norms
                .push((inv_sqrt(middle - start), inv_sqrt(end - middle)));
            corpus.labels.push(example.label);
        }
        corpus
    }

    /// Mean log-loss plus `l2/2 · |w|²` (bias unpenalized) at `x` (weights, then the bias), and its
    /// gradient.
    fn loss(&self, x: &[f64], ratios: &[f32], l2: f32, gradient: &mut [f64]) -> f64 {
        let buckets = ratios.len();
        gradient.iter_mut().for_each(|g| *g = 0.0);
        let mut total = 0.0;
        for i in 0..self.labels.len() {
            let z: f64 = x[buckets]
                + self
                    .normalized(i)
                    .map(|(b, n)| x[b] * f64::from(ratios[b] * n))
                    .sum::<f64>();
            // log(1 + e^z) - y·z, computed without overflow.
            let softplus = if z > 0.0 {
                z + (-z).exp().ln_1p()
            } else {
                z.exp().ln_1p()
            };
            let y = if self.labels[i] { 1.0 } else { 0.0 };
            total += softplus - y * z;
            let error = sigmoid(z) - y;
            for (b, n) in self.normalized(i) {
                gradient[b] += error * f64::from(ratios[b] * n);
            }
            gradient[buckets] += error;
        }
        let count = self.labels.len().max(1) as f64;
        let l2 = f64::from(l2);
        let mut penalty = 0.0;
        for (g, w) in gradient[..buckets].iter_mut().zip(&x[..buckets]) {
            *g = *g / count + l2 * w;
            penalty += w * w;
        }
        gradient[buckets] /= count;
        total / count + 0.5 * l2 * penalty
    }

    fn example(&self, i: usize) -> &[u32] {
        &self.buckets[self.bounds[i].0..self.bounds[i].2]
    }

    /// The features of example `i`, each with its length normalization.
    fn normalized(&self, i: usize) -> impl Iterator<Item = (usize, f32)> + '_ {
        let (start, middle, end) = self.bounds[i];
        let (word_norm, char_norm) = self.inv_norms[i];
        let words = self.buckets[start..middle]
            .iter()
            .map(move |&b| (b as usize, word_norm));
        words.chain(
            self.buckets[middle..end]
                .iter()
                .map(move |&b| (b as usize, char_norm)),
        )
    }

    /// Log-count ratios `ln((p_b/|p|) / (q_b/|q|))` of feature presence in positive vs negative
    /// examples.
    fn nb_ratios(&self, buckets: usize, alpha: f32) -> Vec<f32> {
        let mut positive = vec![0u32; buckets];
        let mut negative = vec![0u32; buckets];
        let mut seen: Vec<u32> = Vec::new();
        for i in 0..self.labels.len() {
            seen.clear();
            seen.extend_from_slice(self.example(i));
            seen.sort_unstable();
            seen.dedup();
            let counts = if self.labels[i] {
                &mut positive
            } else {
                &mut negative
            };
            seen.iter().for_each(|&b| counts[b as usize] += 1);
        }
        let total = |c: &[u32]| {
            c.iter().map(|&n| f64::from(n)).sum::<f64>() + f64::from(alpha) * c.len() as f64
        };
        let (p_total, q_total) = (total(&positive), total(&negative));
        let alpha = f64::from(alpha);
        positive
            .iter()
            .zip(&negative)
            .map(|(&p, &q)| {
                let p = (f64::from(p) + alpha) / p_total;
                let q = (f64::from(q) + alpha) / q_total;
                (p / q).ln() as f32
            })
            .collect()
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Trains a model on `data`. The same data, order and options give the same model bytes.
pub fn train(data: &[LabeledText], options: &TrainOptions) -> Model {
    let bits = options.bits.clamp(MIN_BITS, MAX_BITS);
    let buckets = 1usize << bits;
    let corpus = Corpus::build(data, bits);
    let ratios = corpus.nb_ratios(buckets, options.nb_alpha);
    let mut weights = warm_start(&corpus, &ratios, options);
    if options.iterations > 0 && !data.is_empty() {
        let objective =
            |x: &[f64], gradient: &mut [f64]| corpus.loss(x, &ratios, options.l2, gradient);
        lbfgs::minimize(&mut weights, options.iterations, 1e-7, objective);
    }
    let bias = weights[buckets] as f32;
    let folded: Vec<f32> = weights[..buckets]
        .iter()
        .zip(&ratios)
        .map(|(w, r)| (w * f64::from(*r)) as f32)
        .collect();
    Model::from_weights(bits, bias, &folded)
}

/// A few seeded AdaGrad passes: a cheap start for the exact optimization that follows.
fn warm_start(corpus: &Corpus, ratios: &[f32], options: &TrainOptions) -> Vec<f64> {
    let buckets = ratios.len();
    let mut weights = vec![0f64; buckets + 1];
    let mut squared_gradients = vec![1e-6f64; buckets + 1];
    let mut order: Vec<usize> = (0..corpus.labels.len()).collect();
    let mut rng = SplitMix64(options.seed);
    let rate = f64::from(options.learning_rate);
    for _ in 0..options.epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let dot: f64 = corpus
                .normalized(i)
                .map(|(b, n)| weights[b] * f64::from(ratios[b] * n))
                .sum();
            let error = sigmoid(weights[buckets] + dot) - if corpus.labels[i] { 1.0 } else { 0.0 };
            let features = corpus
                .normalized(i)
                .map(|(b, n)| (b, f64::from(ratios[b] * n)));
            for (b, x) in features.chain(std::iter::once((buckets, 1.0))) {
                let gradient = error * x;
                squared_gradients[b] += gradient * gradient;
                weights[b] -= rate * gradient / squared_gradients[b].sqrt();
            }
        }
    }
    weights
}

/// The attributes that have a learned head (insult is derived from toxicity and who it is
/// aimed at; profanity is a word list).
pub const LEARNED: [Attribute; 4] = [
    Attribute::Toxicity,
    Attribute::IdentityAttack,
    Attribute::Threat,
    Attribute::Dehumanization,
];

/// A rare attribute's positives are repeated until they are at least this share of its data.
const MIN_POSITIVE_SHARE: f64 = 0.2;

/// Trains one head per learned attribute, each on the examples that say something about it.
pub fn train_attributes(corpus: &[Labeled], options: &TrainOptions) -> AttributeModel {
    let heads = LEARNED
        .iter()
        .map(|&attribute| {
            let data = head_data(corpus, attribute);
            (attribute, train(&data, options))
        })
        .collect();
    AttributeModel { heads }
}

/// The sets the toxicity head learns from: general abuse (insults, profanity aimed at people),
/// in English, German and French. The hate sets are left to the identity, threat and
/// dehumanization heads: trained on them all, the toxicity head read every mention of a group as
/// abuse (OLID validation ROC-AUC 0.767 instead of 0.82).
const TOXICITY_SOURCES: &[&str] = &[
    "ours",
    "olid_train",
    "toxic_spans_train",
    "davidson",
    "germeval2018_train",
    "germeval_harmful_def",
    "mlma_fr",
];

/// The examples labeled for `attribute`, positives repeated up to [`MIN_POSITIVE_SHARE`].
pub(crate) fn head_data(corpus: &[Labeled], attribute: Attribute) -> Vec<LabeledText> {
    let labeled: Vec<LabeledText> = corpus
        .iter()
        .filter(|e| attribute != Attribute::Toxicity || TOXICITY_SOURCES.contains(&e.source))
        .filter_map(|e| {
            e.label(attribute).map(|label| LabeledText {
                text: e.text.clone(),
                label,
            })
        })
        .collect();
    let positives = labeled.iter().filter(|e| e.label).count();
    let negatives = labeled.len() - positives;
    if positives == 0 {
        return labeled;
    }
    let wanted =
        (MIN_POSITIVE_SHARE / (1.0 - MIN_POSITIVE_SHARE) * negatives as f64).ceil() as usize;
    let copies = wanted.div_ceil(positives).saturating_sub(1);
    let mut out = labeled.clone();
    for _ in 0..copies {
        out.extend(labeled.iter().filter(|e| e.label).cloned());
    }
    out
}
