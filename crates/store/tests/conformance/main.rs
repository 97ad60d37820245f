//! The storage conformance suite: what every backend must do, run against each one with a fresh
//! database per test. PostgreSQL joins when `ROSTRA_TEST_POSTGRES_URL` names a server where we
//! may create databases (`postgres://postgres@127.0.0.1:5432/postgres`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod comments;
mod concurrency;
mod desk;
mod events;
mod faults;
mod identity;
mod lists;
mod moderation;
mod notifications;
mod passkeys;
mod policy_migration;
mod site_tokens;
mod sites_and_threads;
mod upkeep;
mod users;

use rostra_core::comment::Status;
use rostra_core::{CommentId, NewComment, NewSite, Site, Store};
use rostra_store::postgres::ScratchDatabase;
use std::sync::Arc;

/// A fresh database on one backend; dropped with the test (the store first, then the database).
pub struct Fresh {
    pub store: Arc<dyn Store>,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    _scratch: Option<ScratchDatabase>,
}

pub async fn fresh_sqlite() -> Fresh {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("conformance.db").display());
    let store = rostra_store::open(&url, true).await.unwrap();
    Fresh {
        store,
        url,
        _dir: Some(dir),
        _scratch: None,
    }
}

/// The server where PostgreSQL tests may create databases, or `None` (said loudly; fatal
/// under `ROSTRA_REQUIRE_ALL=1`) when `ROSTRA_TEST_POSTGRES_URL` is not set.
pub fn postgres_admin_url() -> Option<String> {
    let url = std::env::var("ROSTRA_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        let test = std::thread::current()
            .name()
            .unwrap_or("a conformance test")
            .to_string();
        let why = "ROSTRA_TEST_POSTGRES_URL not set";
        assert!(
            std::env::var("ROSTRA_REQUIRE_ALL").as_deref() != Ok("1"),
            "{test}: {why} (ROSTRA_REQUIRE_ALL=1 forbids skipping)"
        );
        eprintln!("SKIPPED {test}: {why}");
    }
    url
}

/// A fresh, migrated PostgreSQL database, when there is a server to make it on.
pub async fn fresh_postgres() -> Option<Fresh> {
    let scratch = ScratchDatabase::create(&postgres_admin_url()?)
        .await
        .unwrap();
    let url = scratch.url().to_string();
    let store = rostra_store::open(&url, true).await.unwrap();
    Some(Fresh {
        store,
        url,
        _dir: None,
        _scratch: Some(scratch),
    })
}

/// Every backend this build has, each with a fresh database.
pub async fn backends() -> Vec<Fresh> {
    let mut all = vec![fresh_sqlite().await];
    all.extend(fresh_postgres().await);
    all
}

pub async fn site(store: &dyn Store, key: &str) -> Site {
    let new = NewSite {
        key: key.into(),
        name: key.into(),
        origins: vec![format!("https://{key}.example")],
        prompt: None,
    };
    store.create_site(new.validate().unwrap(), 1).await.unwrap()
}

pub fn comment(site: &Site, page: &str, parent: Option<CommentId>, at: i64) -> NewComment {
    NewComment {
        site_id: site.id,
        thread_key: format!("https://{}.example{page}", site.key),
        page_url: format!("https://{}.example{page}", site.key),
        page_title: Some(format!("Title of {page}")),
        parent_id: parent,
        status: Status::Published,
        author_name: Some("Ada".into()),
        author_email: Some("ada@example.org".into()),
        author_url: None,
        body: format!("comment at {at}"),
        body_html: format!("<p>comment at {at}</p>"),
        created_at: at,
        edit_token_hash: "hash".into(),
        ip_hash: Some("iphash".into()),
        author_key: None,
        net_hash: None,
        reasons: Vec::new(),
        close_before: None,
        account_id: None,
        author_badge: None,
    }
}
