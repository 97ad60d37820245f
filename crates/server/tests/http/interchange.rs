//! The admin page's import and export: an upload imported in the background with its progress
//! and summary shown, the public thread serving the imported comments, a download of the site,
//! and the upload's CSRF, size limit and admins-only rule.

use rostra_core::user::Role;
use rostra_testkit::{test_config, thread_query, TestServer};

/// A Disqus export with one thread and a reply listed before its parent.
const DISQUS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="1"><id/><link>https://news.example/imported</link><title>Imported</title><createdAt>2020-01-01T00:00:00Z</createdAt></thread>
<post dsq:id="11"><message><![CDATA[<p>A reply <script>alert(1)</script></p>]]></message><createdAt>2020-01-02T00:00:00Z</createdAt><author><name>Bob</name><email>bob@mail.example</email></author><thread dsq:id="1"/><parent dsq:id="10"/></post>
<post dsq:id="10"><message><![CDATA[<p>The first word</p>]]></message><createdAt>2020-01-01T12:00:00Z</createdAt><author><name>Ann</name><email>ann@mail.example</email></author><thread dsq:id="1"/></post>
</disqus>
"#;

/// A multipart form with a format field and a file.
fn multipart(file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----rostra-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\n\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"export.xml\"\r\nContent-Type: application/xml\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(s: &TestServer, cookie: &str, csrf: &str, file: &[u8]) -> u16 {
    let (kind, body) = multipart(file);
    s.http
        .post(s.url(&format!("/admin/sites/news/import?csrf={csrf}")))
        .header("cookie", cookie)
        .header("content-type", kind)
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn an_admin_imports_an_upload_and_downloads_the_site() {
    let mut config = test_config();
    config.import.max_upload_mb = 1;
    let s = TestServer::start_with(config).await;
    s.add_user("admin@example.org", Role::Admin, &[]).await;
    s.add_user("mod@example.org", Role::Moderator, &["news"])
        .await;
    let admin = s.sign_in("admin@example.org").await;
    let moderator = s.sign_in("mod@example.org").await;
    // The public page is read (and cached) before the import.
    let (_, before) = s.get_json(&thread_query("/imported")).await;
    assert_eq!(before["comments"].as_array().map_or(0, Vec::len), 0);

    assert_eq!(
        upload(&s, &admin.cookie, "wrong", DISQUS.as_bytes()).await,
        403
    );
    assert_eq!(
        upload(&s, &moderator.cookie, &moderator.csrf, DISQUS.as_bytes()).await,
        403
    );
    let too_big = vec![b' '; 1024 * 1024 + 10];
    // Over the import's own limit: 413, like every body over its limit.
    assert_eq!(upload(&s, &admin.cookie, &admin.csrf, &too_big).await, 413);
    assert_eq!(
        upload(&s, &admin.cookie, &admin.csrf, DISQUS.as_bytes()).await,
        303
    );

    let mut page = String::new();
    for _ in 0..600 {
        page = s
            .http
            .get(s.url("/admin/sites/news/interchange"))
            .header("cookie", &admin.cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if !page.contains("id=\"import-progress\"") {
            break;
        }
        // The page refreshes itself while the import runs.
        assert!(page.contains("http-equiv=\"refresh\""));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(page.contains("id=\"import-done\""), "{page}");
    assert!(
        page.contains("<tr><th>Comments imported</th><td>2</td></tr>"),
        "{page}"
    );

    let (status, thread) = s.get_json(&thread_query("/imported")).await;
    assert_eq!(status, 200);
    let comments = thread["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 1, "one top-level comment: {thread}");
    let text = thread.to_string();
    assert!(
        text.contains("The first word") && text.contains("A reply"),
        "{text}"
    );
    assert!(
        !text.contains("<script") && !text.contains("mail.example"),
        "sanitized, e-mails private: {text}"
    );

    let export = s
        .http
        .get(s.url("/admin/sites/news/export?format=rostra"))
        .header("cookie", &admin.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status().as_u16(), 200);
    let body = export.text().await.unwrap();
    assert!(
        body.starts_with("{\"type\":\"rostra\",\"version\":1}\n"),
        "{body}"
    );
    assert!(
        body.contains("ann@mail.example") && body.contains("\"parent\":\"2\""),
        "{body}"
    );

    // A second upload of the same file adds nothing.
    assert_eq!(
        upload(&s, &admin.cookie, &admin.csrf, DISQUS.as_bytes()).await,
        303
    );
    for _ in 0..600 {
        page = s
            .http
            .get(s.url("/admin/sites/news/interchange"))
            .header("cookie", &admin.cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if !page.contains("id=\"import-progress\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        page.contains("<tr><th>Comments already imported</th><td>2</td></tr>"),
        "{page}"
    );
}
