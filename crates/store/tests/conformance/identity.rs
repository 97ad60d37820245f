//! The outbox (claims, leases, retries, giving up) and reader accounts with their sessions and
//! one-time e-mail links.

use crate::{backends, site};
use rostra_core::account::{EmailLink, LinkPurpose, NewAccount, ReaderSession};
use rostra_core::outbox::NewOutboxItem;
use rostra_core::{Error, StoreError};

fn mail(to: &str) -> NewOutboxItem {
    NewOutboxItem {
        kind: "mail".into(),
        recipient: to.into(),
        payload: "{}".into(),
    }
}

#[tokio::test]
async fn the_outbox_leases_retries_and_gives_up() {
    for b in backends().await {
        let s = &*b.store;
        let first = s.enqueue(mail("a@example.org"), 100).await.unwrap();
        let second = s.enqueue(mail("b@example.org"), 101).await.unwrap();
        assert!(
            s.claim_outbox(99, 1000, 10).await.unwrap().is_empty(),
            "not due yet"
        );
        let claimed = s.claim_outbox(200, 1000, 1).await.unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!((claimed[0].id, claimed[0].attempts), (first, 0));
        // The lease keeps a claimed message from being claimed again.
        let next = s.claim_outbox(200, 1000, 10).await.unwrap();
        assert_eq!(next.iter().map(|i| i.id).collect::<Vec<_>>(), vec![second]);
        s.outbox_sent(second, 300).await.unwrap();
        s.outbox_failed(first, "connection refused", Some(500))
            .await
            .unwrap();
        let failed = s.outbox_item(first).await.unwrap().unwrap();
        assert_eq!(failed.attempts, 1);
        assert_eq!(failed.next_attempt_at, Some(500));
        assert_eq!(failed.last_error.as_deref(), Some("connection refused"));
        assert!(s.claim_outbox(400, 1000, 10).await.unwrap().is_empty());
        assert_eq!(s.claim_outbox(600, 2000, 10).await.unwrap()[0].id, first);
        s.outbox_failed(first, "still refused", None).await.unwrap();
        assert!(
            s.claim_outbox(10_000, 20_000, 10).await.unwrap().is_empty(),
            "given up"
        );
        let sent = s.outbox_item(second).await.unwrap().unwrap();
        assert_eq!((sent.sent_at, sent.next_attempt_at), (Some(300), None));
        assert_eq!(
            s.purge_outbox(301).await.unwrap(),
            1,
            "only delivered ones go"
        );
        assert!(s.outbox_item(second).await.unwrap().is_none());
        assert!(s.outbox_item(first).await.unwrap().is_some());
    }
}

