//! Contempt for a group recognised by its shape, with or without a swear word: hatred said
//! outright ("I despise …", "sick of …", "… disgust me"), a derogatory claim about all of it
//! ("… are all criminals", "why are … so lazy?"), its worth denied ("… are not smart", "… can
//! never be trusted", "… should not be allowed to vote"), and its exclusion ("… belong in a
//! cage", "… should go back", "… are ruining this country", "keep … out", "better off without
//! …"). A group is one of `groups`' names, or "they" once the text has named one ("I met some
//! Muslims, they are all liars"); hatred counts when the speaker feels it ("I hate …", not "he
//! hates …"). Each hit is keyed on the word that carries the contempt or on the group, so
//! quoting, negating or condemning the claim ("no one should say …") mutes it; reports ("women
//! were not allowed to vote until 1920") have no duty or present-tense claim in them and do not
//! match.

use super::contempt_words::{
    DENIALS, DENIED_BY_DUTY, DISTRUSTING_ORDERS, DUTIES, EXCLUDED, EXCLUDING_ORDERS,
    NEGATIVE_TRAITS, OBJECT_FILLERS, PLACES_OF_CONTEMPT, RUINING, SUBJECT_FILLERS, WORTH,
};
use super::feelings::{affection_denied, angered, loathing, regard_denied};
use super::shape_words::{DEHUMANIZING, REPORTING};
use super::{Hit, View};
use crate::toxicity::groups::is_group;
use crate::toxicity::swearing::is_swear_word;
use rostra_core::attributes::Attribute;
use std::ops::Range;

/// How many words may stand between a word of contempt and its group.
const OBJECT_REACH: usize = 4;
/// How many words may stand between a group and what is said of it.
const CLAIM_REACH: usize = 6;

pub(super) fn identity_attacks(view: &View<'_>, hits: &mut Vec<Hit>) {
    let mut named = false;
    for sentence in view.sentences() {
        // Every shape needs a group in its sentence, or "they" after one was named.
        if !view.names_group(&sentence) && !named {
            continue;
        }
        let reports = sentence.clone().any(|i| REPORTING.contains(&view.word(i)));
        for i in sentence.clone() {
            let group = view.is_group(i);
            let subject = group || (named && matches!(view.word(i), "they" | "theyre"));
            named |= group;
            let felt = [
                loathing(view, i, &sentence),
                affection_denied(view, i, &sentence),
                regard_denied(view, i, &sentence),
                angered(view, i, &sentence),
            ];
            hits.extend(felt.into_iter().flatten());
            if !subject || reports {
                continue;
            }
            let claims = [
                nothing_worse(view, i, &sentence),
                ranked_below(view, i, &sentence),
                in_nature(view, i, &sentence),
                derogated(view, i, &sentence),
                worth_denied(view, i, &sentence),
                excluded(view, i, &sentence),
            ];
            hits.extend(claims.into_iter().flatten());
        }
        if let Some(hit) = excluding_order(view, &sentence) {
            hits.push(hit);
        }
    }
}

/// The word at `i`, or "" past the end of the sentence.
pub(super) fn word_at<'v>(view: &'v View<'_>, sentence: &Range<usize>, i: usize) -> &'v str {
    match sentence.contains(&i) {
        true => view.word(i),
        false => "",
    }
}

/// The first token from `from` on that is not a filler, if it is within `reach` words.
pub(super) fn past_fillers(
    view: &View<'_>,
    sentence: &Range<usize>,
    from: usize,
    reach: usize,
    fillers: &super::WordList,
) -> Option<usize> {
    (from..sentence.end.min(from + reach)).find(|&j| !fillers.contains(&view.word(j)))
}

/// "Nothing is worse than …", "no one is lower than …": keyed on the comparison.
fn nothing_worse(view: &View<'_>, i: usize, sentence: &Range<usize>) -> Option<Hit> {
    let than = (sentence.start..i)
        .rev()
        .take(2)
        .find(|&k| view.word(k) == "than")?;
    let worse = than.checked_sub(1).filter(|&k| k >= sentence.start)?;
    if !matches!(
        view.word(worse),
        "worse" | "lower" | "dirtier" | "lazier" | "dumber"
    ) {
        return None;
    }
    let nothing = (sentence.start..worse)
        .rev()
        .take(3)
        .find(|&k| matches!(view.word(k), "nothing" | "noone" | "nobody" | "no"))?;
    Some(Hit::new(Attribute::IdentityAttack, nothing..i + 1).keyed(worse))
}

