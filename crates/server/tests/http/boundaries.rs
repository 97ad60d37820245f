//! Headers and boundaries: a Content-Security-Policy on every HTML page, admin pages that cannot
//! be framed, nosniff and a referrer policy everywhere, CORS and origin checks on every write
//! endpoint, the admin cookie's flags, and body limits answered with 413 `payload_too_large`.

use crate::{code, post};
use rostra_core::NewSite;
use rostra_testkit::{encode, page, test_config, TestServer};
use serde_json::json;

async fn add_site(s: &TestServer, key: &str, origin: &str) {
    let site = NewSite {
        key: key.into(),
        name: key.into(),
        origins: vec![origin.into()],
        prompt: None,
    };
    s.store
        .create_site(site.validate().unwrap(), 0)
        .await
        .unwrap();
    s.state.sites.refresh().await.unwrap();
}

/// Checks the headers of one response; answers its CSP.
fn check_html_headers(what: &str, r: &reqwest::Response) -> String {
    let h = r.headers();
    let ct = h["content-type"].to_str().unwrap();
    assert!(ct.starts_with("text/html"), "{what}: {ct}");
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what} has no CSP"))
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'none'"), "{what}: {csp}");
    assert!(csp.contains("base-uri 'none'"), "{what}: {csp}");
    let script = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap_or("");
    assert!(
        !script.contains("unsafe-inline") && !script.contains("unsafe-eval"),
        "{what}: {csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert!(h.contains_key("referrer-policy"), "{what}");
    csp
}

fn unframed(what: &str, r: &reqwest::Response, csp: &str) {
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert_eq!(r.headers()["x-frame-options"], "DENY", "{what}");
}

