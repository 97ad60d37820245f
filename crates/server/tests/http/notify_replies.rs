//! Reply notifications through a real SMTP server (aiosmtpd): double opt-in, the e-mail with
//! its unsubscribe link and RFC 8058 headers, no mail for one's own or held comments, mail on
//! approval and per-thread subscriptions. Subscribing from the plain form and as a verified
//! guest is in `notify_subscribe`; mail queued before a restart in `mail`.

use crate::mail_settings::{mails_to, smtp_config};
use rostra_core::moderation::ModerationMode;
use rostra_core::user::Role;
use rostra_testkit::smtp::{link_in, SmtpSink};
use rostra_testkit::{page, TestServer};
use serde_json::{json, Value};

/// Posts to `/thread-a` as a guest with this address; answers the whole answer.
pub(crate) async fn post_as(
    s: &TestServer,
    email: &str,
    parent: Option<i64>,
    body: &str,
    notify: bool,
) -> Value {
    let (status, v) = s
        .post(json!({
            "site": "news", "url": page("/thread-a"), "parent": parent, "body": body,
            "author_name": email.split('@').next(), "author_email": email,
            "notify_replies": notify,
        }))
        .await;
    assert_eq!(status, 201, "{v}");
    v
}

/// Follows the confirmation link in the newest confirmation mail to `to` (the page, then its
/// button).
async fn confirm(s: &TestServer, sink: &SmtpSink, to: &str, seen: usize) {
    let messages = sink.wait_for(seen + 1).await;
    let m = messages
        .iter()
        .rev()
        .find(|m| m.contains(&format!("X-Rcpt-To: {to}")) && m.contains("Confirm reply"))
        .expect("a confirmation mail");
    let link = link_in(m, &s.url("/notifications/confirm?token=")).expect("a link");
    let (status, html) = s.get_text(link.strip_prefix(&s.base).unwrap()).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("<form method=\"post\""), "{html}");
    let before = mails_to(s, to).await.len();
    let r = s.http.post(&link).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Confirmed"));
    assert_eq!(mails_to(s, to).await.len(), before);
}

