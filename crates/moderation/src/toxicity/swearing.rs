//! Swear words (the list in `checks/profanity.txt`), recognised in the classifier's own
//! normalized tokens (case, accents, leetspeak and long repeats already folded) with their
//! endings: the profanity attribute, and the swearing that toxicity discounts when it is aimed
//! at no one.

use super::frames::{Fnv, WordList};
use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

/// Endings that keep a swear word the same word (`fuck` → `fucking`, `fuckers`).
const ENDINGS: &[&str] = &["s", "es", "ed", "d", "er", "ers", "ing", "in", "y", "ity"];

type Set = HashSet<String, BuildHasherDefault<Fnv>>;

/// The listed words with doubled letters made single (`asshole` → `ashole`), so that every
/// spelling with repeats meets its entry.
fn list() -> &'static Set {
    static SET: OnceLock<Set> = OnceLock::new();
    SET.get_or_init(|| {
        include_str!("../checks/profanity.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|w| single_letters(&w.to_lowercase()))
            .collect()
    })
}

fn single_letters(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Whether a normalized word is a swear word, with any of its endings.
pub(crate) fn is_swear_word(word: &str) -> bool {
    let doubled = word.as_bytes().windows(2).any(|w| w[0] == w[1]);
    let single;
    let word = match doubled {
        true => {
            single = single_letters(word);
            single.as_str()
        }
        false => word,
    };
    let set = list();
    set.contains(word)
        || ENDINGS.iter().any(|e| {
            word.strip_suffix(e).is_some_and(|stem| {
                stem.len() > 2 && (set.contains(stem) || set.contains(&format!("{stem}e")))
            })
        })
}

/// Swear words that name a person ("that corrupt fucker", "these assholes"): swearing with one
/// of them is aimed at someone whoever else the text names.
static PERSON_NOUNS: WordList = WordList::new(&[
    "fucker",
    "fuckers",
    "motherfucker",
    "motherfuckers",
    "cunt",
    "cunts",
    "twat",
    "twats",
    "wanker",
    "wankers",
    "bastard",
    "bastards",
    "asshole",
    "assholes",
    "arsehole",
    "arseholes",
    "dickhead",
    "dickheads",
    "prick",
    "pricks",
    "jackass",
    "dumbass",
    "douche",
    "douchebag",
    "douchebags",
    "slut",
    "sluts",
    "whore",
    "whores",
    "arschloch",
    "arschlocher",
    "wichser",
    "hurensohn",
    "connard",
    "connards",
    "connasse",
    "salope",
    "salopes",
]);

/// People spoken of without a name: swearing next to them is aimed at them ("they are so
/// f*cking stupid", "f*ck them"), unlike swearing about the weather. ("People" and "everyone"
/// are not: "seeing people do well makes me so f*cking happy".)
static PEOPLE: WordList = WordList::new(&["they", "them", "theyre", "ils", "elles", "eux"]);

/// The speaker: a sentence with one of these calls the speaker the name ("I can be an
/// asshole", "we were complete assholes").
static SPEAKER: WordList = WordList::new(&[
    "i",
    "im",
    "ive",
    "id",
    "ill",
    "me",
    "my",
    "myself",
    "we",
    "were",
    "weve",
    "well",
    "us",
    "ourselves",
    "ich",
    "je",
    "moi",
]);

/// Whether swearing in a text is aimed at someone by its own words (normalized, with whether
/// each starts a sentence): a swear word naming a person, in a sentence that does not name the
/// speaker; "f*ck off" opening a sentence; or people spoken of.
pub(crate) fn aims_at_someone(words: &[&str], starts: &[bool]) -> bool {
    let mut sentence = 0;
    (0..words.len()).any(|i| {
        if starts[i] {
            sentence = i;
        }
        let w = &words[i];
        let named = PERSON_NOUNS.contains(w) && {
            let end = (i + 1..words.len())
                .find(|&j| starts[j])
                .unwrap_or(words.len());
            !words[sentence..end].iter().any(|w| SPEAKER.contains(w))
        };
        let off = *w == "off" && i == sentence + 1 && words[sentence].starts_with("fu");
        named || off || PEOPLE.contains(w)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_swearing_in_its_forms_and_not_lookalikes() {
        for word in [
            "fuck",
            "fucking",
            "fuuck",
            "shitty",
            "asshole",
            "arschloch",
            "merde",
        ] {
            assert!(is_swear_word(word), "{word}");
        }
        let aims = |text: &str| {
            let tokens = crate::toxicity::text::tokenize(text);
            let words: Vec<&str> = tokens.tokens.iter().map(|t| tokens.norm(t)).collect();
            let starts: Vec<bool> = tokens.tokens.iter().map(|t| t.starts_sentence).collect();
            aims_at_someone(&words, &starts)
        };
        for text in [
            "Insured through them, for that corrupt fucker.",
            "Fuck off, Mandy.",
            "They are so f*cking dumb.",
            "I am tired. Those bastards lied.",
        ] {
            assert!(aims(text), "{text}");
        }
        for text in [
            "This fucking rain.",
            "I fucked off right after the concert.",
            "I can be a bit of an asshole sometimes.",
            "Shit happens off the coast.",
            "Seeing all these people doing well makes me so fucking happy.",
        ] {
            assert!(!aims(text), "{text}");
        }
        for word in [
            "class",
            "scunthorpe",
            "assess",
            "shitake",
            "cocktail",
            "dickens",
        ] {
            assert!(!is_swear_word(word), "{word}");
        }
    }
}