#[tokio::test]
async fn every_html_page_has_a_strict_csp_and_admin_pages_cannot_be_framed() {
    let s = TestServer::start().await;
    add_site(&s, "demo", &s.base).await;
    s.add_user("root@example.org", rostra_core::user::Role::Admin, &[])
        .await;
    let admin = s.sign_in("root@example.org").await;
    let (id, _) = post(&s, "/h", None, "A comment").await;
    let thread = format!("/thread?site=news&url={}", encode(&page("/h")));
    let public = [
        (thread.as_str(), 200),
        ("/thread?site=nosuchsite&url=https://x.example/", 404),
        ("/demo", 200),
        ("/demo/articles", 200),
        ("/demo/articles/library-hours", 200),
        ("/lists/latest?site=news", 200),
        ("/lists/most-discussed?site=news", 200),
        ("/account/verify?token=nothing", 400),
        ("/admin/login", 200),
    ];
    for (path, status) in public {
        let r = s.http.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), status, "{path}");
        let csp = check_html_headers(path, &r);
        if path.starts_with("/admin") || path.starts_with("/demo") {
            unframed(path, &r, &csp);
        }
        if path.starts_with("/demo") {
            // The widget under the demo's policy: its script and API from Rostra only.
            assert!(csp.contains("script-src 'self'"), "{csp}");
            assert!(csp.contains("connect-src 'self'"), "{csp}");
        }
    }
    let item = format!("/admin/comments/{id}");
    let signed = [
        ("/admin/queue/pending", 200),
        ("/admin/queue/recent", 200),
        (item.as_str(), 200),
        ("/admin/comments/999999", 404),
        ("/admin/sites", 200),
        ("/admin/sites/news", 200),
        ("/admin/users", 200),
        ("/admin/audit", 200),
        ("/admin/outbox", 200),
        ("/admin/alerts", 200),
        ("/admin/queue/nosuchqueue", 400),
    ];
    for (path, status) in signed {
        let r = s
            .http
            .get(s.url(path))
            .header("cookie", &admin.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{path}");
        let csp = check_html_headers(path, &r);
        unframed(path, &r, &csp);
    }
    // A failed plain-form post and a failed sign-in are pages too.
    let r = s
        .http
        .post(s.url("/thread/comment"))
        .form(&[("site", "news"), ("url", &page("/h")), ("body", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    check_html_headers("failed form post", &r);
    let r = s
        .http
        .post(s.url("/admin/login"))
        .form(&[("email", "root@example.org"), ("password", "wrong")])
        .send()
        .await
        .unwrap();
    let csp = check_html_headers("failed sign-in", &r);
    unframed("failed sign-in", &r, &csp);
    // Everything else gets nosniff and a referrer policy too.
    for path in [
        "/api/openapi.json",
        "/healthz",
        "/embed.js",
        "/nothing-here",
    ] {
        let r = s.http.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.headers()["x-content-type-options"], "nosniff", "{path}");
        assert!(r.headers().contains_key("referrer-policy"), "{path}");
    }
}

/// Every write endpoint, as (method, path, JSON body).
fn writes(id: i64) -> Vec<(reqwest::Method, String, serde_json::Value)> {
    use reqwest::Method;
    let c = format!("/api/comments/{id}");
    let back = json!({"site": "news", "url": page("/w"), "email": "a@b.example"});
    vec![
        (
            Method::POST,
            "/api/comments".into(),
            json!({"site": "news", "url": page("/w"), "body": "x"}),
        ),
        (
            Method::POST,
            "/api/comments/check".into(),
            json!({"site": "news", "url": page("/w"), "body": "x"}),
        ),
        (Method::PATCH, c.clone(), json!({"body": "y"})),
        (Method::DELETE, c.clone(), json!({})),
        (Method::POST, format!("{c}/vote"), json!({"value": 1})),
        (
            Method::POST,
            format!("{c}/report"),
            json!({"reason": "spam"}),
        ),
        (Method::POST, "/api/account/email-link".into(), back.clone()),
        (Method::POST, "/api/account/password-reset".into(), back),
        (
            Method::POST,
            "/api/sso".into(),
            json!({"site": "news", "token": "x"}),
        ),
        (
            Method::POST,
            "/api/account/signup".into(),
            json!({"site": "news", "url": page("/w"), "email": "c@d.example", "password": "long enough password", "name": "C"}),
        ),
        (
            Method::POST,
            "/api/account/login".into(),
            json!({"email": "c@d.example", "password": "x"}),
        ),
        (Method::POST, "/api/account/logout".into(), json!({})),
        (Method::PATCH, "/api/account".into(), json!({"name": "D"})),
        (
            Method::DELETE,
            "/api/account".into(),
            json!({"confirm": true}),
        ),
        (
            Method::POST,
            "/api/account/link".into(),
            json!({"token": "x"}),
        ),
        (
            Method::POST,
            "/api/account/password".into(),
            json!({"token": "x", "password": "long enough password"}),
        ),
        (
            Method::POST,
            "/api/guest/verify".into(),
            json!({"token": "x"}),
        ),
    ]
}

#[tokio::test]
async fn cors_and_origin_checks_on_every_write_endpoint() {
    let s = TestServer::start().await;
    add_site(&s, "other", "https://other.example").await;
    let (id, token) = post(&s, "/w", None, "A comment to act on").await;
    let own = "https://news.example";
    for (method, path, body) in writes(id) {
        let what = format!("{method} {path}");
        for (origin, allowed) in [
            (own, true),
            ("https://other.example", true),
            ("https://evil.example", false),
            ("null", false),
        ] {
            let r = s
                .http
                .request(reqwest::Method::OPTIONS, s.url(&path))
                .header("origin", origin)
                .header("access-control-request-method", method.as_str())
                .header("access-control-request-headers", "content-type")
                .send()
                .await
                .unwrap();
            let acao = r.headers().get("access-control-allow-origin");
            match allowed {
                // Preflight cannot know the site (it is in the body): any site's origin passes,
                // the write itself is checked below.
                true => assert_eq!(acao.unwrap(), origin, "preflight {what} from {origin}"),
                false => assert!(acao.is_none(), "preflight {what} from {origin}"),
            }
            assert!(r
                .headers()
                .get("access-control-allow-credentials")
                .is_none());
        }
        // The actual request from an origin that is not the site's: refused, without CORS
        // headers a browser would honour.
        for origin in ["https://evil.example", "https://other.example"] {
            let site_scoped = path.starts_with("/api/comments")
                || path.contains("email-link")
                || path.contains("password-reset")
                || path.contains("signup")
                || path.contains("/api/sso");
            let r = s
                .http
                .request(method.clone(), s.url(&path))
                .header("origin", origin)
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            if origin == "https://evil.example" {
                assert!(r.headers().get("access-control-allow-origin").is_none());
            }
            if site_scoped {
                let v: serde_json::Value = r.json().await.unwrap();
                assert_eq!(
                    (status, code(&v)),
                    (403, "origin_not_allowed"),
                    "{what} from {origin}"
                );
            }
        }
    }
    let (st, v) = s.get_json(&format!("/api/comments/{id}/replies")).await;
    assert_eq!(st, 200, "{v}");
}

#[tokio::test]
async fn the_admin_cookie_is_httponly_samesite_and_secure_behind_https() {
    for (public_url, secure) in [("", false), ("https://comments.example", true)] {
        let mut config = test_config();
        config.server.public_url = public_url.into();
        let s = TestServer::start_with(config).await;
        s.add_user("m@example.org", rostra_core::user::Role::Admin, &[])
            .await;
        let r = s
            .http
            .post(s.url("/admin/login"))
            .form(&[("email", "m@example.org"), ("password", "password123")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/admin"] {
            assert!(cookie.contains(flag), "{cookie}");
        }
        assert_eq!(
            cookie.contains("; Secure"),
            secure,
            "{public_url}: {cookie}"
        );
    }
}

#[tokio::test]
async fn bodies_over_the_limit_get_413_payload_too_large() {
    let mut config = test_config();
    config.server.max_body_bytes = 4096;
    config.import.max_upload_mb = 1;
    let s = TestServer::start_with(config).await;
    s.add_user("root@example.org", rostra_core::user::Role::Admin, &[])
        .await;
    let admin = s.sign_in("root@example.org").await;
    let big = "x".repeat(8192);
    let json_body = json!({"site": "news", "url": page("/b"), "body": big}).to_string();
    let cases: Vec<(&str, &str, String)> = vec![
        ("/api/comments", "application/json", json_body.clone()),
        ("/api/account/signup", "application/json", json_body),
        (
            "/thread/comment",
            "application/x-www-form-urlencoded",
            format!("site=news&body={big}"),
        ),
        (
            "/admin/login",
            "application/x-www-form-urlencoded",
            format!("email=a&password={big}"),
        ),
    ];
    for (path, ct, body) in cases {
        let r = s
            .http
            .post(s.url(path))
            .header("content-type", ct)
            .header("cookie", &admin.cookie)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 413, "{path}");
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(code(&v), "payload_too_large", "{path}: {v}");
    }
    // A browser's form post gets the same status as a page.
    let r = s
        .http
        .post(s.url("/thread/comment"))
        .header("accept", "text/html")
        .form(&[("site", "news"), ("body", &big)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    // Imports have their own, larger limit: 8 KiB is fine there (the admin page answers), a
    // file over a MiB is not.
    for (size, status) in [(8192usize, 303u16), (1_200_000, 413)] {
        let boundary = "b0undary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.xml\"\r\n\
             Content-Type: application/xml\r\n\r\n"
        )
        .into_bytes();
        body.extend(std::iter::repeat_n(b' ', size));
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        let r = s
            .http
            .post(s.url(&format!("/admin/sites/news/import?csrf={}", admin.csrf)))
            .header("cookie", &admin.cookie)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        let got = r.status().as_u16();
        if status == 413 {
            assert_eq!(got, 413, "import of {size} bytes");
            let v: serde_json::Value = r.json().await.unwrap();
            assert_eq!(code(&v), "payload_too_large");
        } else {
            assert_ne!(got, 413, "import of {size} bytes is under its limit");
        }
    }
}
