//! Reading threads: nesting, sorting, paging, replies, ETags, counts, identifiers.

use crate::{find, post};
use rostra_testkit::{encode, page, test_config, thread_query, TestServer};
use serde_json::json;

#[tokio::test]
async fn an_unknown_page_is_an_empty_thread() {
    let s = TestServer::start().await;
    let (status, v) = s.get_json(&thread_query("/none")).await;
    assert_eq!(status, 200);
    assert_eq!(v["thread"]["id"], json!(null));
    assert_eq!(v["thread"]["comment_count"], 0);
    assert_eq!(v["comments"], json!([]));
    assert_eq!(v["site"]["prompt"], "Tell us what you think.");
}

#[tokio::test]
async fn replies_nest_three_deep_and_the_first_comment_makes_the_thread() {
    let s = TestServer::start().await;
    let (status, v) = s
        .post(json!({"site": "news", "url": page("/a?utm_source=x#top"), "title": "A story", "author_name": "Ada", "body": "Top"}))
        .await;
    assert_eq!(status, 201);
    assert_eq!(v["comment"]["author_name"], "Ada");
    assert_eq!(v["comment"]["status"], "published");
    let top = v["comment"]["id"].as_i64().unwrap();
    let (r1, _) = post(&s, "/a", Some(top), "Reply").await;
    let (r2, _) = post(&s, "/a/", Some(r1), "Reply to reply").await;
    let (_, v) = s.get_json(&thread_query("/a")).await;
    assert_eq!(v["thread"]["title"], "A story");
    assert_eq!(v["thread"]["url"], "https://news.example/a");
    assert_eq!(v["thread"]["comment_count"], 3);
    let c = &v["comments"][0];
    assert_eq!(c["id"], top);
    assert_eq!(c["replies"][0]["id"], r1);
    assert_eq!(c["replies"][0]["replies"][0]["id"], r2);
    assert_eq!(c["replies"][0]["replies"][0]["author_name"], "Anonymous");
    assert_eq!(c["reply_count"], 1);
}

