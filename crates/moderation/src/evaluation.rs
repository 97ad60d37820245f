//! Measuring the whole automatic decision (every text check under a site policy, not only the
//! model) on labeled cases: how often it holds what is abusive and lets through what is not,
//! per attribute, per check, and per HateCheck functionality.

use crate::checks::CheckInput;
use crate::pipeline::Pipeline;
use crate::toxicity::corpus::Labeled;
use crate::toxicity::datasets::Example;
use crate::toxicity::{roc_auc, AttributeModel};
use crate::Assessment;
use rostra_core::attributes::Attribute;
use rostra_core::moderation::{SitePolicy, Verdict};
use rostra_core::SiteId;
use serde::Serialize;
use std::collections::BTreeMap;

/// One labeled text.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub text: String,
    /// Abusive (hateful, offensive) or not: what holding should follow.
    pub label: bool,
    /// What the data says of each attribute, where it says anything.
    pub attributes: [Option<bool>; 6],
    /// HateCheck and similar suites: what the case tests.
    pub functionality: Option<String>,
}

impl Case {
    /// A case from a data file: its abusive label and functionality.
    pub fn from_example(example: &Example) -> Case {
        Case {
            text: example.text.clone(),
            label: example.label,
            attributes: [None; 6],
            functionality: example.functionality.clone(),
        }
    }

    /// A case from a named set: abusive when any attribute is.
    pub fn from_labeled(labeled: &Labeled) -> Case {
        Case {
            text: labeled.text.clone(),
            label: labeled.labels.contains(&Some(true)),
            attributes: labeled.labels,
            functionality: None,
        }
    }
}

/// What the decision achieves on a set of cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionReport {
    pub n: usize,
    pub positives: usize,
    /// Held or rejected, among all cases.
    pub flagged: f64,
    pub accuracy: f64,
    pub precision: f64,
    pub recall: f64,
    /// Per attribute: ROC-AUC of its score against the attribute's own labels where the data
    /// has them, else against the abusive label; and how often it alone would flag.
    pub attributes: Vec<AttributeReport>,
    /// How many cases each check held or rejected.
    pub checks: BTreeMap<String, usize>,
    /// Accuracy per functionality, for suites that name one.
    pub per_functionality: Option<BTreeMap<String, f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeReport {
    pub attribute: Attribute,
    /// Whether the ROC-AUC is against the attribute's own labels.
    pub own_labels: bool,
    pub labeled: usize,
    pub roc_auc: Option<f64>,
    pub flagged: f64,
}

/// Runs `pipeline` under `policy` on every case, each an hour after the one before (so the
/// duplicate check compares texts as it would in a real thread, not across the whole set).
pub fn evaluate_decision(
    pipeline: &Pipeline,
    model: &AttributeModel,
    policy: &SitePolicy,
    cases: &[Case],
) -> DecisionReport {
    let mut flagged = Vec::with_capacity(cases.len());
    let mut checks: BTreeMap<String, usize> = BTreeMap::new();
    let mut assessments: Vec<Assessment> = Vec::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        let input = CheckInput {
            site: SiteId(1),
            body: &case.text,
            author_name: None,
            policy,
            now: i as i64 * 3_600_000,
        };
        let outcome = pipeline.run(&input);
        for reason in outcome
            .reasons
            .iter()
            .filter(|r| r.verdict != Verdict::Allow)
        {
            *checks.entry(reason.check.clone()).or_default() += 1;
        }
        flagged.push(outcome.verdict != Verdict::Allow);
        assessments.push(model.assess(&case.text));
    }
    let labels: Vec<bool> = cases.iter().map(|c| c.label).collect();
    let count = |f: &dyn Fn(usize) -> bool| (0..cases.len()).filter(|&i| f(i)).count();
    let true_pos = count(&|i| flagged[i] && labels[i]);
    let flagged_n = count(&|i| flagged[i]);
    let positives = count(&|i| labels[i]);
    let right = count(&|i| flagged[i] == labels[i]);
    DecisionReport {
        n: cases.len(),
        positives,
        flagged: ratio(flagged_n, cases.len()),
        accuracy: ratio(right, cases.len()),
        precision: ratio(true_pos, flagged_n),
        recall: ratio(true_pos, positives),
        attributes: Attribute::ALL
            .into_iter()
            .map(|a| attribute_report(a, cases, &assessments, policy))
            .collect(),
        checks,
        per_functionality: per_functionality(cases, &flagged),
    }
}

fn attribute_report(
    attribute: Attribute,
    cases: &[Case],
    assessments: &[Assessment],
    policy: &SitePolicy,
) -> AttributeReport {
    let own = cases
        .iter()
        .any(|c| c.attributes[attribute.index()].is_some());
    let (mut scores, mut labels) = (Vec::new(), Vec::new());
    for (case, assessment) in cases.iter().zip(assessments) {
        let label = match own {
            true => case.attributes[attribute.index()],
            false => Some(case.label),
        };
        if let Some(label) = label {
            scores.push(assessment.score(attribute));
            labels.push(label);
        }
    }
    let hold = policy.attributes.get(attribute).hold;
    let flagged = assessments
        .iter()
        .filter(|a| hold.is_some_and(|h| a.score(attribute) >= h))
        .count();
    AttributeReport {
        attribute,
        own_labels: own,
        labeled: labels.len(),
        roc_auc: roc_auc(&scores, &labels),
        flagged: ratio(flagged, assessments.len()),
    }
}

fn per_functionality(cases: &[Case], flagged: &[bool]) -> Option<BTreeMap<String, f64>> {
    let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (case, &f) in cases.iter().zip(flagged) {
        if let Some(name) = &case.functionality {
            let entry = tally.entry(name.clone()).or_default();
            entry.0 += usize::from(f == case.label);
            entry.1 += 1;
        }
    }
    (!tally.is_empty()).then(|| {
        tally
            .into_iter()
            .map(|(name, (right, all))| (name, ratio(right, all)))
            .collect()
    })
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}
