//! Measuring a model on a labeled data set: ROC-AUC, precision and recall at the hold and reject
//! thresholds, HateCheck accuracy per functionality, and toxic-spans character F1 of the terms
//! the model reports.

use super::datasets::{Dataset, Format};
use super::score::Score;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// Default probability at or above which a comment is held for a moderator.
pub const DEFAULT_HOLD: f32 = 0.5;
/// Default probability at or above which a comment is rejected outright.
pub const DEFAULT_REJECT: f32 = 0.9;

/// What a model achieves on one data set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub format: Format,
    /// Number of examples, and how many are abusive.
    pub n: usize,
    pub positives: usize,
    /// Area under the ROC curve (null when the set has only one class).
    pub roc_auc: Option<f64>,
    /// Precision, recall, F1 and accuracy at the hold threshold.
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub accuracy: f64,
    /// The same figures at each threshold: hold, then reject.
    pub thresholds: Vec<ThresholdMetrics>,
    /// HateCheck: accuracy at the hold threshold per functionality.
    pub per_functionality: Option<BTreeMap<String, f64>>,
    /// Toxic spans: mean per-comment F1 of the characters of the reported terms against the
    /// marked characters (SemEval-2021 Task 5 metric), counting terms only for held comments.
    pub span_f1: Option<f64>,
}

/// Figures at one threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdMetrics {
    pub name: &'static str,
    pub threshold: f32,
    /// Share of the examples at or above the threshold.
    pub flagged: f64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub accuracy: f64,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn at_threshold(
    name: &'static str,
    threshold: f32,
    scores: &[f32],
    labels: &[bool],
) -> ThresholdMetrics {
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    for (&s, &l) in scores.iter().zip(labels) {
        match (s >= threshold, l) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => tn += 1,
        }
    }
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    ThresholdMetrics {
        name,
        threshold,
        flagged: ratio(tp + fp, scores.len()),
        precision,
        recall,
        f1,
        accuracy: ratio(tp + tn, scores.len()),
    }
}

/// ROC-AUC as the Mann–Whitney statistic, ties counted half.
pub fn roc_auc(scores: &[f32], labels: &[bool]) -> Option<f64> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let positives = labels.iter().filter(|&&l| l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut rank_sum = 0.0f64;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        // Ranks i+1..=j+1 share their mean.
        let mean_rank = (i + j + 2) as f64 / 2.0;
        rank_sum += mean_rank * order[i..=j].iter().filter(|&&k| labels[k]).count() as f64;
        i = j + 1;
    }
    let p = positives as f64;
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}

/// Character-offset F1 of one comment (1 when both sets are empty).
fn span_f1(predicted: &HashSet<usize>, gold: &HashSet<usize>) -> f64 {
    if predicted.is_empty() || gold.is_empty() {
        return if predicted.is_empty() && gold.is_empty() {
            1.0
        } else {
            0.0
        };
    }
    let common = predicted.intersection(gold).count() as f64;
    let (p, r) = (common / predicted.len() as f64, common / gold.len() as f64);
    if common == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Character indices (code points) covered by byte ranges of `text`.
fn char_indices_in(text: &str, ranges: impl Iterator<Item = (usize, usize)>) -> HashSet<usize> {
    let ranges: Vec<(usize, usize)> = ranges.collect();
    text.char_indices()
        .enumerate()
        .filter(|(_, (byte, _))| ranges.iter().any(|&(s, e)| *byte >= s && *byte < e))
        .map(|(i, _)| i)
        .collect()
}

/// Scores every example of `data` with `score` (a head, or an attribute of the whole model)
/// and summarizes.
pub fn evaluate(
    score: &dyn Fn(&str) -> Score,
    data: &Dataset,
    hold: f32,
    reject: f32,
) -> Evaluation {
    let labels: Vec<bool> = data.examples.iter().map(|e| e.label).collect();
    let mut scores = Vec::with_capacity(labels.len());
    let mut span_scores = Vec::new();
    for example in &data.examples {
        let score = score(&example.text);
        if let Some(gold) = &example.spans {
            let predicted = if score.probability >= hold {
                char_indices_in(&example.text, score.terms.iter().map(|t| (t.start, t.end)))
            } else {
                HashSet::new()
            };
            let gold = char_indices_in(&example.text, gold.iter().copied());
            span_scores.push(span_f1(&predicted, &gold));
        }
        scores.push(score.probability);
    }
    let held = at_threshold("hold", hold, &scores, &labels);
    let thresholds = vec![
        held.clone(),
        at_threshold("reject", reject, &scores, &labels),
    ];
    let per_functionality = (data.format == Format::HateCheck).then(|| {
        let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (example, &s) in data.examples.iter().zip(&scores) {
            let name = example.functionality.clone().unwrap_or_default();
            let entry = tally.entry(name).or_default();
            entry.0 += usize::from((s >= hold) == example.label);
            entry.1 += 1;
        }
        tally
            .into_iter()
            .map(|(k, (right, all))| (k, ratio(right, all)))
            .collect()
    });
    Evaluation {
        format: data.format,
        n: labels.len(),
        positives: labels.iter().filter(|&&l| l).count(),
        roc_auc: roc_auc(&scores, &labels),
        precision: held.precision,
        recall: held.recall,
        f1: held.f1,
        accuracy: held.accuracy,
        thresholds,
        per_functionality,
        span_f1: (!span_scores.is_empty())
            .then(|| span_scores.iter().sum::<f64>() / span_scores.len() as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_ties_half() {
        assert_eq!(roc_auc(&[0.1, 0.9], &[false, true]), Some(1.0));
        assert_eq!(roc_auc(&[0.9, 0.1], &[false, true]), Some(0.0));
        assert_eq!(roc_auc(&[0.5, 0.5], &[false, true]), Some(0.5));
        assert_eq!(roc_auc(&[0.5, 0.5], &[true, true]), None);
        let auc = roc_auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]);
        assert_eq!(auc, Some(0.75));
    }

    #[test]
    fn span_f1_follows_semeval() {
        let set = |v: &[usize]| v.iter().copied().collect::<HashSet<_>>();
        assert_eq!(span_f1(&set(&[]), &set(&[])), 1.0);
        assert_eq!(span_f1(&set(&[1]), &set(&[])), 0.0);
        assert_eq!(span_f1(&set(&[1, 2]), &set(&[2, 3])), 0.5);
    }
}
