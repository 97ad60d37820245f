//! Notifications: reply subscriptions (double opt-in, dedup, who hears about a reply), the
//! once-only reply notice, moderator alert settings and digests, webhooks, the delivery log.

use crate::{backends, comment, site};
use rostra_core::account::{EmailLink, GuestIdentity, LinkPurpose};
use rostra_core::notification::{AlertKind, AlertMode, NewSubscription, NewWebhook};
use rostra_core::outbox::NewOutboxItem;
use rostra_core::user::{NewUser, Role};
use rostra_core::{Store, ThreadId};

fn sub(
    site: rostra_core::SiteId,
    thread: ThreadId,
    comment: Option<rostra_core::CommentId>,
    email: &str,
    confirmed: bool,
) -> NewSubscription {
    NewSubscription {
        site_id: site,
        thread_id: Some(thread),
        comment_id: comment,
        email: email.into(),
        confirmed,
    }
}

#[tokio::test]
async fn subscriptions_reach_the_right_readers_once_confirmed() {
    for b in backends().await {
        let s: &dyn Store = &*b.store;
        let news = site(s, "news").await;
        let (parent, thread) = s
            .create_comment(comment(&news, "/a", None, 10))
            .await
            .unwrap();
        let (other, _) = s
            .create_comment(comment(&news, "/a", None, 11))
            .await
            .unwrap();
        let (_, elsewhere) = s
            .create_comment(comment(&news, "/b", None, 12))
            .await
            .unwrap();

        let author = s
            .subscribe(
                sub(news.id, thread.id, Some(parent.id), "Ada@Example.org", true),
                20,
            )
            .await
            .unwrap();
        assert_eq!(author.email, "ada@example.org", "stored lower-cased");
        assert_eq!(author.confirmed_at, Some(20));
        let again = s
            .subscribe(
                sub(news.id, thread.id, Some(parent.id), "ada@example.org", true),
                21,
            )
            .await
            .unwrap();
        assert_eq!(again.id, author.id, "the same subscription is stored once");

        let watcher = s
            .subscribe(sub(news.id, thread.id, None, "w@example.org", false), 22)
            .await
            .unwrap();
        assert_eq!(watcher.confirmed_at, None);
        // Ada also follows the whole thread: she is still one recipient.
        s.subscribe(sub(news.id, thread.id, None, "ada@example.org", true), 23)
            .await
            .unwrap();
        s.subscribe(sub(news.id, elsewhere.id, None, "x@example.org", true), 24)
            .await
            .unwrap();

        let reply_to_parent = s
            .reply_subscribers(thread.id, Some(parent.id))
            .await
            .unwrap();
        let emails: Vec<&str> = reply_to_parent.iter().map(|x| x.email.as_str()).collect();
        assert_eq!(
            emails,
            vec!["ada@example.org"],
            "unconfirmed watchers hear nothing"
        );
        assert_eq!(
            reply_to_parent[0].id, author.id,
            "the comment's subscription first"
        );

        assert!(s.confirm_subscription(watcher.id, 30).await.unwrap());
        assert!(!s.confirm_subscription(watcher.id, 31).await.unwrap());
        let top_level = s.reply_subscribers(thread.id, None).await.unwrap();
        let mut emails: Vec<&str> = top_level.iter().map(|x| x.email.as_str()).collect();
        emails.sort();
        assert_eq!(emails, vec!["ada@example.org", "w@example.org"]);
        let to_other = s
            .reply_subscribers(thread.id, Some(other.id))
            .await
            .unwrap();
        assert_eq!(to_other.len(), 2, "thread subscribers hear of every reply");

        assert!(s
            .unsubscribe_thread(thread.id, "W@example.org")
            .await
            .unwrap());
        assert!(!s
            .unsubscribe_thread(thread.id, "w@example.org")
            .await
            .unwrap());
        assert!(s.unsubscribe(author.id).await.unwrap());
        assert!(!s.unsubscribe(author.id).await.unwrap());
        assert!(s.subscription(author.id).await.unwrap().is_none());
        let left = s
            .reply_subscribers(thread.id, Some(parent.id))
            .await
            .unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(
            left[0].comment_id, None,
            "only Ada's thread subscription is left"
        );

        assert!(s.mark_notified(parent.id, 40).await.unwrap());
        assert!(
            !s.mark_notified(parent.id, 41).await.unwrap(),
            "once per comment"
        );
    }
}

#[tokio::test]
async fn a_guest_confirmed_address_is_found() {
    for b in backends().await {
        let s: &dyn Store = &*b.store;
        let news = site(s, "news").await;
        assert_eq!(s.verified_guest_email(news.id, "gk").await.unwrap(), None);
        let guest = GuestIdentity {
            site_id: news.id,
            author_key: "gk".into(),
            email: "g@example.org".into(),
        };
        s.create_email_link(EmailLink {
            token_hash: "t".into(),
            purpose: LinkPurpose::Guest,
            account_id: None,
            guest: Some(guest),
            created_at: 1,
            expires_at: 100,
        })
        .await
        .unwrap();
        assert_eq!(s.verified_guest_email(news.id, "gk").await.unwrap(), None);
        s.use_guest_link("t", 2).await.unwrap();
        assert_eq!(
            s.verified_guest_email(news.id, "gk")
                .await
                .unwrap()
                .as_deref(),
            Some("g@example.org")
        );
    }
}

