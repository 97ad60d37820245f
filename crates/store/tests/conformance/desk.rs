//! The moderators' desk: an author's record on a site matched by account, verified address or
//! guest identity; bans past and present; moderators' notes with their audit lines.

use crate::{backends, comment, site};
use rostra_core::account::{EmailLink, GuestIdentity, LinkPurpose, NewAccount};
use rostra_core::comment::Status;
use rostra_core::desk::{AuthorMatch, NewAuthorNote};
use rostra_core::moderation::{BanKind, NewAuditEntry, NewBan, NewReport, ReportReason};
use rostra_core::store::AuditFilter;
use rostra_core::user::{NewUser, Role};
use rostra_core::{Comment, Site, Store};

async fn post(
    s: &dyn Store,
    site: &Site,
    key: Option<&str>,
    account: Option<rostra_core::AccountId>,
    at: i64,
    status: Status,
) -> Comment {
    let mut new = comment(site, "/desk", None, at);
    new.author_key = key.map(str::to_string);
    new.account_id = account;
    new.status = status;
    s.create_comment(new).await.unwrap().0
}

fn entry(action: &str, site: &Site) -> NewAuditEntry {
    NewAuditEntry {
        at: 50,
        actor: None,
        action: action.into(),
        target: String::new(),
        site_id: Some(site.id),
        reason: None,
        detail: String::new(),
    }
}

async fn verify_guest(s: &dyn Store, site: &Site, key: &str, email: &str, token: &str) {
    let guest = GuestIdentity {
        site_id: site.id,
        author_key: key.into(),
        email: email.into(),
    };
    let link = EmailLink {
        token_hash: token.into(),
        purpose: LinkPurpose::Guest,
        account_id: None,
        guest: Some(guest),
        created_at: 1,
        expires_at: 1_000,
    };
    s.create_email_link(link).await.unwrap();
    s.use_guest_link(token, 2).await.unwrap().unwrap();
}

#[tokio::test]
async fn an_authors_record_is_matched_by_account_address_or_identity_on_one_site() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let other = site(s, "other").await;
        let ada = NewAccount {
            email: Some("ada@example.org".into()),
            display_name: "Ada".into(),
            ..NewAccount::default()
        };
        let ada = s.create_account(ada, 1).await.unwrap();
        post(s, &news, Some("k-ada"), Some(ada.id), 10, Status::Published).await;
        post(s, &news, None, Some(ada.id), 11, Status::Rejected).await;
        post(s, &other, None, Some(ada.id), 12, Status::Published).await;
        // Two identities that confirmed one address (in any case), and a third that did not.
        verify_guest(s, &news, "k1", "g@example.org", "t1").await;
        verify_guest(s, &news, "k2", "G@Example.org", "t2").await;
        let first = post(s, &news, Some("k1"), None, 20, Status::Published).await;
        post(s, &news, Some("k2"), None, 21, Status::Pending).await;
        let reported = post(s, &news, Some("k2"), None, 22, Status::Published).await;
        post(s, &news, Some("k3"), None, 23, Status::Published).await;
        let report = NewReport {
            comment_id: reported.id,
            reporter_hash: "r".into(),
            reason: ReportReason::Spam,
            note: None,
            at: 30,
        };
        s.report(report, 0).await.unwrap();

        let by_account = s
            .author_record(news.id, &AuthorMatch::Account(ada.id), 10)
            .await
            .unwrap();
        assert_eq!(
            (by_account.total, by_account.published, by_account.rejected),
            (2, 1, 1),
            "the other site's comment is not counted"
        );
        assert_eq!(by_account.rejection_rate(), Some(50));

        let email = AuthorMatch::VerifiedEmail("g@EXAMPLE.org".into());
        let by_email = s.author_record(news.id, &email, 10).await.unwrap();
        assert_eq!(
            (
                by_email.total,
                by_email.published,
                by_email.pending,
                by_email.reported
            ),
            (3, 2, 1, 1)
        );
        assert_eq!(by_email.first_seen, Some(first.created_at));
        let newest_first: Vec<i64> = by_email.comments.iter().map(|c| c.created_at).collect();
        assert_eq!(newest_first, vec![22, 21, 20]);
        let limited = s.author_record(news.id, &email, 2).await.unwrap();
        assert_eq!((limited.comments.len(), limited.total), (2, 3));

        let guest = AuthorMatch::Guest("k3".into());
        let by_key = s.author_record(news.id, &guest, 10).await.unwrap();
        assert_eq!((by_key.total, by_key.rejection_rate()), (1, Some(0)));
        let nobody = s.author_record(other.id, &guest, 10).await.unwrap();
        assert_eq!(
            (nobody.total, nobody.first_seen, nobody.rejection_rate()),
            (0, None, None)
        );

        // What "reject all" would take: held and published, oldest first, optionally recent.
        let open = s.author_open_comments(news.id, &email, None).await.unwrap();
        assert_eq!(
            open.iter().map(|c| c.created_at).collect::<Vec<_>>(),
            vec![20, 21, 22]
        );
        let recent = s
            .author_open_comments(news.id, &email, Some(21))
            .await
            .unwrap();
        assert_eq!(recent.len(), 2);
        let account_open = s
            .author_open_comments(news.id, &AuthorMatch::Account(ada.id), None)
            .await
            .unwrap();
        assert_eq!(account_open.len(), 1, "the rejected one is not open");
    }
}

