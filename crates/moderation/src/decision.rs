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
            reasons: vec![reason(
                BAN,
                Verdict::Reject,
                "the commenter is banned on this site",
            )],
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
mod tests;
