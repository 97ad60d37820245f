//! Security: CORS only for the site's origins, writes refused from other origins, and every
//! XSS payload from the shared fixtures coming back with nothing executable.

use crate::{code, post};
use rostra_testkit::{
    encode, fixtures, page, test_config, thread_query, unsafe_html, unsafe_html_in_fragment,
    TestServer,
};
use serde_json::{json, Value};

#[tokio::test]
async fn cors_answers_only_the_sites_origins() {
    let s = TestServer::start().await;
    let preflight = |origin: &'static str| {
        s.http
            .request(reqwest::Method::OPTIONS, s.url("/api/comments"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let r = preflight("https://news.example").await.unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://news.example"
    );
    assert!(r
        .headers()
        .get("access-control-allow-credentials")
        .is_none());
    let r = preflight("https://evil.example").await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let r = s
        .http
        .get(s.url(&thread_query("/x")))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

/// A page on an origin the site does not list can read why it gets no thread (the widget says
/// what the site's owner must do), and nothing more: not a thread, not a write, not credentials.
#[tokio::test]
async fn a_reads_error_is_readable_from_any_origin_and_nothing_else_is() {
    let s = TestServer::start().await;
    let stranger = "https://blog.example";
    let off_site = format!(
        "/api/threads?site=news&url={}",
        encode("https://blog.example/a")
    );
    let r = s
        .http
        .get(s.url(&off_site))
        .header("origin", stranger)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(r.headers()["access-control-allow-origin"], stranger);
    assert!(r
        .headers()
        .get("access-control-allow-credentials")
        .is_none());
    assert!(r.headers()["vary"].to_str().unwrap().contains("origin"));
    assert_eq!(code(&r.json().await.unwrap()), "url_not_on_site");
    // The site's own origin reads it as before; a stranger still cannot read a thread.
    let r = s
        .http
        .get(s.url(&off_site))
        .header("origin", "https://news.example")
        .send();
    let r = r.await.unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://news.example"
    );
    let r = s
        .http
        .get(s.url(&thread_query("/a")))
        .header("origin", stranger)
        .send();
    let r = r.await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().get("access-control-allow-origin").is_none());
    // A write's error stays closed to it (its preflight is refused anyway).
    let r = s
        .http
        .post(s.url("/api/comments"))
        .header("origin", stranger)
        .json(&json!({"site": "news", "url": "https://blog.example/a", "body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn writes_from_another_origin_are_refused() {
    let s = TestServer::start().await;
    let (id, token) = post(&s, "/o", None, "mine").await;
    let evil = "https://evil.example";
    let r = s
        .http
        .post(s.url("/api/comments"))
        .header("origin", evil)
        .json(&json!({"site": "news", "url": page("/o"), "body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            code(&r.json().await.unwrap()).to_string()
        ),
        (403, "origin_not_allowed".into())
    );
    let r = s
        .http
        .patch(s.url(&format!("/api/comments/{id}")))
        .header("origin", evil)
        .bearer_auth(&token)
        .json(&json!({"body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = s
        .http
        .post(s.url(&format!("/api/comments/{id}/vote")))
        .header("origin", evil)
        .json(&json!({"value": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = s
        .http
        .post(s.url("/api/comments"))
        .header("origin", "https://news.example")
        .json(&json!({"site": "news", "url": page("/o"), "body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = s
        .http
        .post(s.url("/api/comments"))
        .header("origin", s.base.clone())
        .json(&json!({"site": "news", "url": page("/o"), "body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "Rostra's own pages may post");
}

/// Every payload in the shared XSS fixtures.
fn payloads(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let lists = std::fs::read_dir(dir.join("xss/payloadsallthethings")).unwrap();
    for f in lists {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        out.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string),
        );
    }
    let dompurify: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("xss/dompurify-expect.json")).unwrap(),
    )
    .unwrap();
    out.extend(
        dompurify
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["payload"].as_str().map(str::to_string)),
    );
    let html5lib: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("xss/html5lib-sanitizer-tests1.json")).unwrap(),
    )
    .unwrap();
    out.extend(
        html5lib
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["input"].as_str().map(str::to_string)),
    );
    out
}

#[tokio::test]
async fn xss_payloads_as_body_name_and_website_come_back_inert() {
    let Some(dir) = fixtures("xss_payloads_as_body_name_and_website_come_back_inert") else {
        return;
    };
    let payloads = payloads(&dir);
    assert!(
        payloads.len() > 2000,
        "fixtures are all there ({})",
        payloads.len()
    );
    let mut config = test_config();
    config.threads.page_size = 200;
    let s = TestServer::start_with(config).await;
    let mut stored = 0;
    for (i, p) in payloads.iter().enumerate() {
        let name: String = p.chars().take(64).collect();
        let path = format!("/xss{}", i % 4);
        let (st, v) = s
            .post(json!({"site": "news", "url": page(&path), "author_name": name, "body": p}))
            .await;
        match st {
            201 => {
                stored += 1;
                let problems = unsafe_html(v["comment"]["body_html"].as_str().unwrap());
                assert!(problems.is_empty(), "payload {p:?} gave {problems:?}");
            }
            400 => assert!(
                ["body_empty", "name_too_long", "body_too_long"].contains(&code(&v)),
                "{p:?}: {v}"
            ),
            other => panic!("payload {p:?} answered {other}: {v}"),
        }
        let (st, v) = s.post(json!({"site": "news", "url": page("/xss-web"), "author_url": p, "body": "see my site"})).await;
        match st {
            201 => {
                // A blank website is no website; any other must have become an http(s) URL.
                if let Some(u) = v["comment"]["author_url"].as_str() {
                    assert!(
                        u.starts_with("https://") || u.starts_with("http://"),
                        "{p:?} -> {u}"
                    );
                }
            }
            400 => assert_eq!(code(&v), "invalid_author_url", "{p:?}"),
            other => panic!("website {p:?} answered {other}: {v}"),
        }
    }
    assert!(
        stored > payloads.len() * 9 / 10,
        "most payloads are stored as text ({stored})"
    );
    for path in ["/xss0", "/xss1", "/xss2", "/xss3", "/xss-web"] {
        let mut cursor = String::new();
        loop {
            let q = format!(
                "/thread?site=news&url={}&fragment=1&cursor={cursor}",
                encode(&page(path))
            );
            let (st, html) = s.get_text(&q).await;
            assert_eq!(st, 200);
            let problems = unsafe_html_in_fragment(&html);
            assert!(problems.is_empty(), "{path} page: {problems:?}");
            let (_, v) = s
                .get_json(&format!("{}&cursor={cursor}", thread_query(path)))
                .await;
            for c in v["comments"].as_array().unwrap() {
                assert!(unsafe_html(c["body_html"].as_str().unwrap()).is_empty());
            }
            match v["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => break,
            }
        }
    }
}

#[tokio::test]
async fn html5lib_cases_lose_their_dangerous_parts() {
    let Some(dir) = fixtures("html5lib_cases_lose_their_dangerous_parts") else {
        return;
    };
    let cases: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("xss/html5lib-sanitizer-tests1.json")).unwrap(),
    )
    .unwrap();
    for case in cases.as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let html = rostra_core::markdown::render(input);
        assert!(unsafe_html(&html).is_empty(), "{}: {html}", case["name"]);
        // Where html5lib drops everything, nothing executable remains for us either; where it
        // keeps plain text, we keep that text.
        let expected_text = case["output"].as_str().unwrap();
        if !expected_text.contains('<')
            && !expected_text.contains("&lt;")
            && !expected_text.is_empty()
        {
            let visible = scraper::Html::parse_fragment(&html)
                .root_element()
                .text()
                .collect::<String>();
            assert!(
                visible.contains(expected_text.trim()) || expected_text.contains('&'),
                "{}: {html}",
                case["name"]
            );
        }
    }
}