/// "My dog is smarter than any …", "I care more about the dirt under my shoe than about …":
/// an animal or dirt ranked above a group. Keyed on "than".
fn ranked_below(view: &View<'_>, i: usize, sentence: &Range<usize>) -> Option<Hit> {
    let than = (sentence.start..i)
        .rev()
        .take(5)
        .find(|&k| view.word(k) == "than")?;
    let between = |k: usize| {
        matches!(
            view.word(k),
            "any"
                | "all"
                | "of"
                | "you"
                | "that"
                | "a"
                | "an"
                | "the"
                | "about"
                | "those"
                | "these"
                | "every"
                | "single"
        )
    };
    if !(than + 1..i).all(between) {
        return None;
    }
    let lowly = (sentence.start..than).rev().take(8).any(|k| {
        let word = view.word(k);
        DEHUMANIZING.contains(&word) || LOWLY.contains(&word)
    });
    lowly.then(|| Hit::new(Attribute::IdentityAttack, than..i + 1).keyed(than))
}

/// What a group is ranked below, besides the dehumanizing words.
const LOWLY: &[&str] = &[
    "dog",
    "monkey",
    "pig",
    "dirt",
    "shoe",
    "insect",
    "worm",
    "worms",
    "slug",
    "slugs",
    "rat",
    "cockroach",
    "goldfish",
    "donkey",
];

/// "It is in a … nature to be violent": a trait said to be a group's nature. Keyed on "nature".
fn in_nature(view: &View<'_>, i: usize, sentence: &Range<usize>) -> Option<Hit> {
    let person = usize::from(matches!(
        word_at(view, sentence, i + 1),
        "person" | "persons"
    ));
    let nature = i + 1 + person;
    if !matches!(
        word_at(view, sentence, nature),
        "nature" | "blood" | "genes" | "dna"
    ) {
        return None;
    }
    let vile = (nature + 1..sentence.end.min(nature + 7)).find(|&k| {
        let word = view.word(k);
        NEGATIVE_TRAITS.contains(&word) || is_swear_word(word)
    })?;
    Some(Hit::new(Attribute::IdentityAttack, i..vile + 1).keyed(nature))
}

/// "… are (all) criminals", "why are … so lazy": keyed on the trait.
fn derogated(view: &View<'_>, i: usize, sentence: &Range<usize>) -> Option<Hit> {
    let before = (i > sentence.start).then(|| view.word(i - 1));
    let asked = matches!(before, Some("are" | "arent" | "r")) || view.word(i) == "theyre";
    let mut linked = asked;
    for j in i + 1..sentence.end.min(i + 1 + CLAIM_REACH) {
        let word = view.word(j);
        if matches!(word, "are" | "r" | "sind" | "sont" | "is") {
            linked = true;
            continue;
        }
        // "… are sick of being blamed" is not "… are sick".
        let feeling = matches!(word, "sick" | "tired") && word_at(view, sentence, j + 1) == "of";
        if linked && NEGATIVE_TRAITS.contains(&word) && !feeling {
            return Some(Hit::new(Attribute::IdentityAttack, i..j + 1));
        }
        if !SUBJECT_FILLERS.contains(&word) {
            return None;
        }
    }
    None
}

/// "… are not smart", "… can never be trusted", "… have no place here", "… should not be
/// allowed to vote", "no … can be a good leader": a denial, then what it denies. Keyed on the
/// group: the denial is the insult, so its own negation does not mute it, but a negation of the
/// whole claim does.
fn worth_denied(view: &View<'_>, i: usize, sentence: &Range<usize>) -> Option<Hit> {
    let no_one_of = i > sentence.start && view.word(i - 1) == "no";
    let denial = match no_one_of {
        true => i,
        false => {
            let denial = past_fillers(view, sentence, i + 1, CLAIM_REACH, &SUBJECT_FILLERS)?;
            DENIALS.contains(&view.word(denial)).then_some(denial)?
        }
    };
    let denied = (denial + 1..sentence.end.min(denial + 6)).find(|&k| {
        let word = view.word(k);
        WORTH.contains(&word) || !SUBJECT_FILLERS.contains(&word)
    })?;
    let word = view.word(denied);
    let worth = match word {
        "deserve" | "deserves" => deserved_worth(view, sentence, denied + 1),
        _ => WORTH.contains(&word),
    };
    let duty = (i + 1..denied).any(|k| DUTIES.contains(&view.word(k)));
    // "… are not worth any less than …" denies a lack of worth.
    let compared = (denied + 1..denied + 3).any(|k| word_at(view, sentence, k) == "less");
    if !worth || compared || (DENIED_BY_DUTY.contains(&word) && !duty) {
        return None;
    }
    // "No … can …": the "no" is the denial, and a negation's scope starts after it.
    let start = i - usize::from(no_one_of);
    Some(Hit::new(Attribute::IdentityAttack, start..denied + 1).keyed(start))
}

