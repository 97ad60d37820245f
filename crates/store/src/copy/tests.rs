//! Copies between SQLite files, and through PostgreSQL and back when one is available.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::conn::{Db, Value};
use super::tables::{every_table, schema_problems};
use super::{copy_database, CopyError, CopyOptions};

/// Every table, one row or more, including a reply whose parent has a larger id (as an import
/// may leave it) and a NULL in every nullable kind of column.
const SEED: &str = "
INSERT INTO sites VALUES (1, 'news', 'News', '[\"https://news.example\"]', NULL, 10);
INSERT INTO threads VALUES (1, 1, 'https://news.example/a', 'https://news.example/a', 'A', 11, TRUE, 3, 1);
INSERT INTO comments (id, thread_id, parent_id, root_id, status, body, body_html, created_at,
    reasons) VALUES (1, 1, NULL, 1, 'published', 'one', '<p>one</p>', 12, '[]');
INSERT INTO comments (id, thread_id, parent_id, root_id, status, body, body_html, created_at,
    reasons, author_name, edited_at) VALUES (2, 1, NULL, 1, 'published', 'two', '<p>two</p>', 13,
    '[{\"check\":\"links\"}]', 'Ada', 14);
INSERT INTO comments (id, thread_id, parent_id, root_id, status, body, body_html, created_at,
    reasons) VALUES (3, 1, 1, 1, 'deleted', '', '', 15, '[]');
UPDATE comments SET parent_id = 3 WHERE id = 2;
INSERT INTO comment_revisions VALUES (1, 2, 'first words', 14);
INSERT INTO votes VALUES (1, 1, NULL, 'ip1', -1, 16);
INSERT INTO votes VALUES (2, 1, 'v', 'ip2', 1, 17);
INSERT INTO settings VALUES ('ip_salt', 'pepper');
INSERT INTO users VALUES (1, 'mod@news.example', 'moderator', 'hash', 18);
INSERT INTO user_sites VALUES (1, 1);
INSERT INTO sessions VALUES ('tok', 1, 'csrf', 19, 20);
INSERT INTO site_policies (site_id, mode, max_links, edit_window_secs, close_after_days,
    reports_to_hold, banned_words, suspect_words, trust_after, attributes, nudge)
    VALUES (1, 'pre_moderation', 2, 900, 0, 3, 'a', '', 0, '{\"threat\":{\"hold\":0.4}}', FALSE);
INSERT INTO reports VALUES (1, 1, 'r', 'spam', NULL, 21);
INSERT INTO bans VALUES (1, 1, 'identity', 'h', NULL, 1, 22, NULL);
INSERT INTO decisions VALUES (1, 2, 23, NULL, 'hold', '[]', NULL);
INSERT INTO audit_log VALUES (1, 24, 1, 'comment.reject', 'comment:2', 1, NULL, '{}');
INSERT INTO thread_events VALUES (1, 1, 'comment', '{}', 25);
";

fn sqlite_url(dir: &tempfile::TempDir, name: &str) -> String {
    format!("sqlite://{}", dir.path().join(name).display())
}

async fn seeded(url: &str) {
    drop(crate::open(url, true).await.unwrap());
    let mut db = Db::connect(url).await.unwrap();
    db.execute(SEED).await.unwrap();
    db.close().await;
}

/// Every row of every table, in key order.
async fn dump(url: &str) -> Vec<Vec<Vec<Value>>> {
    let mut db = Db::connect(url).await.unwrap();
    let mut all = Vec::new();
    for t in every_table() {
        all.push(db.read(t, None, 10_000).await.unwrap());
    }
    db.close().await;
    all
}

fn quiet() -> impl FnMut(&str, i64) + Send {
    |_, _| {}
}

