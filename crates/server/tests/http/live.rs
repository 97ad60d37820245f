//! Live updates over Server-Sent Events: what arrives, resuming with `Last-Event-ID`, ending on
//! shutdown, and two instances on one PostgreSQL.

use crate::post;
use futures::StreamExt;
use rostra_testkit::{page, require_all, skip, test_config, thread_query, TestServer};
use serde_json::{json, Value};
use std::time::Duration;

/// Generous bound for "this arrives at all" (a hang guard, not a speed check).
const PATIENCE: Duration = Duration::from_secs(30);

#[derive(Debug)]
struct Sse {
    id: i64,
    event: String,
    data: Value,
}

struct Stream {
    body: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: String,
}

impl Stream {
    async fn open(s: &TestServer, thread: i64, last: Option<i64>) -> Stream {
        let mut r = s.http.get(s.url(&format!("/api/threads/{thread}/events")));
        if let Some(l) = last {
            r = r.header("last-event-id", l.to_string());
        }
        let resp = r.send().await.unwrap();
        assert_eq!(resp.status(), 200);
        assert!(resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream"));
        Stream {
            body: resp.bytes_stream().boxed(),
            buffer: String::new(),
        }
    }

    /// The next event (keep-alive comments skipped), or `None` when the stream ended.
    async fn next(&mut self) -> Option<Sse> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (mut id, mut event, mut data) = (None, String::new(), String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = v.trim().parse().ok();
                    }
                    if let Some(v) = line.strip_prefix("event:") {
                        event = v.trim().to_string();
                    }
                    if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                match id {
                    Some(id) => {
                        return Some(Sse {
                            id,
                            event,
                            data: serde_json::from_str(&data).unwrap(),
                        })
                    }
                    None => continue,
                }
            }
            let chunk = tokio::time::timeout(PATIENCE, self.body.next())
                .await
                .expect("an event within the hang guard")?;
            self.buffer
                .push_str(&String::from_utf8_lossy(&chunk.unwrap()));
        }
    }
}

impl Stream {
    /// The next event about comment `id`, with the events about other comments before it.
    /// (Events are published after the request that caused them, so a stream opened right
    /// after a post may still see that post's own event first.)
    async fn next_about(&mut self, id: i64) -> (Sse, Vec<Sse>) {
        let mut others = Vec::new();
        loop {
            let e = self.next().await.expect("the stream is open");
            let about = e.data["comment"]["id"].as_i64().or(e.data["id"].as_i64());
            if about == Some(id) {
                return (e, others);
            }
            others.push(e);
        }
    }
}

fn about(e: &Sse) -> Option<i64> {
    e.data["comment"]["id"].as_i64().or(e.data["id"].as_i64())
}

