//! Moderators' sessions: signing in and out, the sign-in rate limit, and the session cookie's
//! flags.

use rostra_core::user::Role;
use rostra_testkit::{test_config, TestServer};

#[tokio::test]
async fn sign_in_out_and_login_limits() {
    let mut config = test_config();
    config.rate_limits.logins_per_minute = 3;
    let s = TestServer::start_with(config).await;
    s.add_user("mod@example.org", Role::Moderator, &["news"])
        .await;
    let r = s
        .http
        .get(s.url("/admin/queue/pending"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            r.headers()["location"].to_str().unwrap()
        ),
        (303, "/admin/login")
    );
    let wrong = s
        .http
        .post(s.url("/admin/login"))
        .form(&[("email", "mod@example.org"), ("password", "nope-nope-nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let m = s.sign_in("mod@example.org").await;
    let third = s
        .http
        .post(s.url("/admin/login"))
        .form(&[("email", "nobody@example.org"), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        third.status(),
        401,
        "an unknown address fails like a wrong password"
    );
    let fourth = s
        .http
        .post(s.url("/admin/login"))
        .form(&[("email", "mod@example.org"), ("password", "password123")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        fourth.status(),
        429,
        "the fourth attempt within a minute, even with the right password"
    );
    let r = s
        .http
        .post(s.url("/admin/logout"))
        .header("cookie", &m.cookie)
        .form(&[("csrf", m.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = s
        .http
        .get(s.url("/admin/queue/pending"))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "the session ended");
}

#[tokio::test]
async fn the_session_cookie_is_httponly_and_strict() {
    let s = TestServer::start().await;
    s.add_user("mod@example.org", Role::Moderator, &["news"])
        .await;
    let r = s
        .http
        .post(s.url("/admin/login"))
        .form(&[("email", "MOD@example.org"), ("password", "password123")])
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/admin"),
        "{cookie}"
    );
    let page = s
        .http
        .get(s.url("/admin/queue/pending"))
        .header("cookie", cookie.split(';').next().unwrap())
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
}
