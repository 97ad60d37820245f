//! Moderation through the public API: policy modes, words, links, reports, bans, edits, and the
//! retention of address hashes.

use crate::code;
use rostra_core::moderation::{ModerationMode, SitePolicy};
use rostra_core::{CommentId, Status};
use rostra_testkit::{page, test_config, thread_query, TestServer};
use serde_json::{json, Value};

async fn set_policy(s: &TestServer, f: impl FnOnce(&mut SitePolicy)) {
    s.set_policy(f).await;
}

/// Posts as a guest with an author token; answers (status, body).
pub(crate) async fn post_as(s: &TestServer, author: &str, path: &str, body: &str) -> (u16, Value) {
    let r = s
        .http
        .post(s.url("/api/comments"))
        .header("x-rostra-author", author)
        .json(&json!({"site": "news", "url": page(path), "body": body}))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn checks_hold_with_reasons_and_the_public_never_sees_held_comments() {
    let s = TestServer::start().await;
    let (st, v) = post_as(
        &s,
        "a",
        "/m",
        "Three links: https://a.example https://b.example https://c.example",
    )
    .await;
    assert_eq!(
        (st, v["comment"]["status"].as_str()),
        (201, Some("pending"))
    );
    let id = v["comment"]["id"].as_i64().unwrap();
    let stored = s.store.comment(CommentId(id)).await.unwrap().unwrap();
    assert_eq!(stored.reasons[0].check, "links");
    assert_eq!(stored.reasons[0].detail, "3 links (the site allows 2)");
    assert_eq!(stored.reasons[0].spans.len(), 3);
    let (_, t) = s.get_json(&thread_query("/m")).await;
    assert_eq!(t["comments"], json!([]));
    assert_eq!(t["thread"]["comment_count"], 0);
    let (st, v) = post_as(&s, "a", "/m", "A calm and reasonable comment.").await;
    assert_eq!(
        (st, v["comment"]["status"].as_str()),
        (201, Some("published"))
    );
}

#[tokio::test]
async fn banned_words_reject_and_suspect_words_hold_however_disguised() {
    let s = TestServer::start().await;
    set_policy(&s, |p| {
        p.banned_words = vec!["vermin".into()];
        p.suspect_words = vec!["idiot".into()];
    })
    .await;
    let (st, v) = post_as(&s, "a", "/w", "They are all V.E.R.M.I.N and should go").await;
    assert_eq!((st, code(&v)), (422, "comment_rejected"));
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("V.E.R.M.I.N"),
        "{v}"
    );
    let (st, v) = post_as(&s, "a", "/w", "What an 1d10t").await;
    assert_eq!(
        (st, v["comment"]["status"].as_str()),
        (201, Some("pending"))
    );
    let rejected = s
        .store
        .queue(
            &rostra_core::store::SiteScope::All,
            rostra_core::store::Queue::Rejected,
            0,
            10,
        )
        .await
        .unwrap();
    assert_eq!(
        rejected.len(),
        1,
        "a refused comment is kept for moderators"
    );
    assert_eq!(rejected[0].reasons[0].check, "banned_words");
}

#[tokio::test]
async fn pre_moderation_holds_everyone() {
    let s = TestServer::start().await;
    set_policy(&s, |p| p.mode = ModerationMode::PreModeration).await;
    let (_, v) = post_as(&s, "a", "/pre", "Hello there").await;
    assert_eq!(v["comment"]["status"], "pending");
    let stored = s
        .store
        .comment(CommentId(v["comment"]["id"].as_i64().unwrap()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.reasons[0].check, "premoderation");
}

#[tokio::test]
async fn newcomers_are_held_until_one_comment_is_approved() {
    let s = TestServer::start().await;
    set_policy(&s, |p| p.mode = ModerationMode::PreModerateNewcomers).await;
    let (_, v) = post_as(&s, "regular", "/n", "My first comment here").await;
    assert_eq!(v["comment"]["status"], "pending");
    let id = CommentId(v["comment"]["id"].as_i64().unwrap());
    s.add_user("admin@example.org", rostra_core::user::Role::Admin, &[])
        .await;
    let admin = s
        .store
        .user_by_email("admin@example.org")
        .await
        .unwrap()
        .unwrap();
    rostra_server::moderating::act(
        &s.state,
        &admin,
        id,
        rostra_server::moderating::Action::Approve,
        None,
    )
    .await
    .unwrap();
    let (_, v) = post_as(&s, "regular", "/n", "My second comment").await;
    assert_eq!(
        v["comment"]["status"], "published",
        "trusted after an approved comment"
    );
    let (_, v) = post_as(&s, "stranger", "/n", "Someone new").await;
    assert_eq!(v["comment"]["status"], "pending");
    let (_, t) = s.get_json(&thread_query("/n")).await;
    assert_eq!(t["thread"]["comment_count"], 2);
}

#[tokio::test]
async fn edits_go_through_the_checks_again() {
    let s = TestServer::start().await;
    set_policy(&s, |p| {
        p.banned_words = vec!["vermin".into()];
        p.suspect_words = vec!["idiot".into()];
    })
    .await;
    let (_, v) = post_as(&s, "a", "/ed", "Perfectly fine").await;
    let (id, token) = (
        v["comment"]["id"].as_i64().unwrap(),
        v["edit_token"].as_str().unwrap().to_string(),
    );
    let edit = |body: &'static str| {
        s.http
            .patch(s.url(&format!("/api/comments/{id}")))
            .bearer_auth(&token)
            .json(&json!({"body": body}))
            .send()
    };
    let r = edit("you vermin").await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        s.store.comment(CommentId(id)).await.unwrap().unwrap().body,
        "Perfectly fine",
        "the old text stays"
    );
    let r = edit("what an idiot").await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["comment"]["status"], "pending");
    let (_, t) = s.get_json(&thread_query("/ed")).await;
    assert_eq!(
        t["comments"],
        json!([]),
        "the held edit left the public thread"
    );
}