#[tokio::test]
async fn alert_settings_and_digests_are_kept() {
    for b in backends().await {
        let s: &dyn Store = &*b.store;
        let news = site(s, "news").await;
        let (c, _) = s
            .create_comment(comment(&news, "/a", None, 10))
            .await
            .unwrap();
        let mut users = Vec::new();
        for email in ["m1@example.org", "m2@example.org"] {
            let new = NewUser {
                email: email.into(),
                role: Role::Moderator,
                sites: vec![news.id],
                password_hash: "x".into(),
            };
            users.push(s.create_user(new, 1).await.unwrap().id);
        }
        assert!(s.alert_modes().await.unwrap().is_empty());
        s.set_alert_mode(users[0], AlertMode::Digest, 2)
            .await
            .unwrap();
        s.set_alert_mode(users[1], AlertMode::Immediate, 2)
            .await
            .unwrap();
        s.set_alert_mode(users[1], AlertMode::Off, 3).await.unwrap();
        assert_eq!(
            s.alert_modes().await.unwrap(),
            vec![(users[0], AlertMode::Digest)],
            "off is not listed"
        );

        s.add_digest_item(users[0], c.id, AlertKind::Held, 5)
            .await
            .unwrap();
        s.add_digest_item(users[0], c.id, AlertKind::Reported, 6)
            .await
            .unwrap();
        let items = s.digest_items().await.unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(
            items.iter().map(|i| i.kind).collect::<Vec<_>>(),
            vec![AlertKind::Held, AlertKind::Reported]
        );
        let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
        let mail = NewOutboxItem {
            kind: "mail".into(),
            recipient: "m1@example.org".into(),
            payload: "{}".into(),
        };
        let queued = s.enqueue_digest(&ids, mail.clone(), 7).await.unwrap();
        let queued = queued.expect("queued");
        assert_eq!(
            s.outbox_item(queued).await.unwrap().unwrap().recipient,
            "m1@example.org"
        );
        assert!(s.digest_items().await.unwrap().is_empty());
        // The same items again (another instance was first): nothing is queued.
        assert_eq!(s.enqueue_digest(&ids, mail, 8).await.unwrap(), None);
        assert_eq!(s.recent_outbox(None, 10).await.unwrap().len(), 1);

        // Items no digest will list are dropped, and only those.
        for at in [9, 10] {
            s.add_digest_item(users[0], c.id, AlertKind::Held, at)
                .await
                .unwrap();
        }
        let items = s.digest_items().await.unwrap();
        s.drop_digest_items(&[items[0].id]).await.unwrap();
        let left = s.digest_items().await.unwrap();
        assert_eq!(
            left.iter().map(|i| i.id).collect::<Vec<_>>(),
            vec![items[1].id]
        );
        s.drop_digest_items(&[items[0].id, items[1].id])
            .await
            .unwrap();
        assert!(s.digest_items().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn webhooks_and_the_delivery_log() {
    for b in backends().await {
        let s: &dyn Store = &*b.store;
        let news = site(s, "news").await;
        let blog = site(s, "blog").await;
        let new = |site, url: &str| NewWebhook {
            site_id: site,
            url: url.into(),
            secret: "0123456789abcdef".into(),
        };
        let a = s
            .add_webhook(new(news.id, "https://a.example/h"), 1)
            .await
            .unwrap();
        let b2 = s
            .add_webhook(new(news.id, "https://b.example/h"), 2)
            .await
            .unwrap();
        s.add_webhook(new(blog.id, "https://c.example/h"), 3)
            .await
            .unwrap();
        assert_eq!(a.secret, "0123456789abcdef");
        let listed = s.webhooks(news.id).await.unwrap();
        assert_eq!(
            listed.iter().map(|h| h.id).collect::<Vec<_>>(),
            vec![a.id, b2.id]
        );
        assert_eq!(s.webhook(a.id).await.unwrap(), Some(a.clone()));
        assert!(
            !s.remove_webhook(blog.id, a.id).await.unwrap(),
            "another site's"
        );
        assert!(s.remove_webhook(news.id, a.id).await.unwrap());
        assert_eq!(s.webhooks(news.id).await.unwrap().len(), 1);
        assert!(s.webhook(a.id).await.unwrap().is_none());

        let mut ids = Vec::new();
        for i in 0..5 {
            let item = NewOutboxItem {
                kind: if i % 2 == 0 { "mail" } else { "webhook" }.into(),
                recipient: format!("r{i}"),
                payload: "{}".into(),
            };
            ids.push(s.enqueue(item, 10 + i).await.unwrap());
        }
        let newest = s.recent_outbox(None, 2).await.unwrap();
        assert_eq!(
            newest.iter().map(|i| i.id).collect::<Vec<_>>(),
            vec![ids[4], ids[3]]
        );
        let older = s.recent_outbox(Some(ids[3]), 10).await.unwrap();
        assert_eq!(
            older.iter().map(|i| i.id).collect::<Vec<_>>(),
            vec![ids[2], ids[1], ids[0]]
        );
    }
}
