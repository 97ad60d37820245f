//! The consistency check finds counts that disagree with what they count, on both backends;
//! SQLite backups are checked, and restores refuse what they must.

use crate::{backends, comment, fresh_sqlite, site};
use rostra_core::{NewVote, Store};
use rostra_store::backup;
use rostra_store::consistency::problems;
use sqlx::Connection;

async fn execute(url: &str, sql: &str) {
    if url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query(sql).execute(&mut c).await.unwrap();
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(sql).execute(&mut c).await.unwrap();
    }
}

async fn a_small_thread(store: &dyn Store) -> i64 {
    let s = site(store, "news").await;
    let (top, _) = store
        .create_comment(comment(&s, "/a", None, 1))
        .await
        .unwrap();
    store
        .create_comment(comment(&s, "/a", Some(top.id), 2))
        .await
        .unwrap();
    store
        .vote(NewVote {
            comment_id: top.id,
            voter_hash: Some("v".into()),
            ip_hash: "ip".into(),
            value: 1,
            at: 3,
        })
        .await
        .unwrap();
    top.id.0
}

#[tokio::test]
async fn the_consistency_check_finds_counts_that_disagree() {
    for b in backends().await {
        let top = a_small_thread(&*b.store).await;
        assert_eq!(problems(&b.url, true).await.unwrap(), Vec::<String>::new());
        execute(&b.url, "UPDATE threads SET comment_count = 7").await;
        execute(
            &b.url,
            &format!("UPDATE comments SET reply_count = 3, upvotes = 2 WHERE id = {top}"),
        )
        .await;
        let found = problems(&b.url, true).await.unwrap();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].contains("comment_count"));
        assert!(found[1].contains(&format!(
            "reply_count differs from their public replies: {top}"
        )));
        assert!(found[2].contains("vote totals"));
        assert_eq!(
            problems(&b.url, false).await.unwrap().len(),
            2,
            "votes apart"
        );
    }
}

#[tokio::test]
async fn a_sqlite_backup_is_checked_and_restored_only_where_allowed() {
    let b = fresh_sqlite().await;
    a_small_thread(&*b.store).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("copy.db");
    let info = backup::backup(&b.url, &out).await.unwrap();
    assert_eq!((info.threads, info.comments), (1, 2));
    assert!(
        backup::backup(&b.url, &out).await.is_err(),
        "never over a file"
    );

    let target = format!("sqlite://{}", dir.path().join("restored.db").display());
    assert_eq!(backup::restore(&out, &target, false).await.unwrap(), info);
    let again = backup::restore(&out, &target, false).await.unwrap_err();
    assert!(again.to_string().contains("--force"), "{again}");
    let restored = rostra_store::open(&target, false).await.unwrap();
    let in_use = backup::restore(&out, &target, true).await.unwrap_err();
    assert!(
        in_use.to_string().contains("open in another process"),
        "{in_use}"
    );
    drop(restored);
    backup::restore(&out, &target, true).await.unwrap();
    assert!(problems(&target, true).await.unwrap().is_empty());

    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![7u8; 8192]).unwrap();
    assert!(backup::check(&garbage).await.is_err());
    execute(
        &format!("sqlite://{}", out.display()),
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)",
    )
    .await;
    let newer = backup::check(&out).await.unwrap_err();
    assert!(
        newer.to_string().contains("newer than this build"),
        "{newer}"
    );
    let pg = backup::backup("postgres://localhost/x", &dir.path().join("pg.db")).await;
    assert!(pg.unwrap_err().to_string().contains("pg_dump"));
}
