//! The storage conformance suite: what every backend must do, run against each one with a fresh
//! database per test. (PostgreSQL joins the list when its backend lands.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod comments;
mod sites_and_threads;

use rostra_core::comment::Status;
use rostra_core::{CommentId, NewComment, NewSite, Site, Store};
use std::sync::Arc;

/// A fresh database on one backend; dropped with the test.
pub struct Fresh {
    pub store: Arc<dyn Store>,
    pub url: String,
    _dir: tempfile::TempDir,
}

pub async fn fresh_sqlite() -> Fresh {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("conformance.db").display());
    let store = rostra_store::open(&url, true).await.unwrap();
    Fresh {
        store,
        url,
        _dir: dir,
    }
}

/// Every backend this build has, each with a fresh database.
pub async fn backends() -> Vec<Fresh> {
    vec![fresh_sqlite().await]
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
        close_before: None,
    }
}
