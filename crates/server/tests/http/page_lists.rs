//! The page around the threads (Atom feeds are in `feeds`): "Most discussed"
//! and "Latest comments" as JSON and as HTML fragments, and the badge and list scripts.

use crate::code;
use rostra_core::{NewComment, Status};
use rostra_testkit::{page, unsafe_html_in_fragment, TestServer};
use serde_json::{json, Value};

pub(crate) const XSS_NAME: &str = "<script>alert('name')</script>&amp;";

/// Posts a comment under a name; answers (status, body).
pub(crate) async fn post_named(s: &TestServer, path: &str, name: &str, body: &str) -> (u16, Value) {
    s.post(
        json!({"site": "news", "url": page(path), "title": format!("Story {path}"),
        "author_name": name, "author_email": "secret@example.org", "body": body}),
    )
    .await
}

pub(crate) async fn post_ok(s: &TestServer, path: &str, name: &str, body: &str) -> i64 {
    let (st, v) = post_named(s, path, name, body).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["comment"]["status"], "published", "{v}");
    v["comment"]["id"].as_i64().unwrap()
}

/// A comment held by the link check (the site allows 2 links).
pub(crate) async fn post_held(s: &TestServer, path: &str) -> i64 {
    let (st, v) = post_named(
        s,
        path,
        "Held",
        "held https://a.example https://b.example https://c.example",
    )
    .await;
    assert_eq!(
        (st, v["comment"]["status"].as_str()),
        (201, Some("pending"))
    );
    v["comment"]["id"].as_i64().unwrap()
}

