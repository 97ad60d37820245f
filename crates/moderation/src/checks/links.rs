//! Links: more than the site allows holds the comment (link spam is the commonest abuse).

use super::{Check, CheckInput};
use rostra_core::moderation::{Reason, Span, Verdict};

pub struct LinkCheck;

/// Where links start in a text: explicit schemes and bare `www.` hosts.
pub fn link_spans(text: &str) -> Vec<Span> {
    let lower = text.to_ascii_lowercase();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        let rest = &lower[i..];
        let hit = ["https://", "http://", "www."]
            .iter()
            .find(|p| rest.starts_with(**p));
        let after_word = i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric();
        match hit {
            Some(p) if after_word => {
                let len = rest
                    .find(|c: char| c.is_whitespace() || c == ')' || c == ']' || c == '>')
                    .unwrap_or(rest.len());
                spans.push(Span {
                    text: text[i..i + len].to_string(),
                    start: i,
                    end: i + len,
                    weight: None,
                });
                i += len.max(p.len());
            }
            _ => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    spans
}

impl Check for LinkCheck {
    fn check(&self, input: &CheckInput<'_>) -> Vec<Reason> {
        let spans = link_spans(input.body);
        let max = input.policy.max_links as usize;
        if spans.len() <= max {
            return Vec::new();
        }
        vec![Reason {
            check: "links".into(),
            verdict: Verdict::Hold,
            detail: format!("{} links (the site allows {max})", spans.len()),
            score: None,
            spans,
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_of_every_form() {
        let s = link_spans(
            "see https://a.example/x, [b](http://b.example) and www.c.example. Not awww.",
        );
        let texts: Vec<_> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            ["https://a.example/x,", "http://b.example", "www.c.example."]
        );
    }
}