#[tokio::test]
async fn sorts_order_top_level_comments() {
    let mut config = test_config();
    config.server.trust_forwarded_for = true;
    let s = TestServer::start_with(config).await;
    let (a, _) = post(&s, "/s", None, "first").await;
    let (b, _) = post(&s, "/s", None, "second").await;
    let (c, _) = post(&s, "/s", None, "third").await;
    for (voter, ip, id) in [
        ("v1", "10.0.0.1", b),
        ("v2", "10.0.0.2", b),
        ("v3", "10.0.0.3", c),
    ] {
        let r = s
            .http
            .post(s.url(&format!("/api/comments/{id}/vote")))
            .header("x-rostra-voter", voter)
            .header("x-forwarded-for", ip)
            .json(&json!({"value": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let ids = |v: &serde_json::Value| {
        v["comments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    let (_, v) = s
        .get_json(&format!("{}&sort=oldest", thread_query("/s")))
        .await;
    assert_eq!(ids(&v), [a, b, c]);
    let (_, v) = s
        .get_json(&format!("{}&sort=newest", thread_query("/s")))
        .await;
    assert_eq!(ids(&v), [c, b, a]);
    let (_, v) = s
        .get_json(&format!("{}&sort=best", thread_query("/s")))
        .await;
    assert_eq!(v["sort"], "best");
    assert_eq!(ids(&v), [b, c, a]);
}

#[tokio::test]
async fn top_level_pages_and_more_replies_cover_a_big_thread_exactly_once() {
    let mut config = test_config();
    config.threads.page_size = 5;
    config.threads.replies_per_comment = 3;
    let s = TestServer::start_with(config).await;
    let mut all = Vec::new();
    for i in 0..12 {
        let (top, _) = post(&s, "/big", None, &format!("top {i}")).await;
        all.push(top);
        if i == 0 {
            for j in 0..8 {
                let (r, _) = post(&s, "/big", Some(top), &format!("reply {j}")).await;
                all.push(r);
                if j == 1 {
                    let (rr, _) = post(&s, "/big", Some(r), "deep").await;
                    all.push(rr);
                }
            }
        }
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pending_replies: Vec<(i64, String)> = Vec::new();
    loop {
        let q = match &cursor {
            Some(c) => format!("{}&cursor={c}", thread_query("/big")),
            None => thread_query("/big"),
        };
        let (status, v) = s.get_json(&q).await;
        assert_eq!(status, 200);
        assert!(v["comments"].as_array().unwrap().len() <= 5);
        collect(&v["comments"], &mut seen, &mut pending_replies);
        match v["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    while let Some((id, c)) = pending_replies.pop() {
        let (status, v) = s
            .get_json(&format!("/api/comments/{id}/replies?cursor={c}"))
            .await;
        assert_eq!(status, 200, "{v}");
        collect(&v["comments"], &mut seen, &mut pending_replies);
        if let Some(next) = v["next_cursor"].as_str() {
            pending_replies.push((id, next.to_string()));
        }
    }
    seen.sort();
    all.sort();
    assert_eq!(seen, all, "every comment exactly once");
}

fn collect(comments: &serde_json::Value, seen: &mut Vec<i64>, more: &mut Vec<(i64, String)>) {
    for c in comments.as_array().unwrap() {
        let id = c["id"].as_i64().unwrap();
        seen.push(id);
        if let Some(m) = c["more_replies"].as_str() {
            more.push((id, m.to_string()));
        }
        collect(&c["replies"], seen, more);
    }
}

#[tokio::test]
async fn etags_give_304_until_the_thread_changes() {
    let s = TestServer::start().await;
    post(&s, "/e", None, "one").await;
    let r = s.http.get(s.url(&thread_query("/e"))).send().await.unwrap();
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let r = s
        .http
        .get(s.url(&thread_query("/e")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    post(&s, "/e", None, "two").await;
    let r = s
        .http
        .get(s.url(&thread_query("/e")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        v["comments"].as_array().unwrap().len(),
        2,
        "the cache was invalidated by the write"
    );
}

/// A page already cached is answered before routing (`cached_reads`); it must be the answer
/// the router gives, header for header, for plain, cross-origin and conditional reads.
#[tokio::test]
async fn a_cached_page_is_answered_as_the_first_read_was() {
    let s = TestServer::start().await;
    post(&s, "/same", None, "one").await;
    let read = |origin: Option<&'static str>, etag: Option<String>, url: &'static str| {
        let mut r = s.http.get(s.url(&thread_query(url)));
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        if let Some(e) = etag {
            r = r.header("if-none-match", e);
        }
        async move {
            let r = r.send().await.unwrap();
            let status = r.status().as_u16();
            let mut headers: Vec<(String, String)> = r
                .headers()
                .iter()
                .filter(|(k, _)| *k != "date")
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
                .collect();
            headers.sort();
            (status, headers, r.bytes().await.unwrap())
        }
    };
    // Each case on a thread of its own, so that its first read is the router's.
    for (origin, url) in [
        (None, "/same"),
        (Some("https://news.example"), "/same-cors"),
    ] {
        if url != "/same" {
            post(&s, url, None, "one").await;
        }
        let first = read(origin, None, url).await;
        let again = read(origin, None, url).await;
        assert_eq!(first.0, 200);
        assert_eq!(first, again, "{origin:?}");
        if origin.is_some() {
            assert!(first.1.contains(&(
                "access-control-allow-origin".into(),
                "https://news.example".into()
            )));
        }
        let etag = first.1.iter().find(|(k, _)| k == "etag").unwrap().1.clone();
        let not_modified = read(origin, Some(etag), url).await;
        assert_eq!(not_modified.0, 304);
        assert!(not_modified.2.is_empty());
    }
    // Reads answered from the cache are counted like the others.
    let (_, metrics) = s.get_text("/metrics").await;
    assert!(
        metrics.contains(
            "rostra_http_requests_total{method=\"GET\",route=\"/api/threads\",status=\"200\"} 4"
        ),
        "{metrics}"
    );
    assert!(metrics.contains(
        "rostra_http_requests_total{method=\"GET\",route=\"/api/threads\",status=\"304\"} 2"
    ));
}

#[tokio::test]
async fn counts_for_many_pages_at_once() {
    let s = TestServer::start().await;
    post(&s, "/c1", None, "x").await;
    post(&s, "/c1", None, "y").await;
    post(&s, "/c2", None, "z").await;
    let q = format!(
        "/api/counts?site=news&url={}&url={}&url={}&url=not-a-url",
        encode(&page("/c1")),
        encode(&page("/c2/#x")),
        encode(&page("/c3"))
    );
    let (status, v) = s.get_json(&q).await;
    assert_eq!(status, 200);
    assert_eq!(v["counts"][page("/c1")], 2);
    assert_eq!(v["counts"][page("/c2/#x")], 1);
    assert_eq!(v["counts"][page("/c3")], 0);
    assert_eq!(v["counts"]["not-a-url"], 0);
    let r = s.http.get(s.url(&q)).send().await.unwrap();
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let again = s.http.get(s.url(&q)).header("if-none-match", &etag);
    assert_eq!(
        again.send().await.unwrap().status(),
        304,
        "unchanged counts"
    );
    post(&s, "/c3", None, "new").await;
    let again = s.http.get(s.url(&q)).header("if-none-match", &etag);
    assert_eq!(
        again.send().await.unwrap().status(),
        200,
        "a write changes them"
    );
    let (_, v) = s.get_json(&q).await;
    assert_eq!(
        v["counts"][page("/c3")],
        1,
        "counts are invalidated by writes"
    );
    post(&s, "/c1", None, "more").await;
    let (_, v) = s.get_json(&q).await;
    assert_eq!(
        v["counts"][page("/c1")],
        3,
        "for threads that had a count too"
    );
}

#[tokio::test]
async fn an_explicit_identifier_keys_the_thread() {
    let s = TestServer::start().await;
    let (status, _) = s.post(json!({"site": "news", "url": page("/old-url"), "identifier": "story-42", "body": "hi"})).await;
    assert_eq!(status, 201);
    let (_, v) = s
        .get_json(&format!(
            "/api/threads?site=news&url={}&identifier=story-42",
            encode(&page("/new-url"))
        ))
        .await;
    assert_eq!(v["thread"]["comment_count"], 1);
    let (_, v) = s.get_json(&thread_query("/new-url")).await;
    assert_eq!(v["thread"]["comment_count"], 0);
    assert!(find(&v["comments"], 1).is_none());
}
