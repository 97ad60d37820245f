//! The statement of reasons: `GET /api/comments/{id}` for the author alone (edit token or
//! reader session) with status, category, who decided, the note and when; and the plain form's
//! nudge ("Post anyway") and the author's status on the page without JavaScript.

use crate::authors::{draft, moderator_acts, post_as, CIVIL, THREAT};
use crate::code;
use rostra_server::moderating::Action;
use rostra_testkit::{page, thread_query, TestServer};
use serde_json::{json, Value};

/// `GET /api/comments/{id}` with a bearer token and/or a reader session.
async fn read(s: &TestServer, id: i64, token: Option<&str>, session: Option<&str>) -> (u16, Value) {
    let mut r = s.http.get(s.url(&format!("/api/comments/{id}")));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(t) = session {
        r = r.header("x-rostra-session", t);
    }
    let r = r.send().await.unwrap();
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn the_author_reads_the_statement_of_reasons_and_nobody_else_does() {
    let s = TestServer::start().await;
    let (id, token, status) = post_as(&s, "author-1", "/s", THREAT).await;
    assert_eq!(status, "pending");
    let (st, v) = read(&s, id, Some(&token), None).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["comment"]["status"], "pending");
    assert_eq!(v["comment"]["body"], THREAT, "the author's own source");
    let m = &v["moderation"];
    assert_eq!(
        (m["status"].as_str(), m["decided_by"].as_str()),
        (Some("pending"), Some("automatic"))
    );
    let category = m["categories"][0]["check"].as_str().unwrap();
    assert!(
        rostra_core::attributes::Attribute::parse(category).is_some(),
        "{m}"
    );
    assert!(
        m["summary"]
            .as_str()
            .unwrap()
            .starts_with("Held for review: may be read as "),
        "{m}"
    );
    assert!(m["decided_at"].as_i64().unwrap() > 0);
    for token in [None, Some("not-the-token")] {
        let (st, v) = read(&s, id, token, None).await;
        assert_eq!(
            (st, code(&v)),
            (404, "comment_not_found"),
            "a held comment is nobody else's"
        );
    }

    moderator_acts(&s, id, Action::Reject, Some("We do not publish threats.")).await;
    let (_, v) = read(&s, id, Some(&token), None).await;
    let m = &v["moderation"];
    assert_eq!(
        (v["comment"]["status"].as_str(), m["decided_by"].as_str()),
        (Some("rejected"), Some("moderator"))
    );
    assert_eq!(m["note"], "We do not publish threats.");
    assert_eq!(
        m["summary"],
        "Rejected by a moderator: We do not publish threats."
    );
    assert_eq!(
        m["categories"][0]["check"], category,
        "the hold's reason stands behind it"
    );
    assert_eq!(read(&s, id, None, None).await.0, 404);

    // A published comment: everyone gets the public view, its author the statement too.
    let (id, token, _) = post_as(&s, "author-2", "/s", CIVIL).await;
    let (st, v) = read(&s, id, None, None).await;
    assert_eq!(st, 200);
    assert!(
        v.get("moderation").is_none() && v["comment"].get("body").is_none(),
        "{v}"
    );
    let (_, v) = read(&s, id, Some(&token), None).await;
    assert_eq!(
        (
            v["moderation"]["status"].as_str(),
            &v["moderation"]["summary"]
        ),
        (Some("published"), &Value::Null)
    );
}

#[tokio::test]
async fn a_signed_in_author_reads_it_with_the_session() {
    let s = TestServer::start().await;
    let session = crate::accounts::verified_reader(&s, "ann@example.org", "Ann").await;
    let other = crate::accounts::verified_reader(&s, "bob@example.org", "Bob").await;
    let r = s
        .http
        .post(s.url("/api/comments"))
        .header("x-rostra-session", &session)
        .json(&draft(
            "/r",
            "Three links: https://a.example https://b.example https://c.example",
        ))
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    let id = v["comment"]["id"].as_i64().unwrap();
    moderator_acts(&s, id, Action::Delete, Some("Spam links.")).await;
    let (st, v) = read(&s, id, None, Some(&session)).await;
    assert_eq!(st, 200, "{v}");
    let m = &v["moderation"];
    assert_eq!(
        (m["status"].as_str(), m["decided_by"].as_str()),
        (Some("deleted"), Some("moderator"))
    );
    assert_eq!(
        m["categories"][0],
        json!({"check": "links", "label": "more links than the site allows"})
    );
    assert_eq!(m["summary"], "Removed by a moderator: Spam links.");
    assert_eq!(
        read(&s, id, None, Some(&other)).await.0,
        404,
        "another reader"
    );
}

/// The plain form as a browser without JavaScript sends it.
async fn form(
    s: &TestServer,
    body: &str,
    confirm: bool,
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut fields = vec![
        ("site", "news".to_string()),
        ("url", page("/plain")),
        (
            "return_to",
            s.url(&format!(
                "/thread?site=news&url={}",
                rostra_testkit::encode(&page("/plain"))
            )),
        ),
        ("author_name", "Pat".into()),
        ("body", body.into()),
    ];
    if confirm {
        fields.push(("confirm", "1".into()));
    }
    let mut r = s.http.post(s.url("/thread/comment")).form(&fields);
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    r.send().await.unwrap()
}

async fn plain_page(s: &TestServer, cookie: Option<&str>) -> String {
    let mut r = s.http.get(s.url(&format!(
        "/thread?site=news&url={}",
        rostra_testkit::encode(&page("/plain"))
    )));
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    r.send().await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn the_plain_form_nudges_posts_anyway_and_shows_the_author_why() {
    let s = TestServer::start().await;
    let r = form(&s, THREAT, false, None).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"rostra-nudge\">This may be read as "),
        "{html}"
    );
    assert!(
        html.contains(&format!(">{}</textarea>", THREAT.replace('\'', "&#x27;"))),
        "the text stays in the box: {html}"
    );
    assert!(html.contains("value=\"Pat\""), "{html}");
    assert!(
        html.contains("<button type=\"submit\" name=\"confirm\" value=\"1\">Post anyway</button>")
    );
    let (_, t) = s.get_json(&thread_query("/plain")).await;
    assert_eq!(t["thread"]["id"], Value::Null, "nothing stored");

    // A civil comment goes straight through, without the cookie's help.
    assert_eq!(form(&s, CIVIL, false, None).await.status(), 303);
    let r = form(&s, THREAT, true, None).await;
    assert_eq!(r.status(), 303);
    let set = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        set.starts_with("rostra_own=") && set.contains("HttpOnly") && set.contains("Path=/thread"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();
    let id: i64 = cookie["rostra_own=".len()..]
        .split('.')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let page_html = plain_page(&s, Some(&cookie)).await;
    assert!(
        page_html.contains(&format!(
            "<li id=\"rostra-own-{id}\" data-status=\"pending\">Held for review: may be read as "
        )),
        "{page_html}"
    );
    assert!(
        !plain_page(&s, None).await.contains("Your comments here"),
        "another reader sees nothing"
    );
    let forged = format!("rostra_own={id}.not-the-token");
    assert!(!plain_page(&s, Some(&forged))
        .await
        .contains("Your comments here"));

    moderator_acts(&s, id, Action::Reject, Some("No threats, please.")).await;
    let page_html = plain_page(&s, Some(&cookie)).await;
    assert!(
        page_html
            .contains("data-status=\"rejected\">Rejected by a moderator: No threats, please.</li>"),
        "{page_html}"
    );
}