/// Whether what follows "deserve" at `at` is worth itself ("… don't deserve to live", "…
/// rights", "… respect"), not a treatment ("… don't deserve this").
fn deserved_worth(view: &View<'_>, sentence: &Range<usize>, at: usize) -> bool {
    let next = word_at(view, sentence, at);
    let after = word_at(view, sentence, at + 1);
    match next {
        "to" if after == "be" => {
            let state = word_at(view, sentence, at + 2);
            WORTH.contains(&state) || matches!(state, "alive" | "here" | "loved" | "free" | "happy")
        }
        "to" => matches!(
            after,
            "live" | "exist" | "vote" | "breathe" | "work" | "marry"
        ),
        _ => WORTH.contains(&next) || matches!(next, "life" | "love" | "equality" | "freedom"),
    }
}

/// "… belong in a cage", "… should go back", "… are ruining this country", "better off
/// without …": keyed on the word that excludes.
fn excluded(view: &View<'_>, i: usize, sentence: &Range<usize>) -> Option<Hit> {
    if let Some(hit) = better_without(view, i, sentence) {
        return Some(hit);
    }
    let j = past_fillers(view, sentence, i + 1, CLAIM_REACH, &SUBJECT_FILLERS)?;
    let word = view.word(j);
    let next = |k: usize| word_at(view, sentence, j + k);
    let end = if matches!(word, "belong" | "belongs") && matches!(next(1), "in" | "on") {
        let place = past_fillers(view, sentence, j + 2, 3, &SUBJECT_FILLERS)?;
        PLACES_OF_CONTEMPT
            .contains(&view.word(place))
            .then_some(place)?
    } else if RUINING.contains(&word) {
        let (what, place) = (
            word_at(view, sentence, j + 1),
            word_at(view, sentence, j + 2),
        );
        let ours = matches!(
            what,
            "our" | "this" | "my" | "everything" | "society" | "europe"
        ) || (what == "the" && matches!(place, "country" | "nation" | "world" | "west"));
        ours.then_some(j + 1)?
    } else if (i + 1..j).any(|k| DUTIES.contains(&view.word(k))) && go_or_gone(view, sentence, j) {
        j
    } else {
        return None;
    };
    Some(Hit::new(Attribute::IdentityAttack, i..end + 1).keyed(j))
}

/// After a duty: "go back", "leave", "be banned", "get out", "be kept out".
fn go_or_gone(view: &View<'_>, sentence: &Range<usize>, j: usize) -> bool {
    let word = view.word(j);
    let next = word_at(view, sentence, j + 1);
    EXCLUDED.contains(&word)
        || (matches!(word, "go" | "get" | "stay" | "move") && EXCLUDED.contains(&next))
}

/// "(we | the world | this country) would be better off without …".
fn better_without(view: &View<'_>, i: usize, sentence: &Range<usize>) -> Option<Hit> {
    let without = (sentence.start..i)
        .rev()
        .take(3)
        .find(|&k| view.word(k) == "without")?;
    let better = (sentence.start..without)
        .rev()
        .take(3)
        .find(|&k| matches!(view.word(k), "better" | "safer" | "nicer" | "cleaner"))?;
    Some(Hit::new(Attribute::IdentityAttack, better..i + 1).keyed(without))
}

/// An order or curse opening a sentence that excludes, distrusts or damns a group: "keep …
/// out", "ban …", "never trust …", "don't hire …", "screw …".
fn excluding_order(view: &View<'_>, sentence: &Range<usize>) -> Option<Hit> {
    let first = view.word(sentence.start);
    let verb = match first {
        // A curse at a group: "f*ck all …", "screw …".
        "fuck" | "screw" | "damn" => sentence.start,
        "never" | "dont" => {
            let verb = sentence.start + 1;
            DISTRUSTING_ORDERS
                .contains(&word_at(view, sentence, verb))
                .then_some(verb)?
        }
        _ if EXCLUDING_ORDERS.contains(&first) => sentence.start,
        _ => return None,
    };
    let j = past_fillers(view, sentence, verb + 1, OBJECT_REACH, &OBJECT_FILLERS)?;
    if !is_group(view.word(j)) {
        return None;
    }
    let particle = word_at(view, sentence, j + 1);
    let needs_particle = matches!(first, "keep" | "get" | "kick" | "send" | "throw" | "lock");
    if needs_particle && !EXCLUDED.contains(&particle) {
        return None;
    }
    Some(Hit::new(Attribute::IdentityAttack, sentence.start..j + 1).keyed(verb))
}
