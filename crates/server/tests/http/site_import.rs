//! The machine import, `POST /api/admin/import` with a site token: the summary as JSON, nothing
//! twice, an audit line; refused with its own code without a token, with an unknown, revoked,
//! other site's or other scope's token; an upload over the limit, empty, unreadable or broken
//! off writes nothing; rate-limited. And the export a site token may download.

use crate::code;
use rostra_core::site::TokenScope;
use rostra_core::store::AuditFilter;
use rostra_core::{NewSite, Site};
use rostra_testkit::{test_config, thread_query, TestServer};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

/// A WordPress export: one post, a comment, a reply to it, and a reply to the reply.
const WXR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>News</title>
<item><title>Hello</title><link>https://news.example/hello/</link><wp:post_id>7</wp:post_id>
<wp:post_date_gmt>2024-01-01 10:00:00</wp:post_date_gmt><wp:comment_status>open</wp:comment_status>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Ann</wp:comment_author><wp:comment_author_email>ann@mail.example</wp:comment_author_email><wp:comment_date_gmt>2024-01-02 10:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[First!]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>Bob</wp:comment_author><wp:comment_date_gmt>2024-01-02 11:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[A reply]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>1</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_author>Cy</wp:comment_author><wp:comment_date_gmt>2024-01-02 12:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[Deeper]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>2</wp:comment_parent></wp:comment>
</item></channel></rss>
"#;

async fn make_token(s: &TestServer, site: &Site, scope: TokenScope) -> (String, i64) {
    let (token, new) =
        rostra_server::site_tokens::new_token(site.id, scope, Some("WordPress".into()));
    let made = s.store.create_site_token(new, 1).await.unwrap();
    (token, made.id)
}

async fn import(s: &TestServer, query: &str, token: Option<&str>, body: &[u8]) -> (u16, Value) {
    let mut r = s
        .http
        .post(s.url(&format!("/api/admin/import?{query}")))
        .header("content-type", "application/xml")
        .body(body.to_vec());
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn comment_count(s: &TestServer) -> usize {
    let (status, thread) = s.get_json(&thread_query("/hello/")).await;
    assert!(status == 200 || status == 404, "{status} {thread}");
    fn count(v: &Value) -> usize {
        v.as_array()
            .map_or(0, |a| a.iter().map(|c| 1 + count(&c["replies"])).sum())
    }
    count(&thread["comments"])
}

async fn blog(s: &TestServer) -> Site {
    let new = NewSite {
        key: "blog".into(),
        name: "Blog".into(),
        origins: vec!["https://blog.example".into()],
        prompt: None,
    };
    s.store.create_site(new, 1).await.unwrap()
}

#[tokio::test]
async fn a_site_token_imports_once_and_every_wrong_token_has_its_code() {
    let mut config = test_config();
    config.rate_limits.imports_per_minute = 1000;
    config.import.max_upload_mb = 1;
    let s = TestServer::start_with(config).await;
    let news = s.store.site_by_key("news").await.unwrap().unwrap();
    let (good, good_id) = make_token(&s, &news, TokenScope::Import).await;
    let (export, _) = make_token(&s, &news, TokenScope::Export).await;
    let (other_site, _) = make_token(&s, &blog(&s).await, TokenScope::Import).await;
    let (revoked, revoked_id) = make_token(&s, &news, TokenScope::Import).await;
    assert!(s
        .store
        .revoke_site_token(news.id, revoked_id, 2)
        .await
        .unwrap());
    let file = WXR.as_bytes();
    let refusals = [
        (None, "site=news", 401, "token_required"),
        (
            Some("rostra_st_nonsense"),
            "site=news",
            401,
            "token_unknown",
        ),
        (Some(revoked.as_str()), "site=news", 401, "token_revoked"),
        (
            Some(other_site.as_str()),
            "site=news",
            403,
            "token_wrong_site",
        ),
        (Some(export.as_str()), "site=news", 403, "token_wrong_scope"),
        (Some(good.as_str()), "site=nosuch", 404, "unknown_site"),
        (
            Some(good.as_str()),
            "site=news&format=csv",
            400,
            "invalid_choice",
        ),
    ];
    for (token, query, status, expected) in refusals {
        let (st, v) = import(&s, query, token, file).await;
        assert_eq!((st, code(&v)), (status, expected), "{token:?} {query}: {v}");
    }
    let (st, v) = import(&s, "site=news", Some(&good), b"").await;
    assert_eq!((st, code(&v)), (400, "empty_upload"), "{v}");
    let (st, v) = import(
        &s,
        "site=news&format=wxr",
        Some(&good),
        b"<rss><channel><item>",
    )
    .await;
    assert_eq!((st, code(&v)), (422, "import_failed"), "{v}");
    let too_big = vec![b' '; 1024 * 1024 + 10];
    let (st, v) = import(&s, "site=news", Some(&good), &too_big).await;
    assert_eq!((st, code(&v)), (413, "payload_too_large"), "{v}");
    assert_eq!(comment_count(&s).await, 0, "nothing was written");

    let (st, v) = import(&s, "site=news", Some(&good), file).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["comments_imported"], 3, "{v}");
    assert_eq!(v["threads_imported"], 1, "{v}");
    assert_eq!(v["comments_already_imported"], 0, "{v}");
    assert_eq!(v["skipped"], serde_json::json!([]), "{v}");
    let (_, thread) = s.get_json(&thread_query("/hello/")).await;
    let top = &thread["comments"][0];
    assert_eq!(top["body_html"], "<p>First!</p>", "{thread}");
    assert_eq!(
        top["replies"][0]["replies"][0]["author_name"], "Cy",
        "{thread}"
    );
    assert_eq!(comment_count(&s).await, 3);

    // Pressed again: nothing twice.
    let (st, v) = import(&s, "site=news&format=wxr", Some(&good), file).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (&v["comments_imported"], &v["comments_already_imported"]),
        (&Value::from(0), &Value::from(3)),
        "{v}"
    );
    assert_eq!(comment_count(&s).await, 3);

    let filter = AuditFilter {
        site: Some(news.id),
        actor: None,
        action: Some("site.import".into()),
        before_id: None,
        limit: 10,
    };
    let audit = s.store.audit_log(&filter).await.unwrap();
    assert_eq!(
        audit.len(),
        3,
        "two imports and the unreadable file: {audit:?}"
    );
    assert!(
        audit.iter().any(|a| a.detail
            == format!("token {good_id} (WordPress), wxr: 0 comments imported, 3 already imported, 0 skipped")),
        "{audit:?}"
    );
    let listed = s.store.site_tokens(news.id).await.unwrap();
    let used = listed.iter().find(|t| t.id == good_id).unwrap();
    assert!(used.last_used_at.is_some(), "{used:?}");

    // The export token downloads the site as WXR; the import token may not.
    let get = |token: &str| {
        s.http
            .get(s.url("/api/admin/export?site=news&format=wxr"))
            .bearer_auth(token.to_string())
            .send()
    };
    let r = get(&good).await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let r = get(&export).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("Deeper") && body.contains("<wp:comment_parent>"),
        "{body}"
    );
}

