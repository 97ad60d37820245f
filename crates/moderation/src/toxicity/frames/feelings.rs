//! Feelings toward a group said by the one who has them: hatred ("I despise …", "sick of …",
//! "contempt for …"), anger or disgust a group is said to cause ("seeing … here makes me so
//! angry", "… disgust me"), and regard denied ("I will never respect …", "I have no sympathy
//! for …"). Not someone else's feelings ("he hates …"), nor feelings about what happens to a
//! group ("I hate how … are treated", "tired of … being blamed").

use super::contempt::{past_fillers, word_at};
use super::contempt_words::{CONTEMPT_LINKS, CONTEMPT_NOUNS, LOATHING, OBJECT_FILLERS};
use super::{Hit, View};
use crate::toxicity::groups::is_group;
use rostra_core::attributes::Attribute;
use std::ops::Range;

/// How many words may stand between a word of contempt and its group.
const OBJECT_REACH: usize = 4;

/// Verbs a group is said to do to the speaker, for "… disgust me".
const REVOLTING: &[&str] = &[
    "disgust", "disgusts", "sicken", "repulse", "revolt", "nauseate",
];

/// What a group is said to make the speaker feel: "… make me so angry", "fill me with rage".
const ANGER: &[&str] = &[
    "angry", "furious", "mad", "sick", "boil", "rage", "anger", "fury", "disgust", "hatred",
    "nauseous", "livid", "vomit", "puke", "ill",
];

/// What may stand between a group and what it makes the speaker feel: where it is seen.
const SEEN_AT: &[&str] = &[
    "people",
    "in",
    "this",
    "that",
    "here",
    "there",
    "place",
    "country",
    "town",
    "city",
    "area",
    "around",
    "all",
    "the",
    "other",
    "street",
    "streets",
    "neighbourhood",
    "neighborhood",
    "my",
    "our",
    "office",
    "school",
    "everywhere",
    "these",
    "days",
    "those",
];

/// Regard the speaker says they have none of: "I have no sympathy for …".
const REGARD_NOUNS: &[&str] = &[
    "compassion",
    "sympathy",
    "empathy",
    "respect",
    "love",
    "time",
    "patience",
    "tolerance",
    "pity",
    "mercy",
    "regard",
    "care",
];

/// Whether the speaker is the one who feels what the word at `i` says: "I (really) hate",
/// "my contempt for", or an exclamation opening the sentence ("Sick of …"). "He hates …"
/// reports someone else's feelings.
fn felt_by_speaker(view: &View<'_>, i: usize, sentence: &Range<usize>) -> bool {
    let mut k = i;
    while k > sentence.start {
        k -= 1;
        let word = view.word(k);
        if matches!(
            word,
            "i" | "im" | "ive" | "id" | "we" | "weve" | "my" | "our"
        ) {
            return true;
        }
        if !OBJECT_FILLERS.contains(&word) && !SPEAKER_FILLERS.contains(&word) {
            return false;
        }
    }
    true
}

/// "I hate …", "can't stand …", "sick of …", "contempt for …": keyed on the verb or noun.
pub(super) fn loathing(view: &View<'_>, i: usize, sentence: &Range<usize>) -> Option<Hit> {
    let word = view.word(i);
    let next = |k: usize| word_at(view, sentence, i + k);
    let after = if LOATHING.contains(&word) {
        i + 1
    } else if matches!(word, "cant" | "cannot") && next(1) == "stand" {
        i + 2
    } else if word == "can" && next(1) == "not" && next(2) == "stand" {
        i + 3
    } else if CONTEMPT_NOUNS.contains(&word) && CONTEMPT_LINKS.contains(&next(1)) {
        // "fed up with" reaches its object through one more word.
        let up = usize::from(next(1) == "up" && next(2) == "with");
        i + 2 + up
    } else {
        return None;
    };
    let j = past_fillers(view, sentence, after, OBJECT_REACH, &OBJECT_FILLERS)?;
    let aimed = is_group(view.word(j))
        && !is_event(view, sentence, j)
        && felt_by_speaker(view, i, sentence);
    aimed.then(|| Hit::new(Attribute::IdentityAttack, i..j + 1).keyed(i))
}

