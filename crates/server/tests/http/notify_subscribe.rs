//! Subscribing to replies without the widget: the plain HTML form's box, and a verified guest
//! whose proven address is used instead of the one typed on the comment.

use crate::mail_settings::mails_to;
use rostra_testkit::smtp::link_in;
use rostra_testkit::{page, TestServer};
use serde_json::{json, Value};

#[tokio::test]
async fn the_plain_form_asks_for_reply_notifications_too() {
    let s = TestServer::start().await;
    let form = [
        ("site", "news".to_string()),
        ("url", page("/thread-a")),
        ("body", "Posted without JavaScript.".to_string()),
        ("author_email", "nojs@example.org".to_string()),
        ("notify_replies", "true".to_string()),
    ];
    let r = s
        .http
        .post(s.url("/thread/comment"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let sent = mails_to(&s, "nojs@example.org").await;
    assert_eq!(sent.len(), 1, "a confirmation, nothing else");
    assert!(sent[0]["text"]
        .as_str()
        .unwrap()
        .contains("/notifications/confirm?token="));
    // The box unticked: no mail at all.
    let r = s
        .http
        .post(s.url("/thread/comment"))
        .form(&form[..4])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(mails_to(&s, "nojs@example.org").await.len(), 1);
    let (_, html) = s
        .get_text(&format!(
            "/thread?site=news&url={}",
            rostra_testkit::encode(&page("/thread-a"))
        ))
        .await;
    assert!(
        html.contains("name=\"notify_replies\""),
        "the form has the box"
    );
}

#[tokio::test]
async fn a_verified_guest_is_subscribed_at_once_to_the_confirmed_address() {
    let s = TestServer::start().await;
    let guest = |body: serde_json::Value| {
        s.http
            .post(s.url("/api/comments"))
            .header("x-rostra-author", "guest-verified")
            .json(&body)
            .send()
    };
    let r = guest(json!({"site": "news", "url": page("/v"), "body": "Hello."}))
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = s
        .http
        .post(s.url("/api/guest/verify"))
        .header("x-rostra-author", "guest-verified")
        .json(&json!({"site": "news", "url": page("/v"), "email": "pseudo@example.com", "name": "Pseudo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let mails = s.wait_for_mail(1).await;
    let link = link_in(&mails[0], &s.url("/account/verify?token=")).unwrap();
    assert_eq!(s.get_text(link.strip_prefix(&s.base).unwrap()).await.0, 200);

    // The address typed on the comment is not the one used: only the proven one is.
    let r = guest(
        json!({"site": "news", "url": page("/v"), "body": "Tell me about replies.",
                         "author_email": "victim@example.org", "notify_replies": true}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["notify_replies"], "subscribed", "{v}");
    let parent = v["comment"]["id"].as_i64().unwrap();
    let (status, _) = s
        .post(
            json!({"site": "news", "url": page("/v"), "parent": parent, "body": "A reply.",
                     "author_email": "other@example.org"}),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        mails_to(&s, "pseudo@example.com").await.len(),
        2,
        "verification + reply"
    );
    assert!(mails_to(&s, "victim@example.org").await.is_empty());
}
