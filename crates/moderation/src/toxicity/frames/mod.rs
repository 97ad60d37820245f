//! Frames: what the words of a comment do in context, which a bag of n-grams cannot see.
//! [`scopes`] finds the words the author does not say in their own voice (quoted, negated,
//! reported and condemned), whose contributions then may lower a head's score but not raise it;
//! [`patterns`] finds threats and dehumanization by their shape, as a floor under the heads.

mod lexicon;
mod patterns;
mod scopes;
mod shape_words;
mod wordlist;

use super::swearing::is_swear_word;
use super::text::Tokens;
use crate::checks::lexicon::Lexicon;
use rostra_core::attributes::Attribute;
use std::ops::Range;

pub(crate) use patterns::STRENGTH;
pub(crate) use wordlist::{Fnv, WordList};

/// A stretch of tokens that has the shape of an attribute.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hit {
    pub attribute: Attribute,
    pub range: Range<usize>,
    /// The token the shape stands on (the verb of violence, what people are likened to): when
    /// it is muted, the hit does not count.
    pub key: usize,
}

impl Hit {
    fn keyed(mut self, key: usize) -> Hit {
        self.key = key;
        self
    }

    fn new(attribute: Attribute, range: Range<usize>) -> Hit {
        let key = range.end - 1;
        Hit {
            attribute,
            range,
            key,
        }
    }
}

/// The frames of one text: which tokens are muted, and the shapes found in the author's voice.
#[derive(Debug, Default)]
pub(crate) struct Frames {
    pub muted: Vec<bool>,
    pub hits: Vec<Hit>,
}

pub(crate) fn analyze(text: &str, tokens: &Tokens) -> Frames {
    let view = View::new(text, tokens);
    let mut muted = vec![false; view.len()];
    scopes::mute(&view, &mut muted);
    // Swearing and slurs stay what they are, quoted, negated or reported.
    for (i, m) in muted.iter_mut().enumerate() {
        if *m && (is_swear_word(view.word(i)) || Lexicon::slurs().has_word(view.word(i))) {
            *m = false;
        }
    }
    let mut hits = Vec::new();
    patterns::threats(&view, &mut hits);
    patterns::dehumanization(&view, &mut hits);
    patterns::identity_attacks(&view, &mut hits);
    hits.retain(|h| !muted[h.key]);
    Frames { muted, hits }
}

/// The tokens of a text as the frames read them: normalized words, sentence and clause breaks,
/// quotation.
pub(crate) struct View<'a> {
    text: &'a str,
    tokens: &'a Tokens,
    quoted: Vec<bool>,
}

impl<'a> View<'a> {
    fn new(text: &'a str, tokens: &'a Tokens) -> View<'a> {
        let regions = quoted_regions(text);
        let quoted = tokens
            .tokens
            .iter()
            .map(|t| regions.iter().any(|r| r.contains(&t.original.start)))
            .collect();
        View {
            text,
            tokens,
            quoted,
        }
    }

    fn len(&self) -> usize {
        self.tokens.tokens.len()
    }

    fn word(&self, i: usize) -> &str {
        self.tokens.norm(&self.tokens.tokens[i])
    }

    fn starts_sentence(&self, i: usize) -> bool {
        i == 0 || self.tokens.tokens[i].starts_sentence
    }

    fn in_quotes(&self, i: usize) -> bool {
        self.quoted[i]
    }

    /// Whether punctuation between token `i - 1` and token `i` ends a clause.
    fn breaks_clause_before(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let gap = &self.text
            [self.tokens.tokens[i - 1].original.end..self.tokens.tokens[i].original.start];
        gap.contains([
            ',', ';', ':', '—', '–', '(', ')', '"', '“', '”', '«', '»', '.', '!', '?',
        ]) || self.quoted[i] != self.quoted[i - 1]
    }

    /// The token ranges of the sentences.
    fn sentences(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..self.len() {
            if self.starts_sentence(i) {
                out.push(start..i);
                start = i;
            }
        }
        if start < self.len() {
            out.push(start..self.len());
        }
        out
    }
}

/// Byte ranges of the text between quotation marks: straight double quotes in pairs, and the
/// typographic pairs “…”, „…“, «…».
fn quoted_regions(text: &str) -> Vec<Range<usize>> {
    let mut regions = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (None, '"' | '“' | '„' | '«') => open = Some((i + c.len_utf8(), c)),
            (Some((start, o)), c)
                if (o == '"' && c == '"')
                    || (o == '“' && c == '”')
                    || (o == '„' && matches!(c, '“' | '”'))
                    || (o == '«' && c == '»') =>
            {
                regions.push(start..i);
                open = None;
            }
            _ => {}
        }
    }
    regions
}

#[cfg(test)]
mod tests;
