//! The toxicity model as a check: hold above the site's threshold, reject above the second one.

use super::{Check, CheckInput};
use crate::toxicity::Model;
use rostra_core::moderation::{Reason, Span, Verdict};

pub struct ToxicityCheck {
    model: &'static Model,
}

impl ToxicityCheck {
    pub fn new(model: &'static Model) -> ToxicityCheck {
        ToxicityCheck { model }
    }
}

impl Check for ToxicityCheck {
    fn check(&self, input: &CheckInput<'_>) -> Vec<Reason> {
        let score = self.model.score(input.body);
        let p = score.probability;
        let verdict = match input.policy.toxicity_reject {
            Some(reject) if p >= reject => Verdict::Reject,
            _ if p >= input.policy.toxicity_hold => Verdict::Hold,
            _ => return Vec::new(),
        };
        let spans = score
            .terms
            .iter()
            .filter(|t| t.weight > 0.0)
            .map(|t| Span {
                text: t.text.clone(),
                start: t.start,
                end: t.end,
                weight: Some(t.weight),
            })
            .collect();
        vec![Reason {
            check: "toxicity".into(),
            verdict,
            detail: format!(
                "toxicity {:.2} (the site holds at {:.2})",
                p, input.policy.toxicity_hold
            ),
            score: Some(p),
            spans,
        }]
    }
}
