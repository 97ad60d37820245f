//! Errors from the edges of input: writes over the rate limit get 429 with `Retry-After`, and NUL
//! characters anywhere are refused or dropped, never a 500.

use crate::{code, post};
use rostra_testkit::{page, test_config, thread_query, TestServer};
use serde_json::json;

#[tokio::test]
async fn writes_are_rate_limited_with_retry_after() {
    let mut config = test_config();
    config.rate_limits.comments_per_minute = 1;
    config.rate_limits.comments_burst = 2;
    let s = TestServer::start_with(config).await;
    post(&s, "/rl", None, "one").await;
    post(&s, "/rl", None, "two").await;
    let r = s
        .http
        .post(s.url("/api/comments"))
        .json(&json!({"site": "news", "url": page("/rl"), "body": "three"}))
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
    let (_, v) = s.get_json(&thread_query("/rl")).await;
    assert_eq!(
        v["thread"]["comment_count"], 2,
        "the refused comment was not stored"
    );
}

#[tokio::test]
async fn nul_characters_anywhere_are_a_4xx_or_dropped_never_a_500() {
    let s = TestServer::start().await;
    let (st, v) = s
        .post(json!({"site": "ne\u{0}ws", "url": page("/nul"), "body": "x"}))
        .await;
    assert_eq!((st, code(&v)), (404, "unknown_site"));
    let (st, v) = s
        .post(json!({"site": "news", "url": page("/nul"), "identifier": "a\u{0}b", "body": "x"}))
        .await;
    assert_eq!((st, code(&v)), (400, "invalid_identifier"));
    let (st, v) = s.post(json!({"site": "news", "url": page("/nul\u{0}"), "title": "t\u{0}", "author_name": "n\u{0}", "author_url": "https://a.example/\u{0}", "body": "b\u{0}ody"})).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["comment"]["body_html"], "<p>body</p>\n");
    let (st, _) = s.get_json("/api/counts?site=news%00&url=x").await;
    assert_eq!(st, 404);
    let r = s
        .http
        .post(s.url("/admin/login"))
        .form(&[("email", "a\u{0}@b.example"), ("password", "x\u{0}")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}
