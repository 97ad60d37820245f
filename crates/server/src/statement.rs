//! The statement of reasons (EU DSA Art. 17) an author gets about their own comment: where it
//! stands, why (the categories of the reasons, in words), whether the checks or a moderator
//! decided, the moderator's note, and when. Shown through `GET /api/comments/{id}`, in the
//! widget, on the plain page and by e-mail.

use crate::state::AppState;
use rostra_core::attributes::Attribute;
use rostra_core::comment::Status;
use rostra_core::moderation::{Decision, Reason, Verdict};
use rostra_core::{Comment, Error};
use serde::Serialize;

/// What the author of a comment is told about it.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    /// `published`, `pending`, `rejected` or `deleted`.
    pub status: &'static str,
    /// `automatic` (the checks, or readers' reports), `moderator`, or `author` (they deleted it).
    pub decided_by: &'static str,
    /// Why, by kind: the attributes and checks behind the decision.
    pub categories: Vec<Category>,
    /// What a moderator wrote to the author.
    pub note: Option<String>,
    /// When the decision was taken (ms since the epoch).
    pub decided_at: Option<i64>,
    /// One sentence for people: "Held for review: may be read as a threat or a call for violence."
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Category {
    /// The attribute or check: `threat`, `premoderation`, `links`, `reports`…
    pub check: String,
    /// In words: "a threat or a call for violence".
    pub label: String,
}

/// The statement for a comment, from its latest decision.
pub async fn for_comment(state: &AppState, comment: &Comment) -> Result<Statement, Error> {
    let decisions = state.store.decisions(comment.id).await?;
    Ok(statement(comment, &decisions))
}

/// The decision that put the comment where it is: the latest one with its status (an author
/// who deleted their own comment left none).
pub fn statement(comment: &Comment, decisions: &[Decision]) -> Statement {
    let status = comment.status;
    let decision = decisions.iter().rev().find(|d| {
        d.action == status.as_str() || (d.action == "held_by_reports" && status == Status::Pending)
    });
    let decided_by = match decision {
        None if status == Status::Deleted => "author",
        Some(d) if d.actor.is_some() => "moderator",
        _ => "automatic",
    };
    // A moderator's decision carries no reasons of its own: those that brought the comment
    // to them (a hold by the checks or by reports) are the category.
    let reasons: &[Reason] = match decision {
        Some(d) if !d.reasons.is_empty() => &d.reasons,
        Some(d) if d.actor.is_some() => decisions
            .iter()
            .rev()
            .find(|e| e.at <= d.at && e.action != "published" && !e.reasons.is_empty())
            .map_or(&[][..], |e| e.reasons.as_slice()),
        _ if status == Status::Pending => &comment.reasons,
        _ => &[],
    };
    let categories = categories(reasons);
    let note = decision.and_then(|d| d.note.clone());
    Statement {
        status: status.as_str(),
        decided_by,
        summary: summary(status, decided_by, &categories, note.as_deref()),
        categories,
        note,
        decided_at: decision.map(|d| d.at),
    }
}

/// The reasons that held or rejected, one per check, strongest attribute first.
fn categories(reasons: &[Reason]) -> Vec<Category> {
    let mut strong: Vec<&Reason> = reasons
        .iter()
        .filter(|r| r.verdict != Verdict::Allow)
        .collect();
    strong.sort_by(|a, b| b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)));
    let mut out: Vec<Category> = Vec::new();
    for r in strong {
        if !out.iter().any(|c| c.check == r.check) {
            out.push(Category {
                check: r.check.clone(),
                label: label(&r.check),
            });
        }
    }
    out
}

/// A check's name in words, for authors.
pub fn label(check: &str) -> String {
    if let Some(a) = Attribute::parse(check) {
        return a.phrase().to_string();
    }
    match check {
        "banned_words" => "words the site does not allow",
        "suspect_words" => "words the site reviews",
        "links" => "more links than the site allows",
        "duplicate" => "the same text posted again",
        "premoderation" => "the site reviews comments before they appear",
        "reports" => "reports from readers",
        "external" => "the site's content classifier",
        _ => "the site's rules",
    }
    .to_string()
}

