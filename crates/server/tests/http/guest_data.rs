//! A guest's own data without an account: by an e-mailed link (no answer tells whether the
//! address commented), and by the edit tokens the widget keeps, past the edit window too; and
//! the retention period that erases unconfirmed guests' addresses.

use crate::code;
use rostra_core::comment::Status;
use rostra_core::{CommentId, NewComment};
use rostra_testkit::smtp::link_in;
use rostra_testkit::{page, test_config, thread_query, TestServer};
use serde_json::{json, Value};

async fn post_json(s: &TestServer, path: &str, body: Value) -> (u16, Value) {
    let r = s.http.post(s.url(path)).json(&body).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// A guest's comment with an address; answers (id, edit token).
async fn guest_comment(s: &TestServer, path: &str, email: &str, body: &str) -> (i64, String) {
    let (st, v) = s
        .post(json!({"site": "news", "url": page(path), "body": body,
            "author_name": "Guest", "author_email": email}))
        .await;
    assert_eq!(st, 201, "{v}");
    (
        v["comment"]["id"].as_i64().unwrap(),
        v["edit_token"].as_str().unwrap().to_string(),
    )
}

async fn thread_text(s: &TestServer, path: &str) -> String {
    let (st, v) = s.get_json(&thread_query(path)).await;
    assert_eq!(st, 200);
    v.to_string()
}

#[tokio::test]
async fn a_guest_downloads_and_deletes_their_comments_by_e_mailed_link() {
    let s = TestServer::start().await;
    let (first, token) = guest_comment(&s, "/gd", "Gwen@Example.com", "First words").await;
    let r = s
        .http
        .patch(s.url(&format!("/api/comments/{first}")))
        .bearer_auth(&token)
        .json(&json!({"body": "First words, edited"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    guest_comment(&s, "/gd", "gwen@example.com", "Second words").await;
    let (other, _) = guest_comment(&s, "/gd", "someone@example.com", "Not Gwen's").await;

    // An address with no comments gets the same answer, and no mail.
    let ask = |email: &str| json!({"site": "news", "url": page("/gd"), "email": email});
    let (st, v) = post_json(&s, "/api/guest/data-link", ask("nobody@example.com")).await;
    assert_eq!((st, &v), (202, &json!({"sent": true})));
    let (st, v) = post_json(&s, "/api/guest/data-link", ask("gwen@example.com")).await;
    assert_eq!((st, &v), (202, &json!({"sent": true})));
    let mails = s.wait_for_mail(1).await;
    assert_eq!(s.mail_files().len(), 1, "only the known address got mail");
    let link = link_in(&mails[0], "https://news.example/gd#rostra-guest-data=").unwrap();
    let (_, link_token) = link.split_once("#rostra-guest-data=").unwrap();

    let (st, v) = post_json(&s, "/api/guest/data", json!({"token": link_token})).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["email"], "gwen@example.com");
    let comments = v["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2, "{v}");
    assert_eq!(comments[0]["body"], "First words, edited");
    assert_eq!(comments[0]["revisions"][0]["body"], "First words");
    assert_eq!(comments[0]["page"], page("/gd"));

    let (st, v) = post_json(&s, "/api/guest/data", json!({"token": "forged"})).await;
    assert_eq!((st, code(&v)), (400, "invalid_link"));
    let remove = |choice: &str, confirm: bool| json!({"token": link_token, "comments": choice, "confirm": confirm});
    let (st, v) = post_json(&s, "/api/guest/data/delete", remove("delete", false)).await;
    assert_eq!((st, code(&v)), (400, "confirmation_required"));
    let (st, v) = post_json(&s, "/api/guest/data/delete", remove("shred", true)).await;
    assert_eq!((st, code(&v)), (400, "invalid_choice"));
    let (st, v) = post_json(&s, "/api/guest/data/delete", remove("delete", true)).await;
    assert_eq!((st, &v["removed"]), (200, &json!(2)), "{v}");

    let text = thread_text(&s, "/gd").await;
    assert!(
        !text.contains("First words") && !text.contains("Second words"),
        "{text}"
    );
    assert!(text.contains("Not Gwen's"));
    let gone = s.store.comment(CommentId(first)).await.unwrap().unwrap();
    assert_eq!(gone.status, Status::Deleted);
    assert_eq!(gone.author_email, None, "the address is erased too");
    let kept = s.store.comment(CommentId(other)).await.unwrap().unwrap();
    assert_eq!(kept.author_email.as_deref(), Some("someone@example.com"));
    let (_, v) = post_json(&s, "/api/guest/data", json!({"token": link_token})).await;
    assert_eq!(v["comments"], json!([]));
}

#[tokio::test]
async fn edit_tokens_download_and_remove_a_guests_comments_after_the_edit_window() {
    let mut c = test_config();
    c.comments.edit_window_secs = 0;
    let s = TestServer::start_with(c).await;
    let (parent, token) = guest_comment(&s, "/gt", "tok@example.com", "Keep my words").await;
    let (st, v) = s
        .post(json!({"site": "news", "url": page("/gt"), "parent": parent, "body": "A reply"}))
        .await;
    assert_eq!(st, 201, "{v}");

    let (st, v) = post_json(&s, "/api/guest/comments/data", json!({"tokens": []})).await;
    assert_eq!((st, code(&v)), (400, "invalid_choice"));
    let tokens = json!([token, "not-a-token"]);
    let (st, v) = post_json(&s, "/api/guest/comments/data", json!({"tokens": tokens})).await;
    assert_eq!(st, 200, "{v}");
    let comments = v["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0]["id"], parent);

    let body = json!({"tokens": tokens, "comments": "keep", "confirm": true});
    let (st, v) = post_json(&s, "/api/guest/comments/delete", body).await;
    assert_eq!((st, &v["removed"]), (200, &json!(1)), "{v}");
    let text = thread_text(&s, "/gt").await;
    assert!(
        text.contains("Keep my words") && text.contains("[deleted user]"),
        "{text}"
    );
    assert!(text.contains("A reply"));
    let kept = s.store.comment(CommentId(parent)).await.unwrap().unwrap();
    assert_eq!((kept.author_email, kept.edit_token_hash), (None, None));
    // The token is spent: it names nothing any more.
    let (_, v) = post_json(&s, "/api/guest/comments/data", json!({"tokens": tokens})).await;
    assert_eq!(v["comments"], json!([]));
}

#[tokio::test]
async fn housekeeping_erases_unconfirmed_guest_addresses_after_the_retention_period() {
    let mut c = test_config();
    c.privacy.unverified_email_retention_days = 30;
    let s = TestServer::start_with(c).await;
    let site = s.store.site_by_key("news").await.unwrap().unwrap();
    let now = rostra_server::state::now_ms();
    let new = |body: &str, at: i64| NewComment {
        site_id: site.id,
        thread_key: page("/ret"),
        page_url: page("/ret"),
        page_title: None,
        parent_id: None,
        status: Status::Published,
        author_name: Some("Old".into()),
        author_email: Some("old@example.com".into()),
        author_url: None,
        body: body.into(),
        body_html: format!("<p>{body}</p>"),
        created_at: at,
        edit_token_hash: String::new(),
        ip_hash: None,
        author_key: None,
        net_hash: None,
        reasons: Vec::new(),
        close_before: None,
        account_id: None,
        author_badge: None,
    };
    let (old, _) = s
        .store
        .create_comment(new("old", now - 31 * 86_400_000))
        .await
        .unwrap();
    let (recent, _) = s
        .store
        .create_comment(new("recent", now - 29 * 86_400_000))
        .await
        .unwrap();
    rostra_server::housekeeping(&s.state).await;
    let old = s.store.comment(old.id).await.unwrap().unwrap();
    let recent = s.store.comment(recent.id).await.unwrap().unwrap();
    assert_eq!(old.author_email, None);
    assert_eq!(recent.author_email.as_deref(), Some("old@example.com"));
}