#[tokio::test]
async fn the_table_list_matches_the_migrations() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir, "a.db");
    drop(crate::open(&url, true).await.unwrap());
    let mut db = Db::connect(&url).await.unwrap();
    assert_eq!(
        schema_problems(&db.schema().await.unwrap()),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn copies_sqlite_to_sqlite_and_refuses_a_full_target_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (sqlite_url(&dir, "a.db"), sqlite_url(&dir, "b.db"));
    seeded(&a).await;
    let small = CopyOptions {
        force: false,
        batch_rows: 1,
    };
    let counts = copy_database(&a, &b, &small, &mut quiet()).await.unwrap();
    assert_eq!(
        counts.iter().find(|c| c.table == "comments").unwrap().rows,
        3
    );
    assert_eq!(dump(&a).await, dump(&b).await);

    let again = copy_database(&a, &b, &small, &mut quiet()).await;
    assert!(
        matches!(&again, Err(CopyError::TargetNotEmpty(t)) if t.contains(&("comments", 3))),
        "{again:?}"
    );
    let forced = CopyOptions {
        force: true,
        batch_rows: 2,
    };
    copy_database(&a, &b, &forced, &mut quiet()).await.unwrap();
    assert_eq!(dump(&a).await, dump(&b).await);

    let same = copy_database(
        &a,
        &a.replace("sqlite://", "sqlite:"),
        &forced,
        &mut quiet(),
    )
    .await;
    assert!(matches!(same, Err(CopyError::SameDatabase)), "{same:?}");
    let mysql = copy_database("mysql://x", &b, &forced, &mut quiet()).await;
    assert!(mysql.unwrap_err().to_string().contains("sqlite://PATH"));
    let missing = sqlite_url(&dir, "missing.db");
    let gone = copy_database(&missing, &b, &forced, &mut quiet()).await;
    assert!(matches!(gone, Err(CopyError::SourceMissing(_))), "{gone:?}");
    assert!(!dir.path().join("missing.db").exists());
}

#[tokio::test]
async fn refuses_a_source_with_a_column_it_does_not_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (sqlite_url(&dir, "a.db"), sqlite_url(&dir, "b.db"));
    seeded(&a).await;
    let mut db = Db::connect(&a).await.unwrap();
    db.execute("ALTER TABLE comments ADD COLUMN mood TEXT")
        .await
        .unwrap();
    db.close().await;
    let r = copy_database(&a, &b, &CopyOptions::default(), &mut quiet()).await;
    let text = r.unwrap_err().to_string();
    assert!(
        text.contains("comments has columns this build does not copy: mood"),
        "{text}"
    );
}

#[tokio::test]
async fn round_trips_through_postgres() {
    let Ok(admin) = std::env::var("ROSTRA_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("ROSTRA_REQUIRE_ALL").map_or(true, |v| v != "1"),
            "round_trips_through_postgres needs ROSTRA_TEST_POSTGRES_URL"
        );
        eprintln!("SKIPPED round_trips_through_postgres: ROSTRA_TEST_POSTGRES_URL is not set");
        return;
    };
    let scratch = crate::postgres::ScratchDatabase::create(&admin)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (sqlite_url(&dir, "a.db"), sqlite_url(&dir, "b.db"));
    seeded(&a).await;
    let options = CopyOptions {
        force: false,
        batch_rows: 2,
    };
    copy_database(&a, scratch.url(), &options, &mut quiet())
        .await
        .unwrap();
    assert_eq!(dump(&a).await, dump(scratch.url()).await);
    copy_database(scratch.url(), &b, &options, &mut quiet())
        .await
        .unwrap();
    assert_eq!(dump(&a).await, dump(&b).await);

    // New rows on PostgreSQL get ids after the copied ones.
    let mut pg = Db::connect(scratch.url()).await.unwrap();
    pg.execute("INSERT INTO sites (key, name, origins, created_at) VALUES ('two', 'Two', '[]', 1)")
        .await
        .unwrap();
    let sites = pg
        .read(every_table().next().unwrap(), None, 10)
        .await
        .unwrap();
    assert_eq!(sites[1][0], Value::Int(Some(2)));
    pg.close().await;
}
