//! HTTP integration tests: the real server on 127.0.0.1:0 over a temporary SQLite file, driven
//! by a real HTTP client. One test binary, one module per area.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod account_data;
mod accounts;
mod admin;
mod admin_sessions;
mod architecture;
mod authors;
mod authors_mail;
mod authors_statement;
mod bans;
mod boundaries;
mod comments;
mod connections;
mod desk;
mod error_codes;
mod error_edges;
mod errors;
mod external;
mod feeds;
mod floods;
mod guest_data;
mod guests;
mod interchange;
mod live;
mod mail;
mod mail_settings;
mod moderation;
mod notify_alerts;
mod notify_replies;
mod notify_subscribe;
mod page_lists;
mod pages;
mod passkey_limits;
mod passkeys;
mod picks;
mod security;
mod site_import;
mod site_policy;
mod sso;
mod threads;
mod webhooks;

use rostra_testkit::{page, TestServer};
use serde_json::{json, Value};

/// Posts a comment to a page of the test site; answers (id, edit token).
pub async fn post(s: &TestServer, path: &str, parent: Option<i64>, body: &str) -> (i64, String) {
    let (status, v) = s
        .post(json!({"site": "news", "url": page(path), "parent": parent, "body": body}))
        .await;
    assert_eq!(status, 201, "{v}");
    (
        v["comment"]["id"].as_i64().unwrap(),
        v["edit_token"].as_str().unwrap().to_string(),
    )
}

/// The error code of a JSON error body.
pub fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("<no code>")
}

/// Finds a comment anywhere in a tree of comments.
pub fn find(comments: &Value, id: i64) -> Option<Value> {
    for c in comments.as_array()? {
        if c["id"].as_i64() == Some(id) {
            return Some(c.clone());
        }
        if let Some(found) = find(&c["replies"], id) {
            return Some(found);
        }
    }
    None
}
