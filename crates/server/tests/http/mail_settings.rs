//! The mail settings the tests with a real SMTP server (aiosmtpd) use, letting a stopped
//! instance's waiting mail come due, and reading what the outbox holds for an address.

use rostra_testkit::smtp::free_port;
use rostra_testkit::{test_config, TestServer};
use serde_json::Value;

/// Mail through the real SMTP server listening on `port`, with quick retries.
pub fn smtp_config(port: u16) -> rostra_server::Config {
    let mut c = test_config();
    c.mail.smtp_host = "127.0.0.1".into();
    c.mail.smtp_port = port;
    c.mail.smtp_tls = "none".into();
    c.mail.from = "Rostra Test <rostra@test.example>".into();
    c.mail.retry_base_ms = 50;
    c.mail.poll_ms = 20;
    c
}

/// SMTP on a port where nothing listens, for an instance whose mail must wait in the outbox:
/// each message is tried once, and the next try is an hour away (see [`due_now_after_restart`]).
pub fn unreachable_smtp_config() -> rostra_server::Config {
    let mut c = smtp_config(free_port());
    c.mail.retry_base_ms = 3_600_000;
    c
}

/// For a stopped instance of [`unreachable_smtp_config`]: waits until its one try of each
/// unsent message is recorded, then lets the hour pass, so the next instance delivers now.
pub async fn due_now_after_restart(s: &TestServer) {
    let started = std::time::Instant::now();
    loop {
        let waiting: Vec<_> = s.store.recent_outbox(None, 100).await.unwrap();
        let waiting: Vec<_> = waiting
            .into_iter()
            .filter(|i| i.sent_at.is_none())
            .collect();
        if waiting.iter().all(|i| i.attempts >= 1) {
            for item in waiting {
                s.store
                    .outbox_failed(item.id, "waited", Some(0))
                    .await
                    .unwrap();
            }
            return;
        }
        assert!(
            started.elapsed().as_secs() < 60,
            "a try never ended: {waiting:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The outbox e-mails to this address so far, as (subject, text, html, headers) JSON.
pub async fn mails_to(s: &TestServer, to: &str) -> Vec<Value> {
    let items = s.store.recent_outbox(None, 1000).await.unwrap();
    items
        .into_iter()
        .rev()
        .filter(|i| i.kind == "mail" && i.recipient == to)
        .map(|i| serde_json::from_str(&i.payload).unwrap())
        .collect()
}
