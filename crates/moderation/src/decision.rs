//! The whole automatic decision about a new or edited comment, in one place: bans, the text
//! checks, an external classifier's verdict, the site's pre-moderation and the trust that skips
//! it. The server fetches the facts; nothing here touches a database or the network.
//!
//! The rules, in order:
//! 1. a banned commenter is refused, and nothing else runs (not even the checks, so a refused
//!    text is not remembered by the duplicate check);
//! 2. the checks run; any reject rejects, else any hold holds;
//! 3. unless the checks rejected, an external classifier's reason (if one is configured and it
//!    did not allow the comment) is added, and its verdict counts like a check's;
//! 4. if nothing held or rejected, the site's mode may hold: pre-moderation holds every comment,
//!    pre-moderation of newcomers holds commenters with no published comment yet; a verified
//!    commenter with at least the site's `trust_after` approved comments skips both.

use crate::checks::CheckInput;
use crate::pipeline::Pipeline;
use rostra_core::comment::Status;
use rostra_core::moderation::{ModerationMode, Reason, SitePolicy, Verdict};

/// The `check` of the reason a ban gives.
pub const BAN: &str = "ban";
/// The `check` of the reason the site's pre-moderation gives.
pub const PREMODERATION: &str = "premoderation";

/// What the server knows about the commenter, for pre-moderation. Fetch it only when
/// [`Deciding::wants_commenter`] says so; a commenter without an identity is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Commenter {
    /// A reader account with a confirmed address, or a guest who confirmed one.
    pub verified: bool,
    /// Their comments published on the site, counted towards the site's `trust_after`.
    pub approved: u64,
    /// Whether any comment of theirs is published on the site (pre-moderation of newcomers).
    pub has_published: bool,
}

/// Everything the decision uses besides the text and the site's policy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// A ban on the site matches the commenter's identity, address or network.
    pub banned: bool,
    /// The external classifier's reason, when one is configured and did not allow the comment.
    pub external: Option<Reason>,
    pub commenter: Commenter,
}

/// The decision: the status the comment gets and every reason behind it. A banned commenter's
/// comment gets `Rejected` with a [`BAN`] reason, and is not to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    pub reasons: Vec<Reason>,
}

impl Outcome {
    /// Whether the commenter is banned (the comment is refused, not stored).
    pub fn banned(&self) -> bool {
        self.reasons.iter().any(|r| r.check == BAN)
    }
}

/// The whole decision from every fact at once (tests, evaluation). The server uses
/// [`begin`] instead, to fetch only the facts the decision asks for.
pub fn decide(pipeline: &Pipeline, input: &CheckInput<'_>, facts: &Facts) -> Outcome {
    let mut deciding = begin(pipeline, input, facts.banned);
    deciding.external(facts.external.clone());
    deciding.finish(&facts.commenter)
}

/// Starts a decision: refuses a banned commenter, else runs the checks.
pub fn begin<'a>(pipeline: &Pipeline, input: &CheckInput<'a>, banned: bool) -> Deciding<'a> {
    if banned {
        return Deciding {
            policy: input.policy,
            banned,
            verdict: Verdict::Reject,
            reasons: vec![reason(BAN, Verdict::Reject, "the commenter is banned on this site")],
        };
    }
    let checked = pipeline.run(input);
    Deciding {
        policy: input.policy,
        banned,
        verdict: checked.verdict,
        reasons: checked.reasons,
    }
}

/// A decision under way: the checks have run, and the facts only some comments need are asked
/// for one by one.
#[derive(Debug)]
pub struct Deciding<'a> {
    policy: &'a SitePolicy,
    banned: bool,
    verdict: Verdict,
    reasons: Vec<Reason>,
}

impl Deciding<'_> {
    /// Whether the external classifier's answer can change anything: not after a ban or a
    /// rejection.
    pub fn wants_external(&self) -> bool {
        !self.banned && self.verdict != Verdict::Reject
    }

    /// Adds the external classifier's reason (ignored when not wanted).
    pub fn external(&mut self, reason: Option<Reason>) {
        if let Some(reason) = reason.filter(|_| self.wants_external()) {
            self.verdict = self.verdict.max(reason.verdict);
            self.reasons.push(reason);
        }
    }

    /// Whether the commenter's standing can change anything: only when the site pre-moderates
    /// and nothing held or rejected the comment.
    pub fn wants_commenter(&self) -> bool {
        !self.banned
            && self.verdict == Verdict::Allow
            && self.policy.mode != ModerationMode::PostModeration
    }

    /// The outcome, with the site's pre-moderation applied to what is still allowed.
    pub fn finish(mut self, commenter: &Commenter) -> Outcome {
        if self.wants_commenter() {
            if let Some(held) = premoderation(self.policy, commenter) {
                self.verdict = Verdict::Hold;
                self.reasons.push(held);
            }
        }
        let status = match self.verdict {
            Verdict::Allow => Status::Published,
            Verdict::Hold => Status::Pending,
            Verdict::Reject => Status::Rejected,
        };
        Outcome {
            status,
            reasons: self.reasons,
        }
    }
}

