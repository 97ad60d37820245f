//! The whole automatic decision (every text check under the balanced preset) and the toxicity
//! attribute against the shared labeled data. The floors here are regression guards just under
//! the figures MODERATION.md reports for the shipped model (with the command that gives them);
//! where those figures still miss the goals of issue 15, MODERATION.md says so. A model that
//! falls below a floor cannot land.

use crate::fixtures::require;
use rostra_core::attributes::{Attribute, Preset};
use rostra_core::moderation::SitePolicy;
use rostra_moderation::evaluation::{evaluate_decision, Case, DecisionReport};
use rostra_moderation::toxicity::{
    datasets, evaluate, AttributeModel, DEFAULT_HOLD, DEFAULT_REJECT,
};
use rostra_moderation::Pipeline;

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn balanced() -> SitePolicy {
    SitePolicy::with_preset(Preset::Balanced)
}

fn decide(
    path: &std::path::Path,
) -> std::result::Result<DecisionReport, Box<dyn std::error::Error>> {
    let data = datasets::load(path)?;
    let cases: Vec<Case> = data.examples.iter().map(Case::from_example).collect();
    let model = AttributeModel::embedded();
    Ok(evaluate_decision(
        &Pipeline::with_model(0, model),
        model,
        &balanced(),
        &cases,
    ))
}

/// Floors per HateCheck functionality: (name, measured accuracy minus a margin).
const HATECHECK_FLOORS: &[(&str, f64)] = &[
    ("counter_quote_nh", 0.77),
    ("counter_ref_nh", 0.66),
    ("derog_dehum_h", 0.82),
    ("derog_impl_h", 0.62),
    ("derog_neg_emote_h", 0.72),
    ("ident_neutral_nh", 0.95),
    ("ident_pos_nh", 0.95),
    ("negate_neg_nh", 0.88),
    ("profanity_nh", 0.80),
    ("threat_dir_h", 0.66),
    ("threat_norm_h", 0.75),
];

const HATECHECK_MIN_ACCURACY: f64 = 0.71;

#[test]
fn whole_decision_on_hatecheck_per_functionality() -> Result {
    let Some(path) = require(
        "whole_decision_on_hatecheck_per_functionality",
        "toxicity/hatecheck/test_suite_cases.csv",
    ) else {
        return Ok(());
    };
    let report = decide(&path)?;
    assert_eq!(report.n, 3728);
    let per = report.per_functionality.ok_or("no functionalities")?;
    assert_eq!(per.len(), 29);
    let mut below = Vec::new();
    for (name, floor) in HATECHECK_FLOORS {
        let accuracy = per[*name];
        if accuracy < *floor {
            below.push(format!("{name} {accuracy:.3} < {floor}"));
        }
    }
    assert!(below.is_empty(), "below the floor: {}", below.join(", "));
    assert!(
        report.accuracy >= HATECHECK_MIN_ACCURACY,
        "HateCheck accuracy {:.3}",
        report.accuracy
    );
    Ok(())
}

#[test]
fn toxicity_attribute_on_olid_validation() -> Result {
    let Some(path) = require(
        "toxicity_attribute_on_olid_validation",
        "toxicity/tweeteval-offensive/val_text.txt",
    ) else {
        return Ok(());
    };
    let data = datasets::load(&path)?;
    assert_eq!(data.examples.len(), 1324);
    let model = AttributeModel::embedded();
    let head = model.head(Attribute::Toxicity).ok_or("no toxicity head")?;
    let alone = evaluate(
        &|t: &str| head.score(t),
        &data,
        DEFAULT_HOLD,
        DEFAULT_REJECT,
    );
    let attribute = |t: &str| model.attribute_score(t, Attribute::Toxicity);
    let framed = evaluate(&attribute, &data, DEFAULT_HOLD, DEFAULT_REJECT);
    let (alone, framed) = (alone.roc_auc.unwrap_or(0.0), framed.roc_auc.unwrap_or(0.0));
    assert!(
        alone >= 0.81,
        "toxicity head alone: OLID val ROC-AUC {alone:.4}"
    );
    assert!(
        framed >= 0.80,
        "toxicity attribute: OLID val ROC-AUC {framed:.4}"
    );
    Ok(())
}

#[test]
fn marked_words_overlap_what_people_marked() -> Result {
    let Some(path) = require(
        "marked_words_overlap_what_people_marked",
        "toxicity/toxic-spans/tsd_trial.csv",
    ) else {
        return Ok(());
    };
    let data = datasets::load(&path)?;
    assert_eq!(data.examples.len(), 690);
    let model = AttributeModel::embedded();
    let attribute = |t: &str| model.attribute_score(t, Attribute::Toxicity);
    let span_f1 = evaluate(&attribute, &data, DEFAULT_HOLD, DEFAULT_REJECT)
        .span_f1
        .ok_or("no span F1")?;
    assert!(span_f1 >= 0.52, "toxic-spans trial span F1 {span_f1:.3}");
    Ok(())
}

#[test]
fn identity_attack_on_held_out_hate_sets() -> Result {
    let Some(root) = require(
        "identity_attack_on_held_out_hate_sets",
        "toxicity/SOURCES.md",
    ) else {
        return Ok(());
    };
    let root = root.parent().ok_or("no folder")?;
    let model = AttributeModel::embedded();
    for (set, floor) in [("dynahate_test", 0.62), ("ghc_test", 0.79)] {
        let labeled = rostra_moderation::toxicity::corpus::read_set(root, set)?;
        let cases: Vec<Case> = labeled.iter().map(Case::from_labeled).collect();
        let report = evaluate_decision(&Pipeline::with_model(0, model), model, &balanced(), &cases);
        let identity = &report.attributes[Attribute::IdentityAttack.index()];
        let auc = identity.roc_auc.unwrap_or(0.0);
        assert!(
            auc >= floor,
            "{set}: identity attack ROC-AUC {auc:.3} < {floor}"
        );
    }
    Ok(())
}
