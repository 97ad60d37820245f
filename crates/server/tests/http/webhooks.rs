//! Webhooks: a receiver started here (axum on 127.0.0.1:0) checks the signature, the headers
//! and the payload of all five events; a receiver that fails twice gets the event on the third
//! try; a site without webhooks sends nothing.

use crate::mail_settings::smtp_config;
use hmac::{Hmac, Mac};
use rostra_core::moderation::ModerationMode;
use rostra_core::user::Role;
use rostra_testkit::smtp::free_port;
use rostra_testkit::{page, TestServer};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SECRET: &str = "a-test-secret-of-some-length";

/// What the receiver got: headers of interest and the raw body.
#[derive(Clone, Debug)]
struct Received {
    signature: String,
    event: String,
    event_id: String,
    timestamp: String,
    body: String,
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    /// Requests answered 500 before the first success.
    fail_first: usize,
    seen: Arc<Mutex<usize>>,
}

async fn receive(
    axum::extract::State(r): axum::extract::State<Receiver>,
    headers: axum::http::HeaderMap,
    body: String,
) -> axum::http::StatusCode {
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let n = {
        let mut seen = r.seen.lock().unwrap();
        *seen += 1;
        *seen
    };
    if n <= r.fail_first {
        return axum::http::StatusCode::INTERNAL_SERVER_ERROR;
    }
    r.got.lock().unwrap().push(Received {
        signature: h("x-rostra-signature"),
        event: h("x-rostra-event"),
        event_id: h("x-rostra-event-id"),
        timestamp: h("x-rostra-timestamp"),
        body,
    });
    axum::http::StatusCode::NO_CONTENT
}

/// Starts a receiver; answers its URL.
async fn start_receiver(r: Receiver) -> String {
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(r);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/hook")
}

