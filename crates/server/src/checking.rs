//! The nudge before posting: what the automatic checks would decide about a draft, and the
//! sentence that tells its author why. Nothing is stored, and the duplicate check does not
//! remember the draft (the real post of it must not look like a repeat).

use crate::client::{rate_limit, Client};
use crate::comments::draft::{validated, CommentInput, Draft};
use crate::error::ApiError;
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use rostra_core::account::Account;
use rostra_core::attributes::Attribute;
use rostra_core::moderation::{Reason, Verdict};
use rostra_moderation::checks::CheckInput;

/// What posting the draft would lead to, as far as the checks on its text go.
#[derive(Debug, serde::Serialize)]
pub struct Preview {
    pub verdict: Verdict,
    pub reasons: Vec<PreviewReason>,
    /// For the author: what the text may be read as, and what they can do (`None`: allowed).
    pub message: Option<String>,
}

#[derive(Debug, serde::Serialize)]
pub struct PreviewReason {
    pub check: String,
    /// The model's attribute behind the reason, if it is one.
    pub attribute: Option<&'static str>,
    pub verdict: Verdict,
    pub score: Option<f32>,
    pub detail: String,
    pub spans: Vec<PreviewSpan>,
}

/// Words behind a reason: byte offsets into the body as sent (NUL characters dropped).
#[derive(Debug, serde::Serialize)]
pub struct PreviewSpan {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Validates a draft as posting does (same limits, same error codes, same origin rule), takes
/// a token from the `check` bucket and runs the site's checks without remembering anything.
pub async fn check_draft(
    state: &AppState,
    input: &CommentInput,
    client: &Client,
    reader: Option<&Account>,
) -> Result<Preview, ApiError> {
    let Draft {
        site, body, author, ..
    } = validated(state, input, client).await?;
    rate_limit(state, Action::Check, client)?;
    let policy = state.policy(&site).await?;
    let name = match reader {
        Some(account) => Some(account.display_name.clone()),
        None => author.name,
    };
    let outcome = state.pipeline.preview(&CheckInput {
        site: site.id,
        body: &body,
        author_name: name.as_deref(),
        policy: &policy,
        now: now_ms(),
    });
    let shift = leading_trim(&input.body);
    let message = author_message(outcome.verdict, &outcome.reasons);
    Ok(Preview {
        verdict: outcome.verdict,
        reasons: outcome
            .reasons
            .into_iter()
            .map(|r| preview_reason(r, shift))
            .collect(),
        message,
    })
}

/// Bytes trimmed from the front of the body (after dropping NULs), to give offsets into it.
fn leading_trim(raw: &str) -> usize {
    let without_nul = raw.replace('\0', "");
    without_nul.len() - without_nul.trim_start().len()
}

fn preview_reason(r: Reason, shift: usize) -> PreviewReason {
    PreviewReason {
        attribute: Attribute::parse(&r.check).map(Attribute::as_str),
        check: r.check,
        verdict: r.verdict,
        score: r.score,
        detail: r.detail,
        spans: r
            .spans
            .into_iter()
            .map(|s| PreviewSpan {
                text: s.text,
                start: s.start + shift,
                end: s.end + shift,
            })
            .collect(),
    }
}

/// Most marked passages quoted back to the author.
const MAX_QUOTES: usize = 3;

/// "This may be read as a threat or a call for violence: “should all be shot”." for the
/// strongest attribute, else what another check found; then what the author can do.
pub fn author_message(verdict: Verdict, reasons: &[Reason]) -> Option<String> {
    let lead = lead(reasons.iter().filter(|r| r.verdict == verdict))?;
    let next = match verdict {
        Verdict::Allow => return None,
        Verdict::Hold => "Edit it, or post it for a moderator to review.",
        Verdict::Reject => "The site does not publish it as it is: please rephrase it.",
    };
    Some(format!("{lead} {next}"))
}

fn lead<'a>(reasons: impl Iterator<Item = &'a Reason>) -> Option<String> {
    let reasons: Vec<&Reason> = reasons.collect();
    let strongest = reasons
        .iter()
        .filter_map(|r| Attribute::parse(&r.check).map(|a| (a, *r)))
        .max_by(|a, b| {
            a.1.score
                .unwrap_or(0.0)
                .total_cmp(&b.1.score.unwrap_or(0.0))
        });
    if let Some((attribute, reason)) = strongest {
        return Some(format!(
            "This may be read as {}{}.",
            attribute.phrase(),
            quoted(reason)
        ));
    }
    let r = reasons.first()?;
    Some(match r.check.as_str() {
        "banned_words" => format!("This uses words the site does not allow{}.", quoted(r)),
        "suspect_words" => format!("This uses words the site reviews{}.", quoted(r)),
        "links" => format!("This has more links than the site allows ({}).", r.detail),
        "duplicate" => "The same text was posted a moment ago.".to_string(),
        _ => format!("The site's checks flag this: {}.", r.detail),
    })
}

/// `: “a”, “b”` for the reason's marked words, or nothing when it marks none.
fn quoted(r: &Reason) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for s in &r.spans {
        if !seen.contains(&s.text.as_str()) && seen.len() < MAX_QUOTES {
            seen.push(&s.text);
        }
    }
    if seen.is_empty() {
        return String::new();
    }
    let quotes: Vec<String> = seen.iter().map(|w| format!("“{w}”")).collect();
    format!(": {}", quotes.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rostra_core::moderation::Span;

    fn reason(check: &str, verdict: Verdict, score: f32, words: &[&str]) -> Reason {
        Reason {
            check: check.into(),
            verdict,
            detail: format!("{check} {score:.2}"),
            score: Some(score),
            spans: words
                .iter()
                .map(|w| Span {
                    text: (*w).into(),
                    start: 0,
                    end: w.len(),
                    weight: None,
                })
                .collect(),
        }
    }

    #[test]
    fn the_strongest_attribute_is_named_with_its_words() {
        let reasons = [
            reason("insult", Verdict::Hold, 0.6, &["idiot"]),
            reason(
                "threat",
                Verdict::Hold,
                0.9,
                &["shoot you", "find you", "shoot you"],
            ),
        ];
        assert_eq!(
            author_message(Verdict::Hold, &reasons).unwrap(),
            "This may be read as a threat or a call for violence: “shoot you”, “find you”. \
             Edit it, or post it for a moderator to review."
        );
        assert_eq!(author_message(Verdict::Allow, &[]), None);
        let words = [reason("suspect_words", Verdict::Hold, 0.0, &["1d10t"])];
        assert_eq!(
            author_message(Verdict::Hold, &words).unwrap(),
            "This uses words the site reviews: “1d10t”. Edit it, or post it for a moderator to review."
        );
    }

    #[test]
    fn offsets_count_from_the_body_as_sent() {
        assert_eq!(leading_trim("  \n hi"), 4);
        assert_eq!(leading_trim("\0 hi"), 1);
        assert_eq!(leading_trim("hi "), 0);
    }
}
