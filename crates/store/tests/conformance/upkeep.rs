//! The store methods no other module calls: one event by id, forgetting old events, audit lines
//! written alone, signing a reader out, and forgetting guests' unconfirmed addresses.

use super::{backends, comment, site};
use rostra_core::account::{EmailLink, GuestIdentity, LinkPurpose, NewAccount, ReaderSession};
use rostra_core::moderation::NewAuditEntry;
use rostra_core::store::AuditFilter;

#[tokio::test]
async fn one_event_is_read_by_id_and_old_ones_are_purged() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let (_, thread) = s
            .create_comment(comment(&news, "/e", None, 10))
            .await
            .unwrap();
        let old = s
            .append_event(thread.id, "comment", "{}", 20)
            .await
            .unwrap();
        let new = s.append_event(thread.id, "edit", "{}", 30).await.unwrap();
        assert_eq!(s.event(old.id).await.unwrap(), Some(old.clone()));
        assert_eq!(s.purge_events(25).await.unwrap(), 1, "{}", b.url);
        assert_eq!(s.event(old.id).await.unwrap(), None);
        assert_eq!(s.event(new.id).await.unwrap(), Some(new));
    }
}

#[tokio::test]
async fn audit_lines_written_alone_are_listed_newest_first_and_filtered() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        for (at, action) in [
            (1, "site.create"),
            (2, "comment.reject"),
            (3, "site.create"),
        ] {
            let entry = NewAuditEntry {
                at,
                actor: None,
                action: action.into(),
                target: format!("line:{at}"),
                site_id: (at != 2).then_some(news.id),
                reason: None,
                detail: String::new(),
            };
            s.append_audit(entry).await.unwrap();
        }
        let all = s
            .audit_log(&AuditFilter {
                limit: 10,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        let targets: Vec<&str> = all.iter().map(|e| e.target.as_str()).collect();
        assert_eq!(targets, ["line:3", "line:2", "line:1"], "{}", b.url);
        let filter = AuditFilter {
            site: Some(news.id),
            action: Some("site.create".into()),
            before_id: Some(all[0].id),
            limit: 10,
            ..AuditFilter::default()
        };
        let found = s.audit_log(&filter).await.unwrap();
        let targets: Vec<&str> = found.iter().map(|e| e.target.as_str()).collect();
        assert_eq!(targets, ["line:1"], "{}", b.url);
    }
}

#[tokio::test]
async fn a_reader_signs_out_and_only_that_session_ends() {
    for b in backends().await {
        let s = &*b.store;
        let new = NewAccount {
            email: Some("ada@example.org".into()),
            display_name: "Ada".into(),
            ..NewAccount::default()
        };
        let ada = s.create_account(new, 1).await.unwrap();
        for token in ["phone", "laptop"] {
            let session = ReaderSession {
                token_hash: token.into(),
                account_id: ada.id,
                created_at: 1,
                expires_at: 100,
            };
            s.create_reader_session(session).await.unwrap();
        }
        s.delete_reader_session("phone").await.unwrap();
        assert!(s.reader_session("phone").await.unwrap().is_none());
        assert!(s.reader_session("laptop").await.unwrap().is_some());
    }
}

#[tokio::test]
async fn unconfirmed_guest_addresses_are_forgotten_when_old() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let guest = |key: &str, at: i64| {
            let mut c = comment(&news, "/g", None, at);
            c.author_key = Some(key.into());
            c
        };
        let (old, _) = s.create_comment(guest("stranger", 10)).await.unwrap();
        let (confirmed, _) = s.create_comment(guest("known", 11)).await.unwrap();
        let (recent, _) = s.create_comment(guest("stranger", 50)).await.unwrap();
        let identity = GuestIdentity {
            site_id: news.id,
            author_key: "known".into(),
            email: "ada@example.org".into(),
        };
        let link = EmailLink {
            token_hash: "g".into(),
            purpose: LinkPurpose::Guest,
            account_id: None,
            guest: Some(identity),
            created_at: 1,
            expires_at: 100,
        };
        s.create_email_link(link).await.unwrap();
        assert!(s.use_guest_link("g", 2).await.unwrap().is_some());
        assert_eq!(s.purge_unverified_emails(40).await.unwrap(), 1, "{}", b.url);
        let email = |id| async move { s.comment(id).await.unwrap().unwrap().author_email };
        assert_eq!(email(old.id).await, None);
        assert_eq!(
            email(confirmed.id).await.as_deref(),
            Some("ada@example.org")
        );
        assert_eq!(email(recent.id).await.as_deref(), Some("ada@example.org"));
    }
}