#[tokio::test]
async fn an_upload_that_breaks_off_writes_nothing() {
    let mut config = test_config();
    config.rate_limits.imports_per_minute = 1000;
    let s = TestServer::start_with(config).await;
    let news = s.store.site_by_key("news").await.unwrap().unwrap();
    let (good, _) = make_token(&s, &news, TokenScope::Import).await;
    // The whole file is sent, but the request announced more: the connection closes first.
    let addr = s.base.trim_start_matches("http://").to_string();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /api/admin/import?site=news&format=wxr HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {good}\r\nContent-Type: application/xml\r\n\
         Content-Length: {}\r\n\r\n",
        WXR.len() + 4096
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    tcp.write_all(WXR.as_bytes()).await.unwrap();
    tcp.flush().await.unwrap();
    drop(tcp);
    // The next import of the same file finds nothing imported before it (and no import left
    // running: it may have to wait for the broken one to end).
    let v = loop {
        let (st, v) = import(&s, "site=news", Some(&good), WXR.as_bytes()).await;
        if code(&v) != "import_running" {
            assert_eq!(st, 200, "{v}");
            break v;
        }
    };
    assert_eq!(
        (&v["comments_imported"], &v["comments_already_imported"]),
        (&Value::from(3), &Value::from(0)),
        "{v}"
    );
}

#[tokio::test]
async fn machine_imports_are_rate_limited() {
    let s = TestServer::start_with(test_config()).await;
    let limit = test_config().rate_limits.imports_per_minute;
    for _ in 0..limit {
        let (st, v) = import(&s, "site=news", None, WXR.as_bytes()).await;
        assert_eq!((st, code(&v)), (401, "token_required"), "{v}");
    }
    let r = s
        .http
        .post(s.url("/api/admin/import?site=news"))
        .body(WXR)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().contains_key("retry-after"));
}
