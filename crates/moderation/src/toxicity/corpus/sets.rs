//! Each labeled set read into per-attribute labels. The mapping of each set's own labels to our
//! attributes is written here once, next to the reader; MODERATION.md explains the choices.

use super::rows::{load, read_error, rows};
use super::{bucket, Labeled, Labels};
use crate::toxicity::datasets::tweets::clean_tweet;
use rostra_core::attributes::Attribute::{
    Dehumanization as Dehum, IdentityAttack as Identity, Insult, Profanity, Threat, Toxicity as Tox,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The sets trained on, in de-duplication order (our own sentences first). Only sets whose
/// licence lets the trained model ship (CC BY, CC0, MIT, GPL-3.0; OLID: see MODERATION.md).
pub const TRAINING_SETS: &[&str] = &[
    "ours",
    "olid_train",
    "toxic_spans_train",
    "davidson",
    "dynahate_dev",
    "hatemoji_train",
    "ghc_train",
    "implicit_hate_train",
    "sbic_dev",
    "hatexplain_train",
    "mlma_en",
    "mlma_fr",
    "germeval2018_train",
    "germeval_harmful_vio",
    "germeval_harmful_def",
];

/// Held-out and evaluation-only sets: never trained on, and their texts are removed from the
/// training sets when they turn up there too.
pub const EVALUATION_SETS: &[&str] = &[
    "olid_val",
    "hatecheck",
    "hatemoji_check",
    "dynahate_test",
    "hatemoji_test",
    "ghc_test",
    "sbic_test",
    "hatexplain_test",
    "implicit_hate_test",
    "germeval2018_test",
    "germeval2019",
    "stormfront",
    "jigsaw_sample5k",
    "toxic_spans_trial",
];

#[derive(Debug, thiserror::Error)]
pub enum SetError {
    #[error("cannot read {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("unknown data set {0}")]
    Unknown(String),
}

/// Reads one named set from the fixtures folder (`…/shared/fixtures/toxicity`).
pub fn read_set(root: &Path, name: &str) -> Result<Vec<Labeled>, SetError> {
    let source: &'static str = TRAINING_SETS
        .iter()
        .chain(EVALUATION_SETS)
        .find(|s| **s == name)
        .ok_or_else(|| SetError::Unknown(name.into()))?;
    let mut out = Vec::new();
    let mut push = |text: String, labels: Labels| {
        if !text.trim().is_empty() {
            out.push(Labeled {
                text,
                labels: labels.0,
                source,
            })
        }
    };
    read_into(root, name, &mut push)?;
    Ok(out)
}

fn read_into(root: &Path, name: &str, push: &mut Push) -> Result<(), SetError> {
    match name {
        "olid_train" | "olid_val" => olid(root, &name[5..], push),
        "toxic_spans_train" | "toxic_spans_trial" => toxic_spans(root, &name[12..], push),
        "davidson" => davidson(root, push),
        "dynahate_dev" | "dynahate_test" => dynahate(root, &name[9..], push),
        "hatemoji_train" | "hatemoji_test" => hatemoji(root, &name[9..], push),
        "hatemoji_check" => suite(
            &root.join("hatemoji/HatemojiCheck/test.csv"),
            "text",
            "1",
            push,
        ),
        "hatecheck" => suite(
            &root.join("hatecheck/test_suite_cases.csv"),
            "test_case",
            "hateful",
            push,
        ),
        "ghc_train" | "ghc_test" => ghc(root, &name[4..], push),
        "implicit_hate_train" | "implicit_hate_test" => {
            implicit_hate(root, name.ends_with("test"), push)
        }
        "sbic_dev" | "sbic_test" => sbic(root, &name[5..], push),
        "hatexplain_train" | "hatexplain_test" => hatexplain(root, &name[11..], push),
        "mlma_en" | "mlma_fr" => mlma(root, &name[5..], push),
        "germeval2018_train" | "germeval2018_test" => {
            let part = if name.ends_with("train") {
                "training"
            } else {
                "test"
            };
            germeval(
                &root.join(format!("germeval2018/germeval2018.{part}.txt")),
                push,
            )
        }
        "germeval2019" => germeval(
            &root.join("germeval2019/germeval2019_training_subtask12.txt"),
            push,
        ),
        "germeval_harmful_vio" | "germeval_harmful_def" => harmful(root, &name[17..], push),
        "stormfront" => stormfront(root, push),
        "jigsaw_sample5k" => jigsaw(root, push),
        _ => Ok(()),
    }
}

fn olid(root: &Path, split: &str, push: &mut Push) -> Result<(), SetError> {
    for e in load(&root.join(format!("tweeteval-offensive/{split}_text.txt")))?.examples {
        push(e.text, Labels::default().with(Tox, e.label));
    }
    Ok(())
}

fn toxic_spans(root: &Path, split: &str, push: &mut Push) -> Result<(), SetError> {
    let data = load(&root.join(format!("toxic-spans/tsd_{split}.csv")))?;
    for e in data.training_texts() {
        push(e.text, Labels::default().with(Tox, e.label));
    }
    Ok(())
}

/// A functional test suite: hateful or not, which says nothing of toxicity in general.
fn suite(path: &Path, column: &str, hateful: &str, push: &mut Push) -> Result<(), SetError> {
    for r in rows(path, b',')? {
        let label = r.get("label_gold") == hateful;
        push(r.get(column).trim().to_string(), identity_hate(label));
    }
    Ok(())
}

fn stormfront(root: &Path, push: &mut Push) -> Result<(), SetError> {
    for r in rows(&root.join("stormfront/stormfront.csv"), b',')? {
        match r.get("label").as_str() {
            "hate" => push(r.get("text"), identity_hate(true)),
            "noHate" => push(r.get("text"), Labels::civil()),
            _ => {}
        }
    }
    Ok(())
}

fn jigsaw(root: &Path, push: &mut Push) -> Result<(), SetError> {
    for r in rows(&root.join("jigsaw-toxic-sample5k/jigsaw_sample.csv"), b',')? {
        let flag = |c: &str| r.get(c) == "1";
        let toxic = ["toxic", "severe_toxic", "obscene", "insult", "threat"]
            .iter()
            .any(|c| flag(c));
        let labels = Labels::default()
            .with(Tox, toxic || flag("identity_hate"))
            .with(Insult, flag("insult"))
            .with(Identity, flag("identity_hate"))
            .with(Threat, flag("threat"))
            .with(Profanity, flag("obscene"));
        push(r.get("comment_text"), labels);
    }
    Ok(())
}

/// Hate aimed at a group: toxic and an identity attack; its absence says nothing of toxicity
/// in general (HateCheck-style "not hateful" cases include insults and profanity).
fn identity_hate(hateful: bool) -> Labels {
    match hateful {
        true => Labels::default().with(Tox, true).with(Identity, true),
        false => Labels::default().with(Identity, false),
    }
}

type Push<'a> = dyn FnMut(String, Labels) + 'a;

fn davidson(root: &Path, push: &mut Push) -> Result<(), SetError> {
    // Hate speech and neither; the keyword-collected "offensive language" class is left out.
    for r in rows(&root.join("davidson/labeled_data.csv"), b',')? {
        let text = clean_tweet(&r.get("tweet"));
        match r.get("class").as_str() {
            "0" => push(text, identity_hate(true)),
            "2" => push(text, Labels::civil()),
            _ => {}
        }
    }
    Ok(())
}

fn dynahate(root: &Path, split: &str, push: &mut Push) -> Result<(), SetError> {
    for r in rows(&root.join(format!("dynahate/db_{split}.csv")), b',')? {
        let kind = r.get("type");
        if r.get("label") != "hate" {
            // Not hate, but often profane abuse of a non-protected target.
            push(r.get("text"), Labels::default().with(Identity, false));
            continue;
        }
        let mut labels = identity_hate(true);
        if kind != "notgiven" {
            labels = labels
                .with(Threat, kind == "threatening")
                .with(Dehum, kind == "dehumanization");
        }
        push(r.get("text"), labels);
    }
    Ok(())
}

fn hatemoji(root: &Path, split: &str, push: &mut Push) -> Result<(), SetError> {
    for r in rows(
        &root.join(format!("hatemoji/HatemojiBuild/{split}.csv")),
        b',',
    )? {
        let kind = r.get("type");
        let labels = match r.get("label_gold").as_str() {
            "1" => identity_hate(true)
                .with(Threat, kind == "threateninglanguage")
                .with(Dehum, kind == "dehumanizinglanguage"),
            _ => identity_hate(false),
        };
        push(r.get("text"), labels);
    }
    Ok(())
}

fn ghc(root: &Path, split: &str, push: &mut Push) -> Result<(), SetError> {
    for r in rows(
        &root.join(format!("gab-hate-corpus/ghc_{split}.tsv")),
        b'\t',
    )? {
        let (hd, cv, vo) = (r.get("hd") == "1", r.get("cv") == "1", r.get("vo") == "1");
        let labels = if hd || cv || vo {
            let mut l = Labels::default().with(Tox, true).with(Threat, cv);
            if hd {
                l = l.with(Identity, true);
            }
            l
        } else {
            Labels::civil()
        };
        push(r.get("text"), labels);
    }
    Ok(())
}

fn implicit_hate(root: &Path, test: bool, push: &mut Push) -> Result<(), SetError> {
    let classes: HashMap<String, String> = rows(
        &root.join("implicit-hate/implicit_hate_v1_stg2_posts.tsv"),
        b'\t',
    )?
    .map(|r| (r.get("post"), r.get("implicit_class")))
    .collect();
    for r in rows(
        &root.join("implicit-hate/implicit_hate_v1_stg1_posts.tsv"),
        b'\t',
    )? {
        let text = r.get("post");
        // No official split: a tenth of the posts, chosen by a hash of the text, is held out.
        if (bucket(&text) < 10) != test {
            continue;
        }
        let labels = match r.get("class").as_str() {
            "not_hate" => Labels::civil(),
            _ => match classes.get(&text).map(String::as_str) {
                Some(kind) => {
                    identity_hate(true).with(Threat, kind == "threatening" || kind == "incitement")
                }
                None => identity_hate(true),
            },
        };
        push(text, labels);
    }
    Ok(())
}

fn sbic(root: &Path, split: &str, push: &mut Push) -> Result<(), SetError> {
    let file = if split == "dev" { "dev" } else { "tst" };
    for r in rows(&root.join(format!("sbic/SBIC.v2.agg.{file}.csv")), b',')? {
        let offensive = r.get("offensiveYN").parse::<f32>().unwrap_or(0.0) >= 0.5;
        let stereotype = r.get("hasBiasedImplication") == "0";
        let labels = match (offensive, stereotype) {
            (true, true) => identity_hate(true),
            (true, false) => Labels::default().with(Tox, true),
            (false, _) => Labels::civil(),
        };
        push(r.get("post"), labels);
    }
    Ok(())
}

fn hatexplain(root: &Path, split: &str, push: &mut Push) -> Result<(), SetError> {
    let path = root.join("hatexplain/post_id_divisions.json");
    let text = std::fs::read_to_string(&path).map_err(|e| read_error(&path, e))?;
    let divisions: HashMap<String, Vec<String>> =
        serde_json::from_str(&text).map_err(|e| read_error(&path, e))?;
    let ids: std::collections::HashSet<&String> =
        divisions.get(split).into_iter().flatten().collect();
    for r in rows(&root.join("hatexplain/092-HateXplain.csv"), b',')? {
        if !ids.contains(&r.at(0)) {
            continue;
        }
        let labels = match r.get("category").as_str() {
            "0" => Labels::civil(),
            "1" => identity_hate(true),
            "2" => Labels::default().with(Tox, true).with(Identity, false),
            _ => continue,
        };
        push(r.get("text"), labels);
    }
    Ok(())
}

fn mlma(root: &Path, lang: &str, push: &mut Push) -> Result<(), SetError> {
    let file = if lang == "en" {
        "en_dataset_with_stop_words.csv"
    } else {
        "fr_dataset.csv"
    };
    for r in rows(&root.join(format!("mlma/{file}")), b',')? {
        let sentiment = r.get("sentiment");
        let labels = if sentiment == "normal" {
            Labels::civil()
        } else if sentiment.contains("hateful") {
            identity_hate(true)
        } else {
            Labels::default().with(Tox, true)
        };
        push(r.get("tweet"), labels);
    }
    Ok(())
}

/// GermEval's `text<TAB>coarse<TAB>fine`: swearing without a target (PROFANITY) is profane but
/// not abusive; INSULT is an insult.
fn germeval(path: &Path, push: &mut Push) -> Result<(), SetError> {
    let text = std::fs::read_to_string(path).map_err(|e| read_error(path, e))?;
    for line in text.lines() {
        let mut parts = line.split('\t');
        let (Some(tweet), Some(coarse), Some(fine)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let labels = match (coarse, fine) {
            (_, "PROFANITY") => Labels::civil().with(Profanity, true),
            ("OFFENSE", fine) => Labels::default()
                .with(Tox, true)
                .with(Insult, fine == "INSULT"),
            _ => Labels::civil(),
        };
        push(tweet.to_string(), labels);
    }
    Ok(())
}

fn harmful(root: &Path, part: &str, push: &mut Push) -> Result<(), SetError> {
    let file = if part == "vio" {
        "vio/vio_train_26.csv"
    } else {
        "def/def_train.csv"
    };
    for r in rows(&root.join(format!("germeval-harmful-2026/{file}")), b';')? {
        let text = r.get("description");
        if part == "vio" {
            match r.get("vio").as_str() {
                "call2violence" | "prospensity" => {
                    push(text, Labels::default().with(Tox, true).with(Threat, true))
                }
                "nothing" => push(text, Labels::default().with(Threat, false)),
                _ => {}
            }
        } else {
            let defamation = r.at(2).eq_ignore_ascii_case("true");
            let labels = Labels::default()
                .with(Tox, defamation)
                .with(Insult, defamation);
            push(text, labels);
        }
    }
    Ok(())
}
