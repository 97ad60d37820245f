//! Guests who confirm an e-mail address: a verified pseudonym (name shown, address never),
//! marked in the moderators' history, and trusted under pre-moderation after the site's number
//! of approved comments — as are reader accounts with a confirmed address.

use crate::code;
use rostra_core::moderation::ModerationMode;
use rostra_core::CommentId;
use rostra_testkit::smtp::link_in;
use rostra_testkit::{page, TestServer};
use serde_json::{json, Value};

async fn pre_moderate_trusting_after(s: &TestServer, n: u32) {
    s.set_policy(|p| {
        p.mode = ModerationMode::PreModeration;
        p.trust_after = n;
    })
    .await;
}

async fn post_as(s: &TestServer, author: &str, body: &str) -> Value {
    let r = s
        .http
        .post(s.url("/api/comments"))
        .header("x-rostra-author", author)
        .json(&json!({"site": "news", "url": page("/g"), "body": body,
            "author_name": "Pseudo", "author_email": "pseudo@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

async fn ask_verification(s: &TestServer, author: Option<&str>) -> (u16, Value) {
    let mut r = s.http.post(s.url("/api/guest/verify")).json(&json!({
        "site": "news", "url": page("/g"), "email": "pseudo@example.com", "name": "Pseudo"}));
    if let Some(a) = author {
        r = r.header("x-rostra-author", a);
    }
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn approve(s: &TestServer, id: i64) {
    if s.store
        .user_by_email("admin@example.org")
        .await
        .unwrap()
        .is_none()
    {
        s.add_user("admin@example.org", rostra_core::user::Role::Admin, &[])
            .await;
    }
    let admin = s
        .store
        .user_by_email("admin@example.org")
        .await
        .unwrap()
        .unwrap();
    let approve = rostra_server::moderating::Action::Approve;
    rostra_server::moderating::act(&s.state, &admin, CommentId(id), approve, None)
        .await
        .unwrap();
}

/// Opens the confirmation link of the last mail; answers the page's status.
async fn open_last_link(s: &TestServer, n: usize) -> u16 {
    let mails = s.wait_for_mail(n).await;
    let link = link_in(&mails[n - 1], &format!("{}/account/verify?token=", s.base)).unwrap();
    s.get_text(link.strip_prefix(&s.base).unwrap()).await.0
}

#[tokio::test]
async fn a_guest_who_confirms_an_address_becomes_a_verified_pseudonym() {
    let s = TestServer::start().await;
    let v = post_as(&s, "guest-one", "Before confirming.").await;
    let id = v["comment"]["id"].as_i64().unwrap();
    let (st, v) = ask_verification(&s, None).await;
    assert_eq!((st, code(&v)), (400, "identity_required"));
    let (st, _) = ask_verification(&s, Some("guest-one")).await;
    assert_eq!(st, 202);
    let site = s.store.site_by_key("news").await.unwrap().unwrap();
    let key = s
        .store
        .comment(CommentId(id))
        .await
        .unwrap()
        .unwrap()
        .author_key
        .unwrap();
    assert!(!s.store.is_verified_guest(site.id, &key).await.unwrap());
    assert_eq!(open_last_link(&s, 1).await, 200);
    assert!(s.store.is_verified_guest(site.id, &key).await.unwrap());
    assert_eq!(open_last_link(&s, 1).await, 400, "the link works once");

    // Moderators see it in the commenter's history; the public never sees the address.
    s.add_user("mod@example.org", rostra_core::user::Role::Admin, &[])
        .await;
    let signed = s.sign_in("mod@example.org").await;
    let detail = s
        .http
        .get(s.url(&format!("/admin/comments/{id}")))
        .header("cookie", &signed.cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(detail.contains("verified pseudonym"), "{detail}");
    let (_, thread) = s
        .get_text(&format!("/api/threads?site=news&url={}", page("/g")))
        .await;
    assert!(
        thread.contains("Pseudo") && !thread.contains("pseudo@example.com"),
        "{thread}"
    );
}

#[tokio::test]
async fn verified_guests_are_trusted_after_enough_approved_comments() {
    let s = TestServer::start().await;
    pre_moderate_trusting_after(&s, 2).await;
    let (_, _) = ask_verification(&s, Some("regular")).await;
    assert_eq!(open_last_link(&s, 1).await, 200);
    for n in 0..2 {
        let v = post_as(&s, "regular", &format!("Held number {n}.")).await;
        assert_eq!(v["comment"]["status"], "pending", "{n} approved so far");
        approve(&s, v["comment"]["id"].as_i64().unwrap()).await;
    }
    let v = post_as(&s, "regular", "Now trusted.").await;
    assert_eq!(v["comment"]["status"], "published");

    // An unverified guest with as many approved comments stays held.
    for n in 0..2 {
        let v = post_as(&s, "unverified", &format!("Held {n}.")).await;
        approve(&s, v["comment"]["id"].as_i64().unwrap()).await;
    }
    let v = post_as(&s, "unverified", "Still held.").await;
    assert_eq!(v["comment"]["status"], "pending");
}

#[tokio::test]
async fn verified_accounts_are_trusted_after_enough_approved_comments() {
    let s = TestServer::start().await;
    pre_moderate_trusting_after(&s, 1).await;
    let body = json!({"site": "news", "url": page("/g"), "email": "acc@example.com",
        "name": "Acc"});
    let r = s
        .http
        .post(s.url("/api/account/email-link"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let mails = s.wait_for_mail(1).await;
    let link = link_in(&mails[0], "https://news.example/g#rostra-login=").unwrap();
    let token = link.split_once('=').unwrap().1;
    let r = s
        .http
        .post(s.url("/api/account/link"))
        .json(&json!({"token": token}));
    let v: Value = r.send().await.unwrap().json().await.unwrap();
    let session = v["session"].as_str().unwrap().to_string();
    let post = |text: &str| {
        s.http
            .post(s.url("/api/comments"))
            .header("x-rostra-session", &session)
            .json(&json!({"site": "news", "url": page("/g"), "body": text}))
            .send()
    };
    let v: Value = post("First.").await.unwrap().json().await.unwrap();
    assert_eq!(v["comment"]["status"], "pending");
    approve(&s, v["comment"]["id"].as_i64().unwrap()).await;
    let v: Value = post("Second.").await.unwrap().json().await.unwrap();
    assert_eq!(v["comment"]["status"], "published", "{v}");
}
