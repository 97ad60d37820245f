//! Moderation: status changes with their counts and history, reports, policies, bans,
//! commenter history, queues, the audit log and the retention of address hashes.

use crate::{backends, comment, site};
use rostra_core::attributes::{Attribute, AttributeRule, Preset};
use rostra_core::comment::Status;
use rostra_core::moderation::{
    BanKind, Decision, ModerationMode, NewAuditEntry, NewBan, NewReport, ReportReason, SitePolicy,
};
use rostra_core::store::{AuditFilter, Moderation, Queue, ReportOutcome, SiteScope};
use rostra_core::{CommentId, Store};

fn decide(id: CommentId, status: Status, at: i64) -> Moderation {
    Moderation {
        comment_id: id,
        status,
        decision: Decision {
            comment_id: id,
            at,
            actor: None,
            action: status.as_str().into(),
            reasons: Vec::new(),
            note: Some(format!("note {at}")),
        },
        audit: Some(entry(at, status.as_str(), &format!("comment:{}", id.0))),
    }
}

fn entry(at: i64, action: &str, target: &str) -> NewAuditEntry {
    NewAuditEntry {
        at,
        actor: None,
        action: action.into(),
        target: target.into(),
        site_id: None,
        reason: None,
        detail: String::new(),
    }
}

async fn public(s: &dyn Store, id: CommentId) -> bool {
    s.comment(id).await.unwrap().unwrap().is_public()
}

#[tokio::test]
async fn moderating_keeps_thread_and_reply_counts_right() {
    for b in backends().await {
        let s = &*b.store;
        let site = site(s, "news").await;
        let (top, _) = s
            .create_comment(comment(&site, "/m", None, 1))
            .await
            .unwrap();
        let (reply, _) = s
            .create_comment(comment(&site, "/m", Some(top.id), 2))
            .await
            .unwrap();
        let rejected = s
            .moderate(decide(reply.id, Status::Rejected, 3))
            .await
            .unwrap();
        assert_eq!(rejected.moderator_note.as_deref(), Some("note 3"));
        let thread = s.thread(top.thread_id).await.unwrap().unwrap();
        assert_eq!(thread.comment_count, 1);
        assert_eq!(s.comment(top.id).await.unwrap().unwrap().reply_count, 0);
        s.delete_comment(top.id, 4).await.unwrap();
        assert!(
            !public(s, top.id).await,
            "a tombstone without public replies"
        );
        s.moderate(decide(reply.id, Status::Published, 5))
            .await
            .unwrap();
        assert!(
            public(s, top.id).await,
            "the tombstone returns with its reply"
        );
        assert_eq!(
            s.thread(top.thread_id)
                .await
                .unwrap()
                .unwrap()
                .comment_count,
            1
        );
        let actions: Vec<String> = s
            .decisions(reply.id)
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.action)
            .collect();
        assert_eq!(actions, ["published", "rejected", "published"]);
        let log = s
            .audit_log(&AuditFilter {
                limit: 10,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].action, "published", "newest first");
    }
}

fn report(id: CommentId, who: &str, at: i64) -> NewReport {
    NewReport {
        comment_id: id,
        reporter_hash: who.into(),
        reason: ReportReason::Spam,
        note: None,
        at,
    }
}

#[tokio::test]
async fn reports_hold_a_comment_once_enough_readers_reported_it() {
    for b in backends().await {
        let s = &*b.store;
        let site = site(s, "news").await;
        let (c, _) = s
            .create_comment(comment(&site, "/r", None, 1))
            .await
            .unwrap();
        let first = s.report(report(c.id, "a", 2), 2).await.unwrap();
        assert_eq!(
            first,
            ReportOutcome::Recorded {
                reports: 1,
                held: false
            }
        );
        let again = s.report(report(c.id, "a", 3), 2).await.unwrap();
        assert_eq!(again, ReportOutcome::AlreadyReported);
        let second = s.report(report(c.id, "b", 4), 2).await.unwrap();
        assert_eq!(
            second,
            ReportOutcome::Recorded {
                reports: 2,
                held: true
            }
        );
        let held = s.comment(c.id).await.unwrap().unwrap();
        assert_eq!((held.status, held.report_count), (Status::Pending, 2));
        assert_eq!(
            s.thread(c.thread_id).await.unwrap().unwrap().comment_count,
            0
        );
        let last = s.decisions(c.id).await.unwrap().pop().unwrap();
        assert_eq!(
            (last.action.as_str(), last.reasons[0].check.as_str()),
            ("pending", "reports")
        );
        assert_eq!(s.reports(c.id).await.unwrap().len(), 2);
        let reported = s
            .queue(&SiteScope::All, Queue::Reported, 0, 10)
            .await
            .unwrap();
        assert_eq!(reported.len(), 1);
        let back = s
            .moderate(decide(c.id, Status::Published, 5))
            .await
            .unwrap();
        assert_eq!(back.report_count, 0, "approving clears the reports");
        let counts = s.queue_counts(&SiteScope::All).await.unwrap();
        assert_eq!((counts.pending, counts.reported, counts.recent), (0, 0, 1));
        let missing = s.report(report(CommentId(999), "a", 6), 2).await;
        assert!(
            missing.is_err(),
            "no report on a comment that does not exist"
        );
    }
}

