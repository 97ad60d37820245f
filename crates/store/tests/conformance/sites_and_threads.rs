//! Sites, secrets, threads, counts, migrations and durability across reopening.

use crate::{backends, comment, site};
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
    for b in backends().await {
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
        again.ping().await.unwrap();
        let status = rostra_store::migration_status(&b.url).await.unwrap();
        assert!(status.iter().all(|m| m.applied));
    }
}

/// Giving the caches back when the server goes quiet loses nothing and leaves the store working
/// (SQLite drops its connections' page caches; PostgreSQL has nothing to give back).
#[tokio::test]
async fn releasing_memory_keeps_every_comment_and_the_store_working() {
    for b in backends().await {
        let site = site(&*b.store, "news").await;
        let mut ids = Vec::new();
        for at in 0..50 {
            let (c, _) = b
                .store
                .create_comment(comment(&site, "/quiet", None, at))
                .await
                .unwrap();
            ids.push(c.id);
        }
        b.store.release_memory().await.unwrap();
        for (at, id) in ids.iter().enumerate() {
            let c = b.store.comment(*id).await.unwrap().unwrap();
            assert_eq!(c.body, format!("comment at {at}"));
        }
        let (after, _) = b
            .store
            .create_comment(comment(&site, "/quiet", None, 99))
            .await
            .unwrap();
        assert_eq!(
            b.store.comment(after.id).await.unwrap().unwrap().body,
            "comment at 99"
        );
        b.store.release_memory().await.unwrap();
        b.store.ping().await.unwrap();
    }
}

/// Records a migration this build does not know, as a newer Rostra would.
async fn record_future_migration(url: &str) {
    use sqlx::Connection;
    let sql =
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)";
    if url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query(sql).execute(&mut c).await.unwrap();
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(sql).execute(&mut c).await.unwrap();
    }
}

#[tokio::test]
async fn a_schema_newer_than_the_build_is_refused() {
    for b in backends().await {
        drop(b.store);
        record_future_migration(&b.url).await;
        let err = rostra_store::open(&b.url, true)
            .await
            .err()
            .expect("refused");
        assert!(err.to_string().contains("newer than this build"), "{err}");
        let err = rostra_store::migration_status(&b.url).await.unwrap_err();
        assert!(err.to_string().contains("newer than this build"), "{err}");
    }
}

#[tokio::test]
async fn both_backends_know_the_same_migrations() {
    let names = |list: &[rostra_store::migrations::Migration]| -> Vec<String> {
        list.iter().map(|m| m.name.to_string()).collect()
    };
    let sqlite = names(rostra_store::migrations::SQLITE);
    assert_eq!(sqlite, names(rostra_store::migrations::POSTGRES));
    for b in backends().await {
        assert_eq!(b.store.backend(), backend_of(&b.url));
        let applied: Vec<String> = rostra_store::migration_status(&b.url)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.name)
            .collect();
        assert_eq!(applied, sqlite, "{}", b.store.backend());
    }
}

fn backend_of(url: &str) -> &'static str {
    if url.starts_with("sqlite:") {
        "sqlite"
    } else {
        "postgres"
    }
}

#[tokio::test]
async fn a_database_that_needs_migrations_is_not_opened_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("empty.db").display());
    let mut empty = vec![(sqlite, None)];
    if let Some(admin) = crate::postgres_admin_url() {
        let scratch = rostra_store::postgres::ScratchDatabase::create(&admin)
            .await
            .unwrap();
        empty.push((scratch.url().to_string(), Some(scratch)));
    }
    for (url, _scratch) in empty {
        let err = rostra_store::open(&url, false).await.err().unwrap();
        assert!(err.to_string().contains("needs migrations"), "{err}");
        let status = rostra_store::migration_status(&url).await.unwrap();
        assert!(status.iter().all(|m| !m.applied), "{url}");
        rostra_store::open(&url, true).await.unwrap();
        let status = rostra_store::migration_status(&url).await.unwrap();
        assert!(status.iter().all(|m| m.applied), "{url}");
    }
}

#[tokio::test]
async fn unknown_schemes_are_refused_clearly() {
    let err = rostra_store::open("mysql://localhost/x", true)
        .await
        .err()
        .unwrap();
    assert!(err.to_string().contains("sqlite://"), "{err}");
}
