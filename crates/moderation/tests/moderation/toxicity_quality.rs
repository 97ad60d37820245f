//! The embedded model against its quality bar on the shared labeled data. A model that falls
//! below the bar cannot land. Thresholds are the defaults `rostra model eval` uses.

use crate::fixtures::require;
use rostra_moderation::toxicity::{datasets, evaluate, Model, DEFAULT_HOLD, DEFAULT_REJECT};

/// ROC-AUC the shipped model must reach on the OLID validation split (which it was not trained
/// on). MODERATION.md gives the measured figure.
const OLID_VAL_MIN_AUC: f64 = 0.82;

#[test]
fn embedded_model_meets_the_olid_validation_bar() -> Result<(), Box<dyn std::error::Error>> {
    let Some(path) = require(
        "embedded_model_meets_the_olid_validation_bar",
        "toxicity/tweeteval-offensive/val_text.txt",
    ) else {
        return Ok(());
    };
    let data = datasets::load(&path)?;
    assert_eq!(data.examples.len(), 1324);
    let result = evaluate(Model::embedded(), &data, DEFAULT_HOLD, DEFAULT_REJECT);
    let auc = result.roc_auc.unwrap_or(0.0);
    assert!(
        auc >= OLID_VAL_MIN_AUC,
        "OLID val ROC-AUC {auc:.4} < {OLID_VAL_MIN_AUC}"
    );
    Ok(())
}

#[test]
fn hatecheck_reports_every_functionality() -> Result<(), Box<dyn std::error::Error>> {
    let Some(path) = require(
        "hatecheck_reports_every_functionality",
        "toxicity/hatecheck/test_suite_cases.csv",
    ) else {
        return Ok(());
    };
    let data = datasets::load(&path)?;
    assert_eq!(data.examples.len(), 3728);
    let result = evaluate(Model::embedded(), &data, DEFAULT_HOLD, DEFAULT_REJECT);
    let per = result
        .per_functionality
        .ok_or("no per-functionality figures")?;
    assert_eq!(per.len(), 29);
    // A regression guard well under the measured figure (see MODERATION.md), not a goal.
    assert!(
        result.accuracy >= HATECHECK_MIN_ACCURACY,
        "HateCheck accuracy {:.3}",
        result.accuracy
    );
    Ok(())
}

const HATECHECK_MIN_ACCURACY: f64 = 0.35;

#[test]
fn toxic_spans_terms_overlap_the_marked_words() -> Result<(), Box<dyn std::error::Error>> {
    let Some(path) = require(
        "toxic_spans_terms_overlap_the_marked_words",
        "toxicity/toxic-spans/tsd_trial.csv",
    ) else {
        return Ok(());
    };
    let data = datasets::load(&path)?;
    assert_eq!(data.examples.len(), 690);
    let result = evaluate(Model::embedded(), &data, DEFAULT_HOLD, DEFAULT_REJECT);
    let span_f1 = result.span_f1.ok_or("no span F1")?;
    // A regression guard under the measured figure (see MODERATION.md).
    assert!(
        span_f1 >= TOXIC_SPANS_MIN_F1,
        "toxic-spans trial span F1 {span_f1:.3}"
    );
    Ok(())
}

const TOXIC_SPANS_MIN_F1: f64 = 0.50;
