//! Reader accounts end to end: sign-up, the address check by an e-mailed link (through a real
//! SMTP server), sign-in, e-mailed sign-in links, password reset, renaming, sign-out, posting
//! as a signed-in reader, avatars, CORS for the session header, and rate limits. A reader's
//! own data (download, deletion, retention) is in `account_data`.

use crate::code;
use rostra_testkit::smtp::{link_in, SmtpSink};
use rostra_testkit::{page, test_config, TestServer};
use serde_json::{json, Value};

pub(crate) const SESSION: &str = "x-rostra-session";

pub(crate) async fn send(
    s: &TestServer,
    method: reqwest::Method,
    path: &str,
    session: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut r = s.http.request(method, s.url(path));
    if let Some(t) = session {
        r = r.header(SESSION, t);
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn post(s: &TestServer, path: &str, body: Value) -> (u16, Value) {
    send(s, reqwest::Method::POST, path, None, Some(body)).await
}

async fn sign_up(s: &TestServer, email: &str, password: &str, name: &str) -> (u16, Value) {
    let body = json!({"site": "news", "url": page("/a"), "email": email,
        "password": password, "name": name});
    post(s, "/api/account/signup", body).await
}

pub(crate) async fn sign_in(s: &TestServer, email: &str, password: &str) -> (u16, Value) {
    post(
        s,
        "/api/account/login",
        json!({"email": email, "password": password}),
    )
    .await
}

/// The token of the last link of this kind in the mail folder.
async fn mailed_token(s: &TestServer, n: usize, marker: &str) -> String {
    let mails = s.wait_for_mail(n).await;
    let link = link_in(&mails[n - 1], "http").expect("a link in the mail");
    let (_, token) = link
        .split_once(marker)
        .unwrap_or_else(|| panic!("{marker} in {link}"));
    token.to_string()
}

/// Signs up and confirms the address through the folder transport; answers a session token.
pub(crate) async fn verified_reader(s: &TestServer, email: &str, name: &str) -> String {
    let before = s.mail_files().len();
    assert_eq!(sign_up(s, email, "correct horse", name).await.0, 201);
    let token = mailed_token(s, before + 1, "token=").await;
    let token = token.split('&').next().unwrap();
    let (st, _) = s.get_text(&format!("/account/verify?token={token}")).await;
    assert_eq!(st, 200);
    let (st, v) = sign_in(s, email, "correct horse").await;
    assert_eq!(st, 200, "{v}");
    v["session"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn sign_up_confirm_through_a_real_smtp_server_and_sign_in() {
    let Some(sink) = SmtpSink::start("sign_up_confirm_through_a_real_smtp_server_and_sign_in")
    else {
        return;
    };
    let mut c = test_config();
    c.mail.smtp_host = "127.0.0.1".into();
    c.mail.smtp_port = sink.port;
    c.mail.smtp_tls = "none".into();
    let s = TestServer::start_with(c).await;
    let (st, v) = sign_up(&s, "Ada@Example.com", "correct horse", "Ada").await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["account"]["email_verified"], false);
    assert!(
        v["account"].get("email").is_none(),
        "the address is never sent back"
    );
    let (st, v) = sign_in(&s, "ada@example.com", "correct horse").await;
    assert_eq!((st, code(&v)), (403, "email_not_verified"));

    let mail = &sink.wait_for(1).await[0];
    assert!(mail.contains("X-Rcpt-To: ada@example.com"), "{mail}");
    let link = link_in(mail, &format!("{}/account/verify?token=", s.base)).expect("link");
    let path = link.strip_prefix(&s.base).unwrap();
    let (st, html) = s.get_text(path).await;
    assert_eq!(st, 200, "{html}");
    assert!(
        html.contains("confirmed") && html.contains("https://news.example/a"),
        "{html}"
    );
    let (st, _) = s.get_text(path).await;
    assert_eq!(st, 400, "a link works once");

    let (st, v) = sign_in(&s, "ADA@example.com", "correct horse").await;
    assert_eq!(st, 200, "{v}");
    let session = v["session"].as_str().unwrap();
    let (st, me) = send(
        &s,
        reqwest::Method::GET,
        "/api/account",
        Some(session),
        None,
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(me["account"]["name"], "Ada");
    assert_eq!(me["account"]["email_verified"], true);
}

#[tokio::test]
async fn sign_up_refuses_bad_input() {
    let s = TestServer::start().await;
    assert_eq!(
        sign_up(&s, "bo@example.com", "long enough", "Bo").await.0,
        201
    );
    let (st, v) = sign_up(&s, "BO@example.com", "long enough", "Bo 2").await;
    assert_eq!((st, code(&v)), (409, "email_taken"));
    let (st, v) = sign_up(&s, "cy@example.com", "short", "Cy").await;
    assert_eq!((st, code(&v)), (400, "weak_password"));
    let (st, v) = sign_up(&s, "not-an-address", "long enough", "Cy").await;
    assert_eq!((st, code(&v)), (400, "invalid_email"));
    let (st, v) = sign_up(&s, "cy@example.com", "long enough", "  ").await;
    assert_eq!((st, code(&v)), (400, "name_required"));
    let body = json!({"site": "news", "url": "https://evil.example/x", "email": "cy@example.com",
        "password": "long enough", "name": "Cy"});
    let (st, v) = post(&s, "/api/account/signup", body).await;
    assert_eq!((st, code(&v)), (403, "url_not_on_site"));
    let (st, v) = sign_in(&s, "bo@example.com", "wrong password").await;
    assert_eq!((st, code(&v)), (401, "invalid_credentials"));
    let (st, v) = sign_in(&s, "nobody@example.com", "long enough").await;
    assert_eq!((st, code(&v)), (401, "invalid_credentials"));
    let (st, v) = post(&s, "/api/account/link", json!({"token": "made-up"})).await;
    assert_eq!((st, code(&v)), (400, "invalid_link"));
}

#[tokio::test]
async fn signed_in_comments_carry_the_account_name_and_avatar() {
    let s = TestServer::start().await;
    let session = verified_reader(&s, "dee@example.com", "Dee").await;
    let body = json!({"site": "news", "url": page("/signed"), "body": "As Dee.",
        "author_name": "Someone Else"});
    let (st, v) = send(
        &s,
        reqwest::Method::POST,
        "/api/comments",
        Some(&session),
        Some(body),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["comment"]["author_name"], "Dee");
    assert_eq!(v["comment"]["signed_in"], true);
    let avatar = v["comment"]["avatar_url"].as_str().unwrap().to_string();
    assert!(avatar.starts_with("/api/avatars/") && avatar.ends_with(".svg"));
    let r = s.http.get(s.url(&avatar)).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    let svg = r.text().await.unwrap();
    assert!(svg.starts_with("<svg"));
    assert_eq!(
        svg,
        s.get_text(&avatar).await.1,
        "the same picture every time"
    );
    let id = v["comment"]["id"].as_i64().unwrap();
    let stored = s
        .store
        .comment(rostra_core::CommentId(id))
        .await
        .unwrap()
        .unwrap();
    assert!(stored.account_id.is_some());

    // A new name shows on past comments too.
    let patch = json!({"name": "Dee Dee"});
    let (st, v) = send(
        &s,
        reqwest::Method::PATCH,
        "/api/account",
        Some(&session),
        Some(patch),
    )
    .await;
    assert_eq!((st, v["account"]["name"].as_str()), (200, Some("Dee Dee")));
    let (_, thread) = s
        .get_json(&format!("/api/threads?site=news&url={}", page("/signed")))
        .await;
    assert_eq!(thread["comments"][0]["author_name"], "Dee Dee", "{thread}");

    // A guest's comment has neither.
    let (_, g) = s
        .post(json!({"site": "news", "url": page("/signed"), "body": "As a guest."}))
        .await;
    assert_eq!(g["comment"]["signed_in"], false);
    assert!(g["comment"].get("avatar_url").is_none());
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let s = TestServer::start().await;
    let session = verified_reader(&s, "eve@example.com", "Eve").await;
    let (st, _) = send(
        &s,
        reqwest::Method::POST,
        "/api/account/logout",
        Some(&session),
        None,
    )
    .await;
    assert_eq!(st, 200);
    let (st, v) = send(
        &s,
        reqwest::Method::GET,
        "/api/account",
        Some(&session),
        None,
    )
    .await;
    assert_eq!((st, code(&v)), (401, "not_signed_in"));
    let body = json!({"site": "news", "url": page("/x"), "body": "Still me?"});
    let (st, v) = send(
        &s,
        reqwest::Method::POST,
        "/api/comments",
        Some(&session),
        Some(body),
    )
    .await;
    assert_eq!(
        (st, code(&v)),
        (401, "not_signed_in"),
        "a stale token is refused, not ignored"
    );
    let (st, v) = send(&s, reqwest::Method::GET, "/api/account", None, None).await;
    assert_eq!((st, code(&v)), (401, "not_signed_in"));
}

#[tokio::test]
async fn an_emailed_link_signs_in_without_a_password() {
    let s = TestServer::start().await;
    let body = json!({"site": "news", "url": format!("{}#old", page("/article")),
        "email": "fay@example.com", "name": "Fay"});
    let (st, v) = post(&s, "/api/account/email-link", body).await;
    assert_eq!((st, v["sent"].as_bool()), (202, Some(true)));
    let mails = s.wait_for_mail(1).await;
    let link = link_in(&mails[0], "https://news.example/article#rostra-login=").expect("link");
    let token = link.split_once("#rostra-login=").unwrap().1;
    let (st, v) = post(&s, "/api/account/link", json!({"token": token})).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["account"]["name"], "Fay");
    assert_eq!(
        v["account"]["email_verified"], true,
        "the link proves the address"
    );
    let session = v["session"].as_str().unwrap();
    let (st, _) = send(
        &s,
        reqwest::Method::GET,
        "/api/account",
        Some(session),
        None,
    )
    .await;
    assert_eq!(st, 200);
    let (st, v) = post(&s, "/api/account/link", json!({"token": token})).await;
    assert_eq!((st, code(&v)), (400, "invalid_link"), "once only");
    // A second link for the same address signs in to the same account.
    let body = json!({"site": "news", "url": page("/b"), "email": "FAY@example.com"});
    assert_eq!(post(&s, "/api/account/email-link", body).await.0, 202);
    let token = mailed_token(&s, 2, "#rostra-login=").await;
    let (_, v) = post(&s, "/api/account/link", json!({"token": token})).await;
    assert_eq!(v["account"]["name"], "Fay");
}

#[tokio::test]
async fn a_password_can_be_reset_by_email() {
    let s = TestServer::start().await;
    verified_reader(&s, "gil@example.com", "Gil").await;
    let ask = |email: &str| json!({"site": "news", "url": page("/r"), "email": email});
    let (st, _) = post(&s, "/api/account/password-reset", ask("nobody@example.com")).await;
    assert_eq!(st, 202, "unknown addresses get the same answer");
    let (st, _) = post(&s, "/api/account/password-reset", ask("gil@example.com")).await;
    assert_eq!(st, 202);
    let token = mailed_token(&s, 2, "#rostra-reset=").await;
    assert_eq!(s.mail_files().len(), 2, "no mail for the unknown address");
    let (st, v) = post(
        &s,
        "/api/account/password",
        json!({"token": token, "password": "short"}),
    )
    .await;
    assert_eq!((st, code(&v)), (400, "weak_password"));
    let (st, v) = post(
        &s,
        "/api/account/password",
        json!({"token": token, "password": "brand new one"}),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert!(v["session"].is_string());
    assert_eq!(sign_in(&s, "gil@example.com", "correct horse").await.0, 401);
    assert_eq!(sign_in(&s, "gil@example.com", "brand new one").await.0, 200);
    let (st, v) = post(
        &s,
        "/api/account/password",
        json!({"token": token, "password": "another one!"}),
    )
    .await;
    assert_eq!((st, code(&v)), (400, "invalid_link"));
}

#[tokio::test]
async fn the_session_header_is_allowed_only_for_the_sites_origins() {
    let s = TestServer::start().await;
    let preflight = |origin: &'static str| {
        s.http
            .request(reqwest::Method::OPTIONS, s.url("/api/account"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", SESSION)
            .send()
    };
    let r = preflight("https://news.example").await.unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://news.example"
    );
    let allowed = r.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(allowed.contains(SESSION), "{allowed}");
    let r = preflight("https://evil.example").await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn account_writes_are_rate_limited() {
    let mut c = test_config();
    c.rate_limits.accounts_per_minute = 2;
    let s = TestServer::start_with(c).await;
    for i in 0..2 {
        let (st, v) = sign_up(&s, &format!("r{i}@example.com"), "long enough", "R").await;
        assert_eq!(st, 201, "{v}");
    }
    let (st, v) = sign_up(&s, "r3@example.com", "long enough", "R").await;
    assert_eq!((st, code(&v)), (429, "rate_limited"));
}
