//! Training is reproducible and learns: a few hundred rows written here, same seed, same bytes.

use rostra_moderation::toxicity::{train, LabeledText, Model, TrainOptions};

const SUBJECTS: &[&str] = &[
    "the mayor",
    "this article",
    "your comment",
    "the new plan",
    "he",
];
const CIVIL: &[&str] = &[
    "makes a fair point",
    "could use more detail",
    "was interesting to read",
];
const RUDE: &[&str] = &[
    "is moronic garbage",
    "is written by an idiot",
    "is pathetic trash",
];

fn rows() -> Vec<LabeledText> {
    let mut rows = Vec::new();
    for (i, subject) in SUBJECTS.iter().cycle().take(150).enumerate() {
        let civil = CIVIL[i % CIVIL.len()];
        let rude = RUDE[(i / 2) % RUDE.len()];
        rows.push(LabeledText {
            text: format!("I think {subject} {civil} ({i})."),
            label: false,
        });
        rows.push(LabeledText {
            text: format!("Honestly {subject} {rude} #{i}"),
            label: true,
        });
    }
    rows
}

fn small_options(seed: u64) -> TrainOptions {
    TrainOptions {
        seed,
        bits: 14,
        iterations: 30,
        epochs: 2,
        ..TrainOptions::default()
    }
}

#[test]
fn same_seed_gives_the_same_model_bytes() -> Result<(), Box<dyn std::error::Error>> {
    let data = rows();
    assert_eq!(data.len(), 300);
    let first = train(&data, &small_options(7)).to_bytes();
    let second = train(&data, &small_options(7)).to_bytes();
    assert_eq!(first, second);
    let model = Model::from_bytes(&first)?;
    assert_eq!(model.buckets(), 1 << 14);
    Ok(())
}

#[test]
fn a_small_model_separates_what_it_was_taught() {
    let model = train(&rows(), &small_options(1));
    let rude = model.score("Honestly the budget is moronic garbage");
    let civil = model.score("I think the budget makes a fair point");
    assert!(
        rude.probability > 0.5 && civil.probability < 0.5,
        "{rude:?} {civil:?}"
    );
    assert!(
        rude.terms
            .iter()
            .any(|t| t.text == "moronic" || t.text == "garbage"),
        "{rude:?}"
    );
}
