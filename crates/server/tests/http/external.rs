//! The optional external classifier: asked over real HTTP, signed, heeded, and failing open or
//! closed as configured.

use rostra_core::CommentId;
use rostra_testkit::{page, test_config, TestServer};
use serde_json::{json, Value};

/// Posts as a guest with an author token; answers (status, body).
async fn post_as(s: &TestServer, author: &str, path: &str, body: &str) -> (u16, Value) {
    let r = s
        .http
        .post(s.url("/api/comments"))
        .header("x-rostra-author", author)
        .json(&json!({"site": "news", "url": page(path), "body": body}))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// A classifier the operator runs: a real HTTP server on 127.0.0.1 that checks the signature
/// and answers by what the comment says.
async fn classifier(delay_ms: u64) -> (String, std::sync::Arc<std::sync::Mutex<Vec<bool>>>) {
    use axum::{body::Bytes, http::HeaderMap, routing::post, Json, Router};
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = Router::new().route(
        "/classify",
        post(move |headers: HeaderMap, body: Bytes| {
            let log = log.clone();
            async move {
                let signed = headers["x-rostra-signature"].to_str().unwrap()
                    == rostra_server::external::signature("s3cret", &body);
                log.lock().unwrap().push(signed);
                tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
                let v: Value = serde_json::from_slice(&body).unwrap();
                let verdict = if v["body"].as_str().unwrap().contains("suspicious") {
                    "hold"
                } else {
                    "allow"
                };
                Json(json!({"verdict": verdict, "reason": "our newsroom model", "score": 0.91}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/classify", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

#[tokio::test]
async fn the_external_classifier_is_asked_signed_and_heeded() {
    let (url, seen) = classifier(0).await;
    let mut config = test_config();
    config.moderation.external_url = url;
    config.moderation.external_secret = "s3cret".into();
    let s = TestServer::start_with(config).await;
    let (_, v) = post_as(&s, "a", "/x", "A perfectly ordinary remark").await;
    assert_eq!(v["comment"]["status"], "published");
    let (_, v) = post_as(&s, "a", "/x", "A rather suspicious remark").await;
    assert_eq!(v["comment"]["status"], "pending");
    let c = s
        .store
        .comment(CommentId(v["comment"]["id"].as_i64().unwrap()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            c.reasons[0].check.as_str(),
            c.reasons[0].detail.as_str(),
            c.reasons[0].score
        ),
        ("external", "our newsroom model", Some(0.91))
    );
    assert_eq!(
        *seen.lock().unwrap(),
        [true, true],
        "every request was signed"
    );
}

#[tokio::test]
async fn a_silent_classifier_fails_open_or_closed_as_configured() {
    for (fail_open, expected) in [(true, "published"), (false, "pending")] {
        let (url, _) = classifier(2_000).await;
        let mut config = test_config();
        config.moderation.external_url = url;
        config.moderation.external_secret = "s3cret".into();
        config.moderation.external_timeout_ms = 50;
        config.moderation.external_fail_open = fail_open;
        let s = TestServer::start_with(config).await;
        let (_, v) = post_as(&s, "a", "/slow", "Waiting for an answer").await;
        assert_eq!(v["comment"]["status"], expected, "fail_open = {fail_open}");
    }
}
