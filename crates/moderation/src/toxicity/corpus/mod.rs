//! The training corpus: every labeled set in `../shared/fixtures/toxicity/` whose licence lets a
//! model trained on it ship with Rostra, read with one label per attribute (or none, where a set
//! says nothing about that attribute), de-duplicated on normalized text across sets, with
//! held-out parts kept apart. Which sets, which parts and why: MODERATION.md, "Data".

mod rows;
mod sets;
mod synthetic;

use rostra_core::attributes::Attribute;
use std::collections::HashSet;
use std::path::Path;

pub use sets::{read_set, SetError, EVALUATION_SETS, TRAINING_SETS};

/// One text with what a set says about each attribute (`None`: the set does not say).
#[derive(Debug, Clone, PartialEq)]
pub struct Labeled {
    pub text: String,
    /// In [`Attribute::ALL`] order.
    pub labels: [Option<bool>; 6],
    /// The set it came from (`olid`, `dynahate`, …, `ours` for the synthetic pairs).
    pub source: &'static str,
}

impl Labeled {
    pub fn label(&self, attribute: Attribute) -> Option<bool> {
        self.labels[attribute.index()]
    }
}

/// Labels built attribute by attribute.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Labels([Option<bool>; 6]);

impl Labels {
    pub fn with(mut self, attribute: Attribute, value: bool) -> Labels {
        self.0[attribute.index()] = Some(value);
        self
    }

    /// Every attribute false: a civil text.
    pub fn civil() -> Labels {
        Labels([Some(false); 6])
    }
}

/// The corpus for training: every training set, then our own contrast sentences, de-duplicated
/// on normalized text (the first occurrence wins, so set order matters: see [`TRAINING_SETS`]).
/// Texts that also occur in an evaluation set are dropped, so no test text is trained on.
pub fn training_corpus(fixtures: &Path) -> Result<Vec<Labeled>, SetError> {
    let mut held_out = HashSet::new();
    for set in EVALUATION_SETS {
        for example in read_set(fixtures, set)? {
            held_out.insert(dedup_key(&example.text));
        }
    }
    let mut seen = HashSet::new();
    let mut corpus = Vec::new();
    let ours = synthetic::contrast_sentences();
    for set in TRAINING_SETS {
        let examples = if *set == "ours" {
            ours.clone()
        } else {
            read_set(fixtures, set)?
        };
        for example in examples {
            let key = dedup_key(&example.text);
            if key.is_empty() || held_out.contains(&key) || !seen.insert(key) {
                continue;
            }
            corpus.push(example);
        }
    }
    Ok(corpus)
}

/// Lower-case letters and digits only, single spaces: "RT @x: They're *vile*!!" and "they re
/// vile" are one text.
pub fn dedup_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let lower = text.to_lowercase();
    for word in lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "user" && *w != "url" && *w != "rt")
    {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key
}

/// A stable pseudo-random bucket 0–99 for a text (FNV-1a of its dedup key), for splitting sets
/// that have no official split.
pub(crate) fn bucket(text: &str) -> u64 {
    dedup_key(text)
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
        % 100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedup_key_ignores_case_punctuation_and_placeholders() {
        assert_eq!(dedup_key("RT @user: They're *VILE*!! URL"), "they re vile");
        assert_eq!(dedup_key("they re vile"), dedup_key("They're vile."));
        assert_eq!(bucket("They're vile."), bucket("they re vile"));
    }
}
