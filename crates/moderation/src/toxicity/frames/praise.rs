//! Warm statements about a group ("… are wonderful", "… should all be admired", "I admire …").
//! The heads learned "<group> are …" and "… should all be …" mostly from attacks, so in a
//! sentence that praises a group, negates nothing and has no shape of contempt or threat, the
//! words (but swear words and slurs) may lower the heads' scores but not raise them.

use super::contempt_words::SUBJECT_FILLERS;
use super::lexicon::NEGATIONS;
use super::wordlist::WordList;
use super::{Hit, View};
use crate::toxicity::groups::is_group;
use std::ops::Range;

/// What a group is praised as.
static PRAISE: WordList = WordList::spaced(
    "beautiful amazing wonderful great fantastic brilliant lovely kind generous smart intelligent
    talented welcome valued strong brave inspiring awesome incredible admirable hardworking
    loving caring precious valuable worth important wise funny gorgeous fabulous marvellous
    marvelous excellent heroes heroic resilient courageous decent honest friendly warm
    delightful remarkable gifted capable treasure blessing asset assets admired honoured
    honored respected celebrated welcomed praised loved cherished protected valued supported
    appreciated thanked",
);

/// What a speaker feels for a group they praise: "I admire …".
static ADMIRING: WordList = WordList::spaced(
    "love admire respect adore appreciate support welcome celebrate cherish value",
);

/// Marks in `praised` the words of every sentence that praises a group and nothing else.
pub(super) fn mark(view: &View<'_>, hits: &[Hit], praised: &mut [bool]) {
    for sentence in view.sentences() {
        if !view.names_group(&sentence) {
            continue;
        }
        let attacked = hits
            .iter()
            .any(|h| h.range.start < sentence.end && sentence.start < h.range.end);
        let negated = sentence.clone().any(|i| NEGATIONS.contains(&view.word(i)));
        if attacked || negated || !praises(view, &sentence) {
            continue;
        }
        praised[sentence].iter_mut().for_each(|p| *p = true);
    }
}

fn praises(view: &View<'_>, sentence: &Range<usize>) -> bool {
    sentence.clone().any(|i| {
        let word = view.word(i);
        if ADMIRING.contains(&word) {
            let object = (i + 1..sentence.end.min(i + 4)).find(|&j| !skipped(view.word(j)));
            return object.is_some_and(|j| is_group(view.word(j)));
        }
        if !is_group(word) {
            return false;
        }
        let said = (i + 1..sentence.end.min(i + 7)).find(|&j| !skipped(view.word(j)));
        said.is_some_and(|j| PRAISE.contains(&view.word(j)))
    })
}

/// Words between a group and its praise: "… like them are all amazing".
fn skipped(word: &str) -> bool {
    SUBJECT_FILLERS.contains(&word) || matches!(word, "them" | "us" | "me")
}
