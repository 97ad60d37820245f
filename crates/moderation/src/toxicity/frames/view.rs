//! The words of a text as the frames read them: normalized tokens, with words spelt to slip
//! past a filter read as what they stand for (`spelling`); sentence and clause breaks;
//! quotation. What the frames find is mapped back to tokens.

use super::spelling::read_words;
use super::{Frames, Hit};
use crate::toxicity::groups::is_group;
use crate::toxicity::text::Tokens;
use std::ops::Range;

pub(crate) struct View<'a> {
    text: &'a str,
    tokens: &'a Tokens,
    /// The tokens each word of the view reads: one, or a run of spaced-out letters.
    spans: Vec<Range<usize>>,
    /// The letters of a run joined, where the word is one.
    joined: Vec<Option<String>>,
    quoted: Vec<bool>,
    /// Whether each word names a group.
    groups: Vec<bool>,
}

impl<'a> View<'a> {
    pub(super) fn new(text: &'a str, tokens: &'a Tokens) -> View<'a> {
        let (spans, joined) = read_words(text, tokens);
        let regions = quoted_regions(text);
        let quoted = spans
            .iter()
            .map(|s| {
                let start = tokens.tokens[s.start].original.start;
                regions.iter().any(|r| r.contains(&start))
            })
            .collect();
        let mut view = View {
            text,
            tokens,
            spans,
            joined,
            quoted,
            groups: Vec::new(),
        };
        view.groups = (0..view.len()).map(|i| is_group(view.word(i))).collect();
        view
    }

    pub(super) fn len(&self) -> usize {
        self.spans.len()
    }

    pub(super) fn word(&self, i: usize) -> &str {
        match &self.joined[i] {
            Some(word) => word,
            None => self.tokens.norm(&self.tokens.tokens[self.spans[i].start]),
        }
    }

    pub(super) fn starts_sentence(&self, i: usize) -> bool {
        i == 0 || self.tokens.tokens[self.spans[i].start].starts_sentence
    }

    /// Whether word `i` names a group.
    pub(super) fn is_group(&self, i: usize) -> bool {
        self.groups[i]
    }

    /// Whether any word of `range` names a group.
    pub(super) fn names_group(&self, range: &Range<usize>) -> bool {
        self.groups[range.clone()].contains(&true)
    }

    pub(super) fn in_quotes(&self, i: usize) -> bool {
        self.quoted[i]
    }

    /// Whether punctuation between word `i - 1` and word `i` ends a clause.
    pub(super) fn breaks_clause_before(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let before = &self.tokens.tokens[self.spans[i - 1].end - 1];
        let gap =
            &self.text[before.original.end..self.tokens.tokens[self.spans[i].start].original.start];
        gap.contains([
            ',', ';', ':', '—', '–', '(', ')', '"', '“', '”', '«', '»', '.', '!', '?',
        ]) || self.quoted[i] != self.quoted[i - 1]
    }

    /// The word ranges of the sentences.
    pub(super) fn sentences(&self) -> Vec<Range<usize>> {
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

    /// The frames in tokens: every token of a muted (or praised) word muted (or praised), every
    /// hit over its tokens.
    pub(super) fn to_tokens(&self, muted: Vec<bool>, praised: Vec<bool>, hits: Vec<Hit>) -> Frames {
        if self.joined.iter().all(Option::is_none) {
            return Frames {
                muted,
                praised,
                hits,
            };
        }
        let per_token = |marks: Vec<bool>| {
            let mut out = vec![false; self.tokens.tokens.len()];
            for (span, m) in self.spans.iter().zip(marks) {
                out[span.clone()].iter_mut().for_each(|t| *t = m);
            }
            out
        };
        let hits = hits
            .into_iter()
            .map(|h| Hit {
                attribute: h.attribute,
                range: self.spans[h.range.start].start..self.spans[h.range.end - 1].end,
                key: self.spans[h.key].start,
            })
            .collect();
        Frames {
            muted: per_token(muted),
            praised: per_token(praised),
            hits,
        }
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
