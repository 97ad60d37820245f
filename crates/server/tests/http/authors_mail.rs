//! The statement of reasons by e-mail, through a real SMTP server: a moderator's rejection or
//! removal reaches an author who confirmed their address (decision, category, who decided, the
//! note, the comment), and nobody whose address was only typed into the form.

use crate::authors::moderator_acts;
use crate::mail_settings::{mails_to, smtp_config};
use rostra_server::moderating::Action;
use rostra_testkit::smtp::{link_in, SmtpSink};
use rostra_testkit::{page, TestServer};
use serde_json::{json, Value};

/// Posts as a guest (author token, name and address); answers the comment id.
async fn post_as(s: &TestServer, author: &str, email: &str, body: &str) -> i64 {
    let r = s
        .http
        .post(s.url("/api/comments"))
        .header("x-rostra-author", author)
        .json(&json!({"site": "news", "url": page("/mail"), "body": body,
            "author_name": "Pseudo", "author_email": email}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["comment"]["id"]
        .as_i64()
        .unwrap()
}

/// The guest `author` confirms `email` through the link the server mailed.
async fn confirm_guest(s: &TestServer, sink: &SmtpSink, author: &str, email: &str, seen: usize) {
    let r = s
        .http
        .post(s.url("/api/guest/verify"))
        .header("x-rostra-author", author)
        .json(&json!({"site": "news", "url": page("/mail"), "email": email, "name": "Pseudo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let messages = sink.wait_for(seen + 1).await;
    let link = link_in(&messages[seen], &s.url("/account/verify?token=")).expect("a link");
    let (status, _) = s.get_text(link.strip_prefix(&s.base).unwrap()).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_moderators_rejection_is_mailed_to_an_author_with_a_confirmed_address() {
    let test = "a_moderators_rejection_is_mailed_to_an_author_with_a_confirmed_address";
    let Some(sink) = SmtpSink::start(test) else {
        return;
    };
    let s = TestServer::start_with(smtp_config(sink.port)).await;
    let confirmed = "pseudo@example.org";
    confirm_guest(&s, &sink, "guest-ok", confirmed, 0).await;
    let held = "Read this: https://a.example https://b.example https://c.example";
    let id = post_as(&s, "guest-ok", confirmed, held).await;
    moderator_acts(&s, id, Action::Reject, Some("Link farms are not comments.")).await;

    let messages = sink.wait_for(2).await;
    let m = messages
        .iter()
        .find(|m| m.contains("was rejected by a moderator"))
        .expect("the statement of reasons");
    assert!(m.contains(&format!("X-Rcpt-To: {confirmed}")), "{m}");
    let mails = mails_to(&s, confirmed).await;
    let mail = mails.last().unwrap();
    let text = mail["text"].as_str().unwrap();
    for part in [
        "Decision: rejected",
        "Decided by: a moderator (not an automatic check)",
        "Category: more links than the site allows",
        "The moderator's note: Link farms are not comments.",
        held,
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert!(mail["html"]
        .as_str()
        .unwrap()
        .contains("Link farms are not comments."));

    // A removal of a published comment is told too.
    let published = post_as(&s, "guest-ok", confirmed, "A fair point, I think.").await;
    moderator_acts(&s, published, Action::Delete, None).await;
    let messages = sink.wait_for(3).await;
    assert!(messages
        .iter()
        .any(|m| m.contains("was removed by a moderator")));
    assert!(mails_to(&s, confirmed).await.last().unwrap()["text"]
        .as_str()
        .unwrap()
        .contains("The moderator's note: (none)"));

    // An address only typed into the form gets nothing: it may be anybody's.
    let typed = "typed@example.org";
    let other = post_as(&s, "guest-unconfirmed", typed, held).await;
    moderator_acts(&s, other, Action::Reject, Some("No.")).await;
    // The outbox is written in the moderator's request: nothing is queued for it, now or later.
    assert!(mails_to(&s, typed).await.is_empty());
    // Approving tells nobody either.
    let approved = post_as(&s, "guest-ok", confirmed, held).await;
    let before = mails_to(&s, confirmed).await.len();
    moderator_acts(&s, approved, Action::Approve, None).await;
    assert_eq!(mails_to(&s, confirmed).await.len(), before);
}
