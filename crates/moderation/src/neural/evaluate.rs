//! Measuring a neural model on a labeled data set: ROC-AUC and accuracy at a threshold of one
//! output (or of the highest trained output), HateCheck accuracy per functionality, and the
//! toxic-spans character F1 of the words given as reasons.

use super::file::NeuralModel;
use crate::toxicity::datasets::{Dataset, Format};
use crate::toxicity::roc_auc;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

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
    /// Toxic spans: mean per-comment F1 of the characters of the reported words against the
    /// marked ones (SemEval-2021 Task 5), no words counted for comments below the threshold.
    pub span_f1: Option<f64>,
}

/// Code point indices of `text` covered by the byte ranges.
fn covered(text: &str, ranges: &[(usize, usize)]) -> HashSet<usize> {
    text.char_indices()
        .enumerate()
        .filter(|(_, (byte, _))| ranges.iter().any(|&(s, e)| *byte >= s && *byte < e))
        .map(|(i, _)| i)
        .collect()
}

/// Character F1 of one comment; 1 when neither side marks anything.
fn f1(predicted: &HashSet<usize>, gold: &HashSet<usize>) -> f64 {
    if predicted.is_empty() || gold.is_empty() {
        return f64::from(u8::from(predicted.is_empty() && gold.is_empty()));
    }
    let common = predicted.intersection(gold).count() as f64;
    if common == 0.0 {
        return 0.0;
    }
    let (p, r) = (common / predicted.len() as f64, common / gold.len() as f64);
    2.0 * p * r / (p + r)
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
    let span_f1 = span_f1(model, data, &scores, output.unwrap_or(0), hold);
    NeuralEvaluation {
        span_f1,
        n: labels.len(),
        positives: labels.iter().filter(|&&l| l).count(),
        roc_auc: roc_auc(&scores, &labels),
        accuracy: correct as f64 / labels.len().max(1) as f64,
        per_functionality,
    }
}

/// Mean per-comment F1 of the reported words' characters against the marked ones, for the
/// examples that carry marked spans (`None` when none does).
fn span_f1(
    model: &NeuralModel,
    data: &Dataset,
    scores: &[f32],
    output: usize,
    hold: f32,
) -> Option<f64> {
    let per_comment: Vec<f64> = data
        .examples
        .iter()
        .zip(scores)
        .filter_map(|(e, &s)| {
            let gold = covered(&e.text, e.spans.as_deref()?);
            let reported: Vec<(usize, usize)> = match s >= hold {
                true => model
                    .explain(&e.text, output)
                    .iter()
                    .map(|t| (t.start, t.end))
                    .collect(),
                false => Vec::new(),
            };
            Some(f1(&covered(&e.text, &reported), &gold))
        })
        .collect();
    (!per_comment.is_empty()).then(|| per_comment.iter().sum::<f64>() / per_comment.len() as f64)
}
