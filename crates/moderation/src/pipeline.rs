//! The ordered list of checks every new or edited comment goes through, and how their reasons
//! combine into one verdict: any reject rejects, else any hold holds, else it is allowed.

use crate::checks::{AttributeCheck, Check, CheckInput, DuplicateCheck, LinkCheck, WordCheck};
use crate::toxicity::AttributeModel;
use rostra_core::moderation::{Reason, Verdict};

pub struct Pipeline {
    checks: Vec<Box<dyn Check>>,
}

/// The pipeline's answer: the strongest verdict and every reason behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub verdict: Verdict,
    pub reasons: Vec<Reason>,
}

impl Pipeline {
    /// Words, links, the model's attributes, then duplicates (last, so a comment refused by an
    /// earlier check is not remembered as a text to compare against).
    pub fn standard(duplicate_window_secs: u64) -> Pipeline {
        Pipeline::with_model(duplicate_window_secs, AttributeModel::embedded())
    }

    /// The standard checks with another attribute model (to evaluate a newly trained one).
    pub fn with_model(duplicate_window_secs: u64, model: &'static AttributeModel) -> Pipeline {
        Pipeline::new(vec![
            Box::new(WordCheck),
            Box::new(LinkCheck),
            Box::new(AttributeCheck::new(model)),
            Box::new(DuplicateCheck::new(duplicate_window_secs, 50_000)),
        ])
    }

    pub fn new(checks: Vec<Box<dyn Check>>) -> Pipeline {
        Pipeline { checks }
    }

    pub fn run(&self, input: &CheckInput<'_>) -> Outcome {
        let mut reasons = Vec::new();
        for check in &self.checks {
            reasons.extend(check.check(input));
        }
        Outcome {
            verdict: combine(&reasons),
            reasons,
        }
    }

    /// What `run` would answer, without changing any check's memory: checking a draft must
    /// not make the real post of it look like a duplicate.
    pub fn preview(&self, input: &CheckInput<'_>) -> Outcome {
        let mut reasons = Vec::new();
        for check in &self.checks {
            reasons.extend(check.preview(input));
        }
        Outcome {
            verdict: combine(&reasons),
            reasons,
        }
    }
}

pub fn combine(reasons: &[Reason]) -> Verdict {
    reasons
        .iter()
        .map(|r| r.verdict)
        .max()
        .unwrap_or(Verdict::Allow)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rostra_core::moderation::{ModerationMode, SitePolicy};
    use rostra_core::SiteId;

    pub(crate) fn policy() -> SitePolicy {
        SitePolicy {
            mode: ModerationMode::PostModeration,
            max_links: 2,
            edit_window_secs: 900,
            close_after_days: 0,
            reports_to_hold: 3,
            banned_words: vec!["vermin".into()],
            suspect_words: vec!["idiot".into()],
            trust_after: 0,
            attributes: rostra_core::attributes::AttributeRules(
                [rostra_core::attributes::AttributeRule::OFF; 6],
            ),
            nudge: true,
        }
    }

    fn run(body: &str) -> Outcome {
        let p = policy();
        let input = CheckInput {
            site: SiteId(1),
            body,
            author_name: None,
            policy: &p,
            now: 0,
        };
        Pipeline::standard(600).run(&input)
    }

    #[test]
    fn verdicts_combine_strongest_first() {
        assert_eq!(
            run("A fair point about the bus timetable.").verdict,
            Verdict::Allow
        );
        let held = run("What an 1d10t take");
        assert_eq!(held.verdict, Verdict::Hold);
        assert_eq!(held.reasons[0].check, "suspect_words");
        assert_eq!(held.reasons[0].spans[0].text, "1d10t");
        let rejected = run("They are v e r m i n, and an idiot wrote this");
        assert_eq!(rejected.verdict, Verdict::Reject);
        assert_eq!(rejected.reasons.len(), 2);
        let links = run("https://a.example https://b.example https://c.example");
        assert_eq!(links.verdict, Verdict::Hold);
        assert_eq!(links.reasons[0].detail, "3 links (the site allows 2)");
    }
}
