//! Trains a neural toxicity model, evaluates it on OLID validation and HateCheck, and writes it.
//!
//! Run (from the repository root, shared fixtures in `../shared/fixtures` or `ROSTRA_FIXTURES`):
//! `cargo run --release -p rostra-moderation --example neural_train -- --arch bag --out /tmp/bag.bin`
//!
//! Options: `--arch bag|conv --bits N --dim N --filters N --width N --epochs N --lr X --seed N
//! --sample N` (keep every N-th training example, for quick exploration) `--out FILE`.
//! Training data: OLID train, toxic-spans train (sentence windows), Davidson hate + neither.

use rostra_moderation::neural::{self, Architecture, NeuralExample, NeuralOptions};
use rostra_moderation::toxicity::datasets;
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

fn options(args: &[String]) -> Result<(NeuralOptions, usize, Option<PathBuf>), Error> {
    let mut options = NeuralOptions::default();
    let (mut sample, mut out) = (1usize, None);
    for pair in args.chunks(2) {
        let [flag, value] = pair else {
            return Err(format!("{} needs a value", pair[0]).into());
        };
        match flag.as_str() {
            "--arch" => {
                options.architecture = match value.as_str() {
                    "bag" => Architecture::Bag,
                    "conv" => Architecture::Conv,
                    _ => return Err(format!("unknown architecture {value}").into()),
                }
            }
            "--bits" => options.bits = value.parse()?,
            "--dim" => options.dim = value.parse()?,
            "--filters" => options.filters = value.parse()?,
            "--width" => options.width = value.parse()?,
            "--epochs" => options.epochs = value.parse()?,
            "--lr" => options.learning_rate = value.parse()?,
            "--seed" => options.seed = value.parse()?,
            "--sample" => sample = value.parse::<usize>()?.max(1),
            "--out" => out = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option {flag}").into()),
        }
    }
    Ok((options, sample, out))
}

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (options, sample, out) = options(&args)?;
    let root = std::env::var_os("ROSTRA_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/fixtures"))
        .join("toxicity");
    let mut examples: Vec<NeuralExample> = Vec::new();
    for file in TRAIN {
        let data = datasets::load(&root.join(file))?;
        examples.extend(data.training_texts().iter().map(NeuralExample::from));
    }
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
    let hatecheck = datasets::load(&root.join("hatecheck/test_suite_cases.csv"))?;
    let hatecheck = neural::evaluate(&model, &hatecheck, Some(0), 0.5);
    println!("HateCheck accuracy: {:.3}", hatecheck.accuracy);
    let per = hatecheck.per_functionality.unwrap_or_default();
    let row: Vec<String> = FUNCTIONALITIES
        .iter()
        .map(|f| format!("{f} {:.3}", per.get(*f).copied().unwrap_or(f64::NAN)))
        .collect();
    println!("HateCheck: {}", row.join(", "));
    Ok(())
}