async fn thread_id(s: &TestServer, path: &str) -> i64 {
    s.get_json(&thread_query(path)).await.1["thread"]["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn comments_edits_votes_and_deletions_stream_to_readers() {
    let s = TestServer::start().await;
    let (first, _) = post(&s, "/live", None, "opening").await;
    let thread = thread_id(&s, "/live").await;
    let mut events = Stream::open(&s, thread, None).await;
    let (id, token) = post(&s, "/live", Some(first), "a live *reply*").await;
    let (e, _) = events.next_about(id).await;
    assert_eq!(
        (e.event.as_str(), e.data["comment"]["id"].as_i64()),
        ("comment", Some(id))
    );
    assert_eq!(
        e.data["comment"]["body_html"],
        "<p>a live <em>reply</em></p>\n"
    );
    assert!(e.data["comment"].get("author_email").is_none());
    s.http
        .patch(s.url(&format!("/api/comments/{id}")))
        .bearer_auth(&token)
        .json(&json!({"body": "edited"}))
        .send()
        .await
        .unwrap();
    let (e, _) = events.next_about(id).await;
    assert_eq!(
        (e.event.as_str(), e.data["comment"]["body_html"].as_str()),
        ("edit", Some("<p>edited</p>\n"))
    );
    s.http
        .post(s.url(&format!("/api/comments/{id}/vote")))
        .json(&json!({"value": 1}))
        .send()
        .await
        .unwrap();
    let (e, _) = events.next_about(id).await;
    assert_eq!(
        (e.event.as_str(), e.data["upvotes"].as_i64()),
        ("vote", Some(1))
    );
    s.http
        .delete(s.url(&format!("/api/comments/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let (e, _) = events.next_about(id).await;
    assert_eq!(e.event, "remove");
    assert_eq!(e.data, json!({"id": id, "parent": first}));
    let (st, _) = s.get_json("/api/threads/987654/events").await;
    assert_eq!(st, 404);
}

#[tokio::test]
async fn held_comments_are_not_streamed_until_approved() {
    let s = TestServer::start().await;
    post(&s, "/held", None, "opening").await;
    let thread = thread_id(&s, "/held").await;
    let mut events = Stream::open(&s, thread, None).await;
    let (_, v) = s.post(json!({"site": "news", "url": page("/held"), "body": "https://a.example https://b.example https://c.example"})).await;
    assert_eq!(v["comment"]["status"], "pending");
    let held = v["comment"]["id"].as_i64().unwrap();
    let (visible, _) = post(&s, "/held", None, "a visible one").await;
    let (_, before) = events.next_about(visible).await;
    assert!(
        before.iter().all(|e| about(e) != Some(held)),
        "the held comment was not sent"
    );
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
        rostra_core::CommentId(held),
        rostra_server::moderating::Action::Approve,
        None,
    )
    .await
    .unwrap();
    let (e, _) = events.next_about(held).await;
    assert_eq!(e.event, "comment");
}

#[tokio::test]
async fn a_reconnecting_reader_gets_what_it_missed_exactly_once() {
    let s = TestServer::start().await;
    post(&s, "/resume", None, "opening").await;
    let thread = thread_id(&s, "/resume").await;
    let mut events = Stream::open(&s, thread, None).await;
    let (seen, _) = post(&s, "/resume", None, "seen live").await;
    let last = events.next_about(seen).await.0.id;
    drop(events);
    let (a, _) = post(&s, "/resume", None, "missed one").await;
    let (b, _) = post(&s, "/resume", None, "missed two").await;
    let mut events = Stream::open(&s, thread, Some(last)).await;
    let got: Vec<i64> = [events.next().await.unwrap(), events.next().await.unwrap()]
        .iter()
        .map(|e| e.data["comment"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, [a, b]);
    let (c, _) = post(&s, "/resume", None, "live again").await;
    let (_, between) = events.next_about(c).await;
    assert!(
        between.is_empty(),
        "no repeats of a or b before it: {between:?}"
    );
}

#[tokio::test]
async fn streams_end_when_the_server_shuts_down() {
    let s = TestServer::start().await;
    let (opening, _) = post(&s, "/bye", None, "opening").await;
    let thread = thread_id(&s, "/bye").await;
    let mut events = Stream::open(&s, thread, None).await;
    let _ = s.state.stop.send(true);
    // The opening comment's event is published after its answer, so it may still arrive
    // (nothing else may); then the stream ends.
    let mut seen = Vec::new();
    while let Some(e) = events.next().await {
        seen.push((e.event, e.data["comment"]["id"].as_i64()));
    }
    assert!(
        seen.is_empty() || seen == [("comment".to_string(), Some(opening))],
        "the stream ended after at most the opening event: {seen:?}"
    );
}

#[tokio::test]
async fn two_instances_on_one_postgresql_share_events_and_caches() {
    if std::env::var("ROSTRA_TEST_BACKEND").ok().as_deref() != Some("postgres") {
        if require_all() && std::env::var("ROSTRA_TEST_POSTGRES_URL").is_ok() {
            // Under CI this test runs in the PostgreSQL pass of the suite.
            eprintln!("two_instances_on_one_postgresql_share_events_and_caches: runs in the PostgreSQL pass");
            return;
        }
        skip(
            "two_instances_on_one_postgresql_share_events_and_caches",
            "needs ROSTRA_TEST_BACKEND=postgres",
        );
        return;
    }
    let a = TestServer::start().await;
    let b = a.start_sharing(test_config()).await;
    post(&a, "/multi", None, "opening").await;
    let thread = thread_id(&b, "/multi").await;
    let (_, cached) = b.get_json(&thread_query("/multi")).await;
    assert_eq!(cached["thread"]["comment_count"], 1);
    let mut on_b = Stream::open(&b, thread, None).await;
    let (id, _) = post(&a, "/multi", None, "posted on A").await;
    let (e, _) = on_b.next_about(id).await;
    assert_eq!(
        (e.event.as_str(), e.data["comment"]["id"].as_i64()),
        ("comment", Some(id))
    );
    let (_, fresh) = b.get_json(&thread_query("/multi")).await;
    assert_eq!(
        fresh["thread"]["comment_count"], 2,
        "B's cached page was invalidated by A's write"
    );
    let (_, v) = a.post(json!({"site": "news", "url": page("/multi"), "body": "https://a.example https://b.example https://c.example"})).await;
    let held = v["comment"]["id"].as_i64().unwrap();
    a.add_user("admin@example.org", rostra_core::user::Role::Admin, &[])
        .await;
    let admin = a
        .store
        .user_by_email("admin@example.org")
        .await
        .unwrap()
        .unwrap();
    rostra_server::moderating::act(
        &a.state,
        &admin,
        rostra_core::CommentId(held),
        rostra_server::moderating::Action::Approve,
        None,
    )
    .await
    .unwrap();
    let (e, _) = on_b.next_about(held).await;
    assert_eq!(
        (e.event.as_str(), e.data["comment"]["id"].as_i64()),
        ("comment", Some(held)),
        "an approval on A reaches B's readers"
    );
    drop(on_b);
    drop(b);
}
