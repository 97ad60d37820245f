//! Sites, secrets, threads, counts, migrations and durability across reopening.

use crate::{backends, comment, fresh_sqlite, site};
use rostra_core::{Error, NewSite, StoreError};

#[tokio::test]
async fn sites_are_unique_by_key() {
    for b in backends().await {
        let s = &*b.store;
        let a = site(s, "alpha").await;
        assert_eq!(s.site_by_key("alpha").await.unwrap().unwrap(), a);
        assert!(s.site_by_key("nope").await.unwrap().is_none());
        let dup = NewSite {
            key: "alpha".into(),
            name: "x".into(),
            origins: vec!["https://x.example".into()],
            prompt: None,
        };
        let err = s.create_site(dup.validate().unwrap(), 2).await.unwrap_err();
        assert!(
            matches!(err, Error::Store(StoreError::Conflict(_))),
            "{err:?}"
        );
        let mut changed = a.clone();
        changed.prompt = Some("Speak up".into());
        changed.origins.push("https://www.alpha.example".into());
        s.update_site(&changed).await.unwrap();
        assert_eq!(s.list_sites().await.unwrap(), vec![changed]);
    }
}

#[tokio::test]
async fn the_first_secret_wins() {
    for b in backends().await {
        let first = b.store.server_secret("salt", "one".into()).await.unwrap();
        let second = b.store.server_secret("salt", "two".into()).await.unwrap();
        assert_eq!((first.as_str(), second.as_str()), ("one", "one"));
    }
}

#[tokio::test]
async fn threads_appear_with_their_first_comment_and_count_public_comments() {
    for b in backends().await {
        let s = &*b.store;
        let site = site(s, "news").await;
        assert!(s
            .thread_by_key(site.id, "https://news.example/a")
            .await
            .unwrap()
            .is_none());
        let (c, thread) = s
            .create_comment(comment(&site, "/a", None, 10))
            .await
            .unwrap();
        assert_eq!(thread.comment_count, 1);
        assert_eq!(thread.title.as_deref(), Some("Title of /a"));
        assert_eq!(c.thread_id, thread.id);
        let mut pending = comment(&site, "/a", None, 11);
        pending.status = rostra_core::Status::Pending;
        s.create_comment(pending).await.unwrap();
        s.create_comment(comment(&site, "/b", None, 12))
            .await
            .unwrap();
        let mut counts = s
            .comment_counts(
                site.id,
                &[
                    "https://news.example/a".into(),
                    "https://news.example/b".into(),
                    "https://news.example/z".into(),
                ],
            )
            .await
            .unwrap();
        counts.sort();
        assert_eq!(
            counts,
            vec![
                ("https://news.example/a".into(), 1),
                ("https://news.example/b".into(), 1)
            ]
        );
        assert_eq!(s.list_threads(site.id).await.unwrap().len(), 2);
        assert_eq!(
            s.thread(thread.id).await.unwrap().unwrap().key,
            "https://news.example/a"
        );
    }
}

#[tokio::test]
async fn closed_threads_refuse_comments() {
    for b in backends().await {
        let s = &*b.store;
        let site = site(s, "news").await;
        let (_, thread) = s
            .create_comment(comment(&site, "/c", None, 10))
            .await
            .unwrap();
        s.set_thread_closed(thread.id, true).await.unwrap();
        assert!(matches!(
            s.create_comment(comment(&site, "/c", None, 11)).await,
            Err(Error::ThreadClosed)
        ));
        s.set_thread_closed(thread.id, false).await.unwrap();
        let mut late = comment(&site, "/c", None, 12);
        late.close_before = Some(11);
        assert!(
            matches!(s.create_comment(late).await, Err(Error::ThreadClosed)),
            "older than the cut-off"
        );
        assert!(matches!(
            s.set_thread_closed(rostra_core::ThreadId(999), true).await,
            Err(Error::ThreadNotFound)
        ));
    }
}

#[tokio::test]
async fn acknowledged_writes_survive_reopening_and_migrations_are_idempotent() {
    let b = fresh_sqlite().await;
    let site = site(&*b.store, "news").await;
    let (c, _) = b
        .store
        .create_comment(comment(&site, "/d", None, 10))
        .await
        .unwrap();
    drop(b.store);
    let again = rostra_store::open(&b.url, true).await.unwrap();
    assert_eq!(
        again.comment(c.id).await.unwrap().unwrap().body,
        "comment at 10"
    );
    let status = rostra_store::migration_status(&b.url).await.unwrap();
    assert!(status.iter().all(|m| m.applied));
}

#[tokio::test]
async fn a_schema_newer_than_the_build_is_refused() {
    let b = fresh_sqlite().await;
    drop(b.store);
    let path = b.url.trim_start_matches("sqlite://");
    {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{path}"))
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)",
        )
        .execute(&mut c)
        .await
        .unwrap();
    }
    let err = rostra_store::open(&b.url, true)
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("newer than this build"), "{err}");
}

#[tokio::test]
async fn unknown_schemes_are_refused_clearly() {
    let err = rostra_store::open("mysql://localhost/x", true)
        .await
        .err()
        .unwrap();
    assert!(err.to_string().contains("sqlite://"), "{err}");
}
