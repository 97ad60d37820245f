//! Measuring a neural model on a labeled data set: ROC-AUC and accuracy at a threshold of one
//! output (or of the highest trained output), and HateCheck accuracy per functionality.

use super::file::NeuralModel;
use crate::toxicity::datasets::{Dataset, Format};
use crate::toxicity::roc_auc;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a neural model achieves on one data set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeuralEvaluation {
    pub n: usize,
    pub positives: usize,
    pub roc_auc: Option<f64>,
    /// Share of examples on the right side of the threshold.
    pub accuracy: f64,
    /// HateCheck: accuracy per functionality.
    pub per_functionality: Option<BTreeMap<String, f64>>,
}

/// Scores every example of `data` by `output` (an index into `Attribute::ALL`; `None`: the
/// highest of the outputs the model was trained on), abusive at or above `hold`.
pub fn evaluate(
    model: &NeuralModel,
    data: &Dataset,
    output: Option<usize>,
    hold: f32,
) -> NeuralEvaluation {
    let labels: Vec<bool> = data.examples.iter().map(|e| e.label).collect();
    let scores: Vec<f32> = data
        .examples
        .iter()
        .map(|e| {
            let p = model.score(&e.text).probabilities;
            match output {
                Some(k) => p[k.min(p.len() - 1)],
                None => p.iter().copied().fold(0.0, f32::max),
            }
        })
        .collect();
    let right = |s: f32, l: bool| (s >= hold) == l;
    let correct = scores
        .iter()
        .zip(&labels)
        .filter(|(&s, &l)| right(s, l))
        .count();
    let per_functionality = (data.format == Format::HateCheck).then(|| {
        let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (example, &s) in data.examples.iter().zip(&scores) {
            let name = example.functionality.clone().unwrap_or_default();
            let entry = tally.entry(name).or_default();
            entry.0 += usize::from(right(s, example.label));
            entry.1 += 1;
        }
        tally
            .into_iter()
            .map(|(k, (r, all))| (k, r as f64 / all as f64))
            .collect()
    });
    NeuralEvaluation {
        n: labels.len(),
        positives: labels.iter().filter(|&&l| l).count(),
        roc_auc: roc_auc(&scores, &labels),
        accuracy: correct as f64 / labels.len().max(1) as f64,
        per_functionality,
    }
}
