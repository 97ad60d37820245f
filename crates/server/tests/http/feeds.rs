//! Atom feeds of a thread and of a site, parsed with a real feed parser: published comments
//! newest first, 304 on an unchanged feed, 404 for unknown sites and 403 for foreign pages.

use crate::code;
use crate::page_lists::{delete, encode, post_held, post_named, post_ok, XSS_NAME};
use rostra_testkit::{page, TestServer};

async fn feed(s: &TestServer, query: &str) -> (reqwest::header::HeaderMap, feed_rs::model::Feed) {
    let r = s
        .http
        .get(s.url(&format!("/feed.atom?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let headers = r.headers().clone();
    let body = r.bytes().await.unwrap();
    let parsed = feed_rs::parser::parse(&body[..]).unwrap();
    (headers, parsed)
}

#[tokio::test]
async fn atom_feeds_of_a_thread_and_a_site_hold_published_comments_newest_first() {
    let s = TestServer::start().await;
    let first = post_ok(&s, "/f1", "Ada", "first *words*").await;
    let evil = post_ok(&s, "/f1", XSS_NAME, "<img src=x onerror=alert(1)> hi").await;
    post_held(&s, "/f1").await;
    let (st, v) = post_named(&s, "/f1", "Gone", "to be deleted").await;
    assert_eq!(st, 201);
    delete(
        &s,
        v["comment"]["id"].as_i64().unwrap(),
        v["edit_token"].as_str().unwrap(),
    )
    .await;
    let other = post_ok(&s, "/f2", "Bo", "on another story").await;

    let (headers, thread) = feed(&s, &format!("site=news&url={}", encode(&page("/f1")))).await;
    assert_eq!(
        headers["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    assert!(headers.contains_key("etag"));
    assert_eq!(thread.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(
        thread.title.as_ref().unwrap().content,
        "Comments on “Story /f1”"
    );
    let ids: Vec<String> = thread.entries.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids.len(), 2, "held and deleted comments stay out: {ids:?}");
    assert!(
        ids[0].starts_with("tag:127.0.0.1,")
            && ids[0].ends_with(&format!(":rostra/comment/{evil}"))
    );
    assert!(ids[1].ends_with(&format!(":rostra/comment/{first}")));
    let newest = &thread.entries[0];
    assert_eq!(newest.authors[0].name, XSS_NAME, "the name arrives as text");
    assert_eq!(
        newest.title.as_ref().unwrap().content,
        format!("{XSS_NAME} on “Story /f1”")
    );
    assert_eq!(
        newest.links[0].href,
        format!("{}#comment-{evil}", page("/f1"))
    );
    let html = newest.content.as_ref().unwrap().body.as_deref().unwrap();
    assert!(html.contains("hi"), "{html}");
    assert!(
        !html.contains("<img") && html.contains("&lt;img"),
        "content is the sanitized HTML: {html}"
    );
    assert!(newest.published.is_some() && newest.updated.is_some());
    let oldest = &thread.entries[1];
    let html = oldest.content.as_ref().unwrap().body.as_deref().unwrap();
    assert!(html.contains("first <em>words</em>"), "{html}");
    assert_eq!(oldest.authors[0].name, "Ada");

    let (_, site) = feed(&s, "site=news").await;
    assert_eq!(
        site.title.as_ref().unwrap().content,
        "Latest comments on News"
    );
    let titles: Vec<String> = site
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(
        titles,
        [
            "Bo on “Story /f2”".to_string(),
            format!("{XSS_NAME} on “Story /f1”"),
            "Ada on “Story /f1”".to_string(),
        ]
    );
    assert!(site.entries[0].id.ends_with(&format!("/comment/{other}")));
    // Never an e-mail address, anywhere in either feed.
    for q in [
        "site=news".to_string(),
        format!("site=news&url={}", encode(&page("/f1"))),
    ] {
        let (_, raw) = s.get_text(&format!("/feed.atom?{q}")).await;
        assert!(!raw.contains("secret@example.org"));
        assert!(!raw.contains("<script>"), "names are escaped in the XML");
    }
}

#[tokio::test]
async fn feeds_answer_304_unknown_sites_404_and_foreign_pages_403() {
    let s = TestServer::start().await;
    post_ok(&s, "/e", "Ada", "hello").await;
    let url = s.url(&format!("/feed.atom?site=news&url={}", encode(&page("/e"))));
    let r = s.http.get(&url).send().await.unwrap();
    let etag = r.headers()["etag"].clone();
    let r = s
        .http
        .get(&url)
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    post_ok(&s, "/e", "Bo", "again").await;
    let r = s
        .http
        .get(&url)
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "a new comment changes the feed");
    let (st, v) = s.get_json("/feed.atom?site=nope").await;
    assert_eq!((st, code(&v)), (404, "unknown_site"));
    let (st, v) = s
        .get_json("/feed.atom?site=news&url=https://evil.example/x")
        .await;
    assert_eq!((st, code(&v)), (403, "url_not_on_site"));
    let (st, v) = s.get_json("/feed.atom").await;
    assert_eq!((st, code(&v)), (400, "invalid_query"));
    // A page without comments is an empty, valid feed.
    let (_, empty) = feed(&s, &format!("site=news&url={}", encode(&page("/none")))).await;
    assert!(empty.entries.is_empty());
}
