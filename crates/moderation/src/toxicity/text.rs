//! Text normalization and tokenization for the classifier, keeping each token's byte range in
//! the original text so that contributions can be shown where they occur.
//!
//! Normalization: lowercase; compatibility folding of non-ASCII letters (NFKD without combining
//! marks, so `𝐟𝐮𝐥𝐥𝐰𝐢𝐝𝐭𝐡` and `é` become `fullwidth` and `e`); letters repeated more than twice
//! collapsed to two; a small leetspeak map inside words that contain letters (`sh1t`, `@ss` inside
//! a word, `$`); apostrophes dropped; @mentions, URLs and TweetEval's `URL` placeholder skipped.

use std::ops::Range;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// One word (or emoji) of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// Byte range of the normalized form in [`Tokens::normalized`].
    pub norm: Range<usize>,
    /// Byte range in the original text.
    pub original: Range<usize>,
    /// True when a sentence break (`.`, `!`, `?` before a space, or a line break) precedes it.
    pub starts_sentence: bool,
    /// True when written in capitals (three letters or more): shouting.
    pub shouted: bool,
}

/// The tokens of one text and the buffer holding their normalized forms.
#[derive(Debug, Default, Clone)]
pub(crate) struct Tokens {
    pub normalized: String,
    pub tokens: Vec<Token>,
}

impl Tokens {
    pub fn norm(&self, token: &Token) -> &str {
        &self.normalized[token.norm.clone()]
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '*' | '$' | '@' | '\'' | '’') || is_combining_mark(c)
}

/// Symbols standing alone as tokens: emoji and other pictographs.
fn is_symbol_token(c: char) -> bool {
    let code = c as u32;
    code >= 0x2190
        && !c.is_alphanumeric()
        && !c.is_whitespace()
        && !is_combining_mark(c)
        && !matches!(code, 0x200B..=0x200F | 0x2028..=0x206F | 0xFE00..=0xFE0F | 0x1F3FB..=0x1F3FF)
}

fn starts_url(rest: &str) -> bool {
    let head = rest.as_bytes();
    let prefix =
        |p: &str| head.len() >= p.len() && head[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    prefix("http://") || prefix("https://") || prefix("www.")
}

/// Splits `text` into normalized tokens.
pub(crate) fn tokenize(text: &str) -> Tokens {
    let mut out = Tokens {
        normalized: String::with_capacity(text.len() + 8),
        tokens: Vec::with_capacity(text.len() / 4 + 1),
    };
    let mut sentence_break = true;
    // `foo_@bar` is not a mention: an underscore does not end a handle-like word.
    let mut after_underscore = false;
    let mut iter = text.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        if is_word_char(c) && c != '\'' && c != '’' {
            let at_token_start = !after_underscore;
            if at_token_start
                && (c == 'h' || c == 'H' || c == 'w' || c == 'W')
                && starts_url(&text[start..])
            {
                skip_while(&mut iter, |c| !c.is_whitespace());
                after_underscore = false;
                continue;
            }
            if c == '@' && at_token_start {
                // A mention: skip the handle.
                skip_while(&mut iter, |c| c.is_alphanumeric() || c == '_');
                after_underscore = false;
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(i, n)) = iter.peek() {
                if !is_word_char(n) {
                    break;
                }
                end = i + n.len_utf8();
                iter.next();
            }
            if push_word(&mut out, text, start..end, sentence_break) {
                sentence_break = false;
            }
            after_underscore = false;
            continue;
        }
        if is_symbol_token(c) {
            push_symbol(&mut out, start, c, sentence_break);
            sentence_break = false;
        } else if c == '\n' {
            sentence_break = true;
        } else if matches!(c, '.' | '!' | '?') {
            let next_is_break = iter.peek().is_none_or(|&(_, n)| n.is_whitespace());
            if next_is_break {
                sentence_break = true;
            }
        }
        after_underscore = c == '_';
    }
    out
}

fn push_symbol(out: &mut Tokens, start: usize, c: char, starts_sentence: bool) {
    let norm_start = out.normalized.len();
    out.normalized.push(c);
    out.tokens.push(Token {
        norm: norm_start..out.normalized.len(),
        original: start..start + c.len_utf8(),
        starts_sentence,
        shouted: false,
    });
}