#[tokio::test]
async fn bans_past_and_present_and_notes_with_audit_lines() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let other = site(s, "other").await;
        let ban = |site: &Site, kind: BanKind, value: &str, expires_at: Option<i64>| NewBan {
            site_id: site.id,
            kind,
            value_hash: value.into(),
            reason: Some("spam".into()),
            created_by: None,
            created_at: 5,
            expires_at,
        };
        s.create_ban(
            ban(&news, BanKind::Identity, "k1", Some(10)),
            entry("ban.create", &news),
        )
        .await
        .unwrap();
        s.create_ban(
            ban(&news, BanKind::Email, "e1", None),
            entry("ban.create", &news),
        )
        .await
        .unwrap();
        s.create_ban(
            ban(&other, BanKind::Identity, "k1", None),
            entry("ban.create", &other),
        )
        .await
        .unwrap();
        s.create_ban(
            ban(&news, BanKind::Identity, "k2", None),
            entry("ban.create", &news),
        )
        .await
        .unwrap();
        let values = [
            (BanKind::Identity, "k1".to_string()),
            (BanKind::Email, "e1".to_string()),
        ];
        let found = s.bans_matching(news.id, &values).await.unwrap();
        let got: Vec<(BanKind, Option<i64>)> =
            found.iter().map(|b| (b.kind, b.expires_at)).collect();
        assert_eq!(
            got,
            vec![(BanKind::Email, None), (BanKind::Identity, Some(10))]
        );
        assert!(s.bans_matching(news.id, &[]).await.unwrap().is_empty());

        let moderator = NewUser {
            email: "mod@example.org".into(),
            role: Role::Moderator,
            sites: vec![news.id],
            password_hash: "argon".into(),
        };
        let moderator = s.create_user(moderator, 1).await.unwrap();
        let note = |subject: &str, body: &str, at: i64| NewAuthorNote {
            site_id: news.id,
            subject: subject.into(),
            body: body.into(),
            created_by: moderator.id,
            created_at: at,
        };
        let first = s
            .add_author_note(
                note("guest:k1", "Warned once", 60),
                entry("note.add", &news),
            )
            .await
            .unwrap();
        assert_eq!(first.created_by_email.as_deref(), Some("mod@example.org"));
        s.add_author_note(
            note("guest:k1", "Second time", 61),
            entry("note.add", &news),
        )
        .await
        .unwrap();
        s.add_author_note(
            note("guest:k2", "Someone else", 62),
            entry("note.add", &news),
        )
        .await
        .unwrap();
        let notes = s.author_notes(news.id, "guest:k1").await.unwrap();
        let bodies: Vec<&str> = notes.iter().map(|n| n.body.as_str()).collect();
        assert_eq!(bodies, vec!["Second time", "Warned once"]);
        assert!(s
            .author_notes(other.id, "guest:k1")
            .await
            .unwrap()
            .is_empty());
        assert_eq!(s.author_note(first.id).await.unwrap(), Some(first.clone()));

        let deleted = s.delete_author_note(other.id, first.id, entry("note.delete", &other));
        assert!(!deleted.await.unwrap(), "not a note of that site");
        let deleted = s.delete_author_note(news.id, first.id, entry("note.delete", &news));
        assert!(deleted.await.unwrap());
        assert!(s.author_note(first.id).await.unwrap().is_none());
        let log = s
            .audit_log(&AuditFilter {
                site: Some(news.id),
                limit: 100,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        let actions: Vec<(&str, &str)> = log
            .iter()
            .filter(|e| e.action.starts_with("note."))
            .map(|e| (e.action.as_str(), e.target.as_str()))
            .collect();
        let first_target = format!("note:{}", first.id);
        assert_eq!(actions.len(), 4, "{actions:?}");
        assert_eq!(actions[0].0, "note.delete");
        assert_eq!(actions[3], ("note.add", first_target.as_str()));
    }
}

#[tokio::test]
async fn featuring_and_pinning_are_stored_with_their_audit_lines() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let a = post(s, &news, Some("k"), None, 10, Status::Published).await;
        let b2 = post(s, &news, Some("k"), None, 11, Status::Published).await;
        let featured = s.set_featured(a.id, Some(40), entry("comment.feature", &news));
        assert_eq!(featured.await.unwrap().featured_at, Some(40));
        assert_eq!(
            s.comment(a.id).await.unwrap().unwrap().featured_at,
            Some(40)
        );
        assert_eq!(s.comment(b2.id).await.unwrap().unwrap().featured_at, None);
        let page = s
            .top_level_page(a.thread_id, rostra_core::Sort::Oldest, 0, 10)
            .await
            .unwrap();
        assert_eq!(
            page[0].featured_at,
            Some(40),
            "threads are read with the flag"
        );
        let gone = s.set_featured(rostra_core::CommentId(9999), Some(1), entry("x", &news));
        assert!(matches!(
            gone.await,
            Err(rostra_core::Error::CommentNotFound)
        ));
        let plain = s.set_featured(a.id, None, entry("comment.unfeature", &news));
        assert_eq!(plain.await.unwrap().featured_at, None);

        let t = s.set_pinned(a.thread_id, Some(b2.id), entry("thread.pin", &news));
        assert_eq!(t.await.unwrap().pinned_comment_id, Some(b2.id));
        let key = s.thread(a.thread_id).await.unwrap().unwrap().key;
        let read = s.thread_by_key(news.id, &key).await.unwrap().unwrap();
        assert_eq!(read.pinned_comment_id, Some(b2.id));
        let t = s.set_pinned(a.thread_id, None, entry("thread.unpin", &news));
        assert_eq!(t.await.unwrap().pinned_comment_id, None);
        let none = s.set_pinned(rostra_core::ThreadId(9999), None, entry("x", &news));
        assert!(matches!(
            none.await,
            Err(rostra_core::Error::ThreadNotFound)
        ));
        let log = s
            .audit_log(&AuditFilter {
                site: Some(news.id),
                limit: 100,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            vec![
                "thread.unpin",
                "thread.pin",
                "comment.unfeature",
                "comment.feature"
            ],
            "a refused write leaves no line"
        );
    }
}
