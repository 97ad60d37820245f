//! Trains the toxicity head alone on a chosen set of its training sources and options, and
//! prints its OLID validation ROC-AUC and its toxic-spans trial span F1 (the head alone, no
//! frames): how much each source and setting costs or gains on the two English bars. Each
//! argument is one run, `SOURCES[:L2[:BITS[:NB_ALPHA]]]`, sources comma-separated as named in
//! `TRAINING_SETS` (the shipped head: ours, olid_train, toxic_spans_train, davidson,
//! germeval2018_train, germeval_harmful_def, mlma_fr; L2 3e-5, 19 bits, alpha 1).
//!
//! ```sh
//! E=ours,olid_train,toxic_spans_train,davidson
//! cargo run --release -p rostra-moderation --example toxicity_head_sources -- \
//!   $E,germeval2018_train,germeval_harmful_def,mlma_fr $E olid_train,toxic_spans_train,davidson
//! ```

use rostra_core::attributes::Attribute;
use rostra_moderation::toxicity::{corpus, datasets, evaluate, train, LabeledText, TrainOptions};
use std::path::PathBuf;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let root = std::env::var_os("ROSTRA_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/fixtures"))
        .join("toxicity");
    let all = corpus::training_corpus(&root)?;
    let olid = datasets::load(&root.join("tweeteval-offensive/val_text.txt"))?;
    let trial = datasets::load(&root.join("toxic-spans/tsd_trial.csv"))?;
    for spec in std::env::args().skip(1) {
        let parts: Vec<&str> = spec.split(':').collect();
        let sources: Vec<&str> = parts[0].split(',').collect();
        let mut options = TrainOptions::default();
        if let Some(l2) = parts.get(1) {
            options.l2 = l2.parse()?;
        }
        if let Some(bits) = parts.get(2) {
            options.bits = bits.parse()?;
        }
        if let Some(alpha) = parts.get(3) {
            options.nb_alpha = alpha.parse()?;
        }
        let data: Vec<LabeledText> = all
            .iter()
            .filter(|e| sources.contains(&e.source))
            .filter_map(|e| {
                let label = e.label(Attribute::Toxicity)?;
                Some(LabeledText {
                    text: e.text.clone(),
                    label,
                })
            })
            .collect();
        let head = train(&data, &options);
        let score = |t: &str| head.score(t);
        let auc = evaluate(&score, &olid, 0.5, 0.9).roc_auc.unwrap_or(0.0);
        let f1 = evaluate(&score, &trial, 0.5, 0.9).span_f1.unwrap_or(0.0);
        println!(
            "{spec}: {} texts, OLID val ROC-AUC {auc:.4}, span F1 {f1:.4}",
            data.len()
        );
    }
    Ok(())
}
