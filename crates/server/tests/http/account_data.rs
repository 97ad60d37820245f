//! A reader's own data: downloading it, deleting the account with or without its comments,
//! and unconfirmed guest addresses forgotten after the retention period.

use crate::accounts::{send, sign_in, verified_reader, SESSION};
use crate::code;
use rostra_testkit::smtp::link_in;
use rostra_testkit::{page, TestServer};
use serde_json::{json, Value};

async fn post_signed(
    s: &TestServer,
    session: &str,
    path: &str,
    parent: Option<i64>,
    body: &str,
) -> Value {
    let body = json!({"site": "news", "url": page(path), "parent": parent, "body": body});
    let (st, v) = send(
        s,
        reqwest::Method::POST,
        "/api/comments",
        Some(session),
        Some(body),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    v
}

#[tokio::test]
async fn a_reader_downloads_their_data() {
    let s = TestServer::start().await;
    let session = verified_reader(&s, "hal@example.com", "Hal").await;
    let first = post_signed(&s, &session, "/data", None, "First version.").await;
    post_signed(&s, &session, "/data", None, "Another one.").await;
    let id = first["comment"]["id"].as_i64().unwrap();
    let r = s
        .http
        .patch(s.url(&format!("/api/comments/{id}")))
        .bearer_auth(first["edit_token"].as_str().unwrap())
        .json(&json!({"body": "Second version."}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = s
        .http
        .get(s.url("/api/account/data"))
        .header(SESSION, &session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let data: Value = r.json().await.unwrap();
    assert_eq!(data["profile"]["email"], "hal@example.com");
    assert_eq!(data["profile"]["name"], "Hal");
    let comments = data["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["body"], "Second version.");
    assert_eq!(comments[0]["page"], page("/data"));
    assert_eq!(comments[0]["revisions"][0]["body"], "First version.");
    assert_eq!(comments[1]["revisions"].as_array().unwrap().len(), 0);
    let (st, v) = send(&s, reqwest::Method::GET, "/api/account/data", None, None).await;
    assert_eq!((st, code(&v)), (401, "not_signed_in"));
}

async fn delete_account(s: &TestServer, session: &str, body: Value) -> (u16, Value) {
    send(
        s,
        reqwest::Method::DELETE,
        "/api/account",
        Some(session),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn deleting_an_account_can_keep_the_comments_as_a_deleted_users() {
    let s = TestServer::start().await;
    let session = verified_reader(&s, "ian@example.com", "Ian").await;
    let mine = post_signed(&s, &session, "/del", None, "Kept words.").await;
    let id = mine["comment"]["id"].as_i64().unwrap();
    crate::post(&s, "/del", Some(id), "A reply that needs its context.").await;
    let (st, v) = delete_account(&s, &session, json!({"comments": "keep"})).await;
    assert_eq!((st, code(&v)), (400, "confirmation_required"));
    let (st, v) = delete_account(&s, &session, json!({"comments": "maybe", "confirm": true})).await;
    assert_eq!((st, code(&v)), (400, "invalid_choice"));
    let (st, v) = delete_account(&s, &session, json!({"comments": "keep", "confirm": true})).await;
    assert_eq!(st, 200, "{v}");
    let (st, _) = send(
        &s,
        reqwest::Method::GET,
        "/api/account",
        Some(&session),
        None,
    )
    .await;
    assert_eq!(st, 401, "the session ended with the account");
    assert_eq!(sign_in(&s, "ian@example.com", "correct horse").await.0, 401);
    let (_, t) = s
        .get_json(&format!("/api/threads?site=news&url={}", page("/del")))
        .await;
    let c = &t["comments"][0];
    assert_eq!(c["author_name"], "[deleted user]", "{t}");
    assert_eq!(c["body_html"], "<p>Kept words.</p>\n");
    assert_eq!(c["signed_in"], false);
    assert_eq!(c["replies"].as_array().unwrap().len(), 1);
    let stored = s
        .store
        .comment(rostra_core::CommentId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.author_email, stored.author_key, stored.account_id),
        (None, None, None)
    );
}

#[tokio::test]
async fn deleting_an_account_can_delete_the_comments() {
    let s = TestServer::start().await;
    let session = verified_reader(&s, "jo@example.com", "Jo").await;
    let answered = post_signed(&s, &session, "/gone", None, "Answered.").await;
    let id = answered["comment"]["id"].as_i64().unwrap();
    post_signed(&s, &session, "/gone", None, "Alone.").await;
    crate::post(&s, "/gone", Some(id), "Someone else's reply.").await;
    let (st, _) =
        delete_account(&s, &session, json!({"comments": "delete", "confirm": true})).await;
    assert_eq!(st, 200);
    let (_, t) = s
        .get_json(&format!("/api/threads?site=news&url={}", page("/gone")))
        .await;
    let comments = t["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 1, "the one without replies is gone: {t}");
    assert_eq!(comments[0]["status"], "deleted");
    assert_eq!(comments[0]["body_html"], "");
    assert_eq!(
        comments[0]["replies"][0]["body_html"],
        "<p>Someone else's reply.</p>\n"
    );
    assert!(!t.to_string().contains("Answered.") && !t.to_string().contains("Alone."));
}

#[tokio::test]
async fn unconfirmed_guest_addresses_are_forgotten_after_the_retention() {
    let s = TestServer::start().await;
    let post_with_email = |author: &'static str| {
        s.http
            .post(s.url("/api/comments"))
            .header("x-rostra-author", author)
            .json(&json!({"site": "news", "url": page("/ret"), "body": "Hi.",
                "author_email": format!("{author}@example.com")}))
            .send()
    };
    let plain: Value = post_with_email("plain")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kept: Value = post_with_email("kept").await.unwrap().json().await.unwrap();
    let r = s
        .http
        .post(s.url("/api/guest/verify"))
        .header("x-rostra-author", "kept")
        .json(&json!({"site": "news", "url": page("/ret"), "email": "kept@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let mails = s.wait_for_mail(1).await;
    let link = link_in(&mails[0], &format!("{}/account/verify", s.base)).unwrap();
    assert_eq!(s.get_text(link.strip_prefix(&s.base).unwrap()).await.0, 200);
    let later = rostra_server::state::now_ms() + 1000;
    assert_eq!(s.store.purge_unverified_emails(later).await.unwrap(), 1);
    let email_of = |v: &Value| rostra_core::CommentId(v["comment"]["id"].as_i64().unwrap());
    let plain = s.store.comment(email_of(&plain)).await.unwrap().unwrap();
    let kept = s.store.comment(email_of(&kept)).await.unwrap().unwrap();
    assert_eq!(plain.author_email, None);
    assert_eq!(kept.author_email.as_deref(), Some("kept@example.com"));
}