pub(crate) async fn delete(s: &TestServer, id: i64, token: &str) {
    let r = s
        .http
        .delete(s.url(&format!("/api/comments/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

pub(crate) fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Stores a published comment written `days_ago` days back (the API always writes "now").
async fn backdated(s: &TestServer, path: &str, days_ago: i64) {
    let site = s.store.site_by_key("news").await.unwrap().unwrap();
    let at = rostra_server::state::now_ms() - days_ago * 86_400_000;
    s.store
        .create_comment(NewComment {
            site_id: site.id,
            thread_key: page(path),
            page_url: page(path),
            page_title: Some(format!("Story {path}")),
            parent_id: None,
            status: Status::Published,
            author_name: Some("Old".into()),
            author_email: None,
            author_url: None,
            body: "old".into(),
            body_html: "<p>old</p>".into(),
            created_at: at,
            edit_token_hash: "x".into(),
            ip_hash: None,
            author_key: None,
            net_hash: None,
            reasons: Vec::new(),
            close_before: None,
            account_id: None,
            author_badge: None,
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn most_discussed_counts_the_day_window_per_site_without_held_comments() {
    let s = TestServer::start().await;
    for _ in 0..4 {
        backdated(&s, "/old", 20).await;
    }
    backdated(&s, "/week", 3).await;
    post_ok(&s, "/week", "A", "one").await;
    post_ok(&s, "/hot", "A", "one").await;
    post_ok(&s, "/hot", "B", "two").await;
    post_ok(&s, "/hot", "C", "three").await;
    post_held(&s, "/held").await;
    post_held(&s, "/week").await;
    // Another site's busier thread stays on its own list.
    let other = rostra_core::NewSite {
        key: "other".into(),
        name: "Other".into(),
        origins: vec!["https://other.example".into()],
        prompt: None,
    };
    s.store
        .create_site(other.validate().unwrap(), 0)
        .await
        .unwrap();
    s.state.sites.get("other").await.unwrap();
    for i in 0..5 {
        let (st, v) = s
            .post(
                json!({"site": "other", "url": "https://other.example/x", "body": format!("o{i}")}),
            )
            .await;
        assert_eq!(st, 201, "{v}");
    }

    let (st, v) = s.get_json("/api/lists/most-discussed?site=news").await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["days"], 7);
    let got: Vec<(String, i64, i64)> = v["threads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["url"].as_str().unwrap().to_string(),
                t["recent_comments"].as_i64().unwrap(),
                t["comment_count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![(page("/hot"), 3, 3), (page("/week"), 2, 2)],
        "{v}"
    );
    assert_eq!(v["threads"][0]["title"], "Story /hot");
    let (_, v) = s
        .get_json("/api/lists/most-discussed?site=news&days=2")
        .await;
    assert_eq!(v["threads"][1]["recent_comments"], 1, "{v}");
    let (_, v) = s
        .get_json("/api/lists/most-discussed?site=news&days=30&limit=1")
        .await;
    assert_eq!(v["threads"].as_array().unwrap().len(), 1);
    assert_eq!(v["threads"][0]["url"], page("/old"));

    for bad in ["days=0", "days=366", "limit=0", "limit=51", "days=abc"] {
        let (st, v) = s
            .get_json(&format!("/api/lists/most-discussed?site=news&{bad}"))
            .await;
        assert_eq!((st, code(&v)), (400, "invalid_query"), "{bad}");
    }
    let (st, v) = s.get_json("/api/lists/most-discussed?site=nope").await;
    assert_eq!((st, code(&v)), (404, "unknown_site"));
}

#[tokio::test]
async fn latest_comments_list_published_text_newest_first_and_follow_writes() {
    let s = TestServer::start().await;
    let a = post_ok(
        &s,
        "/l1",
        "Ada",
        "**Bold** claim with a [link](https://x.example).",
    )
    .await;
    post_held(&s, "/l1").await;
    let b = post_ok(&s, "/l2", XSS_NAME, "<b>not markup</b> & more").await;
    let (st, v) = s.get_json("/api/lists/latest?site=news").await;
    assert_eq!(st, 200);
    let list = v["comments"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{v}");
    assert_eq!(list[0]["id"], b);
    assert_eq!(list[0]["author_name"], XSS_NAME);
    assert_eq!(list[0]["url"], format!("{}#comment-{b}", page("/l2")));
    assert_eq!(list[0]["thread_title"], "Story /l2");
    assert_eq!(list[1]["id"], a);
    assert_eq!(list[1]["excerpt"], "Bold claim with a link.");
    assert!(!v.to_string().contains("secret@example.org"));
    // The list follows a new comment at once (the server's cache is dropped by every write).
    let c = post_ok(&s, "/l1", "Cy", "newest").await;
    let (_, v) = s.get_json("/api/lists/latest?site=news&limit=1").await;
    assert_eq!(v["comments"][0]["id"], c);
    assert_eq!(v["comments"].as_array().unwrap().len(), 1);
    let long = "word ".repeat(100);
    post_ok(&s, "/l3", "Dee", &long).await;
    let (_, v) = s.get_json("/api/lists/latest?site=news&limit=1").await;
    let excerpt = v["comments"][0]["excerpt"].as_str().unwrap();
    assert!(
        excerpt.chars().count() <= 161 && excerpt.ends_with('…'),
        "{excerpt}"
    );
}

#[tokio::test]
async fn html_lists_are_escaped_fragments() {
    let s = TestServer::start().await;
    post_ok(&s, "/h1", XSS_NAME, "<script>alert('body')</script> text").await;
    post_ok(&s, "/h1", "Ada", "second").await;
    let (st, html) = s.get_text("/lists/latest?site=news").await;
    assert_eq!(st, 200);
    assert!(unsafe_html_in_fragment(&html).is_empty(), "{html}");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&#60;script&#62;alert("), "{html}");
    assert!(html.contains(&format!("href=\"{}#comment-", page("/h1"))));
    assert!(html.contains("Story /h1"));
    let (st, html) = s.get_text("/lists/most-discussed?site=news&days=1").await;
    assert_eq!(st, 200);
    assert!(html.contains("<h2>Most discussed</h2>"));
    assert!(html.contains("2 comments"), "{html}");
    assert!(
        html.contains(&format!("<a href=\"{}\">Story /h1</a>", page("/h1"))),
        "{html}"
    );
    let (st, _) = s.get_text("/lists/latest?site=nope").await;
    assert_eq!(st, 404);
    let (st, _) = s
        .get_text("/lists/most-discussed?site=news&days=9999")
        .await;
    assert_eq!(st, 400);
}

#[tokio::test]
async fn the_plain_thread_links_its_feed_and_the_scripts_are_served() {
    let s = TestServer::start().await;
    post_ok(&s, "/p", "Ada", "hello").await;
    let (st, html) = s
        .get_text(&format!("/thread?site=news&url={}", encode(&page("/p"))))
        .await;
    assert_eq!(st, 200);
    let doc = scraper::Html::parse_document(&html);
    let want = s.url("/feed.atom?site=news&url=https%3A%2F%2Fnews.example%2Fp");
    let alternate =
        scraper::Selector::parse("link[rel=alternate][type='application/atom+xml']").unwrap();
    let visible = scraper::Selector::parse("a[type='application/atom+xml']").unwrap();
    for sel in [alternate, visible] {
        let el = doc.select(&sel).next().expect("the feed is linked");
        assert_eq!(el.value().attr("href"), Some(want.as_str()));
    }
    for (path, marker) in [
        ("/count.js", "data-rostra-count"),
        ("/lists.js", "data-rostra-list"),
    ] {
        let r = s.http.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.headers()["content-type"],
            "text/javascript; charset=utf-8"
        );
        assert!(r.text().await.unwrap().contains(marker));
    }
    // The counts the badges ask for answer a publisher's page (CORS for the site's origin).
    let r = s
        .http
        .get(s.url(&format!(
            "/api/counts?site=news&url={}",
            encode(&page("/p"))
        )))
        .header("origin", "https://news.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://news.example"
    );
    let r = s
        .http
        .get(s.url("/api/lists/latest?site=news"))
        .header("origin", "https://news.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://news.example"
    );
}
