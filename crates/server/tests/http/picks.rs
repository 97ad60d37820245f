//! Editors' picks and pins: who may feature and pin (the authorization matrix, CSRF), the flags
//! in the JSON thread and on the page without JavaScript, the pinned comment at the top, the
//! audit lines, and the e-mail to an author who asked for reply e-mails.

use crate::mail_settings::mails_to;
use rostra_testkit::smtp::link_in;
use rostra_testkit::{page, thread_query, Signed, TestServer};
use serde_json::{json, Value};

async fn post(s: &TestServer, body: Value) -> i64 {
    let (st, v) = s.post(body).await;
    assert_eq!(st, 201, "{v}");
    v["comment"]["id"].as_i64().unwrap()
}

async fn set(s: &TestServer, who: Option<&Signed>, path: &str, on: &str, csrf: bool) -> u16 {
    let mut fields = vec![("on".to_string(), on.to_string())];
    let mut r = s.http.post(s.url(path));
    if let Some(si) = who {
        r = r.header("cookie", &si.cookie);
        if csrf {
            fields.push(("csrf".into(), si.csrf.clone()));
        }
    }
    r.form(&fields).send().await.unwrap().status().as_u16()
}

fn comment<'a>(thread: &'a Value, id: i64) -> &'a Value {
    let all = thread["comments"].as_array().unwrap();
    all.iter().find(|c| c["id"] == id).unwrap()
}

#[tokio::test]
async fn moderators_feature_and_pin_and_readers_see_the_flags() {
    let s = crate::desk::setup().await;
    let (admin, moderator) = (
        s.sign_in("admin@example.org").await,
        s.sign_in("mod@example.org").await,
    );
    let elsewhere = s.sign_in("elsewhere@example.org").await;
    let ada = "ada@example.org";
    let good = post(
        &s,
        json!({"site": "news", "url": page("/p"), "body": "A fine point.",
        "author_name": "Ada", "author_email": ada, "notify_replies": true}),
    )
    .await;
    let plain = post(
        &s,
        json!({"site": "news", "url": page("/p"), "body": "Me too."}),
    )
    .await;
    let held = post(
        &s,
        json!({"site": "news", "url": page("/p"),
        "body": "https://a.example https://b.example https://c.example"}),
    )
    .await;
    // Ada confirms her reply e-mails.
    let confirmation = mails_to(&s, ada).await;
    let text = confirmation[0]["text"].as_str().unwrap();
    let link = link_in(text, &s.url("/notifications/confirm?token=")).unwrap();
    assert_eq!(s.http.post(&link).send().await.unwrap().status(), 200);

    let feature = format!("/admin/comments/{good}/feature");
    let pin = format!("/admin/comments/{plain}/pin");
    for path in [&feature, &pin] {
        assert_eq!(
            set(&s, None, path, "1", false).await,
            303,
            "anonymous: to sign in"
        );
        assert_eq!(set(&s, Some(&elsewhere), path, "1", true).await, 403);
        assert_eq!(
            set(&s, Some(&admin), path, "1", false).await,
            403,
            "no CSRF token"
        );
        assert_eq!(set(&s, Some(&moderator), path, "maybe", true).await, 400);
    }
    let (_, t) = s.get_json(&thread_query("/p")).await;
    assert_eq!(comment(&t, good)["featured"], false);
    assert_eq!(t["thread"]["pinned_comment_id"], Value::Null);
    assert!(t.get("pinned").is_none());

    assert_eq!(set(&s, Some(&moderator), &feature, "1", true).await, 303);
    assert_eq!(set(&s, Some(&admin), &pin, "1", true).await, 303);
    let held_path = format!("/admin/comments/{held}/feature");
    assert_eq!(
        set(&s, Some(&moderator), &held_path, "1", true).await,
        400,
        "held: not featured"
    );
    let (_, t) = s.get_json(&thread_query("/p")).await;
    assert_eq!(comment(&t, good)["featured"], true);
    assert_eq!(comment(&t, plain)["featured"], false);
    assert_eq!(t["thread"]["pinned_comment_id"], plain);
    assert_eq!(t["pinned"]["id"], plain);
    let (_, html) = s
        .get_text(&format!(
            "/thread?site=news&url={}",
            rostra_testkit::encode(&page("/p"))
        ))
        .await;
    assert_eq!(
        html.matches("class=\"rostra-featured\"").count(),
        1,
        "{html}"
    );
    assert_eq!(html.matches("class=\"rostra-pinned\"").count(), 1);

    // Ada asked for reply e-mails: she hears about it, once.
    let mails = mails_to(&s, ada).await;
    let featured: Vec<&Value> = mails
        .iter()
        .filter(|m| m["subject"].as_str().unwrap().contains("was featured"))
        .collect();
    assert_eq!(featured.len(), 1, "{mails:?}");
    assert!(featured[0]["text"]
        .as_str()
        .unwrap()
        .contains("/notifications/unsubscribe?token="));
    assert_eq!(
        set(&s, Some(&moderator), &feature, "1", true).await,
        303,
        "again: nothing new"
    );
    assert_eq!(mails_to(&s, ada).await.len(), mails.len());

    assert_eq!(set(&s, Some(&moderator), &feature, "0", true).await, 303);
    assert_eq!(set(&s, Some(&moderator), &pin, "0", true).await, 303);
    let (_, t) = s.get_json(&thread_query("/p")).await;
    assert_eq!(comment(&t, good)["featured"], false);
    assert_eq!(t["thread"]["pinned_comment_id"], Value::Null);
    let site = s.store.site_by_key("news").await.unwrap().unwrap();
    let filter = rostra_core::store::AuditFilter {
        site: Some(site.id),
        limit: 50,
        ..Default::default()
    };
    let actions: Vec<String> = s
        .store
        .audit_log(&filter)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "thread.unpin",
            "comment.unfeature",
            "thread.pin",
            "comment.feature"
        ]
    );
}