#[tokio::test]
async fn accounts_sessions_and_links() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let new = |email: &str| NewAccount {
            email: Some(email.into()),
            display_name: "Ada".into(),
            password_hash: Some("argon".into()),
            ..NewAccount::default()
        };
        let ada = s.create_account(new("Ada@Example.org"), 5).await.unwrap();
        assert_eq!(ada.email.as_deref(), Some("ada@example.org"));
        assert!(!ada.is_verified());
        let dup = s.create_account(new("ADA@example.org"), 6).await;
        assert!(
            matches!(dup, Err(Error::Store(StoreError::Conflict(_)))),
            "{dup:?}"
        );
        // An SSO account of a site may share the address with a Rostra account.
        let sso = NewAccount {
            site_id: Some(news.id),
            external_id: Some("42".into()),
            ..new("ada@example.org")
        };
        s.create_account(sso, 7).await.unwrap();
        let found = s
            .account_by_email(" ada@EXAMPLE.org")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.id, ada.id, "by e-mail finds Rostra's own account");

        s.create_reader_session(ReaderSession {
            token_hash: "h1".into(),
            account_id: ada.id,
            created_at: 10,
            expires_at: 100,
        })
        .await
        .unwrap();
        assert_eq!(
            s.reader_session("h1").await.unwrap().unwrap().account_id,
            ada.id
        );
        s.create_email_link(EmailLink {
            token_hash: "l1".into(),
            purpose: LinkPurpose::Verify,
            account_id: Some(ada.id),
            guest: None,
            created_at: 10,
            expires_at: 100,
        })
        .await
        .unwrap();
        let wrong = s
            .use_email_link("l1", LinkPurpose::Login, 20)
            .await
            .unwrap();
        assert_eq!(wrong, None, "a link is for one purpose");
        let late = s
            .use_email_link("l1", LinkPurpose::Verify, 100)
            .await
            .unwrap();
        assert_eq!(late, None, "expired");
        let used = s
            .use_email_link("l1", LinkPurpose::Verify, 50)
            .await
            .unwrap();
        assert_eq!(used, Some(ada.id));
        assert_eq!(
            s.use_email_link("l1", LinkPurpose::Verify, 51)
                .await
                .unwrap(),
            None
        );
        let ada = s.account(ada.id).await.unwrap().unwrap();
        assert_eq!(ada.email_verified_at, Some(50));

        s.set_account_name(ada.id, "Ada L.").await.unwrap();
        s.set_account_password(ada.id, "argon2").await.unwrap();
        let ada = s.account(ada.id).await.unwrap().unwrap();
        assert_eq!(
            (ada.display_name.as_str(), ada.password_hash.as_deref()),
            ("Ada L.", Some("argon2"))
        );
        assert!(s
            .set_account_name(rostra_core::AccountId(999), "x")
            .await
            .is_err());

        // A guest's link makes its identity a verified pseudonym on its site.
        let guest = rostra_core::account::GuestIdentity {
            site_id: news.id,
            author_key: "guest-key".into(),
            email: "g@example.org".into(),
        };
        s.create_email_link(EmailLink {
            token_hash: "g1".into(),
            purpose: LinkPurpose::Guest,
            account_id: None,
            guest: Some(guest.clone()),
            created_at: 10,
            expires_at: 100,
        })
        .await
        .unwrap();
        assert!(!s.is_verified_guest(news.id, "guest-key").await.unwrap());
        assert_eq!(s.use_guest_link("g1", 20).await.unwrap(), Some(guest));
        assert_eq!(s.use_guest_link("g1", 21).await.unwrap(), None);
        assert!(s.is_verified_guest(news.id, "guest-key").await.unwrap());

        assert_eq!(s.delete_expired_reader_sessions(101).await.unwrap(), 3);
        assert!(s.reader_session("h1").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn sso_secrets_and_accounts_per_site() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let blog = site(s, "blog").await;
        assert_eq!(s.sso_secret(news.id).await.unwrap(), None);
        s.set_sso_secret(news.id, "one", 1).await.unwrap();
        s.set_sso_secret(news.id, "two", 2).await.unwrap();
        assert_eq!(s.sso_secret(news.id).await.unwrap().as_deref(), Some("two"));
        let reader = |site: rostra_core::SiteId, name: &str| NewAccount {
            site_id: Some(site),
            external_id: Some("u1".into()),
            email: Some("U1@news.example".into()),
            email_verified_at: Some(3),
            display_name: name.into(),
            role: Some("staff".into()),
            ..NewAccount::default()
        };
        let first = s
            .upsert_sso_account(reader(news.id, "Una"), 3)
            .await
            .unwrap();
        let again = s
            .upsert_sso_account(reader(news.id, "Una B."), 4)
            .await
            .unwrap();
        assert_eq!(first.id, again.id);
        assert_eq!(again.display_name, "Una B.");
        assert_eq!(again.role.as_deref(), Some("staff"));
        assert_eq!(again.email.as_deref(), Some("u1@news.example"));
        let other = s
            .upsert_sso_account(reader(blog.id, "Una"), 5)
            .await
            .unwrap();
        assert_ne!(other.id, first.id, "each site has its own readers");
        assert!(s
            .account_by_email("u1@news.example")
            .await
            .unwrap()
            .is_none());
    }
}

#[tokio::test]
async fn deleting_an_account_keeps_its_comments_anonymous() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let account = s
            .create_account(
                NewAccount {
                    email: Some("del@example.org".into()),
                    display_name: "Del".into(),
                    ..NewAccount::default()
                },
                1,
            )
            .await
            .unwrap();
        let mut new = crate::comment(&news, "/d", None, 10);
        new.account_id = Some(account.id);
        new.author_name = Some("Del".into());
        new.author_email = Some("del@example.org".into());
        new.author_key = Some("k".into());
        let (c, _) = s.create_comment(new).await.unwrap();
        assert_eq!(s.comments_by_account(account.id).await.unwrap()[0].id, c.id);
        s.create_reader_session(ReaderSession {
            token_hash: "d1".into(),
            account_id: account.id,
            created_at: 1,
            expires_at: 1000,
        })
        .await
        .unwrap();
        assert_eq!(
            s.delete_account(account.id, "[deleted user]")
                .await
                .unwrap(),
            1
        );
        assert!(s.account(account.id).await.unwrap().is_none());
        assert!(s.reader_session("d1").await.unwrap().is_none());
        let kept = s.comment(c.id).await.unwrap().unwrap();
        assert_eq!(kept.author_name.as_deref(), Some("[deleted user]"));
        assert_eq!(
            (kept.author_email, kept.author_key, kept.account_id),
            (None, None, None)
        );
        assert_eq!(kept.body, c.body);
    }
}
