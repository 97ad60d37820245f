use rostra_core::attributes::{Attribute, Preset};
use rostra_core::moderation::*;
use rostra_moderation::evaluation::{evaluate_decision, Case};
use rostra_moderation::toxicity::{corpus, datasets, AttributeModel};
use rostra_moderation::Pipeline;
fn main() {
    let f = std::path::Path::new("../shared/fixtures/toxicity");
    let model = AttributeModel::embedded();
    let preset = std::env::var("PRESET").ok().and_then(|p| Preset::parse(&p)).unwrap_or(Preset::Balanced);
    let policy = SitePolicy { mode: ModerationMode::PostModeration, max_links: 2, edit_window_secs: 900, close_after_days: 0, reports_to_hold: 3, banned_words: vec![], suspect_words: vec![], trust_after: 0, attributes: preset.rules(), nudge: true };
    let p = Pipeline::with_model(0, model);
    for set in std::env::args().skip(1) {
        let cases: Vec<Case> = if set.contains('/') {
            datasets::load(&f.join(&set)).unwrap().examples.iter().map(Case::from_example).collect()
        } else { corpus::read_set(f, &set).unwrap().iter().map(Case::from_labeled).collect() };
        let r = evaluate_decision(&p, model, &policy, &cases);
        let aucs: Vec<String> = r.attributes.iter().filter(|a| a.attribute != Attribute::Profanity).map(|a| format!("{} {}{}", a.attribute, a.roc_auc.map_or("n/a".into(), |v| format!("{v:.3}")), if a.own_labels {"*"} else {""})).collect();
        println!("{set}: n={} pos={} acc {:.3} prec {:.3} rec {:.3} flagged {:.3} | {}", r.n, r.positives, r.accuracy, r.precision, r.recall, r.flagged, aucs.join(", "));
        if let Some(per) = r.per_functionality { if std::env::var("PER").is_ok() { for (k, v) in per { println!("  {k} {v:.3}"); } } }
    }
}
