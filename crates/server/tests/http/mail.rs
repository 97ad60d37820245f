//! E-mail through the outbox: a real SMTP server (aiosmtpd) receives what the worker sends;
//! failures are retried with backoff and survive a restart (a reply notification among them,
//! delivered once); without SMTP, mail lands in the
//! folder.

use crate::mail_settings::{due_now_after_restart, mails_to, smtp_config, unreachable_smtp_config};
use crate::notify_replies::post_as;
use rostra_core::outbox::OutboxItem;
use rostra_testkit::smtp::link_in;
use rostra_testkit::smtp::{free_port, SmtpSink};
use rostra_testkit::TestServer;
use std::time::{Duration, Instant};

/// A guard against hanging, not a measure of speed.
const PATIENCE: Duration = Duration::from_secs(60);

/// Polls the outbox item until `done` holds.
async fn wait_item(s: &TestServer, id: i64, done: impl Fn(&OutboxItem) -> bool) -> OutboxItem {
    let started = Instant::now();
    loop {
        let item = s.store.outbox_item(id).await.unwrap().unwrap();
        if done(&item) {
            return item;
        }
        assert!(started.elapsed() < PATIENCE, "outbox item stuck: {item:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn mail_arrives_at_a_real_smtp_server() {
    let Some(sink) = SmtpSink::start("mail_arrives_at_a_real_smtp_server") else {
        return;
    };
    let s = TestServer::start_with(smtp_config(sink.port)).await;
    let id = rostra_server::mail::enqueue(
        &s.state,
        "reader@example.com",
        "Welcome to the discussion",
        "Hello there.\nhttps://news.example/a#rostra-link=abc",
    )
    .await
    .unwrap();
    let messages = sink.wait_for(1).await;
    let m = &messages[0];
    assert!(m.contains("X-Rcpt-To: reader@example.com"), "{m}");
    assert!(m.contains("Subject: Welcome to the discussion"), "{m}");
    assert!(m.contains("rostra@test.example"), "{m}");
    assert!(m.contains("Hello there."), "{m}");
    let item = wait_item(&s, id, |i| i.sent_at.is_some()).await;
    assert_eq!(item.attempts, 1);
    assert_eq!(item.next_attempt_at, None);
}

#[tokio::test]
async fn failed_mail_is_retried_until_the_server_answers() {
    let port = free_port();
    let s = TestServer::start_with(smtp_config(port)).await;
    let id = rostra_server::mail::enqueue(&s.state, "late@example.com", "Later", "Still here.")
        .await
        .unwrap();
    // Nothing listens yet: the first tries fail and are rescheduled.
    let failed = wait_item(&s, id, |i| i.attempts >= 2).await;
    assert_eq!(failed.sent_at, None);
    assert!(failed.last_error.is_some(), "{failed:?}");
    assert!(failed.next_attempt_at.is_some(), "{failed:?}");
    let Some(sink) = SmtpSink::start_on("failed_mail_is_retried_until_the_server_answers", port)
    else {
        return;
    };
    let messages = sink.wait_for(1).await;
    assert!(messages[0].contains("Subject: Later"), "{}", messages[0]);
    let sent = wait_item(&s, id, |i| i.sent_at.is_some()).await;
    assert!(sent.attempts >= 3, "{sent:?}");
}

#[tokio::test]
async fn queued_mail_survives_a_restart() {
    let Some(sink) = SmtpSink::start("queued_mail_survives_a_restart") else {
        return;
    };
    // The first instance cannot reach any SMTP server; the message waits in the database.
    let mut first = TestServer::start_with(unreachable_smtp_config()).await;
    let id = rostra_server::mail::enqueue(&first.state, "kept@example.com", "Kept", "Queued.")
        .await
        .unwrap();
    wait_item(&first, id, |i| i.attempts >= 1).await;
    first.stop();
    due_now_after_restart(&first).await;
    // An instance started later on the same database delivers it.
    let second = first.start_sharing(smtp_config(sink.port)).await;
    let messages = sink.wait_for(1).await;
    assert!(messages[0].contains("X-Rcpt-To: kept@example.com"));
    let sent = wait_item(&second, id, |i| i.sent_at.is_some()).await;
    assert!(sent.attempts >= 2, "{sent:?}");
    assert_eq!(sink.messages().len(), 1, "delivered once");
}

#[tokio::test]
async fn mail_that_keeps_failing_is_given_up() {
    let mut c = smtp_config(free_port());
    c.mail.max_attempts = 3;
    c.mail.retry_base_ms = 10;
    let s = TestServer::start_with(c).await;
    let id = rostra_server::mail::enqueue(&s.state, "gone@example.com", "Gone", "Never.")
        .await
        .unwrap();
    let item = wait_item(&s, id, |i| i.next_attempt_at.is_none()).await;
    assert_eq!(item.attempts, 3);
    assert_eq!(item.sent_at, None);
    assert!(item.last_error.is_some());
}

#[tokio::test]
async fn without_smtp_mail_is_written_to_the_folder() {
    let s = TestServer::start().await;
    let id = rostra_server::mail::enqueue(&s.state, "folder@example.com", "Filed", "On disk.")
        .await
        .unwrap();
    let files = s.wait_for_mail(1).await;
    assert!(files[0].contains("Subject: Filed"), "{}", files[0]);
    assert!(files[0].contains("folder@example.com"));
    wait_item(&s, id, |i| i.sent_at.is_some()).await;
}

#[test]
fn mail_settings_are_checked() {
    let mut c = rostra_server::Config::default();
    c.mail.smtp_tls = "ssl".into();
    c.mail.from = "not an address".into();
    let problems = c.problems();
    assert!(
        problems.iter().any(|p| p.starts_with("mail.smtp_tls")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.starts_with("mail.from")),
        "{problems:?}"
    );
}

#[tokio::test]
async fn a_notification_queued_before_a_restart_arrives_once() {
    let Some(sink) = SmtpSink::start("a_notification_queued_before_a_restart_arrives_once") else {
        return;
    };
    // The first instance reaches no SMTP server: everything waits in the database.
    let mut first = TestServer::start_with(unreachable_smtp_config()).await;
    let ada = "ada@example.org";
    let opened = post_as(&first, ada, None, "Durable?", true).await;
    let parent = opened["comment"]["id"].as_i64().unwrap();
    let confirmation = mails_to(&first, ada).await;
    let link = link_in(
        confirmation[0]["text"].as_str().unwrap(),
        &first.url("/notifications/confirm?token="),
    )
    .unwrap();
    assert_eq!(first.http.post(&link).send().await.unwrap().status(), 200);
    post_as(
        &first,
        "bob@example.org",
        Some(parent),
        "Queued while SMTP is down.",
        false,
    )
    .await;
    let queued = first.store.recent_outbox(None, 10).await.unwrap();
    let notice = queued
        .iter()
        .find(|i| i.payload.contains("Queued while"))
        .unwrap()
        .id;
    first.stop();
    due_now_after_restart(&first).await;

    let second = first.start_sharing(smtp_config(sink.port)).await;
    let messages = sink.wait_for(2).await;
    loop {
        let item = second.store.outbox_item(notice).await.unwrap().unwrap();
        if item.sent_at.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let all = sink.messages();
    let notices = all
        .iter()
        .filter(|m| m.contains("Queued while SMTP is down."))
        .count();
    assert_eq!(notices, 1, "delivered exactly once: {messages:?}");
}
