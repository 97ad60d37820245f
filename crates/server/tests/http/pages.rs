//! The HTML side: the plain thread page and its form, the demo article, assets, health, metrics,
//! and the OpenAPI document listing every route.

use crate::post;
use rostra_testkit::{encode, page, TestServer};
use serde_json::json;

#[tokio::test]
async fn the_plain_page_shows_the_thread_and_its_form_posts_back() {
    let s = TestServer::start().await;
    let first = json!({"site": "news", "url": page("/p"), "title": "A headline", "body": "Plain *text* comment"});
    let (status, v) = s.post(first).await;
    assert_eq!(status, 201, "{v}");
    let top = v["comment"]["id"].as_i64().unwrap();
    post(&s, "/p", Some(top), "A reply").await;
    let vote = s
        .http
        .post(s.url(&format!("/api/comments/{top}/vote")))
        .header("x-rostra-voter", "v1")
        .json(&json!({"value": 1}))
        .send();
    assert_eq!(vote.await.unwrap().status(), 200);
    let q = format!("/thread?site=news&url={}", encode(&page("/p")));
    let r = s.http.get(s.url(&q)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("default-src 'none'")
            && csp.contains("form-action 'self' https://news.example"),
        "{csp}"
    );
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<title>2 comments · A headline</title>"),
        "{html}"
    );
    assert!(
        html.contains(" 1 point</p>") && html.contains(" 0 points</p>"),
        "{html}"
    );
    let at = |id: &str| html.find(&format!("id=\"{id}\"")).unwrap();
    assert!(
        at("rostra-body") < at("rostra-name"),
        "the comment box comes first"
    );
    assert!(html.contains("2 comments"));
    assert!(html.contains("<em>text</em>"));
    assert!(html.contains("in reply to Anonymous"));
    assert!(html.contains(&format!("id=\"comment-{top}\"")));
    assert!(html.contains("<form method=\"post\""));
    assert!(html.contains("Tell us what you think."));
    let form = [
        ("site", "news"),
        ("url", &page("/p")),
        ("author_name", "Lynx User"),
        ("body", "Posted **without** JavaScript"),
        ("return_to", &s.url(&q)),
    ];
    let r = s
        .http
        .post(s.url("/thread/comment"))
        .header("origin", s.base.clone())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with(&s.url("/thread?")) && location.contains("#comment-"),
        "{location}"
    );
    let (_, html) = s.get_text(&q).await;
    assert!(
        html.contains("Posted <strong>without</strong> JavaScript") && html.contains("Lynx User")
    );
}