#[tokio::test]
async fn queues_are_scoped_to_sites() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let blog = site(s, "blog").await;
        let mut held = comment(&news, "/q", None, 1);
        held.status = Status::Pending;
        let (held, _) = s.create_comment(held).await.unwrap();
        s.create_comment(comment(&blog, "/q", None, 2))
            .await
            .unwrap();
        let news_only = SiteScope::Only(vec![news.id]);
        let pending = s.queue(&news_only, Queue::Pending, 0, 10).await.unwrap();
        assert_eq!(pending[0].id, held.id);
        let blog_only = s
            .queue_counts(&SiteScope::Only(vec![blog.id]))
            .await
            .unwrap();
        assert_eq!((blog_only.pending, blog_only.recent), (0, 1));
        let none = s.queue_counts(&SiteScope::Only(Vec::new())).await.unwrap();
        assert_eq!(none.recent, 0);
        let all = s
            .queue(&SiteScope::All, Queue::Recent, 0, 10)
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
        assert!(all[0].id > all[1].id, "newest first");
    }
}

#[tokio::test]
async fn policies_round_trip() {
    for b in backends().await {
        let s = &*b.store;
        let site = site(s, "news").await;
        assert!(s.site_policy(site.id).await.unwrap().is_none());
        let mut policy = SitePolicy {
            mode: ModerationMode::PreModerateNewcomers,
            max_links: 3,
            edit_window_secs: 900,
            close_after_days: 30,
            reports_to_hold: 4,
            banned_words: vec!["foo".into(), "bar baz".into()],
            suspect_words: Vec::new(),
            trust_after: 2,
            attributes: Preset::Strict.rules(),
            nudge: false,
        };
        // Off, hold only, reject only, and both: every shape of a rule.
        policy.attributes.set(Attribute::Insult, AttributeRule::OFF);
        policy
            .attributes
            .set(Attribute::Threat, AttributeRule::hold_at(0.35));
        let reject_only = AttributeRule {
            hold: None,
            reject: Some(0.97),
        };
        policy.attributes.set(Attribute::Profanity, reject_only);
        s.set_site_policy(site.id, &policy, entry(1, "policy", "site:news"))
            .await
            .unwrap();
        assert_eq!(
            s.site_policy(site.id).await.unwrap().as_ref(),
            Some(&policy)
        );
        policy.attributes = Preset::Lenient.rules();
        policy.nudge = true;
        policy.mode = ModerationMode::PreModeration;
        s.set_site_policy(site.id, &policy, entry(2, "policy", "site:news"))
            .await
            .unwrap();
        assert_eq!(s.site_policy(site.id).await.unwrap(), Some(policy));
    }
}

#[tokio::test]
async fn bans_history_audit_and_forgetting_addresses() {
    for b in backends().await {
        let s = &*b.store;
        let site = site(s, "news").await;
        let mut mine = comment(&site, "/h", None, 10);
        mine.author_key = Some("k1".into());
        s.create_comment(mine.clone()).await.unwrap();
        mine.status = Status::Pending;
        mine.created_at = 20;
        s.create_comment(mine).await.unwrap();
        let ban = |kind, value: &str, expires_at| NewBan {
            site_id: site.id,
            kind,
            value_hash: value.into(),
            reason: Some("trolling".into()),
            created_by: None,
            created_at: 30,
            expires_at,
        };
        let timed = s
            .create_ban(
                ban(BanKind::Identity, "k1", Some(100)),
                entry(30, "ban", ""),
            )
            .await
            .unwrap();
        s.create_ban(ban(BanKind::Email, "e1", None), entry(31, "ban", ""))
            .await
            .unwrap();
        let asked = [
            (BanKind::Identity, "k1".to_string()),
            (BanKind::Email, "e1".into()),
        ];
        assert_eq!(s.active_bans(site.id, &asked, 50).await.unwrap().len(), 2);
        let later = s.active_bans(site.id, &asked, 150).await.unwrap();
        assert_eq!(
            later.iter().map(|b| b.kind).collect::<Vec<_>>(),
            [BanKind::Email]
        );
        let all_in_force = |now| async move { s.site_bans(site.id, now).await.unwrap() };
        assert_eq!(all_in_force(50).await.len(), 2);
        assert_eq!(
            all_in_force(150)
                .await
                .iter()
                .map(|b| b.kind)
                .collect::<Vec<_>>(),
            [BanKind::Email]
        );
        let h = s.author_history(site.id, "k1", 50).await.unwrap();
        assert_eq!(
            (h.comments, h.published, h.pending, h.rejected),
            (2, 1, 1, 0)
        );
        assert_eq!((h.first_seen, h.bans), (Some(10), vec![timed.clone()]));
        assert!(s.has_published(site.id, "k1").await.unwrap());
        assert!(!s.has_published(site.id, "k2").await.unwrap());
        let bans = AuditFilter {
            action: Some("ban".into()),
            limit: 10,
            ..AuditFilter::default()
        };
        let log = s.audit_log(&bans).await.unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[1].target, format!("ban:{}", timed.id));
        let older = AuditFilter {
            before_id: Some(log[0].id),
            limit: 1,
            ..bans
        };
        assert_eq!(s.audit_log(&older).await.unwrap()[0].id, log[1].id);
        assert_eq!(s.purge_address_hashes(15).await.unwrap(), 1);
        assert_eq!(s.purge_address_hashes(15).await.unwrap(), 0);
    }
}