fn skip_while<I>(iter: &mut std::iter::Peekable<I>, keep: impl Fn(char) -> bool)
where
    I: Iterator<Item = (usize, char)>,
{
    while iter.peek().is_some_and(|&(_, c)| keep(c)) {
        iter.next();
    }
}

/// Normalizes the word at `range` of `text` into the buffer; returns false when it was dropped.
fn push_word(out: &mut Tokens, text: &str, range: Range<usize>, starts_sentence: bool) -> bool {
    const TRIMMED: [char; 4] = ['*', '\'', '’', '@'];
    let word = &text[range.clone()];
    let raw = word.trim_matches(TRIMMED);
    if raw.is_empty() || raw == "URL" {
        return false;
    }
    // Shift the original range to the trimmed word.
    let lead = word.len() - word.trim_start_matches(TRIMMED).len();
    let original = range.start + lead..range.start + lead + raw.len();
    let has_letter = raw.chars().any(char::is_alphabetic);
    let norm_start = out.normalized.len();
    let mut last: Option<char> = None;
    let mut run = 0usize;
    let mut push = |buf: &mut String, c: char| {
        if Some(c) == last {
            run += 1;
            if run > 2 && c.is_alphabetic() {
                return;
            }
        } else {
            last = Some(c);
            run = 1;
        }
        buf.push(c);
    };
    for c in raw.chars() {
        if c.is_ascii() {
            let mapped = match c {
                '\'' => continue,
                _ if !has_letter && c.is_ascii_digit() => '0',
                '0' => 'o',
                '1' => 'i',
                '3' => 'e',
                '4' | '@' => 'a',
                '5' | '$' => 's',
                '7' => 't',
                _ => c.to_ascii_lowercase(),
            };
            push(&mut out.normalized, mapped);
        } else if c != '’' {
            for lower in c.to_lowercase() {
                decompose_compatible(lower, |d| {
                    if !is_combining_mark(d) {
                        for l in d.to_lowercase() {
                            push(&mut out.normalized, l);
                        }
                    }
                });
            }
        }
    }
    if out.normalized.len() == norm_start {
        return false;
    }
    let letters = raw.chars().filter(|c| c.is_alphabetic()).count();
    let shouted = letters >= 3 && !raw.chars().any(char::is_lowercase);
    let norm = norm_start..out.normalized.len();
    out.tokens.push(Token {
        norm,
        original,
        starts_sentence,
        shouted,
    });
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let t = tokenize(text);
        t.tokens.iter().map(|tok| t.norm(tok).to_string()).collect()
    }

    #[test]
    fn normalizes_case_leet_repeats_and_unicode() {
        assert_eq!(
            words("You are SOOOO st00pid"),
            ["you", "are", "soo", "stoopid"]
        );
        assert_eq!(words("sh1t f*ck $hit"), ["shit", "f*ck", "shit"]);
        assert_eq!(
            words("Café ＦＵＬＬ 𝐛𝐨𝐥𝐝 don't"),
            ["cafe", "full", "bold", "dont"]
        );
        assert_eq!(
            words("In 2019 we had 300 posts"),
            ["in", "0000", "we", "had", "000", "posts"]
        );
    }

    #[test]
    fn skips_mentions_urls_and_placeholders() {
        assert_eq!(
            words("@user you see https://x.org/a?b=c and URL www.a.b ok"),
            ["you", "see", "and", "ok"]
        );
    }

    #[test]
    fn keeps_original_offsets_and_sentence_starts() {
        let text = "Hello there. «Idiot»!\nNext";
        let t = tokenize(text);
        let spans: Vec<&str> = t
            .tokens
            .iter()
            .map(|tok| &text[tok.original.clone()])
            .collect();
        assert_eq!(spans, ["Hello", "there", "Idiot", "Next"]);
        let starts: Vec<bool> = t.tokens.iter().map(|tok| tok.starts_sentence).collect();
        assert_eq!(starts, [true, false, true, true]);
    }

    #[test]
    fn emoji_are_tokens() {
        assert_eq!(words("lol 😂😂"), ["lol", "😂", "😂"]);
    }
}
