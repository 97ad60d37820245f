//! Writing: posting, editing with revisions, deleting with tombstones, voting.

use crate::{find, post};
use rostra_core::CommentId;
use rostra_testkit::{page, test_config, thread_query, TestServer};
use serde_json::json;

#[tokio::test]
async fn author_fields_are_kept_and_the_email_never_shown() {
    let s = TestServer::start().await;
    let (status, v) = s
        .post(json!({"site": "news", "url": page("/f"), "author_name": "  Grace  Hopper ", "author_email": "grace@navy.example",
                      "author_url": "grace.example", "body": "Hello *world*"}))
        .await;
    assert_eq!(status, 201);
    let c = &v["comment"];
    assert_eq!(c["author_name"], "Grace Hopper");
    assert_eq!(c["author_url"], "https://grace.example/");
    assert_eq!(c["body_html"], "<p>Hello <em>world</em></p>\n");
    assert_eq!(
        c["body"], "Hello *world*",
        "the author gets the source back to edit"
    );
    assert!(v["edit_until"].as_i64().unwrap() > c["created_at"].as_i64().unwrap());
    let (_, text) = s.get_text(&thread_query("/f")).await;
    assert!(!text.contains("grace@navy.example") && !text.contains("author_email"));
    assert!(
        !text.contains("\"body\":"),
        "the public thread has no sources"
    );
    let stored = s
        .store
        .comment(CommentId(c["id"].as_i64().unwrap()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.author_email.as_deref(),
        Some("grace@navy.example"),
        "kept for moderators"
    );
    assert!(
        stored
            .ip_hash
            .is_some_and(|h| h.len() == 32 && !h.contains("127.0.0.1")),
        "only a hash of the address"
    );
}

#[tokio::test]
async fn edits_keep_revisions_and_mark_the_comment() {
    let s = TestServer::start().await;
    let (id, token) = post(&s, "/ed", None, "first text").await;
    let r = s
        .http
        .patch(s.url(&format!("/api/comments/{id}")))
        .bearer_auth(&token)
        .json(&json!({"body": "second **text**"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        v["comment"]["body_html"],
        "<p>second <strong>text</strong></p>\n"
    );
    assert!(v["comment"]["edited_at"].is_i64());
    let revisions = s.store.revisions(CommentId(id)).await.unwrap();
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].body, "first text");
    let (_, v) = s.get_json(&thread_query("/ed")).await;
    assert_eq!(
        v["comments"][0]["body_html"],
        "<p>second <strong>text</strong></p>\n"
    );
}

#[tokio::test]
async fn deleting_a_comment_with_replies_leaves_a_tombstone() {
    let s = TestServer::start().await;
    let (top, token) = post(&s, "/d", None, "I will regret this").await;
    let (reply, reply_token) = post(&s, "/d", Some(top), "a reply").await;
    let (lone, lone_token) = post(&s, "/d", None, "lonely").await;
    for (id, t) in [(top, &token), (lone, &lone_token)] {
        let r = s
            .http
            .delete(s.url(&format!("/api/comments/{id}")))
            .bearer_auth(t)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let (_, v) = s.get_json(&thread_query("/d")).await;
    let tomb = find(&v["comments"], top).expect("the tombstone stays");
    assert_eq!(tomb["status"], "deleted");
    assert_eq!(tomb["body_html"], "");
    assert_eq!(tomb["author_name"], json!(null));
    assert_eq!(tomb["replies"][0]["id"], reply);
    assert!(
        find(&v["comments"], lone).is_none(),
        "a comment without replies disappears"
    );
    assert_eq!(v["thread"]["comment_count"], 1);
    let stored = s.store.comment(CommentId(top)).await.unwrap().unwrap();
    assert_eq!(stored.body, "", "the text is gone from the database too");
    // When the last reply goes, the tombstone goes with it.
    let r = s
        .http
        .delete(s.url(&format!("/api/comments/{reply}")))
        .bearer_auth(&reply_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, v) = s.get_json(&thread_query("/d")).await;
    assert_eq!(v["comments"], json!([]));
    assert_eq!(v["thread"]["comment_count"], 0);
}

#[tokio::test]
async fn one_vote_per_voter_and_per_address() {
    let s = TestServer::start().await;
    let (id, _) = post(&s, "/v", None, "vote on me").await;
    let vote = |voter: &'static str, value: i64| {
        let req = s
            .http
            .post(s.url(&format!("/api/comments/{id}/vote")))
            .header("x-rostra-voter", voter)
            .json(&json!({"value": value}));
        async move {
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.json::<serde_json::Value>().await.unwrap()
        }
    };
    assert_eq!(vote("alice", 1).await["upvotes"], 1);
    assert_eq!(vote("alice", 1).await["upvotes"], 1, "the same voter again");
    assert_eq!(
        vote("bob", 1).await["upvotes"],
        1,
        "another token from the same address"
    );
    let v = vote("alice", -1).await;
    assert_eq!(
        (
            v["upvotes"].as_i64(),
            v["downvotes"].as_i64(),
            v["score"].as_i64()
        ),
        (Some(0), Some(1), Some(-1))
    );
    let v = vote("alice", 0).await;
    assert_eq!(
        (v["upvotes"].as_i64(), v["downvotes"].as_i64()),
        (Some(0), Some(0))
    );
    let (_, t) = s.get_json(&thread_query("/v")).await;
    assert_eq!(t["comments"][0]["score"], 0);
}

#[tokio::test]
async fn votes_from_different_addresses_add_up() {
    let mut config = test_config();
    config.server.trust_forwarded_for = true;
    let s = TestServer::start_with(config).await;
    let (id, _) = post(&s, "/v2", None, "popular").await;
    for ip in ["10.0.0.1", "10.0.0.2", "10.0.0.3"] {
        let r = s
            .http
            .post(s.url(&format!("/api/comments/{id}/vote")))
            .header("x-forwarded-for", ip)
            .json(&json!({"value": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let (_, t) = s.get_json(&thread_query("/v2")).await;
    assert_eq!(t["comments"][0]["upvotes"], 3);
}

#[tokio::test]
async fn concurrent_posts_are_all_stored_and_counted() {
    let s = std::sync::Arc::new(TestServer::start().await);
    let mut tasks = Vec::new();
    for i in 0..64 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            post(&s, "/burst", None, &format!("comment {i}")).await.0
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 64);
    let (_, v) = s.get_json(&thread_query("/burst")).await;
    assert_eq!(v["thread"]["comment_count"], 64);
}