/// "I don't respect …", "I could never trust …": regard the speaker denies a group. Keyed on
/// the negation, which its own scope does not mute.
pub(super) fn affection_denied(view: &View<'_>, i: usize, sentence: &Range<usize>) -> Option<Hit> {
    if !matches!(view.word(i), "dont" | "never" | "cant" | "cannot" | "wont") {
        return None;
    }
    let verb = i + 1;
    if !REGARD.contains(&word_at(view, sentence, verb)) || !felt_by_speaker(view, i, sentence) {
        return None;
    }
    let j = past_fillers(view, sentence, verb + 1, OBJECT_REACH, &OBJECT_FILLERS)?;
    (is_group(view.word(j)) && !is_event(view, sentence, j))
        .then(|| Hit::new(Attribute::IdentityAttack, i..j + 1).keyed(i))
}

/// Words between the speaker and what they feel: "I have nothing but …", "we will never …".
const SPEAKER_FILLERS: &[&str] = &[
    "am",
    "do",
    "have",
    "got",
    "nothing",
    "but",
    "feel",
    "and",
    "will",
    "would",
    "could",
    "can",
    "ll",
    "honestly",
    "personally",
    "still",
    "also",
    "simply",
    "genuinely",
    "always",
];

/// What regard a speaker may deny a group.
const REGARD: &[&str] = &[
    "respect", "trust", "like", "love", "accept", "support", "tolerate", "want", "value", "hire",
    "date", "befriend", "welcome",
];

/// "… disgust me", "seeing … here makes me so angry", "… fill me with rage": keyed on the
/// verb. Only where the group is seen may stand between it and the verb ("seeing … attacked
/// makes me angry" is anger at the attack).
pub(super) fn angered(view: &View<'_>, i: usize, sentence: &Range<usize>) -> Option<Hit> {
    if !view.is_group(i) {
        return None;
    }
    if REVOLTING.contains(&word_at(view, sentence, i + 1)) {
        return Some(Hit::new(Attribute::IdentityAttack, i..i + 2));
    }
    let verb = (i + 1..sentence.end.min(i + 8)).find(|&k| !SEEN_AT.contains(&view.word(k)))?;
    let causes = matches!(view.word(verb), "make" | "makes" | "fill" | "fills");
    if !causes || word_at(view, sentence, verb + 1) != "me" {
        return None;
    }
    let felt = (verb + 2..sentence.end.min(verb + 6)).find(|&k| ANGER.contains(&view.word(k)))?;
    Some(Hit::new(Attribute::IdentityAttack, i..felt + 1).keyed(verb))
}

/// "I have no sympathy for …", "there is no place for … here": keyed on the noun.
pub(super) fn regard_denied(view: &View<'_>, i: usize, sentence: &Range<usize>) -> Option<Hit> {
    if !matches!(view.word(i), "no" | "zero") {
        return None;
    }
    let noun = word_at(view, sentence, i + 1);
    let room = matches!(noun, "place" | "room" | "space");
    let regard = REGARD_NOUNS.contains(&noun) && felt_by_speaker(view, i, sentence);
    if !(room || regard) {
        return None;
    }
    let link = (i + 2..sentence.end.min(i + 8))
        .find(|&k| matches!(view.word(k), "for" | "towards" | "toward"))?;
    let j = past_fillers(view, sentence, link + 1, OBJECT_REACH, &OBJECT_FILLERS)?;
    (is_group(view.word(j)) && !is_event(view, sentence, j))
        .then(|| Hit::new(Attribute::IdentityAttack, i..j + 1).keyed(i + 1))
}

/// Whether what follows the group at `j` makes it the subject of an event ("… being blamed",
/// "… to suffer"), which is then what the feeling is about.
fn is_event(view: &View<'_>, sentence: &Range<usize>, j: usize) -> bool {
    let people = usize::from(matches!(
        word_at(view, sentence, j + 1),
        "people" | "person"
    ));
    let then = word_at(view, sentence, j + 1 + people);
    then == "to" || then.ends_with("ing")
}
