//! The widget embedded from another origin than Rostra's, in real Chromium with third-party
//! cookies blocked: the publisher's SSO signs the reader in, the reader comments, reloads the
//! page, and is still signed in (the session lives in the page's localStorage and travels in
//! the `X-Rostra-Session` header, never in a cookie).

use crate::browser::{browser_without_third_party_cookies, chromedriver, comment_with};
use crate::{rostra, Demo};
use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Polls a JavaScript condition (a hang guard, not a speed check).
pub(crate) async fn until(c: &Client, js: &str) {
    for _ in 0..300 {
        if c.execute(js, vec![]).await.ok().and_then(|v| v.as_bool()) == Some(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never true: {js}");
}

/// A publisher's article page embedding the thread `thread_id` of site `site`.
pub(crate) struct Article {
    pub site: &'static str,
    pub thread_id: &'static str,
    pub title: &'static str,
}

/// Serves the publisher's article from `listener` (on 127.0.0.2, another site than Rostra's
/// 127.0.0.1): with the SSO token at `/article?sso`, without it at `/article`.
pub(crate) fn publisher(
    listener: tokio::net::TcpListener,
    rostra_base: String,
    token: String,
    article: Article,
) {
    tokio::spawn(async move {
        loop {
            let Ok((mut conn, _)) = listener.accept().await else {
                return;
            };
            let (base, token) = (rostra_base.clone(), token.clone());
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let n = conn.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).to_string();
                let sso = if request.starts_with("GET /article?sso ") {
                    format!(r#" data-sso-token="{token}""#)
                } else {
                    String::new()
                };
                let Article {
                    site,
                    thread_id,
                    title,
                } = article;
                let body = format!(
                    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                     <title>{title}</title></head><body><h1>Article</h1>\
                     <div id=\"rostra-thread\" data-rostra-site=\"{site}\" \
                     data-rostra-id=\"{thread_id}\"{sso}></div>\
                     <script src=\"{base}/embed.js\"></script></body></html>"
                );
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = conn.write_all(head.as_bytes()).await;
                let _ = conn.write_all(body.as_bytes()).await;
            });
        }
    });
}

pub(crate) fn run(args: &[&str]) -> String {
    let out = rostra().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

async fn post_in_widget(c: &Client, text: &str) {
    let host = c.find(Locator::Css("#rostra-thread")).await.unwrap();
    let root = host.shadow_root().await.unwrap();
    let form = root.find(Locator::Css("form.f")).await.unwrap();
    form.find(Locator::Css("textarea[name=body]"))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
    form.find(Locator::Css("button.pri"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let (article, _) = comment_with(&root, text).await;
    let name = article.find(Locator::Css(".au")).await.unwrap();
    assert_eq!(name.text().await.unwrap(), "Cross Reader");
}

#[tokio::test]
async fn a_reader_stays_signed_in_across_sites_without_third_party_cookies() {
    let test = "a_reader_stays_signed_in_across_sites_without_third_party_cookies";
    let Some(driver) = chromedriver(test).await else {
        return;
    };
    let demo = Demo::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.2:0").await.unwrap();
    let page_origin = format!("http://{}", listener.local_addr().unwrap());
    let db = demo.database.as_str();
    run(&[
        "site",
        "add",
        "--key",
        "xo",
        "--name",
        "Cross",
        "--origin",
        &page_origin,
        "--database",
        db,
    ]);
    let secret = run(&["site", "secret", "xo", "--database", db])
        .trim()
        .to_string();
    // The token the publisher's server signs for its logged-in reader.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = json!({"id": "cross-1", "name": "Cross Reader", "email": "cross@pub.example",
        "aud": "xo", "iat": now, "exp": now + 600});
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap();
    let article = Article {
        site: "xo",
        thread_id: "cross-article",
        title: "Publisher article",
    };
    publisher(listener, demo.base.clone(), token, article);
    // The running server learns of the new site on its first request for it.
    let http = reqwest::Client::new();
    let known = http
        .get(format!(
            "{}/api/threads?site=xo&url={page_origin}/article&identifier=cross-article",
            demo.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(known.status(), 200);

    let c = browser_without_third_party_cookies(&driver, "cross").await;
    c.goto(&format!("{page_origin}/article?sso")).await.unwrap();
    until(&c, "return !!(window.Rostra && window.Rostra.account)").await;
    until(
        &c,
        "return !!document.querySelector('#rostra-thread').shadowRoot.querySelector('form.f')",
    )
    .await;
    post_in_widget(&c, "Signed in from the publisher's page.").await;
    assert_eq!(
        c.execute("return document.cookie", vec![]).await.unwrap(),
        json!("")
    );

    // A reload without the token: the session kept in the page's storage still signs in.
    c.goto(&format!("{page_origin}/article")).await.unwrap();
    until(&c, "return !!(window.Rostra && window.Rostra.account && window.Rostra.account.name === 'Cross Reader')").await;
    until(
        &c,
        "return !!document.querySelector('#rostra-thread').shadowRoot.querySelector('form.f')",
    )
    .await;
    post_in_widget(&c, "Still me after the reload.").await;

    // The account bar (account.js) shows who is signed in, and signs out.
    let host = c.find(Locator::Css("#rostra-thread")).await.unwrap();
    let root = host.shadow_root().await.unwrap();
    let name = root.find(Locator::Css(".acct .acct-name")).await.unwrap();
    assert_eq!(name.text().await.unwrap(), "Cross Reader");
    let mut signed_out = false;
    for b in root.find_all(Locator::Css(".acct button")).await.unwrap() {
        if b.text().await.unwrap() == "Sign out" {
            b.click().await.unwrap();
            signed_out = true;
        }
    }
    assert!(signed_out, "a sign-out button");
    until(&c, "return window.Rostra.account === null").await;
    until(&c, "return !!document.querySelector('#rostra-thread').shadowRoot.querySelector('.acct form.acct-form')").await;

    let url = format!(
        "{}/api/threads?site=xo&url={page_origin}/article&identifier=cross-article",
        demo.base
    );
    let thread: Value = http.get(url).send().await.unwrap().json().await.unwrap();
    let comments = thread["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2, "{thread}");
    for comment in comments {
        assert_eq!(comment["author_name"], "Cross Reader");
        assert_eq!(comment["signed_in"], true);
    }
    c.close().await.unwrap();
}
