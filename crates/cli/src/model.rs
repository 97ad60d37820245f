//! `rostra model`: train the attribute model on the shared labeled sets, and evaluate the whole
//! automatic decision on labeled data.

use anyhow::Context;
use rostra_core::attributes::{Attribute, Preset};
use rostra_core::moderation::SitePolicy;
use rostra_moderation::evaluation::{evaluate_decision, Case, DecisionReport};
use rostra_moderation::toxicity::{
    self, corpus, datasets, AttributeModel, Evaluation, TrainOptions, DEFAULT_HOLD, DEFAULT_REJECT,
    LEARNED,
};
use rostra_moderation::Pipeline;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum ModelAction {
    /// Train the attribute model on the shared labeled sets and write it to a file.
    Train {
        /// The folder of labeled sets (`shared/fixtures/toxicity`); the sets trained on are
        /// listed in MODERATION.md.
        #[arg(long)]
        fixtures: PathBuf,
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
    /// Score texts (arguments, or one per line on standard input) for every attribute.
    Score {
        /// The texts; none: read lines from standard input.
        texts: Vec<String>,
        /// Model file [default: the model built into this binary].
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Evaluate the whole automatic decision (every text check under a preset) on labeled data.
    Eval {
        /// A labeled data file (text,label CSV or a known data set such as HateCheck).
        #[arg(long, conflicts_with = "set")]
        data: Option<PathBuf>,
        /// A named set from the fixtures folder (e.g. dynahate_test; see MODERATION.md).
        #[arg(long, requires = "fixtures")]
        set: Option<String>,
        /// The folder of labeled sets, for --set.
        #[arg(long)]
        fixtures: Option<PathBuf>,
        /// The site policy preset to decide with: strict, balanced or lenient.
        #[arg(long, default_value = "balanced")]
        preset: String,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Model file to evaluate [default: the model built into this binary].
        #[arg(long)]
        model: Option<PathBuf>,
    },
}

pub fn run(action: ModelAction) -> anyhow::Result<()> {
    match action {
        ModelAction::Train {
            fixtures,
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
            train(&fixtures, &out, &options)?;
            for path in eval {
                let target = Target::File(path);
                evaluate(&target, Preset::Balanced, false, Some(&out))?;
            }
            Ok(())
        }
        ModelAction::Score { texts, model } => score(texts, model.as_deref()),
        ModelAction::Eval {
            data,
            set,
            fixtures,
            preset,
            json,
            model,
        } => {
            let preset = Preset::parse(&preset)
                .with_context(|| format!("unknown preset {preset} (strict, balanced, lenient)"))?;
            let target = match (data, set, fixtures) {
                (Some(path), _, _) => Target::File(path),
                (None, Some(name), Some(root)) => Target::Set(root, name),
                _ => anyhow::bail!("name the data: --data FILE, or --set NAME --fixtures DIR"),
            };
            evaluate(&target, preset, json, model.as_deref())
        }
    }
}

fn score(mut texts: Vec<String>, model: Option<&Path>) -> anyhow::Result<()> {
    let model = match model {
        Some(path) => read_model(path)?,
        None => AttributeModel::embedded().clone(),
    };
    if texts.is_empty() {
        texts = std::io::stdin().lines().collect::<Result<_, _>>()?;
    }
    for text in texts {
        let assessment = model.assess(&text);
        let mut line = String::new();
        for a in &assessment.attributes {
            let words: Vec<&str> = a.spans.iter().take(3).map(|s| s.text.as_str()).collect();
            let _ = write!(line, "{} {:.2}", a.attribute, a.score);
            if !words.is_empty() && a.score >= 0.3 {
                let _ = write!(line, " [{}]", words.join(", "));
            }
            line.push_str("  ");
        }
        print(&format!("{text}\n  {line}\n"))?;
    }
    Ok(())
}

/// What to evaluate on.
enum Target {
    File(PathBuf),
    Set(PathBuf, String),
}

fn evaluate(
    target: &Target,
    preset: Preset,
    json: bool,
    model: Option<&Path>,
) -> anyhow::Result<()> {
    let model: &'static AttributeModel = match model {
        Some(path) => Box::leak(Box::new(read_model(path)?)),
        None => AttributeModel::embedded(),
    };
    let (label, cases, dataset): (String, Vec<Case>, _) = match target {
        Target::File(path) => {
            let dataset = datasets::load(path)?;
            let cases = dataset.examples.iter().map(Case::from_example).collect();
            (path.display().to_string(), cases, Some(dataset))
        }
        Target::Set(root, name) => {
            let labeled = corpus::read_set(root, name)?;
            (
                name.clone(),
                labeled.iter().map(Case::from_labeled).collect(),
                None,
            )
        }
    };
    let policy = SitePolicy::with_preset(preset);
    let pipeline = Pipeline::with_model(0, model);
    let report = evaluate_decision(&pipeline, model, &policy, &cases);
    let head = dataset.map(|d| {
        let score = |text: &str| model.attribute_score(text, Attribute::Toxicity);
        toxicity::evaluate(&score, &d, DEFAULT_HOLD, DEFAULT_REJECT)
    });
    if json {
        let value = serde_json::json!({ "decision": report, "toxicity": head });
        print(&format!("{value}\n"))
    } else {
        print(&describe(&label, preset, &report, head.as_ref()))
    }
}

fn train(fixtures: &Path, out: &Path, options: &TrainOptions) -> anyhow::Result<()> {
    let corpus = corpus::training_corpus(fixtures)?;
    eprintln!("training on {} texts with {options:?}", corpus.len());
    for attribute in LEARNED {
        let labeled = corpus.iter().filter_map(|e| e.label(attribute));
        let (n, positives) = labeled.fold((0, 0), |(n, p), l| (n + 1, p + usize::from(l)));
        eprintln!("  {attribute}: {n} labeled, {positives} positive");
    }
    let model = toxicity::train_attributes(&corpus, options);
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

fn read_model(path: &Path) -> anyhow::Result<AttributeModel> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    AttributeModel::from_bytes(&bytes)
        .with_context(|| format!("{} is not a usable model", path.display()))
}

/// The evaluation as text for a person.
fn describe(label: &str, preset: Preset, r: &DecisionReport, head: Option<&Evaluation>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{label}: {} texts, {} abusive; whole decision under the {} preset:",
        r.n,
        r.positives,
        preset.as_str()
    );
    let _ = writeln!(
        out,
        "  accuracy {:.3}  precision {:.3}  recall {:.3}  flagged {:.1}%",
        r.accuracy,
        r.precision,
        r.recall,
        100.0 * r.flagged
    );
    let _ = writeln!(
        out,
        "  per attribute (ROC-AUC against its own labels, else the abusive label):"
    );
    for a in &r.attributes {
        let auc = a.roc_auc.map_or("n/a".to_string(), |v| format!("{v:.3}"));
        let own = if a.own_labels { "own" } else { "abusive" };
        let _ = writeln!(
            out,
            "    {:<16} ROC-AUC {auc} ({own}, {} labeled)  flags {:.1}%",
            a.attribute.as_str(),
            a.labeled,
            100.0 * a.flagged
        );
    }
    let checks: Vec<String> = r.checks.iter().map(|(c, n)| format!("{c} {n}")).collect();
    let _ = writeln!(out, "  held or rejected by: {}", checks.join(", "));
    if let Some(per) = &r.per_functionality {
        let _ = writeln!(out, "  accuracy per functionality:");
        for (name, accuracy) in per {
            let _ = writeln!(out, "    {name:<28} {accuracy:.3}");
        }
    }
    if let Some(e) = head {
        let auc = e.roc_auc.map_or("n/a".to_string(), |a| format!("{a:.4}"));
        let _ = writeln!(out, "  toxicity attribute alone: ROC-AUC {auc}");
        if let Some(f1) = e.span_f1 {
            let _ = writeln!(out, "  span F1 of the marked words {f1:.4}");
        }
    }
    out
}