fn summary(
    status: Status,
    decided_by: &str,
    categories: &[Category],
    note: Option<&str>,
) -> Option<String> {
    let why = categories
        .first()
        .map(|c| match Attribute::parse(&c.check) {
            Some(_) => format!("may be read as {}", c.label),
            None => c.label.clone(),
        });
    let head = match (status, decided_by) {
        (Status::Published, _) | (Status::Deleted, "author") => return None,
        (Status::Pending, _) => "Held for review",
        (Status::Rejected, "moderator") => "Rejected by a moderator",
        (Status::Rejected, _) => "Rejected by the site's checks",
        (Status::Deleted, _) => "Removed by a moderator",
    };
    Some(match note.or(why.as_deref()) {
        Some(text) => format!("{head}: {text}"),
        None => format!("{head}."),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rostra_core::{CommentId, UserId};

    fn decision(
        action: &str,
        actor: Option<i64>,
        reasons: Vec<Reason>,
        note: Option<&str>,
    ) -> Decision {
        Decision {
            comment_id: CommentId(1),
            at: 42,
            actor: actor.map(UserId),
            action: action.into(),
            reasons,
            note: note.map(str::to_string),
        }
    }

    fn threat() -> Reason {
        Reason {
            check: "threat".into(),
            verdict: Verdict::Hold,
            detail: "threat 0.93 (the site holds at 0.50)".into(),
            score: Some(0.93),
            spans: Vec::new(),
        }
    }

    fn comment(status: Status) -> Comment {
        let mut c: Comment = serde_json::from_value(serde_json::json!({
            "id": 1, "thread_id": 1, "parent_id": null, "root_id": 1, "status": "pending",
            "author_name": null, "author_email": null, "author_url": null, "body": "b",
            "body_html": "b", "created_at": 1, "edited_at": null, "upvotes": 0, "downvotes": 0,
            "reply_count": 0, "edit_token_hash": null, "ip_hash": null, "author_key": null,
            "net_hash": null, "reasons": [], "report_count": 0, "moderator_note": null,
            "account_id": null, "author_badge": null
        }))
        .unwrap();
        c.status = status;
        c
    }

    #[test]
    fn held_by_the_checks_then_rejected_by_a_moderator() {
        let held = [decision("pending", None, vec![threat()], None)];
        let s = statement(&comment(Status::Pending), &held);
        assert_eq!((s.status, s.decided_by), ("pending", "automatic"));
        assert_eq!(s.categories[0].check, "threat");
        assert_eq!(
            s.summary.as_deref(),
            Some("Held for review: may be read as a threat or a call for violence")
        );
        let rejected = [
            held[0].clone(),
            decision("rejected", Some(7), Vec::new(), Some("No threats here.")),
        ];
        let s = statement(&comment(Status::Rejected), &rejected);
        assert_eq!(
            (s.decided_by, s.note.as_deref()),
            ("moderator", Some("No threats here."))
        );
        assert_eq!(
            s.categories[0].check, "threat",
            "the hold's reasons stand behind it"
        );
        assert_eq!(
            s.summary.as_deref(),
            Some("Rejected by a moderator: No threats here.")
        );
        assert_eq!(s.decided_at, Some(42));
    }

    #[test]
    fn an_author_who_deleted_their_comment_is_told_nothing_more() {
        let s = statement(
            &comment(Status::Deleted),
            &[decision("published", None, Vec::new(), None)],
        );
        assert_eq!((s.decided_by, s.summary), ("author", None));
        let s = statement(
            &comment(Status::Deleted),
            &[decision("deleted", Some(3), Vec::new(), None)],
        );
        assert_eq!(s.summary.as_deref(), Some("Removed by a moderator."));
    }
}
