//! The page lists: most discussed threads in a time window and the latest published comments,
//! of one site only, never with held, rejected or deleted comments.

use crate::{backends, comment, site};
use rostra_core::comment::Status;
use rostra_core::{Comment, Store};

async fn post(s: &dyn Store, site: &rostra_core::Site, page: &str, at: i64) -> Comment {
    s.create_comment(comment(site, page, None, at))
        .await
        .unwrap()
        .0
}

async fn post_with(
    s: &dyn Store,
    site: &rostra_core::Site,
    page: &str,
    at: i64,
    status: Status,
) -> Comment {
    let mut new = comment(site, page, None, at);
    new.status = status;
    s.create_comment(new).await.unwrap().0
}

#[tokio::test]
async fn most_discussed_counts_published_comments_in_the_window() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let other = site(s, "other").await;
        // /old: many comments, but all before the window.
        for at in 1..=5 {
            post(s, &news, "/old", at).await;
        }
        // /busy: three in the window, one held, one deleted.
        for at in [100, 101, 102] {
            post(s, &news, "/busy", at).await;
        }
        post_with(s, &news, "/busy", 103, Status::Pending).await;
        let gone = post(s, &news, "/busy", 104).await;
        s.delete_comment(gone.id, 105).await.unwrap();
        // /quiet: one in the window, one before it.
        post(s, &news, "/quiet", 4).await;
        post(s, &news, "/quiet", 150).await;
        // /held: only a held comment in the window.
        post_with(s, &news, "/held", 120, Status::Pending).await;
        // Another site's busier thread.
        for at in 100..110 {
            post(s, &other, "/elsewhere", at).await;
        }

        let top = s.most_discussed(news.id, 100, 10).await.unwrap();
        let got: Vec<(String, i64)> = top
            .iter()
            .map(|d| (d.thread.url.clone(), d.recent_comments))
            .collect();
        assert_eq!(
            got,
            vec![
                ("https://news.example/busy".to_string(), 3),
                ("https://news.example/quiet".to_string(), 1),
            ],
            "{}",
            b.url
        );
        assert_eq!(top[0].thread.comment_count, 3);
        assert_eq!(top[0].thread.title.as_deref(), Some("Title of /busy"));
        // A wider window takes in /old; the limit cuts the list.
        let wide = s.most_discussed(news.id, 0, 2).await.unwrap();
        let urls: Vec<&str> = wide.iter().map(|d| d.thread.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://news.example/old", "https://news.example/busy"]
        );
        assert!(s
            .most_discussed(news.id, 1000, 10)
            .await
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn latest_comments_are_published_newest_first_per_site_or_thread() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let other = site(s, "other").await;
        let a1 = post(s, &news, "/a", 10).await;
        let b1 = post(s, &news, "/b", 20).await;
        post_with(s, &news, "/a", 30, Status::Pending).await;
        let rejected = post(s, &news, "/b", 35).await;
        s.moderate(rostra_core::store::Moderation {
            comment_id: rejected.id,
            status: Status::Rejected,
            decision: rostra_core::moderation::Decision {
                comment_id: rejected.id,
                at: 36,
                actor: None,
                action: "rejected".into(),
                reasons: Vec::new(),
                note: None,
            },
            audit: None,
        })
        .await
        .unwrap();
        let deleted = post(s, &news, "/a", 40).await;
        s.delete_comment(deleted.id, 41).await.unwrap();
        // Imported comments may arrive after newer ones: order is by time, not id.
        let a0 = post(s, &news, "/a", 5).await;
        let a2 = post(s, &news, "/a", 50).await;
        post(s, &other, "/a", 60).await;

        let latest = s.latest_comments(news.id, None, 10).await.unwrap();
        let ids: Vec<_> = latest.iter().map(|l| l.comment.id).collect();
        assert_eq!(ids, vec![a2.id, b1.id, a1.id, a0.id], "{}", b.url);
        assert!(latest.iter().all(|l| l.comment.status == Status::Published));
        assert_eq!(latest[1].thread.url, "https://news.example/b");
        assert_eq!(latest[0].thread.title.as_deref(), Some("Title of /a"));

        let limited = s.latest_comments(news.id, None, 2).await.unwrap();
        assert_eq!(limited.len(), 2);
        assert_eq!(limited[0].comment.id, a2.id);

        let thread = a1.thread_id;
        let in_a = s.latest_comments(news.id, Some(thread), 10).await.unwrap();
        let ids: Vec<_> = in_a.iter().map(|l| l.comment.id).collect();
        assert_eq!(ids, vec![a2.id, a1.id, a0.id]);
        // A thread of another site lists nothing under this one.
        let theirs = s.latest_comments(other.id, None, 10).await.unwrap();
        assert_eq!(theirs.len(), 1);
        assert!(s
            .latest_comments(other.id, Some(thread), 10)
            .await
            .unwrap()
            .is_empty());
    }
}