#[tokio::test]
async fn enough_reports_hold_a_comment_once_per_reader() {
    let s = TestServer::start().await;
    set_policy(&s, |p| p.reports_to_hold = 2).await;
    let (_, v) = post_as(&s, "a", "/r", "Something people dislike").await;
    let id = v["comment"]["id"].as_i64().unwrap();
    let report = |voter: &'static str, body: Value| {
        s.http
            .post(s.url(&format!("/api/comments/{id}/report")))
            .header("x-rostra-voter", voter)
            .json(&body)
            .send()
    };
    let r = report("r1", json!({"reason": "harassment", "note": "mean"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = report("r1", json!({"reason": "spam"})).await.unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            code(&r.json().await.unwrap()).to_string()
        ),
        (409, "already_reported".into())
    );
    let r = report("r2", json!({"reason": "nonsense"})).await.unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            code(&r.json().await.unwrap()).to_string()
        ),
        (400, "invalid_report_reason".into())
    );
    let r = report("r2", json!({"reason": "other", "note": "x".repeat(501)}))
        .await
        .unwrap();
    assert_eq!(code(&r.json().await.unwrap()), "note_too_long");
    let (_, t) = s.get_json(&thread_query("/r")).await;
    assert_eq!(
        t["comments"].as_array().unwrap().len(),
        1,
        "one report is not enough"
    );
    let r = report("r2", json!({"reason": "hate"})).await.unwrap();
    assert_eq!(r.status(), 201);
    let (_, t) = s.get_json(&thread_query("/r")).await;
    assert_eq!(t["comments"], json!([]), "held at the threshold");
    let c = s.store.comment(CommentId(id)).await.unwrap().unwrap();
    assert_eq!((c.status, c.report_count), (Status::Pending, 2));
    let decisions = s.store.decisions(CommentId(id)).await.unwrap();
    assert_eq!(decisions.last().unwrap().reasons[0].check, "reports");
    assert_eq!(
        s.store.reports(CommentId(id)).await.unwrap()[0]
            .note
            .as_deref(),
        Some("mean")
    );
}

#[tokio::test]
async fn reports_are_rate_limited() {
    let mut config = test_config();
    config.rate_limits.reports_per_minute = 2;
    let s = TestServer::start_with(config).await;
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(
            post_as(&s, "a", "/rl", &format!("comment number {i}"))
                .await
                .1["comment"]["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let mut statuses = Vec::new();
    for id in ids {
        let r = s
            .http
            .post(s.url(&format!("/api/comments/{id}/report")))
            .json(&json!({"reason": "spam"}))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [201, 201, 429]);
}

#[tokio::test]
async fn address_hashes_are_erased_after_the_retention_period() {
    let s = TestServer::start().await;
    let site = s.store.site_by_key("news").await.unwrap().unwrap();
    let mut old = rostra_core::NewComment {
        site_id: site.id,
        thread_key: page("/old"),
        page_url: page("/old"),
        page_title: None,
        parent_id: None,
        status: Status::Published,
        author_name: None,
        author_email: None,
        author_url: None,
        body: "old".into(),
        body_html: "<p>old</p>".into(),
        created_at: 1_000,
        edit_token_hash: "x".into(),
        ip_hash: Some("h".into()),
        author_key: None,
        net_hash: Some("n".into()),
        reasons: vec![],
        close_before: None,
        account_id: None,
        author_badge: None,
    };
    let (c_old, _) = s.store.create_comment(old.clone()).await.unwrap();
    old.created_at = rostra_server::state::now_ms();
    let (c_new, _) = s.store.create_comment(old).await.unwrap();
    rostra_server::housekeeping(&s.state).await;
    let o = s.store.comment(c_old.id).await.unwrap().unwrap();
    assert_eq!((o.ip_hash, o.net_hash), (None, None));
    assert!(s
        .store
        .comment(c_new.id)
        .await
        .unwrap()
        .unwrap()
        .ip_hash
        .is_some());
}

#[tokio::test]
async fn votes_are_rate_limited_per_address_and_per_identity() {
    let mut config = test_config();
    config.rate_limits.votes_per_minute = 2;
    config.server.trust_forwarded_for = true;
    let s = TestServer::start_with(config).await;
    let (_, v) = post_as(&s, "a", "/vr", "vote on me please").await;
    let id = v["comment"]["id"].as_i64().unwrap();
    let vote = |ip: &'static str, voter: &'static str| {
        s.http
            .post(s.url(&format!("/api/comments/{id}/vote")))
            .header("x-forwarded-for", ip)
            .header("x-rostra-voter", voter)
            .json(&json!({"value": 1}))
            .send()
    };
    let mut statuses = Vec::new();
    for (ip, voter) in [
        ("10.0.0.1", "v"),
        ("10.0.0.2", "v"),
        ("10.0.0.3", "v"),
        ("10.0.0.4", "w"),
    ] {
        statuses.push(vote(ip, voter).await.unwrap().status().as_u16());
    }
    assert_eq!(
        statuses,
        [200, 200, 429, 200],
        "one voter token from three addresses hits its own limit"
    );
}