#[tokio::test]
async fn the_plain_form_shows_errors_and_never_redirects_elsewhere() {
    let s = TestServer::start().await;
    let form = [
        ("site", "news"),
        ("url", &page("/p2")),
        ("body", "  "),
        ("return_to", "https://evil.example/"),
    ];
    let r = s
        .http
        .post(s.url("/thread/comment"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let html = r.text().await.unwrap();
    assert!(html.contains("role=\"alert\"") && html.contains("The comment is empty."));
    let form = [
        ("site", "news"),
        ("url", &page("/p2")),
        ("body", "ok"),
        ("return_to", "https://evil.example/"),
    ];
    let r = s
        .http
        .post(s.url("/thread/comment"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(!r.headers()["location"]
        .to_str()
        .unwrap()
        .contains("evil.example"));
    let form = [
        ("site", "news"),
        ("url", &page("/p2")),
        ("body", "reply"),
        ("parent", "x"),
    ];
    let r = s
        .http
        .post(s.url("/thread/comment"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = s
        .http
        .get(s.url("/thread?site=nope&url=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("<h1>"));
}

#[tokio::test]
async fn replying_without_javascript() {
    let s = TestServer::start().await;
    let (top, _) = post(&s, "/r", None, "Reply to me").await;
    let q = format!("/thread?site=news&url={}&reply={top}", encode(&page("/r")));
    let (_, html) = s.get_text(&q).await;
    assert!(html.contains(&format!("name=\"parent\" value=\"{top}\"")));
    assert!(html.contains("Reply to Anonymous"));
}

#[tokio::test]
async fn widget_assets_are_hashed_and_cached() {
    let s = TestServer::start().await;
    let r = s.http.get(s.url("/embed.js")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age=300"));
    let embed = r.text().await.unwrap();
    assert!(!embed.contains("__ROSTRA_"), "placeholders are replaced");
    for asset in &s.state.assets.hashed {
        if asset.path.starts_with("/assets/widget.") {
            assert!(embed.contains(&asset.path), "embed.js names {}", asset.path);
        }
        let r = s.http.get(s.url(&asset.path)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable"));
    }
    let r = s
        .http
        .get(s.url("/assets/widget.0000000000.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn widget_files_go_gzipped_to_clients_that_accept_it() {
    use std::io::Read;
    let s = TestServer::start().await;
    let mut paths = vec![
        "/embed.js".to_string(),
        "/count.js".into(),
        "/lists.js".into(),
    ];
    paths.extend(s.state.assets.hashed.iter().map(|a| a.path.clone()));
    let mut sizes = Vec::new();
    for path in &paths {
        let get = |encoding: Option<&'static str>| {
            let mut r = s.http.get(s.url(path));
            if let Some(e) = encoding {
                r = r.header("accept-encoding", e);
            }
            r.send()
        };
        let plain = get(None).await.unwrap();
        assert!(plain.headers().get("content-encoding").is_none(), "{path}");
        let plain = plain.bytes().await.unwrap();
        for refused in ["identity", "gzip;q=0", "br"] {
            let r = get(Some(refused)).await.unwrap();
            assert!(
                r.headers().get("content-encoding").is_none(),
                "{path} {refused}"
            );
        }
        for accepted in [
            "gzip",
            "gzip, deflate, br, zstd",
            "br;q=1.0, gzip;q=0.8",
            "*",
        ] {
            let r = get(Some(accepted)).await.unwrap();
            assert_eq!(r.headers()["content-encoding"], "gzip", "{path} {accepted}");
            assert!(r.headers()["vary"]
                .to_str()
                .unwrap()
                .contains("accept-encoding"));
            let packed = r.bytes().await.unwrap();
            let mut unpacked = Vec::new();
            flate2::read::GzDecoder::new(&packed[..])
                .read_to_end(&mut unpacked)
                .unwrap();
            assert_eq!(unpacked, plain, "{path}: the same file");
            assert!(
                packed.len() < plain.len(),
                "{path}: {} of {}",
                packed.len(),
                plain.len()
            );
            if accepted == "gzip" {
                sizes.push((path.clone(), packed.len()));
            }
        }
    }
    eprintln!("gzipped sizes: {sizes:?}");
}

#[tokio::test]
async fn health_metrics_and_openapi() {
    let s = TestServer::start().await;
    post(&s, "/m", None, "counted").await;
    let (st, body) = s.get_text("/healthz").await;
    assert_eq!((st, body.trim()), (200, "ok"));
    let (st, metrics) = s.get_text("/metrics").await;
    assert_eq!(st, 200);
    assert!(metrics.contains("rostra_comments_created_total 1"));
    assert!(metrics.contains(
        "rostra_http_requests_total{method=\"POST\",route=\"/api/comments\",status=\"201\"} 1"
    ));
    assert!(metrics.contains("rostra_http_request_duration_seconds_bucket{route=\"/api/comments\""));
    let (st, doc) = s.get_json("/api/openapi.json").await;
    assert_eq!(st, 200);
    let routes = include_str!("../../src/routes.rs");
    for line in routes
        .lines()
        .filter(|l| l.trim_start().starts_with(".route(\""))
    {
        let path = line.split('"').nth(1).unwrap();
        if ["/", "/assets/{file}"].contains(&path)
            || path.starts_with("/admin")
            || path.starts_with("/demo")
        {
            continue;
        }
        assert!(
            doc["paths"][path].is_object(),
            "{path} is in the route table but not in openapi.json"
        );
    }
}

#[tokio::test]
async fn the_demo_article_embeds_the_thread_with_a_plain_fallback() {
    let s = TestServer::start().await;
    let site = rostra_core::NewSite {
        key: "demo".into(),
        name: "Demo".into(),
        origins: vec![s.base.clone()],
        prompt: None,
    };
    s.store
        .create_site(site.validate().unwrap(), 0)
        .await
        .unwrap();
    let (st, html) = s.get_text("/demo").await;
    assert_eq!(st, 200);
    assert!(html.contains("id=\"rostra-thread\"") && html.contains("data-rostra-site=\"demo\""));
    assert!(html.contains("<script src=\"/embed.js\" async></script>"));
    assert!(html.contains("More on this topic"));
    assert!(
        html.contains("<form method=\"post\""),
        "readers without JavaScript get the plain thread"
    );
}

#[tokio::test]
async fn reporting_without_javascript() {
    let s = TestServer::start().await;
    let (id, _) = post(&s, "/rep", None, "Report me").await;
    let q = format!(
        "/thread?site=news&url={}&report={id}",
        encode(&page("/rep"))
    );
    let (_, html) = s.get_text(&q).await;
    assert!(html.contains("id=\"rostra-report\"") && html.contains("value=\"harassment\""));
    let form = [
        ("site", "news"),
        ("comment", &*id.to_string()),
        ("reason", "spam"),
        ("note", "ads"),
        ("return_to", &s.url(&q)),
    ];
    let r = s
        .http
        .post(s.url("/thread/report"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with(&format!("#comment-{id}")));
    let reports = s.store.reports(rostra_core::CommentId(id)).await.unwrap();
    assert_eq!(
        (reports.len(), reports[0].note.as_deref()),
        (1, Some("ads"))
    );
    let bad = [
        ("site", "news"),
        ("comment", &*id.to_string()),
        ("reason", "boredom"),
    ];
    let r = s
        .http
        .post(s.url("/thread/report"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}
