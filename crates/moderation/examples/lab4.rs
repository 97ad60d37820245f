use rostra_core::attributes::{Attribute, Preset};
use rostra_core::moderation::*;
use rostra_moderation::evaluation::{evaluate_decision, Case};
use rostra_moderation::toxicity::{corpus, datasets, evaluate, train_attributes, AttributeModel, TrainOptions};
use rostra_moderation::Pipeline;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let f = std::path::Path::new("../shared/fixtures/toxicity");
    let model: AttributeModel = if args[1] == "train" {
        let c = corpus::training_corpus(f).unwrap();
        let m = train_attributes(&c, &TrainOptions::default());
        std::fs::write(&args[2], m.to_bytes()).unwrap();
        m
    } else { AttributeModel::from_bytes(&std::fs::read(&args[2]).unwrap()).unwrap() };
    let model: &'static AttributeModel = Box::leak(Box::new(model));
    let policy = SitePolicy { mode: ModerationMode::PostModeration, max_links: 2, edit_window_secs: 900, close_after_days: 0, reports_to_hold: 3, banned_words: vec![], suspect_words: vec![], trust_after: 0, attributes: Preset::Balanced.rules(), nudge: true };
    let mut policy = policy;
    if let Ok(v) = std::env::var("ID_HOLD") { let mut r = policy.attributes.get(Attribute::IdentityAttack); r.hold = Some(v.parse().unwrap()); policy.attributes.set(Attribute::IdentityAttack, r); }
    if let Ok(v) = std::env::var("TOX_HOLD") { let mut r = policy.attributes.get(Attribute::Toxicity); r.hold = Some(v.parse().unwrap()); policy.attributes.set(Attribute::Toxicity, r); }
    let p = Pipeline::with_model(0, model);
    let hc = datasets::load(&f.join("hatecheck/test_suite_cases.csv")).unwrap();
    let cases: Vec<Case> = hc.examples.iter().map(Case::from_example).collect();
    let r = evaluate_decision(&p, model, &policy, &cases);
    println!("HateCheck acc {:.3} prec {:.3} rec {:.3}", r.accuracy, r.precision, r.recall);
    for (k, v) in r.per_functionality.unwrap() { println!("  {k:<22} {v:.3}"); }
    for name in ["tweeteval-offensive/val_text.txt", "toxic-spans/tsd_trial.csv"] {
        let d = datasets::load(&f.join(name)).unwrap();
        let e = evaluate(&|t: &str| model.attribute_score(t, Attribute::Toxicity), &d, 0.5, 0.9);
        let h = model.head(Attribute::Toxicity).unwrap();
        let raw = evaluate(&|t: &str| h.score(t), &d, 0.5, 0.9);
        println!("{name}: tox auc {:?} span {:?} | raw head auc {:?} span {:?}", e.roc_auc, e.span_f1, raw.roc_auc, raw.span_f1);
    }
}
