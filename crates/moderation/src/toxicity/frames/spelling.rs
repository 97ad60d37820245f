//! Words spelt to slip past a filter, read as what they stand for: letters spaced out ("h a t
//! e", "w o m e n"), a vowel dropped from a group's name or a shape's word ("immigrnts",
//! "contmpt"), a group's name with a possessive ("a woman's nature"). Only the frames read
//! them so; the learned heads see the text as written.

use super::contempt_words::{CONTEMPT_NOUNS, LOATHING, NEGATIVE_TRAITS, WORTH};
use super::shape_words::{DEHUMANIZING, VIOLENT, VIOLENT_DONE};
use super::wordlist::{Fnv, WordList};
use crate::toxicity::groups::{is_group, GROUPS};
use crate::toxicity::swearing::is_swear_word;
use crate::toxicity::text::Tokens;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::sync::OnceLock;

/// Fewest letters spaced out that are read as one word (fewer are initials: "U S A").
const MIN_SPACED_LETTERS: usize = 3;
/// Known words of at least this many letters are also read with one inner vowel dropped.
const MIN_RESPELT_LETTERS: usize = 5;
/// Real words that are a known word with a vowel dropped.
const REAL_WORDS: &[&str] = &["refuges", "whit", "arbs", "plage", "lars", "bomed"];

/// The word lists of the shapes, whose words are read through misspellings.
fn shape_lists() -> [&'static WordList; 7] {
    [
        &LOATHING,
        &CONTEMPT_NOUNS,
        &NEGATIVE_TRAITS,
        &WORTH,
        &DEHUMANIZING,
        &VIOLENT,
        &VIOLENT_DONE,
    ]
}

fn is_shape_word(word: &str) -> bool {
    shape_lists().iter().any(|list| list.contains(&word))
}

/// Runs of single letters separated by single spaces, read as the word they spell when it is one
/// the frames or the swear list know ("h a t e"); a leading "i" or "a" is its own word when the
/// rest is one ("I h a t e" is "I hate"). Every other token is a word of its own.
pub(super) fn read_words(text: &str, tokens: &Tokens) -> (Vec<Range<usize>>, Vec<Option<String>>) {
    let t = &tokens.tokens;
    let single = |i: usize| {
        let w = tokens.norm(&t[i]);
        w.len() == 1 && w.as_bytes()[0].is_ascii_alphabetic()
    };
    let spaced = |i: usize| text.get(t[i - 1].original.end..t[i].original.start) == Some(" ");
    let (mut spans, mut joined) = (Vec::with_capacity(t.len()), Vec::with_capacity(t.len()));
    let mut i = 0;
    while i < t.len() {
        let mut end = i + 1;
        if single(i) {
            while end < t.len() && single(end) && !t[end].starts_sentence && spaced(end) {
                end += 1;
            }
        }
        match spelled_word(tokens, i..end) {
            Some((from, word)) => {
                if from > i {
                    spans.push(i..from);
                    joined.push(None);
                }
                spans.push(from..end);
                joined.push(Some(word));
                i = end;
            }
            None => {
                // Each letter of a run that spells nothing is a word of its own.
                for (k, token) in t.iter().enumerate().take(end).skip(i) {
                    spans.push(k..k + 1);
                    joined.push(respelt(tokens.norm(token)).map(str::to_string));
                }
                i = end;
            }
        }
    }
    (spans, joined)
}

/// The word a run of single letters spells, and where it starts, if it is a known one.
fn spelled_word(tokens: &Tokens, run: Range<usize>) -> Option<(usize, String)> {
    if run.len() < MIN_SPACED_LETTERS {
        return None;
    }
    let letters: String = run
        .clone()
        .map(|i| tokens.norm(&tokens.tokens[i]))
        .collect();
    let known = |w: &str| is_group(w) || is_swear_word(w) || is_shape_word(w);
    if known(&letters) {
        return Some((run.start, letters));
    }
    let rest = &letters[1..];
    let own_word = matches!(&letters[..1], "i" | "a");
    (own_word && rest.len() >= MIN_SPACED_LETTERS && known(rest))
        .then(|| (run.start + 1, rest.to_string()))
}

/// The known word a token stands for when it is not itself one: a group's name with a
/// possessive ("womans", "muslimss"), or a group's name or shape word with one inner vowel
/// dropped.
fn respelt(word: &str) -> Option<&'static str> {
    type Dropped = HashMap<String, &'static str, BuildHasherDefault<Fnv>>;
    static DROPPED: OnceLock<Dropped> = OnceLock::new();
    let dropped = DROPPED.get_or_init(|| {
        let mut map = Dropped::default();
        let lists = shape_lists();
        let known = GROUPS
            .iter()
            .copied()
            .chain(lists.iter().flat_map(|l| l.words()));
        for name in known.filter(|n| n.len() >= MIN_RESPELT_LETTERS && n.is_ascii()) {
            for (at, c) in name.char_indices().skip(1) {
                if at + 1 < name.len() && matches!(c, 'a' | 'e' | 'i' | 'o' | 'u') {
                    let short = format!("{}{}", &name[..at], &name[at + 1..]);
                    if !REAL_WORDS.contains(&short.as_str()) && !is_known(&short) {
                        map.entry(short).or_insert(name);
                    }
                }
            }
        }
        for &name in GROUPS {
            let possessive = format!("{name}s");
            if !is_known(&possessive) {
                map.entry(possessive).or_insert(name);
            }
        }
        map
    });
    dropped.get(word).copied()
}

fn is_known(word: &str) -> bool {
    is_group(word) || is_shape_word(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_words_with_a_vowel_dropped_or_a_possessive() {
        assert_eq!(respelt("immigrnts"), Some("immigrants"));
        assert_eq!(respelt("womn"), Some("women"));
        assert_eq!(respelt("contmpt"), Some("contempt"));
        assert_eq!(respelt("womans"), Some("woman"));
        // A consonant or an end letter dropped, real words, known words themselves.
        assert_eq!(respelt("backs"), None);
        assert_eq!(respelt("omen"), None);
        assert_eq!(respelt("refuges"), None);
        assert_eq!(respelt("muslims"), None);
        assert_eq!(respelt("contempt"), None);
    }
}
