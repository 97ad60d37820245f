//! Frames: what the words of a comment do in context, which a bag of n-grams cannot see.
//! [`scopes`] finds the words the author does not say in their own voice (quoted, negated,
//! reported and condemned), whose contributions then may lower a head's score but not raise it;
//! [`patterns`] finds threats and dehumanization by their shape, and [`contempt`] open or
//! implied contempt for a group, as a floor under the heads.

mod contempt;
mod contempt_words;
mod feelings;
mod lexicon;
mod patterns;
mod praise;
mod scopes;
mod shape_words;
mod spelling;
mod view;
mod wordlist;

use super::swearing::is_swear_word;
use super::text::Tokens;
use crate::checks::lexicon::Lexicon;
use rostra_core::attributes::Attribute;
use std::ops::Range;
use view::View;

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
    /// Tokens of sentences that praise a group (`praise`): muted for every head.
    pub praised: Vec<bool>,
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
    contempt::identity_attacks(&view, &mut hits);
    hits.retain(|h| !muted[h.key]);
    let mut praised = vec![false; view.len()];
    praise::mark(&view, &hits, &mut praised);
    for (i, p) in praised.iter_mut().enumerate() {
        if *p && (is_swear_word(view.word(i)) || Lexicon::slurs().has_word(view.word(i))) {
            *p = false;
        }
    }
    view.to_tokens(muted, praised, hits)
}

#[cfg(test)]
mod contempt_tests;
#[cfg(test)]
mod tests;
