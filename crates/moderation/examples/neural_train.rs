//! Trains a neural toxicity model, evaluates it on OLID validation and HateCheck, and writes it.
//!
//! Run (from the repository root, shared fixtures in `../shared/fixtures` or `ROSTRA_FIXTURES`):
//! `cargo run --release -p rostra-moderation --example neural_train -- --arch bag --out /tmp/bag.bin`
//!
//! Options: `--arch bag|conv --bits N --dim N --filters N --width N --epochs N --lr X --seed N
//! --sample N` (keep every N-th training example, for quick exploration) `--out FILE`
//! `--data FILE` (repeatable; any format `toxicity::datasets::load` reads, labeled for toxicity
//! only). Without `--data`: OLID train, toxic-spans train (sentence windows), Davidson hate +
//! neither. After training it prints a few hand-written probes next to the shipped linear model.

use rostra_moderation::neural::{self, NeuralExample, NeuralOptions};
use rostra_moderation::toxicity::{datasets, Model};
use std::path::PathBuf;
use std::time::Instant;

const TRAIN: [&str; 3] = [
    "tweeteval-offensive/train_text.txt",
    "toxic-spans/tsd_train.csv",
    "davidson/labeled_data.csv",
];
const FUNCTIONALITIES: [&str; 9] = [
    "derog_impl_h",
    "derog_dehum_h",
    "threat_dir_h",
    "threat_norm_h",
    "counter_quote_nh",
    "counter_ref_nh",
    "negate_neg_nh",
    "ident_neutral_nh",
    "ident_pos_nh",
];

type Error = Box<dyn std::error::Error>;

/// Sentences and comments written for these probes: abuse, and the same words reported,
/// negated or quoted.
const PROBES: [&str; 9] = [
    "Thanks for the thoughtful article, I learned a lot.",
    "I will find you and shoot you, you worthless idiot.",
    "Those people are vermin and should be driven out of the country.",
    "Those people are not vermin, they are our neighbours.",
    "No one should say that immigrants are vermin.",
    "Calling people idiots is not helpful.",
    "The army shelled the town last night, the report says.",
    "All of them should be hanged for this.",
    "He was hanged in 1946 after the trial.",
];
const PARAGRAPH: &str = "The council voted on the new budget last night. Several residents asked \
    why the library hours were cut again, and the chair promised a written answer by Friday. \
    I hope the paper follows up on it.";

struct Args {
    options: NeuralOptions,
    sample: usize,
    out: Option<PathBuf>,
    data: Vec<PathBuf>,
}

fn options(args: &[String]) -> Result<Args, Error> {
    let mut options = NeuralOptions::default();
    let (mut sample, mut out, mut data) = (1usize, None, Vec::new());
    for pair in args.chunks(2) {
        let [flag, value] = pair else {
            return Err(format!("{} needs a value", pair[0]).into());
        };
        match flag.as_str() {
            "--arch" => options.architecture = value.parse()?,
            "--bits" => options.bits = value.parse()?,
            "--dim" => options.dim = value.parse()?,
            "--filters" => options.filters = value.parse()?,
            "--width" => options.width = value.parse()?,
            "--epochs" => options.epochs = value.parse()?,
            "--lr" => options.learning_rate = value.parse()?,
            "--seed" => options.seed = value.parse()?,
            "--sample" => sample = value.parse::<usize>()?.max(1),
            "--out" => out = Some(PathBuf::from(value)),
            "--data" => data.push(PathBuf::from(value)),
            _ => return Err(format!("unknown option {flag}").into()),
        }
    }
    Ok(Args {
        options,
        sample,
        out,
        data,
    })
}

/// OLID validation ROC-AUC of the mean of this model's and the shipped linear model's log-odds.
fn blend(model: &neural::NeuralModel, root: &std::path::Path) -> Result<(), Error> {
    let olid = datasets::load(&root.join("tweeteval-offensive/val_text.txt"))?;
    let logit = |p: f32| (p.clamp(1e-6, 1.0 - 1e-6) / (1.0 - p.clamp(1e-6, 1.0 - 1e-6))).ln();
    let (scores, labels): (Vec<f32>, Vec<bool>) = olid
        .examples
        .iter()
        .map(|e| {
            let neural = logit(model.score(&e.text).probabilities[0]);
            let linear = logit(Model::embedded().score(&e.text).probability);
            ((neural + linear) / 2.0, e.label)
        })
        .unzip();
    let auc = rostra_moderation::toxicity::roc_auc(&scores, &labels).unwrap_or(f64::NAN);
    println!("OLID val ROC-AUC of the mean log-odds with the linear model: {auc:.3}");
    Ok(())
}

