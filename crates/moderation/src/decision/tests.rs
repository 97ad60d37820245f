//! The rules of the decision one by one, with the real checks and model and no server.

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
    assert_eq!(
        (held.status, checks(&held)),
        (Status::Pending, vec!["suspect_words"])
    );
    let both = decide_on(&p, "An idiot says they are vermin", &none);
    assert_eq!(both.status, Status::Rejected);
    assert_eq!(checks(&both), vec!["banned_words", "suspect_words"]);
    assert!(!both.banned());
}

#[test]
fn attribute_rules_hold_and_reject_through_the_decision() {
    let mut p = policy();
    // A threshold of 0 is reached by every score, whatever the model says.
    p.attributes
        .set(Attribute::Threat, AttributeRule::hold_at(0.0));
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
    assert_eq!(
        (o.status, checks(&o)),
        (Status::Rejected, vec!["insult", "threat"])
    );
}

#[test]
fn the_external_verdict_counts_unless_the_checks_rejected() {
    let p = policy();
    for (verdict, status) in [
        (Verdict::Hold, Status::Pending),
        (Verdict::Reject, Status::Rejected),
    ] {
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
    assert_eq!(
        (o.status, checks(&o)),
        (Status::Pending, vec![PREMODERATION])
    );
    assert_eq!(
        o.reasons[0].detail,
        "the site reviews every comment before it appears"
    );
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
    assert_eq!(
        (o.status, checks(&o)),
        (Status::Pending, vec![PREMODERATION])
    );
    assert_eq!(
        o.reasons[0].detail,
        "first comments are reviewed before they appear"
    );
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
    assert_eq!(
        decide_on(&pre, CIVIL, &commenter(true, 2)).status,
        Status::Published
    );
    assert_eq!(
        decide_on(&pre, CIVIL, &commenter(true, 1)).status,
        Status::Pending
    );
    assert_eq!(
        decide_on(&pre, CIVIL, &commenter(false, 9)).status,
        Status::Pending
    );
    let never = with_mode(ModerationMode::PreModeration, 0);
    assert_eq!(
        decide_on(&never, CIVIL, &commenter(true, 99)).status,
        Status::Pending
    );
    let newcomers = with_mode(ModerationMode::PreModerateNewcomers, 3);
    let trusted = Facts {
        commenter: Commenter {
            verified: true,
            approved: 3,
            has_published: false,
        },
        ..Facts::default()
    };
    assert_eq!(
        decide_on(&newcomers, CIVIL, &trusted).status,
        Status::Published
    );
    // Trust never overrides a check.
    let o = decide_on(
        &pre,
        "What an idiot take on the budget",
        &commenter(true, 9),
    );
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
    assert!(
        !d.wants_commenter(),
        "held already: trust cannot publish it"
    );
    let d = begin(&pipeline, &input(&pre), true);
    assert!(!d.wants_external() && !d.wants_commenter());
    let rejecting = CheckInput {
        body: "They are vermin",
        ..input(&pre)
    };
    let d = begin(&pipeline, &rejecting, false);
    assert!(!d.wants_external() && !d.wants_commenter());
}