/// A verified commenter with at least `trust_after` approved comments (when it is above 0).
fn trusted(policy: &SitePolicy, commenter: &Commenter) -> bool {
    policy.trust_after > 0
        && commenter.verified
        && commenter.approved >= u64::from(policy.trust_after)
}

/// The hold the site's mode puts on a comment the checks allowed, if any.
fn premoderation(policy: &SitePolicy, commenter: &Commenter) -> Option<Reason> {
    if trusted(policy, commenter) {
        return None;
    }
    let detail = match policy.mode {
        ModerationMode::PostModeration => return None,
        ModerationMode::PreModeration => "the site reviews every comment before it appears",
        ModerationMode::PreModerateNewcomers if commenter.has_published => return None,
        ModerationMode::PreModerateNewcomers => "first comments are reviewed before they appear",
    };
    Some(reason(PREMODERATION, Verdict::Hold, detail))
}

fn reason(check: &str, verdict: Verdict, detail: &str) -> Reason {
    Reason {
        check: check.into(),
        verdict,
        detail: detail.into(),
        score: None,
        spans: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::tests::policy;
    use rostra_core::attributes::{Attribute, AttributeRule};
    use rostra_core::SiteId;

    const CIVIL: &str = "Thanks for the thoughtful article, I learned a lot.";

    fn decide_on(policy: &SitePolicy, body: &str, facts: &Facts) -> Outcome {
        decide_with(&Pipeline::standard(600), policy, body, facts)
    }

    fn decide_with(pipeline: &Pipeline, policy: &SitePolicy, body: &str, facts: &Facts) -> Outcome {
        let input = CheckInput {
            site: SiteId(1),
            body,
            author_name: None,
            policy,
            now: 1_000,
        };
        decide(pipeline, &input, facts)
    }

    fn checks(o: &Outcome) -> Vec<&str> {
        o.reasons.iter().map(|r| r.check.as_str()).collect()
    }

    fn external(verdict: Verdict) -> Option<Reason> {
        Some(reason("external", verdict, "our newsroom model"))
    }

    fn with_mode(mode: ModerationMode, trust_after: u32) -> SitePolicy {
        SitePolicy {
            mode,
            trust_after,
            ..policy()
        }
    }

    #[test]
    fn a_ban_refuses_before_any_check_runs() {
        let pipeline = Pipeline::standard(600);
        let p = policy();
        let text = "The same long comment about the council budget, twice over.";
        let banned = Facts {
            banned: true,
            external: external(Verdict::Hold),
            ..Facts::default()
        };
        let o = decide_with(&pipeline, &p, text, &banned);
        assert_eq!((o.status, checks(&o)), (Status::Rejected, vec![BAN]));
        assert!(o.banned());
        // The refused text was not remembered: the same text from someone else is no repeat.
        let o = decide_with(&pipeline, &p, text, &Facts::default());
        assert_eq!((o.status, o.banned()), (Status::Published, false));
        let o = decide_with(&pipeline, &p, text, &Facts::default());
        assert_eq!((o.status, checks(&o)), (Status::Pending, vec!["duplicate"]));
    }

    #[test]
    fn any_reject_rejects_else_any_hold_holds() {
        let p = policy();
        let none = Facts::default();
        assert_eq!(decide_on(&p, CIVIL, &none).status, Status::Published);
        let held = decide_on(&p, "What an idiot take on the budget", &none);
        assert_eq!((held.status, checks(&held)), (Status::Pending, vec!["suspect_words"]));
        let both = decide_on(&p, "An idiot says they are vermin", &none);
        assert_eq!(both.status, Status::Rejected);
        assert_eq!(checks(&both), vec!["banned_words", "suspect_words"]);
        assert!(!both.banned());
    }

    #[test]
    fn attribute_rules_hold_and_reject_through_the_decision() {
        let mut p = policy();
        // A threshold of 0 is reached by every score, whatever the model says.
        p.attributes.set(Attribute::Threat, AttributeRule::hold_at(0.0));
        let o = decide_on(&p, CIVIL, &Facts::default());
        assert_eq!((o.status, checks(&o)), (Status::Pending, vec!["threat"]));
        p.attributes.set(
            Attribute::Insult,
            AttributeRule {
                hold: None,
                reject: Some(0.0),
            },
        );
        let o = decide_on(&p, CIVIL, &Facts::default());
        assert_eq!((o.status, checks(&o)), (Status::Rejected, vec!["insult", "threat"]));
    }

    #[test]
    fn the_external_verdict_counts_unless_the_checks_rejected() {
        let p = policy();
        for (verdict, status) in [(Verdict::Hold, Status::Pending), (Verdict::Reject, Status::Rejected)] {
            let facts = Facts {
                external: external(verdict),
                ..Facts::default()
            };
            let o = decide_on(&p, CIVIL, &facts);
            assert_eq!((o.status, checks(&o)), (status, vec!["external"]));
            let held = decide_on(&p, "What an idiot take on the budget", &facts);
            assert_eq!(checks(&held), vec!["suspect_words", "external"]);
            let rejected = decide_on(&p, "They are vermin", &facts);
            assert_eq!(
                (rejected.status, checks(&rejected)),
                (Status::Rejected, vec!["banned_words"])
            );
        }
    }

    #[test]
    fn pre_moderation_holds_what_the_checks_allowed() {
        let p = with_mode(ModerationMode::PreModeration, 0);
        let old_hand = Facts {
            commenter: Commenter {
                verified: true,
                approved: 50,
                has_published: true,
            },
            ..Facts::default()
        };
        let o = decide_on(&p, CIVIL, &old_hand);
        assert_eq!((o.status, checks(&o)), (Status::Pending, vec![PREMODERATION]));
        assert_eq!(o.reasons[0].detail, "the site reviews every comment before it appears");
        // Held by a check already: no second reason.
        let o = decide_on(&p, "What an idiot take on the budget", &old_hand);
        assert_eq!(checks(&o), vec!["suspect_words"]);
        let post = decide_on(&policy(), CIVIL, &Facts::default());
        assert_eq!((post.status, checks(&post)), (Status::Published, vec![]));
    }

    #[test]
    fn newcomers_are_held_until_they_have_a_published_comment() {
        let p = with_mode(ModerationMode::PreModerateNewcomers, 0);
        let o = decide_on(&p, CIVIL, &Facts::default());
        assert_eq!((o.status, checks(&o)), (Status::Pending, vec![PREMODERATION]));
        assert_eq!(o.reasons[0].detail, "first comments are reviewed before they appear");
        let known = Facts {
            commenter: Commenter {
                has_published: true,
                ..Commenter::default()
            },
            ..Facts::default()
        };
        assert_eq!(decide_on(&p, CIVIL, &known).status, Status::Published);
    }

    #[test]
    fn verified_commenters_with_enough_approved_comments_skip_pre_moderation() {
        let commenter = |verified, approved| Facts {
            commenter: Commenter {
                verified,
                approved,
                has_published: approved > 0,
            },
            ..Facts::default()
        };
        let pre = with_mode(ModerationMode::PreModeration, 2);
        assert_eq!(decide_on(&pre, CIVIL, &commenter(true, 2)).status, Status::Published);
        assert_eq!(decide_on(&pre, CIVIL, &commenter(true, 1)).status, Status::Pending);
        assert_eq!(decide_on(&pre, CIVIL, &commenter(false, 9)).status, Status::Pending);
        let never = with_mode(ModerationMode::PreModeration, 0);
        assert_eq!(decide_on(&never, CIVIL, &commenter(true, 99)).status, Status::Pending);
        let newcomers = with_mode(ModerationMode::PreModerateNewcomers, 3);
        let trusted = Facts {
            commenter: Commenter {
                verified: true,
                approved: 3,
                has_published: false,
            },
            ..Facts::default()
        };
        assert_eq!(decide_on(&newcomers, CIVIL, &trusted).status, Status::Published);
        // Trust never overrides a check.
        let o = decide_on(&pre, "What an idiot take on the budget", &commenter(true, 9));
        assert_eq!(o.status, Status::Pending);
    }

    #[test]
    fn facts_are_asked_for_only_when_they_can_matter() {
        fn input(policy: &SitePolicy) -> CheckInput<'_> {
            CheckInput {
                site: SiteId(1),
                body: CIVIL,
                author_name: None,
                policy,
                now: 0,
            }
        }
        let pipeline = Pipeline::standard(0);
        let post = policy();
        let pre = with_mode(ModerationMode::PreModeration, 1);
        let d = begin(&pipeline, &input(&post), false);
        assert!(d.wants_external() && !d.wants_commenter());
        let mut d = begin(&pipeline, &input(&pre), false);
        assert!(d.wants_external() && d.wants_commenter());
        d.external(external(Verdict::Hold));
        assert!(!d.wants_commenter(), "held already: trust cannot publish it");
        let d = begin(&pipeline, &input(&pre), true);
        assert!(!d.wants_external() && !d.wants_commenter());
        let rejecting = CheckInput {
            body: "They are vermin",
            ..input(&pre)
        };
        let d = begin(&pipeline, &rejecting, false);
        assert!(!d.wants_external() && !d.wants_commenter());
    }
}
