//! The built-in model's attributes as a check: each attribute holds or rejects at the site's
//! thresholds for it, and its reason names the attribute, the score and the words behind it.

use super::{Check, CheckInput};
use crate::assessment::AttributeScore;
use crate::toxicity::AttributeModel;
use rostra_core::attributes::AttributeRule;
use rostra_core::moderation::{Reason, Verdict};

pub struct AttributeCheck {
    model: &'static AttributeModel,
}

impl AttributeCheck {
    pub fn new(model: &'static AttributeModel) -> AttributeCheck {
        AttributeCheck { model }
    }
}

impl Check for AttributeCheck {
    fn check(&self, input: &CheckInput<'_>) -> Vec<Reason> {
        let assessment = self.model.assess(input.body);
        assessment
            .attributes
            .iter()
            .filter_map(|scored| reason(scored, input.policy.attributes.get(scored.attribute)))
            .collect()
    }
}

/// The reason one attribute gives under its rule, if its score reaches a threshold.
pub fn reason(scored: &AttributeScore, rule: AttributeRule) -> Option<Reason> {
    let p = scored.score;
    let verdict = match (rule.reject, rule.hold) {
        (Some(reject), _) if p >= reject => Verdict::Reject,
        (_, Some(hold)) if p >= hold => Verdict::Hold,
        _ => return None,
    };
    let threshold = match verdict {
        Verdict::Reject => format!("rejects at {:.2}", rule.reject.unwrap_or_default()),
        _ => format!("holds at {:.2}", rule.hold.unwrap_or_default()),
    };
    Some(Reason {
        check: scored.attribute.as_str().into(),
        verdict,
        detail: format!("{} {:.2} (the site {threshold})", scored.attribute, p),
        score: Some(p),
        spans: scored.spans.clone(),
    })
}
