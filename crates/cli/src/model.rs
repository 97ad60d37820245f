//! `rostra model`: train the toxicity classifier on labeled data and evaluate a model.

use anyhow::Context;
use rostra_moderation::toxicity::{
    self, datasets, Evaluation, Model, TrainOptions, DEFAULT_HOLD, DEFAULT_REJECT,
};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum ModelAction {
    /// Train a toxicity model on labeled data files and write it to a file.
    Train {
        /// Labeled data (repeatable): text,label CSV, TweetEval *_text.txt, Davidson, toxic spans.
        #[arg(long, required = true)]
        data: Vec<PathBuf>,
        /// Where to write the model file.
        #[arg(long)]
        out: PathBuf,
        /// Seed for shuffling; the same data and seed give the same model bytes.
        #[arg(long)]
        seed: Option<u64>,
        /// AdaGrad passes over the data before L-BFGS.
        #[arg(long)]
        epochs: Option<u32>,
        /// Most L-BFGS iterations.
        #[arg(long)]
        iterations: Option<usize>,
        /// Hash features into 2^bits buckets (the file takes 2^(bits+1) bytes).
        #[arg(long)]
        bits: Option<u32>,
        /// AdaGrad learning rate.
        #[arg(long)]
        learning_rate: Option<f32>,
        /// L2 penalty on the mean log-loss.
        #[arg(long)]
        l2: Option<f32>,
        /// Additive smoothing of the naive-Bayes feature counts.
        #[arg(long)]
        nb_alpha: Option<f32>,
        /// Data files to evaluate the new model on afterwards (repeatable).
        #[arg(long)]
        eval: Vec<PathBuf>,
    },
    /// Evaluate a model on a labeled data file (text,label CSV or a known data set).
    Eval {
        /// The labeled data file.
        #[arg(long)]
        data: PathBuf,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Hold threshold [default: 0.5].
        #[arg(long)]
        hold: Option<f32>,
        /// Reject threshold [default: 0.9].
        #[arg(long)]
        reject: Option<f32>,
        /// Model file to evaluate [default: the model built into this binary].
        #[arg(long)]
        model: Option<PathBuf>,
    },
}

pub fn run(action: ModelAction) -> anyhow::Result<()> {
    match action {
        ModelAction::Train {
            data,
            out,
            seed,
            epochs,
            iterations,
            bits,
            learning_rate,
            l2,
            nb_alpha,
            eval,
        } => {
            let defaults = TrainOptions::default();
            let options = TrainOptions {
                seed: seed.unwrap_or(defaults.seed),
                epochs: epochs.unwrap_or(defaults.epochs),
                iterations: iterations.unwrap_or(defaults.iterations),
                bits: bits.unwrap_or(defaults.bits),
                learning_rate: learning_rate.unwrap_or(defaults.learning_rate),
                l2: l2.unwrap_or(defaults.l2),
                nb_alpha: nb_alpha.unwrap_or(defaults.nb_alpha),
            };
            train(&data, &out, &options)?;
            let model = read_model(&out)?;
            for path in eval {
                let data = datasets::load(&path)?;
                let result = toxicity::evaluate(&model, &data, DEFAULT_HOLD, DEFAULT_REJECT);
                print(&describe(&path, &result))?;
            }
            Ok(())
        }
        ModelAction::Eval {
            data,
            json,
            hold,
            reject,
            model,
        } => {
            let hold = hold.unwrap_or(DEFAULT_HOLD);
            let reject = reject.unwrap_or(DEFAULT_REJECT);
            evaluate(&data, json, hold, reject, model.as_deref())
        }
    }
}

fn evaluate(
    data: &Path,
    json: bool,
    hold: f32,
    reject: f32,
    model: Option<&Path>,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        (0.0..=1.0).contains(&hold) && (0.0..=1.0).contains(&reject),
        "thresholds are probabilities between 0 and 1"
    );
    let from_file;
    let model = match model {
        Some(path) => {
            from_file = read_model(path)?;
            &from_file
        }
        None => Model::embedded(),
    };
    let dataset = datasets::load(data)?;
    let result = toxicity::evaluate(model, &dataset, hold, reject);
    if json {
        print(&format!("{}\n", serde_json::to_string(&result)?))
    } else {
        print(&describe(data, &result))
    }
}

fn train(data: &[PathBuf], out: &Path, options: &TrainOptions) -> anyhow::Result<()> {
    let mut examples = Vec::new();
    for path in data {
        let dataset = datasets::load(path)?;
        let texts = dataset.training_texts();
        let positives = texts.iter().filter(|t| t.label).count();
        eprintln!(
            "{}: {} examples, {positives} abusive",
            path.display(),
            texts.len()
        );
        examples.extend(texts);
    }
    eprintln!("training on {} examples with {options:?}", examples.len());
    let model = toxicity::train(&examples, options);
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(())
}

/// Writes to stdout; a closed pipe (`… | head`) is not an error.
fn print(text: &str) -> anyhow::Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn read_model(path: &Path) -> anyhow::Result<Model> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Model::from_bytes(&bytes).with_context(|| format!("{} is not a usable model", path.display()))
}

/// The evaluation as text for a person.
fn describe(path: &Path, e: &Evaluation) -> String {
    let mut out = String::new();
    let auc = e.roc_auc.map_or("n/a".to_string(), |a| format!("{a:.4}"));
    let _ = writeln!(
        out,
        "{} ({:?}): {} examples, {} abusive",
        path.display(),
        e.format,
        e.n,
        e.positives
    );
    let _ = writeln!(out, "  ROC-AUC     {auc}");
    for t in &e.thresholds {
        let (name, flagged) = (t.name, 100.0 * t.flagged);
        let _ = writeln!(
            out,
            "  {name:<6} {:.2}  precision {:.3}  recall {:.3}  F1 {:.3}  accuracy {:.3}  \
             flagged {flagged:.1}%",
            t.threshold, t.precision, t.recall, t.f1, t.accuracy
        );
    }
    if let Some(f1) = e.span_f1 {
        let _ = writeln!(out, "  span F1     {f1:.4}");
    }
    if let Some(per) = &e.per_functionality {
        let _ = writeln!(out, "  accuracy per functionality (at hold):");
        for (name, accuracy) in per {
            let _ = writeln!(out, "    {name:<28} {accuracy:.3}");
        }
    }
    out
}
