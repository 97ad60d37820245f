//! Scoring a comment for every attribute: the heads over the same features, with the frames'
//! muted words and shapes, and the profanity word list.

use super::frames::{self, STRENGTH};
use super::heads::AttributeModel;
use super::score::{prepare, Score};
use super::swearing::{aims_at_someone, is_swear_word};
use crate::assessment::{Assessment, AttributeScore};
use rostra_core::attributes::Attribute;
use rostra_core::moderation::Span;

/// The most toxicity swearing at no one can reach, as a share of its score aimed at someone.
const UNAIMED_SWEARING: f32 = 0.49;

/// The profanity score of a text with one swear word; each further one halves the distance to 1.
const PROFANITY_SCORE: f32 = 0.8;

impl AttributeModel {
    /// Every attribute's score for `text`, with the words behind each. Never fails.
    pub fn assess(&self, text: &str) -> Assessment {
        let mut prepared = prepare(text, self.bits());
        let frames = frames::analyze(text, &prepared.tokens);
        prepared.muted = frames.muted;
        let praised = prepared.muted.iter_mut().zip(&frames.praised);
        praised.for_each(|(m, &p)| *m |= p);
        let mut assessment = Assessment::zero();
        let frame_muted = prepared.muted.clone();
        let profane: Vec<usize> = (0..prepared.tokens.tokens.len())
            .filter(|&i| is_swear_word(prepared.tokens.norm(&prepared.tokens.tokens[i])))
            .collect();
        let unaimed_swearing = swearing_at_no_one(&prepared, &profane);
        for (attribute, head) in &self.heads {
            let scored = &mut assessment.attributes[attribute.index()];
            prepared.muted.clone_from(&frame_muted);
            let score = head.score_prepared(&prepared);
            scored.score = score.probability;
            scored.spans = spans_of(&score);
            if *attribute == Attribute::Toxicity && !unaimed_swearing.is_empty() {
                for &i in &unaimed_swearing {
                    prepared.muted[i] = true;
                }
                let without = head.score_prepared(&prepared);
                scored.score = without
                    .probability
                    .max(UNAIMED_SWEARING * score.probability);
                scored.spans = spans_of(&without);
            }
        }
        for hit in &frames.hits {
            let tokens = &prepared.tokens.tokens;
            let (start, end) = (
                tokens[hit.range.start].original.start,
                tokens[hit.range.end - 1].original.end,
            );
            let scored = &mut assessment.attributes[hit.attribute.index()];
            scored.score = scored.score.max(STRENGTH);
            // The shape's phrase stands for the words inside it.
            scored.spans.retain(|s| s.start < start || s.end > end);
            scored.spans.insert(0, span(text, start, end, None));
        }
        prepared.muted = frame_muted;
        let spans = profane.iter().map(|&i| {
            let range = prepared.tokens.tokens[i].original.clone();
            span(text, range.start, range.end, None)
        });
        profanity(
            spans.collect(),
            &mut assessment.attributes[Attribute::Profanity.index()],
        );
        insult(&prepared, &mut assessment);
        assessment
    }
}

impl AttributeModel {
    /// One attribute's score of `text` in the form a single head gives (for evaluation).
    pub fn attribute_score(&self, text: &str, attribute: Attribute) -> Score {
        let scored = self.assess(text).attributes.swap_remove(attribute.index());
        Score {
            probability: scored.score,
            worst_sentence: None,
            terms: scored
                .spans
                .into_iter()
                .map(|s| super::score::Term {
                    weight: s.weight.unwrap_or(1.0),
                    text: s.text,
                    start: s.start,
                    end: s.end,
                })
                .collect(),
        }
    }
}

/// Words that aim a text at a person: the reader addressed, or someone spoken of.
static PERSONAL: super::frames::WordList = super::frames::WordList::new(&[
    "you",
    "your",
    "youre",
    "yours",
    "yourself",
    "u",
    "ur",
    "ya",
    "yall",
    "he",
    "she",
    "him",
    "her",
    "his",
    "hes",
    "shes",
    "guy",
    "author",
    "writer",
    "reporter",
    "journalist",
    "op",
    "du",
    "dich",
    "dir",
    "dein",
    "deine",
    "tu",
    "toi",
    "ton",
    "ta",
    "tes",
    "vous",
    "votre",
]);

/// The swear words of a text aimed at no one (no person addressed or spoken of, no group
/// named, no swear word naming a person, no "f*ck off"): "this f*cking rain". They say how the author feels, not that anyone is abused, so
/// they raise toxicity only to [`UNAIMED_SWEARING`] times what they would aimed (below every
/// preset's hold: rude, ranked above civil, never held for it); the profanity attribute still
/// counts them.
fn swearing_at_no_one(prepared: &super::score::Prepared<'_>, profane: &[usize]) -> Vec<usize> {
    let tokens = &prepared.tokens;
    if profane.is_empty() {
        return Vec::new();
    }
    let words: Vec<&str> = tokens.tokens.iter().map(|t| tokens.norm(t)).collect();
    let starts: Vec<bool> = tokens.tokens.iter().map(|t| t.starts_sentence).collect();
    let aimed = aims_at_someone(&words, &starts)
        || words
            .iter()
            .any(|w| PERSONAL.contains(w) || super::groups::is_group(w));
    if aimed {
        return Vec::new();
    }
    profane.to_vec()
}

/// An insult is abuse aimed at a person: the toxicity score where the text addresses or speaks
/// of someone (not a group), else at most [`UNAIMED_INSULT`].
const UNAIMED_INSULT: f32 = 0.3;

fn insult(prepared: &super::score::Prepared<'_>, assessment: &mut Assessment) {
    let tokens = &prepared.tokens;
    let aimed = tokens
        .tokens
        .iter()
        .zip(&prepared.muted)
        .any(|(t, &muted)| !muted && PERSONAL.contains(&tokens.norm(t)));
    let toxicity = assessment.get(Attribute::Toxicity).clone();
    let scored = &mut assessment.attributes[Attribute::Insult.index()];
    scored.score = match aimed {
        true => toxicity.score,
        false => toxicity.score.min(UNAIMED_INSULT),
    };
    scored.spans = toxicity.spans;
}

fn profanity(found: Vec<Span>, scored: &mut AttributeScore) {
    if !found.is_empty() {
        scored.score = 1.0 - (1.0 - PROFANITY_SCORE) * 0.5f32.powi(found.len() as i32 - 1);
        scored.spans = found;
    }
}

fn spans_of(score: &Score) -> Vec<Span> {
    score
        .terms
        .iter()
        .map(|t| Span {
            text: t.text.clone(),
            start: t.start,
            end: t.end,
            weight: Some(t.weight),
        })
        .collect()
}

fn span(text: &str, start: usize, end: usize, weight: Option<f32>) -> Span {
    Span {
        text: text[start..end].to_string(),
        start,
        end,
        weight,
    }
}