#[tokio::test]
async fn reply_notifications_arrive_and_stop_after_unsubscribing() {
    let Some(sink) = SmtpSink::start("reply_notifications_arrive_and_stop_after_unsubscribing")
    else {
        return;
    };
    let s = TestServer::start_with(smtp_config(sink.port)).await;
    let ada = "ada@example.org";
    let first = post_as(&s, ada, None, "What do you think?", true).await;
    assert_eq!(first["notify_replies"], "confirmation_sent");
    let parent = first["comment"]["id"].as_i64().unwrap();

    // Before Ada confirms, a reply tells her nothing: nobody can subscribe her address.
    post_as(&s, "bob@example.org", Some(parent), "Too early.", false).await;
    assert_eq!(mails_to(&s, ada).await.len(), 1, "only the confirmation");
    confirm(&s, &sink, ada, 0).await;

    // Her own reply notifies nobody.
    post_as(&s, ada, Some(parent), "Replying to myself.", false).await;
    assert_eq!(
        mails_to(&s, ada).await.len(),
        1,
        "no mail for one's own reply"
    );

    let reply = post_as(
        &s,
        "bob@example.org",
        Some(parent),
        "I <b>agree</b> *mostly*.",
        false,
    )
    .await;
    let reply_id = reply["comment"]["id"].as_i64().unwrap();
    let sent = mails_to(&s, ada).await;
    assert_eq!(sent.len(), 2);
    let mail = &sent[1];
    assert!(
        mail["subject"]
            .as_str()
            .unwrap()
            .contains("bob replied to your comment"),
        "{mail}"
    );
    let html = mail["html"].as_str().unwrap();
    assert!(
        html.contains("<em>mostly</em>"),
        "the sanitized comment HTML: {html}"
    );
    assert!(!html.contains("<b>agree"), "raw HTML never passes: {html}");
    assert!(html.contains(&format!("#comment-{reply_id}")), "{html}");
    assert!(mail["text"]
        .as_str()
        .unwrap()
        .contains("I <b>agree</b> *mostly*."));

    // Over SMTP: headers, both parts, the unsubscribe link.
    let messages = sink.wait_for(2).await;
    let m = messages
        .iter()
        .find(|m| m.contains("replied to your comment"))
        .unwrap();
    assert!(m.contains("X-Rcpt-To: ada@example.org"), "{m}");
    assert!(
        m.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{m}"
    );
    assert!(m.contains("multipart/alternative"), "{m}");
    assert!(m.contains("text/plain") && m.contains("text/html"), "{m}");
    let header = m
        .lines()
        .find(|l| l.starts_with("List-Unsubscribe: <"))
        .expect("a List-Unsubscribe header");
    let link = header
        .trim_start_matches("List-Unsubscribe: <")
        .trim_end_matches('>')
        .to_string();
    assert!(
        link.starts_with(&s.url("/notifications/unsubscribe?token=")),
        "{link}"
    );
    let unfolded = m
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    assert!(
        unfolded.contains(&format!("Unsubscribe: {link}")),
        "the text part: {m}"
    );
    assert!(
        unfolded.contains(&format!("href=\"{link}\"")),
        "the HTML part: {m}"
    );

    // The page asks; a forged token is refused; the one-click POST unsubscribes.
    let (status, html) = s.get_text(link.strip_prefix(&s.base).unwrap()).await;
    assert_eq!(status, 200);
    assert!(html.contains("Unsubscribe"), "{html}");
    let flipped = if link.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{flipped}", &link[..link.len() - 1]);
    let r = s
        .http
        .post(&forged)
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    post_as(
        &s,
        "carol@example.org",
        Some(parent),
        "Still subscribed?",
        false,
    )
    .await;
    assert_eq!(
        mails_to(&s, ada).await.len(),
        3,
        "the forged token changed nothing"
    );
    let r = s
        .http
        .post(&link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Unsubscribed"));
    post_as(
        &s,
        "dan@example.org",
        Some(parent),
        "After unsubscribing.",
        false,
    )
    .await;
    assert_eq!(
        mails_to(&s, ada).await.len(),
        3,
        "no mail after unsubscribing"
    );
    let again = s.http.post(&link).send().await.unwrap();
    assert_eq!(again.status(), 200, "unsubscribing twice is fine");
}

#[tokio::test]
async fn held_replies_notify_only_once_approved() {
    let Some(sink) = SmtpSink::start("held_replies_notify_only_once_approved") else {
        return;
    };
    let s = TestServer::start_with(smtp_config(sink.port)).await;
    let ada = "ada@example.org";
    let first = post_as(&s, ada, None, "Held replies?", true).await;
    let parent = first["comment"]["id"].as_i64().unwrap();
    confirm(&s, &sink, ada, 0).await;

    s.set_policy(|p| p.mode = ModerationMode::PreModeration)
        .await;
    let held = post_as(
        &s,
        "bob@example.org",
        Some(parent),
        "Waiting for a moderator.",
        false,
    )
    .await;
    assert_eq!(held["comment"]["status"], "pending");
    let held_id = held["comment"]["id"].as_i64().unwrap();
    let rejected = post_as(
        &s,
        "eve@example.org",
        Some(parent),
        "This one is rejected.",
        false,
    )
    .await;
    let rejected_id = rejected["comment"]["id"].as_i64().unwrap();
    assert_eq!(
        mails_to(&s, ada).await.len(),
        1,
        "held comments notify no reader"
    );

    s.add_user("mod@example.org", Role::Moderator, &["news"])
        .await;
    let m = s.sign_in("mod@example.org").await;
    for (id, action) in [(rejected_id, "reject"), (held_id, "approve")] {
        let r = s
            .http
            .post(s.url(&format!("/admin/comments/{id}/{action}")))
            .header("cookie", &m.cookie)
            .form(&[("csrf", m.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{action}");
    }
    let sent = mails_to(&s, ada).await;
    assert_eq!(
        sent.len(),
        2,
        "the approved reply notifies, the rejected one does not"
    );
    assert!(sent[1]["text"]
        .as_str()
        .unwrap()
        .contains("Waiting for a moderator."));
    let messages = sink.wait_for(2).await;
    assert!(
        messages[1].contains("bob replied to your comment"),
        "{}",
        messages[1]
    );

    // Approved again: no second notification.
    let r = s
        .http
        .post(s.url(&format!("/admin/comments/{held_id}/approve")))
        .header("cookie", &m.cookie)
        .form(&[("csrf", m.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(mails_to(&s, ada).await.len(), 2, "a comment notifies once");
}

#[tokio::test]
async fn thread_subscribers_hear_of_new_comments() {
    let Some(sink) = SmtpSink::start("thread_subscribers_hear_of_new_comments") else {
        return;
    };
    let s = TestServer::start_with(smtp_config(sink.port)).await;
    post_as(&s, "ada@example.org", None, "Opening the thread.", false).await;
    let subscribe = |email: Option<&str>| {
        let body = json!({"site": "news", "url": page("/thread-a"), "email": email});
        s.http
            .post(s.url("/api/threads/subscribe"))
            .json(&body)
            .send()
    };
    let r = subscribe(None).await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["code"],
        "email_required"
    );
    let r = subscribe(Some("not-an-address")).await.unwrap();
    assert_eq!(r.status(), 400);
    let missing = json!({"site": "news", "url": page("/no-thread"), "email": "w@example.org"});
    let r = s
        .http
        .post(s.url("/api/threads/subscribe"))
        .json(&missing)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    let r = subscribe(Some("watcher@example.org")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap()["subscription"],
        "confirmation_sent"
    );
    confirm(&s, &sink, "watcher@example.org", 0).await;

    post_as(
        &s,
        "bob@example.org",
        None,
        "A new top-level comment.",
        false,
    )
    .await;
    let sent = mails_to(&s, "watcher@example.org").await;
    assert_eq!(sent.len(), 2);
    assert!(sent[1]["subject"]
        .as_str()
        .unwrap()
        .starts_with("New comment by bob"));
    let messages = sink.wait_for(2).await;
    assert!(messages[1].contains("X-Rcpt-To: watcher@example.org"));
    assert!(messages[1].contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
}
