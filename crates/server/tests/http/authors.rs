//! The nudge before posting: `POST /api/comments/check` (verdict, reasons with offsets into the
//! body, the sentence for the author; nothing stored, the duplicate check not fed; the same 4xx
//! as posting; its own rate limit), and the thread telling the widget to use it.

use crate::code;
use rostra_core::user::Role;
use rostra_core::CommentId;
use rostra_server::moderating::{act, Action};
use rostra_testkit::{page, test_config, thread_query, TestServer};
use serde_json::{json, Value};

pub const THREAT: &str = "I will find you and shoot you, you worthless idiot.";
pub const CIVIL: &str = "Thanks for the thoughtful article, I learned a lot.";

async fn check(s: &TestServer, body: Value) -> (u16, Value) {
    let r = s
        .http
        .post(s.url("/api/comments/check"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

pub fn draft(path: &str, body: &str) -> Value {
    json!({"site": "news", "url": page(path), "body": body})
}

/// Posts as a guest with this author token; answers (id, edit token, status).
pub async fn post_as(
    s: &TestServer,
    author: &str,
    path: &str,
    body: &str,
) -> (i64, String, String) {
    let r = s
        .http
        .post(s.url("/api/comments"))
        .header("x-rostra-author", author)
        .json(&draft(path, body))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    (
        v["comment"]["id"].as_i64().unwrap(),
        v["edit_token"].as_str().unwrap().into(),
        v["comment"]["status"].as_str().unwrap().into(),
    )
}

pub async fn moderator_acts(s: &TestServer, id: i64, action: Action, note: Option<&str>) {
    if s.store
        .user_by_email("mod@example.org")
        .await
        .unwrap()
        .is_none()
    {
        s.add_user("mod@example.org", Role::Admin, &[]).await;
    }
    let user = s
        .store
        .user_by_email("mod@example.org")
        .await
        .unwrap()
        .unwrap();
    act(
        &s.state,
        &user,
        CommentId(id),
        action,
        note.map(str::to_string),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_check_answers_what_would_be_held_and_stores_nothing() {
    let s = TestServer::start().await;
    let (st, v) = check(&s, draft("/c", CIVIL)).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (v["verdict"].as_str(), &v["reasons"], &v["message"]),
        (Some("allow"), &json!([]), &Value::Null)
    );

    // Leading blanks are trimmed before the checks; offsets still point into what was sent.
    let sent = format!("  \n{THREAT}");
    let (st, v) = check(&s, draft("/c", &sent)).await;
    assert_eq!((st, v["verdict"].as_str()), (200, Some("hold")), "{v}");
    let reasons = v["reasons"].as_array().unwrap();
    assert!(reasons.iter().any(|r| r["attribute"].is_string()), "{v}");
    let mut spans = 0;
    for r in reasons {
        assert_eq!(r["verdict"], "hold");
        assert!(
            r["detail"]
                .as_str()
                .unwrap()
                .contains(r["check"].as_str().unwrap()),
            "{r}"
        );
        for sp in r["spans"].as_array().unwrap() {
            let (a, b) = (
                sp["start"].as_u64().unwrap() as usize,
                sp["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&sent[a..b], sp["text"].as_str().unwrap(), "{sp}");
            spans += 1;
        }
    }
    assert!(spans > 0, "the words behind the hold are marked: {v}");
    let message = v["message"].as_str().unwrap();
    assert!(message.starts_with("This may be read as "), "{message}");
    assert!(
        message.ends_with("Edit it, or post it for a moderator to review."),
        "{message}"
    );
    let (_, t) = s.get_json(&thread_query("/c")).await;
    assert_eq!(
        (t["thread"]["id"].clone(), t["comments"].clone()),
        (Value::Null, json!([])),
        "nothing stored"
    );

    // Checking a text does not make posting it a repeat; once posted, a check sees the repeat.
    let long = "A long and civil remark about the tram timetable and the new stops downtown.";
    for _ in 0..2 {
        assert_eq!(check(&s, draft("/d", long)).await.1["verdict"], "allow");
    }
    let (_, _, status) = post_as(&s, "a", "/d", long).await;
    assert_eq!(status, "published", "the checks remembered nothing");
    let (_, v) = check(&s, draft("/d", long)).await;
    assert_eq!(
        (v["verdict"].as_str(), v["reasons"][0]["check"].as_str()),
        (Some("hold"), Some("duplicate"))
    );
    assert_eq!(
        v["message"],
        "The same text was posted a moment ago. Edit it, or post it for a moderator to review."
    );
}

/// A raw request to a write endpoint; answers (status, error code).
async fn raw(s: &TestServer, path: &str, ctype: &str, body: Vec<u8>) -> (u16, String) {
    let r = s
        .http
        .post(s.url(path))
        .header("content-type", ctype)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    (status, code(&v).to_string())
}

#[tokio::test]
async fn the_check_refuses_bad_input_as_posting_does() {
    let mut config = test_config();
    config.server.max_body_bytes = 16 * 1024;
    let s = TestServer::start_with(config).await;
    let json_of = |body: &str| serde_json::to_vec(&draft("/bad", body)).unwrap();
    let mut non_utf8 = json_of("caf__");
    let at = non_utf8.windows(2).position(|w| w == b"__").unwrap();
    non_utf8[at] = 0xff;
    non_utf8[at + 1] = 0xfe;
    let cases: Vec<(&str, &str, Vec<u8>, u16, &str)> = vec![
        (
            "empty",
            "application/json",
            json_of(" \n\t "),
            400,
            "body_empty",
        ),
        (
            "over the body limit",
            "application/json",
            json_of(&"x".repeat(10_001)),
            400,
            "body_too_long",
        ),
        (
            "huge",
            "application/json",
            json_of(&"x".repeat(40_000)),
            413,
            "payload_too_large",
        ),
        (
            "binary",
            "application/octet-stream",
            vec![0, 159, 146, 150, 255, 1],
            415,
            "unsupported_media_type",
        ),
        (
            "binary as JSON",
            "application/json",
            vec![0, 159, 146, 150, 255, 1],
            400,
            "malformed_json",
        ),
        (
            "non-UTF-8",
            "application/json",
            non_utf8,
            400,
            "malformed_json",
        ),
        (
            "unknown site",
            "application/json",
            serde_json::to_vec(&json!({"site": "nope", "url": page("/x"), "body": "hi"})).unwrap(),
            404,
            "unknown_site",
        ),
    ];
    for (what, ctype, body, status, want) in cases {
        let posted = raw(&s, "/api/comments", ctype, body.clone()).await;
        let checked = raw(&s, "/api/comments/check", ctype, body).await;
        assert_eq!(posted, (status, want.to_string()), "posting {what}");
        assert_eq!(checked, posted, "checking {what} answers as posting does");
    }
    let r = s
        .http
        .post(s.url("/api/comments/check"))
        .header("origin", "https://evil.example")
        .json(&draft("/bad", CIVIL))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (r.status().as_u16(), code(&r.json().await.unwrap())),
        (403, "origin_not_allowed")
    );
}

#[tokio::test]
async fn the_check_has_its_own_bucket_with_the_limits_of_posting() {
    let mut config = test_config();
    config.rate_limits.comments_per_minute = 1;
    config.rate_limits.comments_burst = 2;
    let s = TestServer::start_with(config).await;
    for _ in 0..2 {
        assert_eq!(check(&s, draft("/rl", CIVIL)).await.0, 200);
    }
    let r = s
        .http
        .post(s.url("/api/comments/check"))
        .json(&draft("/rl", CIVIL))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(code(&r.json().await.unwrap()), "rate_limited");
    // Checking used its own bucket: posting still has its two.
    post_as(&s, "a", "/rl", "one").await;
    post_as(&s, "a", "/rl", "two").await;
}

#[tokio::test]
async fn the_thread_tells_the_widget_to_nudge() {
    let s = TestServer::start().await;
    let (_, v) = s.get_json(&thread_query("/n")).await;
    assert_eq!(v["site"]["nudge"], true, "on by default: {v}");
}
