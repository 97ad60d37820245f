//! Swear words (the list in `checks/profanity.txt`), recognised in the classifier's own
//! normalized tokens (case, accents, leetspeak and long repeats already folded) with their
//! endings: the profanity attribute, and the swearing that toxicity discounts when it is aimed
//! at no one.

use super::frames::Fnv;
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
