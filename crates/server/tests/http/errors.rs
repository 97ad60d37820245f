//! Every error the API gives: its status and stable code. Nothing a client sends is a 500.

use crate::{code, post};
use rostra_testkit::{encode, page, test_config, thread_query, TestServer};
use serde_json::{json, Value};

fn comment(extra: Value) -> Value {
    let mut c = json!({"site": "news", "url": page("/err"), "body": "fine"});
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

#[tokio::test]
async fn bad_comments_get_their_own_codes() {
    let s = TestServer::start().await;
    let (parent, _) = post(&s, "/err", None, "parent").await;
    let (elsewhere, _) = post(&s, "/other", None, "in another thread").await;
    let cases = [
        (json!({"site": "nope"}), 404, "unknown_site"),
        (
            json!({"url": "https://evil.example/a"}),
            403,
            "url_not_on_site",
        ),
        (json!({"url": "not a url"}), 400, "invalid_url"),
        (json!({"url": "javascript:alert(1)"}), 400, "invalid_url"),
        (json!({"identifier": ""}), 400, "invalid_identifier"),
        (
            json!({"identifier": "x".repeat(201)}),
            400,
            "invalid_identifier",
        ),
        (json!({"body": "   \n "}), 400, "body_empty"),
        (json!({"body": "x".repeat(10_001)}), 400, "body_too_long"),
        (json!({"author_name": "n".repeat(65)}), 400, "name_too_long"),
        (
            json!({"author_email": "not-an-address"}),
            400,
            "invalid_email",
        ),
        (
            json!({"author_url": "javascript:alert(1)"}),
            400,
            "invalid_author_url",
        ),
        (json!({"title": "t".repeat(301)}), 400, "title_too_long"),
        (json!({"parent": 987_654_321}), 422, "parent_not_found"),
        (json!({"parent": elsewhere}), 422, "parent_not_found"),
        (json!({"body": 5}), 400, "malformed_json"),
        (json!({"parent": "seven"}), 400, "malformed_json"),
    ];
    for (extra, status, expected) in cases {
        let (got, v) = s.post(comment(extra.clone())).await;
        assert_eq!((got, code(&v)), (status, expected), "{extra}");
        assert!(v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    let (got, _) = s.post(comment(json!({"parent": parent}))).await;
    assert_eq!(got, 201);
}

#[tokio::test]
async fn malformed_requests() {
    let s = TestServer::start().await;
    let send = |body: &'static str, ctype: Option<&'static str>| {
        let mut r = s.http.post(s.url("/api/comments")).body(body);
        if let Some(c) = ctype {
            r = r.header("content-type", c);
        }
        async move {
            let r = r.send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (st, v) = send("{not json", Some("application/json")).await;
    assert_eq!((st, code(&v)), (400, "malformed_json"));
    let (st, v) = send("{}", Some("application/json")).await;
    assert_eq!((st, code(&v)), (400, "malformed_json"), "missing fields");
    let (st, v) = send("site=news", Some("application/x-www-form-urlencoded")).await;
    assert_eq!((st, code(&v)), (415, "unsupported_media_type"));
    let (st, v) = send("{}", None).await;
    assert_eq!((st, code(&v)), (415, "unsupported_media_type"));
    let big = format!(
        "{{\"site\":\"news\",\"url\":\"{}\",\"body\":\"{}\"}}",
        page("/x"),
        "x".repeat(200_000)
    );
    let r = s
        .http
        .post(s.url("/api/comments"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(code(&r.json().await.unwrap()), "payload_too_large");
}

#[tokio::test]
async fn bad_queries() {
    let s = TestServer::start().await;
    let cases = [
        ("/api/threads?site=news".to_string(), 400, "invalid_query"),
        (
            format!("{}&sort=loudest", thread_query("/q")),
            400,
            "invalid_sort",
        ),
        (
            format!("{}&cursor=bogus", thread_query("/q")),
            400,
            "invalid_cursor",
        ),
        (
            format!("/api/threads?site=nope&url={}", encode(&page("/q"))),
            404,
            "unknown_site",
        ),
        ("/api/counts?url=x".to_string(), 400, "invalid_query"),
        (
            format!("/api/counts?site=news{}", "&url=x".repeat(101)),
            400,
            "invalid_query",
        ),
        (
            "/api/comments/123456/replies".to_string(),
            404,
            "comment_not_found",
        ),
        (
            "/api/comments/abc/replies".to_string(),
            404,
            "comment_not_found",
        ),
        ("/api/nothing-here".to_string(), 404, "not_found"),
    ];
    for (path, status, expected) in cases {
        let (got, v) = s.get_json(&path).await;
        assert_eq!((got, code(&v)), (status, expected), "{path}");
    }
    let r = s.http.put(s.url("/api/comments")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(code(&r.json().await.unwrap()), "method_not_allowed");
}

#[tokio::test]
async fn edit_and_delete_need_the_token_in_time() {
    let s = TestServer::start().await;
    let (id, token) = post(&s, "/tok", None, "mine").await;
    let url = s.url(&format!("/api/comments/{id}"));
    let r = s
        .http
        .patch(&url)
        .json(&json!({"body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            code(&r.json().await.unwrap()).to_string()
        ),
        (401, "missing_token".into())
    );
    let r = s
        .http
        .delete(&url)
        .bearer_auth("not-the-token")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            code(&r.json().await.unwrap()).to_string()
        ),
        (403, "invalid_token".into())
    );
    let r = s
        .http
        .patch(&url)
        .bearer_auth(&token)
        .json(&json!({"body": " "}))
        .send()
        .await
        .unwrap();
    assert_eq!(code(&r.json().await.unwrap()), "body_empty");
    let r = s
        .http
        .patch(s.url("/api/comments/999999"))
        .bearer_auth(&token)
        .json(&json!({"body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            code(&r.json().await.unwrap()).to_string()
        ),
        (404, "comment_not_found".into())
    );
    let r = s
        .http
        .delete(&url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = s
        .http
        .delete(&url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            code(&r.json().await.unwrap()).to_string()
        ),
        (409, "comment_deleted".into())
    );
}

#[tokio::test]
async fn the_edit_window_closes() {
    let mut config = test_config();
    config.comments.edit_window_secs = 0;
    let s = TestServer::start_with(config).await;
    let (id, token) = post(&s, "/late", None, "too late to change").await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let r = s
        .http
        .patch(s.url(&format!("/api/comments/{id}")))
        .bearer_auth(&token)
        .json(&json!({"body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            code(&r.json().await.unwrap()).to_string()
        ),
        (403, "edit_window_expired".into())
    );
}

#[tokio::test]
async fn votes_and_replies_on_what_cannot_take_them() {
    let s = TestServer::start().await;
    let (id, token) = post(&s, "/vv", None, "soon gone").await;
    let vote = |id: i64, value: Value| {
        s.http
            .post(s.url(&format!("/api/comments/{id}/vote")))
            .json(&json!({"value": value}))
            .send()
    };
    let r = vote(id, json!(2)).await.unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            code(&r.json().await.unwrap()).to_string()
        ),
        (400, "invalid_vote".into())
    );
    let r = vote(999_999, json!(1)).await.unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            code(&r.json().await.unwrap()).to_string()
        ),
        (404, "comment_not_found".into())
    );
    s.http
        .delete(s.url(&format!("/api/comments/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let r = vote(id, json!(1)).await.unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            code(&r.json().await.unwrap()).to_string()
        ),
        (409, "comment_deleted".into())
    );
    let (st, v) = s
        .post(
            json!({"site": "news", "url": page("/vv"), "parent": id, "body": "reply to the gone"}),
        )
        .await;
    assert_eq!((st, code(&v)), (409, "comment_deleted"));
}

#[tokio::test]
async fn closed_threads_refuse_comments_but_stay_readable() {
    let s = TestServer::start().await;
    post(&s, "/closed", None, "before closing").await;
    let thread = s
        .store
        .thread_by_key(rostra_core::SiteId(1), &page("/closed"))
        .await
        .unwrap()
        .unwrap();
    s.store.set_thread_closed(thread.id, true).await.unwrap();
    let (st, v) = s
        .post(json!({"site": "news", "url": page("/closed"), "body": "after"}))
        .await;
    assert_eq!((st, code(&v)), (403, "thread_closed"));
    let (st, v) = s
        .get_json(&format!("{}&sort=newest", thread_query("/closed")))
        .await;
    assert_eq!(st, 200);
    assert_eq!(v["thread"]["closed"], true);
}

#[tokio::test]
async fn threads_close_after_the_configured_days() {
    let mut config = test_config();
    config.threads.close_after_days = 30;
    let s = TestServer::start_with(config).await;
    let site = s.store.site_by_key("news").await.unwrap().unwrap();
    let old = rostra_core::NewComment {
        site_id: site.id,
        thread_key: page("/archive"),
        page_url: page("/archive"),
        page_title: None,
        parent_id: None,
        status: rostra_core::Status::Published,
        author_name: None,
        author_email: None,
        author_url: None,
        body: "from last year".into(),
        body_html: "<p>from last year</p>".into(),
        created_at: 1_000,
        edit_token_hash: "x".into(),
        ip_hash: None,
        author_key: None,
        net_hash: None,
        reasons: Vec::new(),
        close_before: None,
        account_id: None,
        author_badge: None,
    };
    s.store.create_comment(old).await.unwrap();
    let (st, v) = s
        .post(json!({"site": "news", "url": page("/archive"), "body": "too late"}))
        .await;
    assert_eq!((st, code(&v)), (403, "thread_closed"));
    let (_, v) = s.get_json(&thread_query("/archive")).await;
    assert_eq!(v["thread"]["closed"], true);
    post(&s, "/fresh", None, "new threads are open").await;
}