/// The signature computed here, independently of the server's code.
fn expected_signature(body: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

async fn wait_for(r: &Receiver, n: usize) -> Vec<Received> {
    for _ in 0..3000 {
        let got = r.got.lock().unwrap().clone();
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!(
        "expected {n} webhook deliveries, got {:?}",
        r.got.lock().unwrap()
    );
}

async fn post(s: &TestServer, body: &str) -> (i64, String) {
    let (status, v) = s
        .post(json!({"site": "news", "url": page("/hooked"), "body": body,
                     "author_name": "Zed", "author_email": "zed@example.org"}))
        .await;
    assert_eq!(status, 201, "{v}");
    (
        v["comment"]["id"].as_i64().unwrap(),
        v["edit_token"].as_str().unwrap().to_string(),
    )
}

fn config() -> rostra_server::Config {
    // No SMTP server listens: only webhooks matter here.
    smtp_config(free_port())
}

#[tokio::test]
async fn webhooks_carry_all_five_events_signed() {
    let s = TestServer::start_with(config()).await;
    post(&s, "Before any webhook.").await;
    let items = s.store.recent_outbox(None, 100).await.unwrap();
    assert!(
        items.iter().all(|i| i.kind != "webhook"),
        "nothing unless configured"
    );

    let receiver = Receiver::default();
    let url = start_receiver(receiver.clone()).await;
    s.add_user("admin@example.org", Role::Admin, &[]).await;
    let a = s.sign_in("admin@example.org").await;
    let add = |url: String, secret: &'static str| {
        s.http
            .post(s.url("/admin/sites/news/webhooks"))
            .header("cookie", &a.cookie)
            .form(&[
                ("csrf", a.csrf.clone()),
                ("url", url),
                ("secret", secret.into()),
            ])
            .send()
    };
    assert_eq!(
        add("ftp://x.example/".into(), SECRET)
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(add(url.clone(), "short").await.unwrap().status(), 400);
    let added = add(url.clone(), SECRET).await.unwrap();
    assert_eq!(added.status(), 200);
    assert!(added.text().await.unwrap().contains(&url));

    let (edited, token) = post(&s, "Will be *edited*.").await;
    let r = s
        .http
        .patch(s.url(&format!("/api/comments/{edited}")))
        .bearer_auth(&token)
        .json(&json!({"body": "Now **edited**."}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = s
        .http
        .delete(s.url(&format!("/api/comments/{edited}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    s.set_policy(|p| p.mode = ModerationMode::PreModeration)
        .await;
    let (approved, _) = post(&s, "Approve me.").await;
    let (rejected, _) = post(&s, "Reject me.").await;
    for (id, action) in [(approved, "approve"), (rejected, "reject")] {
        let r = s
            .http
            .post(s.url(&format!("/admin/comments/{id}/{action}")))
            .header("cookie", &a.cookie)
            .form(&[("csrf", a.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
    }

    let got = wait_for(&receiver, 7).await;
    let find = |event: &str, id: i64| -> Value {
        let r = got
            .iter()
            .find(|r| {
                r.event == event
                    && serde_json::from_str::<Value>(&r.body).unwrap()["comment"]["id"] == id
            })
            .unwrap_or_else(|| panic!("no {event} for {id} in {got:?}"));
        assert_eq!(
            r.signature,
            expected_signature(&r.body),
            "signed with the secret"
        );
        assert!(r.timestamp.parse::<i64>().unwrap() > 1_600_000_000);
        let v: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["event"], event);
        assert_eq!(v["id"], r.event_id.as_str());
        assert_eq!(v["site"], "news");
        assert_eq!(v["thread"]["url"], page("/hooked"));
        if v["comment"]["status"] != "deleted" {
            assert_eq!(v["comment"]["author_name"], "Zed");
        }
        assert!(
            !r.body.contains("zed@example.org"),
            "never an address: {}",
            r.body
        );
        assert!(!r.body.contains("hash"), "never a hash: {}", r.body);
        v
    };
    let created = find("comment.created", edited);
    assert_eq!(created["comment"]["status"], "published");
    assert_eq!(
        created["comment"]["html"],
        "<p>Will be <em>edited</em>.</p>\n"
    );
    let e = find("comment.edited", edited);
    assert!(e["comment"]["html"]
        .as_str()
        .unwrap()
        .contains("<strong>edited</strong>"));
    assert_eq!(
        find("comment.deleted", edited)["comment"]["status"],
        "deleted"
    );
    assert_eq!(
        find("comment.created", approved)["comment"]["status"],
        "pending"
    );
    assert_eq!(
        find("comment.approved", approved)["comment"]["status"],
        "published"
    );
    assert_eq!(
        find("comment.rejected", rejected)["comment"]["status"],
        "rejected"
    );
    let ids: std::collections::HashSet<_> = got.iter().map(|r| r.event_id.clone()).collect();
    assert_eq!(ids.len(), got.len(), "every event has its own id");

    // Removed: nothing more is sent.
    let hook = s
        .store
        .webhooks(s.state.sites.get("news").await.unwrap().id)
        .await
        .unwrap();
    let r = s
        .http
        .post(s.url(&format!("/admin/sites/news/webhooks/{}/delete", hook[0].id)))
        .header("cookie", &a.cookie)
        .form(&[("csrf", a.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let before = s.store.recent_outbox(None, 1000).await.unwrap().len();
    post(&s, "After the webhook was removed.").await;
    let after = s.store.recent_outbox(None, 1000).await.unwrap();
    assert_eq!(after.len(), before, "no delivery queued");
}

#[tokio::test]
async fn a_receiver_that_fails_twice_gets_the_event_on_the_third_try() {
    let s = TestServer::start_with(config()).await;
    let receiver = Receiver {
        fail_first: 2,
        ..Receiver::default()
    };
    let url = start_receiver(receiver.clone()).await;
    let site = s.state.sites.get("news").await.unwrap();
    let new = rostra_server::notify::webhooks::new_webhook(site.id, &url, Some(SECRET)).unwrap();
    s.store.add_webhook(new, 0).await.unwrap();
    let (id, _) = post(&s, "Third time lucky.").await;
    let got = wait_for(&receiver, 1).await;
    assert_eq!(*receiver.seen.lock().unwrap(), 3);
    assert_eq!(got[0].signature, expected_signature(&got[0].body));
    let v: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(v["comment"]["id"], id);
    let items = s.store.recent_outbox(None, 10).await.unwrap();
    let item = items.iter().find(|i| i.kind == "webhook").unwrap();
    for _ in 0..3000 {
        let now = s.store.outbox_item(item.id).await.unwrap().unwrap();
        if now.sent_at.is_some() {
            assert_eq!(now.attempts, 3);
            assert!(now.last_error.unwrap().contains("HTTP 500"));
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the delivery was never recorded");
}
