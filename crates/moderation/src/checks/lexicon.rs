//! The built-in list of slurs (`slurs.txt`), matched however a word is disguised.

use super::words::{normalize_word, spells, Token, SUFFIXES};
use rostra_core::moderation::Span;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A built-in word list, folded and indexed once by the shape every disguise of a word shares:
/// its letters with repeats collapsed (`niiigger` → `niger`).
pub(crate) struct Lexicon {
    by_shape: HashMap<String, Vec<String>>,
    phrases: Vec<String>,
}

fn shape(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

impl Lexicon {
    /// Reads a list: one word or phrase a line, `#` lines are comments.
    fn parse(list: &str) -> Lexicon {
        let mut lexicon = Lexicon {
            by_shape: HashMap::new(),
            phrases: Vec::new(),
        };
        let entries = list
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        for entry in entries {
            if entry.contains(' ') {
                lexicon.phrases.push(entry.to_string());
            } else {
                let word = normalize_word(entry);
                lexicon.by_shape.entry(shape(&word)).or_default().push(word);
            }
        }
        lexicon
    }

    pub(crate) fn slurs() -> &'static Lexicon {
        static LIST: OnceLock<Lexicon> = OnceLock::new();
        LIST.get_or_init(|| Lexicon::parse(include_str!("slurs.txt")))
    }

    /// Whether one folded token spells a listed word: looked up by its shape, and by the shape
    /// of its stem for each ending it may carry, then confirmed letter by letter.
    fn is_listed(&self, token: &str) -> bool {
        let confirm = |key: &str| {
            self.by_shape
                .get(&shape(key))
                .is_some_and(|words| words.iter().any(|w| spells(token, w)))
        };
        confirm(token)
            || SUFFIXES
                .iter()
                .filter_map(|s| token.strip_suffix(s))
                .filter(|stem| !stem.is_empty())
                .any(|stem| confirm(stem) || confirm(&format!("{stem}e")))
    }

    /// Whether one word (already lower-cased) is on the list, with any of its endings.
    pub(crate) fn has_word(&self, word: &str) -> bool {
        self.is_listed(&normalize_word(word))
    }

    /// Where the text uses a word or phrase of the list, however disguised. Matches align with
    /// whole words, so Markdown markers and numbers next to a word never join into one.
    pub(super) fn find(&self, text_tokens: &[Token], text: &str) -> Vec<Span> {
        let mut spans: Vec<Span> = text_tokens
            .iter()
            .filter(|t| self.is_listed(&t.folded))
            .map(|t| Span {
                text: text[t.start..t.end].to_string(),
                start: t.start,
                end: t.end,
                weight: None,
            })
            .collect();
        spans.extend(super::words::find(text_tokens, text, &self.phrases));
        spans.sort_by_key(|s| s.start);
        spans
    }
}
