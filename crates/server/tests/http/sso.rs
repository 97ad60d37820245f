//! Publisher SSO: a token the publisher signs with the site's secret (HS256) signs its reader
//! in; expired, wrongly signed, wrong-audience and incomplete tokens are refused.

use crate::code;
use jsonwebtoken::{encode, EncodingKey, Header};
use rostra_testkit::{page, TestServer};
use serde_json::{json, Value};

const SECRET: &str = "publisher-secret-of-news";

fn now() -> i64 {
    rostra_server::state::now_ms() / 1000
}

fn token(claims: &Value, secret: &str) -> String {
    encode(
        &Header::default(),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn reader(name: &str) -> Value {
    json!({"id": "u-17", "name": name, "email": "Reader@News.example",
        "avatar": "https://news.example/u17.png", "role": "staff",
        "iat": now(), "exp": now() + 300, "aud": "news"})
}

async fn with_secret() -> TestServer {
    let mut c = rostra_testkit::test_config();
    c.rate_limits.logins_per_minute = 1000;
    let s = TestServer::start_with(c).await;
    let site = s.store.site_by_key("news").await.unwrap().unwrap();
    s.store.set_sso_secret(site.id, SECRET, 0).await.unwrap();
    s
}

async fn exchange(s: &TestServer, jwt: &str) -> (u16, Value) {
    let r = s
        .http
        .post(s.url("/api/sso"))
        .json(&json!({"site": "news", "token": jwt}))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn a_valid_token_signs_the_reader_in_as_one_account_of_the_site() {
    let s = with_secret().await;
    let (st, v) = exchange(&s, &token(&reader("Rita"), SECRET)).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["account"]["name"], "Rita");
    assert_eq!(v["account"]["sso"], true);
    assert_eq!(v["account"]["email_verified"], true);
    assert_eq!(v["account"]["avatar_url"], "https://news.example/u17.png");
    let first_id = v["account"]["id"].clone();
    let session = v["session"].as_str().unwrap().to_string();
    let r = s
        .http
        .post(s.url("/api/comments"))
        .header("x-rostra-session", &session)
        .json(&json!({"site": "news", "url": page("/sso"), "body": "Signed in by the site."}))
        .send()
        .await
        .unwrap();
    let posted: Value = r.json().await.unwrap();
    assert_eq!(posted["comment"]["author_name"], "Rita", "{posted}");

    // The same id later, with a new name: the same account, renamed.
    let (st, v) = exchange(&s, &token(&reader("Rita K."), SECRET)).await;
    assert_eq!(st, 200);
    assert_eq!(v["account"]["id"], first_id);
    assert_eq!(v["account"]["name"], "Rita K.");
    // Numeric ids work too, and make another account.
    let mut other = reader("Num");
    other["id"] = json!(42);
    let (st, v) = exchange(&s, &token(&other, SECRET)).await;
    assert_eq!(st, 200, "{v}");
    assert_ne!(v["account"]["id"], first_id);
}

#[tokio::test]
async fn bad_tokens_are_refused_with_the_reason() {
    let s = with_secret().await;
    let mut expired = reader("Old");
    expired["iat"] = json!(now() - 7200);
    expired["exp"] = json!(now() - 3600);
    let (st, v) = exchange(&s, &token(&expired, SECRET)).await;
    assert_eq!((st, code(&v)), (401, "invalid_sso_token"));
    assert!(
        v["error"]["message"].as_str().unwrap().contains("expired"),
        "{v}"
    );

    let (st, v) = exchange(&s, &token(&reader("Forger"), "not-the-secret")).await;
    assert_eq!((st, code(&v)), (401, "invalid_sso_token"));
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("signature"),
        "{v}"
    );

    let mut elsewhere = reader("Elsewhere");
    elsewhere["aud"] = json!("blog");
    let (st, v) = exchange(&s, &token(&elsewhere, SECRET)).await;
    assert_eq!((st, code(&v)), (401, "invalid_sso_token"));
    assert!(
        v["error"]["message"].as_str().unwrap().contains("audience"),
        "{v}"
    );

    let mut no_iat = reader("NoIat");
    no_iat.as_object_mut().unwrap().remove("iat");
    let (st, v) = exchange(&s, &token(&no_iat, SECRET)).await;
    assert_eq!((st, code(&v)), (401, "invalid_sso_token"), "{v}");

    let mut future = reader("Future");
    future["iat"] = json!(now() + 3600);
    future["exp"] = json!(now() + 7200);
    let (st, v) = exchange(&s, &token(&future, SECRET)).await;
    assert_eq!((st, code(&v)), (401, "invalid_sso_token"), "{v}");

    let (st, v) = exchange(&s, "not.a.jwt").await;
    assert_eq!((st, code(&v)), (401, "invalid_sso_token"));
}

#[tokio::test]
async fn a_site_without_a_secret_has_no_sso() {
    let s = TestServer::start().await;
    let (st, v) = exchange(&s, &token(&reader("Rita"), SECRET)).await;
    assert_eq!((st, code(&v)), (404, "sso_not_configured"));
}

#[tokio::test]
async fn staff_and_moderators_wear_a_badge_in_threads() {
    let s = with_secret().await;
    let (_, v) = exchange(&s, &token(&reader("Rita"), SECRET)).await;
    let staff = v["session"].as_str().unwrap().to_string();
    let mut plain = reader("Paul");
    plain["id"] = json!("u-2");
    plain.as_object_mut().unwrap().remove("role");
    let (_, v) = exchange(&s, &token(&plain, SECRET)).await;
    let paul = v["session"].as_str().unwrap().to_string();
    // A Rostra moderator of the site signs in with a reader account of the same address.
    s.add_user(
        "mo@news.example",
        rostra_core::user::Role::Moderator,
        &["news"],
    )
    .await;
    let mut mo = reader("Mo");
    mo["id"] = json!("u-3");
    mo["email"] = json!("mo@news.example");
    mo.as_object_mut().unwrap().remove("role");
    let (_, v) = exchange(&s, &token(&mo, SECRET)).await;
    let moderator = v["session"].as_str().unwrap().to_string();
    for (session, text) in [
        (&staff, "From staff."),
        (&paul, "From Paul."),
        (&moderator, "From Mo."),
    ] {
        let r = s
            .http
            .post(s.url("/api/comments"))
            .header("x-rostra-session", session)
            .json(&json!({"site": "news", "url": page("/badges"), "body": text}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let (_, t) = s
        .get_json(&format!("/api/threads?site=news&url={}", page("/badges")))
        .await;
    let badges: Vec<Value> = t["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.get("badge").cloned().unwrap_or(Value::Null))
        .collect();
    assert_eq!(
        badges,
        vec![json!("staff"), Value::Null, json!("moderator")],
        "{t}"
    );
    let (_, html) = s
        .get_text(&format!("/thread?site=news&url={}", page("/badges")))
        .await;
    assert!(
        html.contains(r#"<span class="rostra-badge">staff</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"<span class="rostra-badge">moderator</span>"#));
    assert_eq!(html.matches("rostra-badge").count(), 2);
}
