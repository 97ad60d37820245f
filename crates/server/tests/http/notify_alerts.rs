//! Moderator alerts over real SMTP: set on the admin page, immediate ones arrive per held or
//! reported comment, digests list everything since the last one in one e-mail per moderator.

use crate::mail_settings::{mails_to, smtp_config};
use rostra_core::moderation::ModerationMode;
use rostra_core::user::Role;
use rostra_testkit::smtp::SmtpSink;
use rostra_testkit::{page, Signed, TestServer};
use serde_json::json;

async fn set_alerts(s: &TestServer, m: &Signed, mode: &str) {
    let r = s
        .http
        .post(s.url("/admin/alerts"))
        .header("cookie", &m.cookie)
        .form(&[("csrf", m.csrf.as_str()), ("mode", mode)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{mode}");
    let page = s
        .http
        .get(s.url("/admin/alerts"))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("value=\"{mode}\" checked")),
        "{page}"
    );
}

async fn post(s: &TestServer, body: &str) -> i64 {
    let (status, v) = s
        .post(json!({"site": "news", "url": page("/alerts"), "body": body, "author_name": "Zed"}))
        .await;
    assert_eq!(status, 201, "{v}");
    v["comment"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn immediate_alerts_and_digests_reach_moderators() {
    let Some(sink) = SmtpSink::start("immediate_alerts_and_digests_reach_moderators") else {
        return;
    };
    let s = TestServer::start_with(smtp_config(sink.port)).await;
    s.add_user("digest@example.org", Role::Moderator, &["news"])
        .await;
    s.add_user("now@example.org", Role::Admin, &[]).await;
    s.add_user("quiet@example.org", Role::Moderator, &["news"])
        .await;
    let digest = s.sign_in("digest@example.org").await;
    let now = s.sign_in("now@example.org").await;
    let quiet = s.sign_in("quiet@example.org").await;
    set_alerts(&s, &digest, "digest").await;
    set_alerts(&s, &now, "immediate").await;
    set_alerts(&s, &quiet, "immediate").await;
    set_alerts(&s, &quiet, "off").await;
    let bad = s
        .http
        .post(s.url("/admin/alerts"))
        .header("cookie", &digest.cookie)
        .form(&[("csrf", digest.csrf.as_str()), ("mode", "weekly")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let forged = s
        .http
        .post(s.url("/admin/alerts"))
        .header("cookie", &digest.cookie)
        .form(&[("csrf", "nope"), ("mode", "off")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403, "CSRF is checked");

    let published = post(&s, "A fine comment.").await;
    assert!(
        mails_to(&s, "now@example.org").await.is_empty(),
        "published: no alert"
    );
    s.set_policy(|p| p.mode = ModerationMode::PreModeration)
        .await;
    let held = [
        post(&s, "First held one.").await,
        post(&s, "Second held one.").await,
    ];
    let r = s
        .http
        .post(s.url(&format!("/api/comments/{published}/report")))
        .json(&json!({"reason": "spam"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let immediate = mails_to(&s, "now@example.org").await;
    assert_eq!(immediate.len(), 3, "one per held or reported comment");
    for (mail, id) in immediate.iter().zip([held[0], held[1], published]) {
        assert!(
            mail["text"]
                .as_str()
                .unwrap()
                .contains(&format!("/admin/comments/{id}")),
            "{mail}"
        );
    }
    assert!(immediate[2]["subject"]
        .as_str()
        .unwrap()
        .contains("reported"));
    assert!(
        mails_to(&s, "quiet@example.org").await.is_empty(),
        "alerts off"
    );
    assert!(
        mails_to(&s, "digest@example.org").await.is_empty(),
        "waits for the digest"
    );

    assert_eq!(
        rostra_server::notify::alerts::send_digests(&s.state)
            .await
            .unwrap(),
        1
    );
    let digests = mails_to(&s, "digest@example.org").await;
    assert_eq!(digests.len(), 1, "one digest for everything");
    let text = digests[0]["text"].as_str().unwrap();
    for id in [held[0], held[1], published] {
        assert!(text.contains(&format!("/admin/comments/{id}")), "{text}");
    }
    assert_eq!(text.matches("[held]").count(), 2, "{text}");
    assert_eq!(text.matches("[reported]").count(), 1, "{text}");
    assert_eq!(
        rostra_server::notify::alerts::send_digests(&s.state)
            .await
            .unwrap(),
        0,
        "nothing new since the last digest"
    );
    let messages = sink.wait_for(4).await;
    let over_smtp: Vec<_> = messages
        .iter()
        .filter(|m| m.contains("X-Rcpt-To: digest@example.org"))
        .collect();
    assert_eq!(over_smtp.len(), 1);
    assert!(
        over_smtp[0].contains("Rostra digest: 3 comments"),
        "{}",
        over_smtp[0]
    );
}

#[tokio::test]
async fn the_digest_goes_out_on_its_interval() {
    let Some(sink) = SmtpSink::start("the_digest_goes_out_on_its_interval") else {
        return;
    };
    let mut c = smtp_config(sink.port);
    c.notifications.digest_interval_secs = 1;
    let s = TestServer::start_with(c).await;
    s.add_user("digest@example.org", Role::Moderator, &["news"])
        .await;
    let m = s.sign_in("digest@example.org").await;
    set_alerts(&s, &m, "digest").await;
    s.set_policy(|p| p.mode = ModerationMode::PreModeration)
        .await;
    let id = post(&s, "Held for the digest.").await;
    // The server's own digest timer sends it; nothing here asks for it.
    let messages = sink.wait_for(1).await;
    assert!(
        messages[0].contains("X-Rcpt-To: digest@example.org"),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].contains("Rostra digest: 1 comment needs"),
        "{}",
        messages[0]
    );
    let unfolded = messages[0].replace("=\r\n", "").replace("=\n", "");
    assert!(
        unfolded.contains(&format!("/admin/comments/{id}")),
        "{unfolded}"
    );
}

#[tokio::test]
async fn the_delivery_log_shows_what_was_sent_to_admins_only() {
    let mut c = crate::mail_settings::smtp_config(rostra_testkit::smtp::free_port());
    c.mail.max_attempts = 2;
    c.mail.retry_base_ms = 10;
    let s = TestServer::start_with(c).await;
    let id = rostra_server::mail::enqueue(&s.state, "log@example.org", "Logged", "Text.")
        .await
        .unwrap();
    // Nothing listens: the message fails twice and is given up.
    for _ in 0..3000 {
        let item = s.store.outbox_item(id).await.unwrap().unwrap();
        if item.next_attempt_at.is_none() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    s.add_user("admin@example.org", Role::Admin, &[]).await;
    s.add_user("mod@example.org", Role::Moderator, &["news"])
        .await;
    let admin = s.sign_in("admin@example.org").await;
    let moderator = s.sign_in("mod@example.org").await;
    let get = |cookie: String| {
        s.http
            .get(s.url("/admin/outbox"))
            .header("cookie", cookie)
            .send()
    };
    assert_eq!(get(moderator.cookie).await.unwrap().status(), 403);
    let r = get(admin.cookie).await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("log@example.org"), "{html}");
    assert!(html.contains("<td>mail</td>"), "{html}");
    assert!(html.contains("<td>2</td>"), "two attempts: {html}");
    assert!(html.contains("given up"), "{html}");
    let r = s.http.get(s.url("/admin/outbox")).send().await.unwrap();
    assert_eq!(r.status(), 303, "signed out: to the login page");
}

#[tokio::test]
async fn digest_items_for_a_moderator_who_left_the_site_are_dropped() {
    let s = TestServer::start().await;
    s.add_user("left@example.org", Role::Moderator, &["news"])
        .await;
    let left = s.sign_in("left@example.org").await;
    set_alerts(&s, &left, "digest").await;
    s.set_policy(|p| p.mode = ModerationMode::PreModeration)
        .await;
    post(&s, "Held while they were a moderator here.").await;
    assert_eq!(s.store.digest_items().await.unwrap().len(), 1);

    // The admin takes the site away from them before the digest goes out.
    let user = s
        .store
        .user_by_email("left@example.org")
        .await
        .unwrap()
        .unwrap();
    s.store.set_user_sites(user.id, &[]).await.unwrap();
    let sent = rostra_server::notify::alerts::send_digests(&s.state)
        .await
        .unwrap();
    assert_eq!(sent, 0, "nothing about a site they no longer moderate");
    assert!(
        s.store.digest_items().await.unwrap().is_empty(),
        "the item is not kept to be read again on every interval"
    );
}
