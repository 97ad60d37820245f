//! Threats and dehumanization recognised by their shape, as a floor under the learned heads
//! (both are scarce in the data): a wish, plan or duty followed by a verb of violence ("should
//! all be shot", "we need to get rid of …", "nuke them"), fixed threatening phrases ("death to
//! …"), and people likened to vermin ("they are rats", "breed like …", "not human"). Reports of
//! violence ("was hanged in 1946", "the army bombed the town", "threatened to kill") are not
//! threats: they have no wish or duty in them, or they report.

use super::shape_words::{
    DEHUMANIZING, DEHUMANIZING_VERBS, MODALS, PEOPLE, REPORTING, THREAT_PHRASES, VIOLENT,
    VIOLENT_DONE,
};
use super::wordlist::WordList;
use super::{Hit, View};
use crate::toxicity::groups::is_group;
use rostra_core::attributes::Attribute;
use std::ops::Range;

/// How sure a shape is: above every preset's hold threshold, below certainty.
pub(crate) const STRENGTH: f32 = 0.9;
/// How many words may stand between a modal and its verb ("should all just be shot").
const MODAL_REACH: usize = 7;
/// How many words may stand between a group and what it is likened to.
const LIKENESS_REACH: usize = 6;

/// Words that may stand between a modal and the verb of violence.
static FILLERS: WordList = WordList::new(&[
    "all", "of", "them", "be", "get", "got", "just", "really", "simply", "finally", "to", "go",
    "and", "out", "up", "the", "every", "one", "these", "those", "him", "her", "you", "u", "each",
    "someone", "somebody", "we", "i", "publicly", "slowly", "now", "first", "down", "off", "been",
    "like", "see", "they", "it", "us", "rid", "should", "could", "would",
]);

/// Words likening a subject to what follows.
static COPULAS: WordList = WordList::new(&[
    "are", "is", "r", "were", "like", "as", "bunch", "pack", "nothing", "than", "belong", "sind",
    "wie", "sont", "comme",
]);

pub(super) fn threats(view: &View<'_>, hits: &mut Vec<Hit>) {
    for sentence in view.sentences() {
        if sentence.clone().any(|i| REPORTING.contains(&view.word(i))) {
            continue;
        }
        for i in sentence.clone() {
            let word = view.word(i);
            if MODALS.contains(&word) && !reported_before(view, sentence.start, i) {
                if let Some(end) = violent_after(view, i, sentence.end) {
                    hits.push(Hit::new(Attribute::Threat, i..end));
                }
            } else if view.starts_sentence(i) && VIOLENT.contains(&word) {
                let object = (i + 1..sentence.end.min(i + 4)).find(|&j| is_people(view.word(j)));
                if let Some(j) = object {
                    hits.push(Hit::new(Attribute::Threat, i..j + 1));
                }
            }
            for phrase in THREAT_PHRASES {
                if matches_at(view, i, phrase, sentence.end) {
                    hits.push(Hit::new(Attribute::Threat, i..i + phrase.len()));
                }
            }
        }
    }
}

/// Whether someone other than the speaker is reported saying what follows, before `i` in its
/// sentence: "for saying you would kill …", "he said they should be shot" (not "I said I will
/// …").
fn reported_before(view: &View<'_>, start: usize, i: usize) -> bool {
    (start..i).any(|k| {
        SAYING.contains(&view.word(k))
            && !(k.saturating_sub(2).max(start)..k).any(|s| matches!(view.word(s), "i" | "we"))
    })
}

/// Verbs reporting what someone said.
static SAYING: WordList = WordList::new(&[
    "say",
    "says",
    "said",
    "saying",
    "claim",
    "claims",
    "claimed",
    "claiming",
    "wrote",
    "writes",
    "writing",
    "tweeted",
    "posted",
    "suggested",
    "suggesting",
    "shouting",
    "chanting",
    "insisted",
    "insisting",
    "told",
    "argued",
    "arguing",
]);

/// The end of the verb of violence a modal at `i` leads to, through filler words only.
fn violent_after(view: &View<'_>, i: usize, end: usize) -> Option<usize> {
    for j in i + 1..end.min(i + 1 + MODAL_REACH) {
        let word = view.word(j);
        let passive = matches!(
            view.word(j - 1),
            "be" | "get" | "got" | "been" | "them" | "him" | "her" | "all"
        );
        if VIOLENT.contains(&word) || (passive && VIOLENT_DONE.contains(&word)) {
            return Some(j + 1);
        }
        if !FILLERS.contains(&word) && !is_people(word) {
            return None;
        }
    }
    None
}

/// Pronouns and words for people, or a group's name.
fn is_people(word: &str) -> bool {
    PEOPLE.contains(&word) || is_group(word)
}

fn matches_at(view: &View<'_>, i: usize, phrase: &[&str], end: usize) -> bool {
    i + phrase.len() <= end
        && phrase
            .iter()
            .enumerate()
            .all(|(k, w)| view.word(i + k) == *w)
}

pub(super) fn dehumanization(view: &View<'_>, hits: &mut Vec<Hit>) {
    for sentence in view.sentences() {
        for i in sentence.clone() {
            if !is_people(view.word(i)) {
                continue;
            }
            if let Some(range) = likened(view, i, sentence.clone()) {
                // "They are not human": the negation is the insult, so the subject is the key.
                let last = view.word(range.end - 1);
                let negated = matches!(last, "human" | "humans" | "people" | "menschen");
                let mut hit = Hit::new(Attribute::Dehumanization, range);
                if negated {
                    hit.key = hit.range.start;
                }
                hits.push(hit);
            }
        }
    }
}

/// The stretch from a group at `i` to what it is likened to, if it is.
fn likened(view: &View<'_>, i: usize, sentence: Range<usize>) -> Option<Range<usize>> {
    let mut linked = false;
    for j in i + 1..sentence.end.min(i + 1 + LIKENESS_REACH) {
        let word = view.word(j);
        linked |= COPULAS.contains(&word);
        let not_human = matches!(word, "human" | "humans" | "people" | "menschen")
            && matches!(
                view.word(j - 1),
                "not" | "arent" | "isnt" | "than" | "nicht" | "keine"
            );
        if not_human {
            return Some(i..j + 1).filter(|_| linked);
        }
        if (linked && DEHUMANIZING.contains(&word)) || word == "subhuman" {
            return Some(i..j + 1);
        }
        if DEHUMANIZING_VERBS.contains(&word) && j <= i + 3 {
            return Some(i..j + 1);
        }
    }
    None
}