fn probe(model: &neural::NeuralModel) {
    let linear = Model::embedded();
    println!("probe: neural p(toxicity) | linear | text");
    for text in PROBES {
        let p = model.score(text).probabilities[0];
        println!("  {p:.2} | {:.2} | {text}", linear.score(text).probability);
    }
    for paragraphs in [1, 4, 12] {
        let text = vec![PARAGRAPH; paragraphs].join("\n\n");
        let p = model.score(&text).probabilities[0];
        let l = linear.score(&text).probability;
        println!("  {p:.2} | {l:.2} | civil comment of {paragraphs} paragraph(s)");
    }
    let mut text = vec![PARAGRAPH; 12];
    text.insert(6, "You are a pathetic idiot and nobody wants you here.");
    let text = text.join("\n\n");
    let p = model.score(&text).probabilities[0];
    let l = linear.score(&text).probability;
    println!("  {p:.2} | {l:.2} | the same 12 paragraphs with one insult in the middle");
    let reasons = model.explain(&text, 0);
    let words: Vec<&str> = reasons.iter().map(|t| t.text.as_str()).collect();
    println!("  reasons given: {}", words.join(", "));
}

/// The training texts: the `--data` files, or the linear model's sets.
fn read_examples(root: &std::path::Path, data: Vec<PathBuf>) -> Result<Vec<NeuralExample>, Error> {
    let files: Vec<PathBuf> = match data.is_empty() {
        true => TRAIN.iter().map(|f| root.join(f)).collect(),
        false => data,
    };
    let mut examples = Vec::new();
    for file in &files {
        let data = datasets::load(file)?;
        examples.extend(data.training_texts().iter().map(NeuralExample::from));
    }
    Ok(examples)
}

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Args {
        options,
        sample,
        out,
        data,
    } = options(&args)?;
    let root = std::env::var_os("ROSTRA_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/fixtures"))
        .join("toxicity");
    let examples = read_examples(&root, data)?;
    let examples: Vec<NeuralExample> = examples.into_iter().step_by(sample).collect();
    println!("options: {}", serde_json::to_string(&options)?);
    println!("training examples: {}", examples.len());
    let started = Instant::now();
    let model = neural::train(&examples, &options);
    let seconds = started.elapsed().as_secs_f64();
    let bytes = model.to_bytes();
    println!(
        "training time: {seconds:.1} s; file size: {} bytes",
        bytes.len()
    );
    if let Some(path) = &out {
        std::fs::write(path, &bytes)?;
        println!("wrote {}", path.display());
    }
    let olid = datasets::load(&root.join("tweeteval-offensive/val_text.txt"))?;
    let olid = neural::evaluate(&model, &olid, Some(0), 0.5);
    println!("OLID val ROC-AUC: {:.3}", olid.roc_auc.unwrap_or(f64::NAN));
    blend(&model, &root)?;
    let hatecheck = datasets::load(&root.join("hatecheck/test_suite_cases.csv"))?;
    // Held when any attribute the model was trained on reaches the threshold.
    let hatecheck = neural::evaluate(&model, &hatecheck, None, 0.5);
    println!("HateCheck accuracy: {:.3}", hatecheck.accuracy);
    let per = hatecheck.per_functionality.unwrap_or_default();
    let row: Vec<String> = FUNCTIONALITIES
        .iter()
        .map(|f| format!("{f} {:.3}", per.get(*f).copied().unwrap_or(f64::NAN)))
        .collect();
    println!("HateCheck: {}", row.join(", "));
    let trial = datasets::load(&root.join("toxic-spans/tsd_trial.csv"))?;
    let trial = neural::evaluate(&model, &trial, Some(0), 0.5);
    println!(
        "toxic-spans trial span F1: {:.3}",
        trial.span_f1.unwrap_or(f64::NAN)
    );
    probe(&model);
    Ok(())
}
