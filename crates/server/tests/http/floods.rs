//! Floods: thousands of writes from one client are refused with 429 `rate_limited` (and
//! `Retry-After`) beyond the configured rates, while another client reads and writes as usual.

use crate::code;
use futures::stream::{self, StreamExt};
use rostra_server::Config;
use rostra_testkit::{page, thread_query, TestServer};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Instant;

const FLOODER: &str = "203.0.113.7";
const NEIGHBOUR: &str = "198.51.100.9";
/// The neighbour's reader tokens, apart from the flooder's.
const NEIGHBOUR_ID: usize = 1_000_000;
/// Requests of each kind the flooder sends.
const BURST: usize = 2000;

/// Default rate limits, and an address per client from `X-Forwarded-For`.
fn flood_config() -> Config {
    let mut c = Config::default();
    c.server.trust_forwarded_for = true;
    // Reports never hold the target here, so every refused report is the limit's doing.
    c.moderation.reports_to_hold = 1_000_000;
    c
}

async fn send(s: &TestServer, ip: &str, path: &str, body: Value, reader: usize) -> (u16, Value) {
    let r = s
        .http
        .post(s.url(path))
        .header("x-forwarded-for", ip)
        .header("x-rostra-voter", format!("voter-{reader}"))
        .header("x-rostra-author", format!("author-{reader}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    if status == 429 {
        let retry = r.headers()["retry-after"].to_str().unwrap().parse::<u64>();
        assert!(retry.is_ok_and(|s| s >= 1), "429 says when to retry");
    }
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Sends `BURST` requests from the flooder (64 at a time) and counts answers by status; every
/// refusal must be a 429 with the `rate_limited` code.
async fn flood(s: &TestServer, path: &str, body: impl Fn(usize) -> Value) -> BTreeMap<u16, usize> {
    let answers: Vec<(u16, Value)> = stream::iter(0..BURST)
        .map(|i| send(s, FLOODER, path, body(i), i))
        .buffer_unordered(64)
        .collect()
        .await;
    let mut counts = BTreeMap::new();
    for (status, v) in &answers {
        *counts.entry(*status).or_insert(0) += 1;
        if *status == 429 {
            assert_eq!(code(v), "rate_limited", "{v}");
        } else {
            assert!(*status < 300, "{path}: {status} {v}");
        }
    }
    counts
}

/// Most a token bucket can have let through since `since`.
fn allowed(burst: u32, per_minute: u32, since: Instant) -> usize {
    let minutes = since.elapsed().as_secs_f64() / 60.0;
    burst as usize + (f64::from(per_minute) * minutes).ceil() as usize
}

#[tokio::test]
async fn a_flood_from_one_client_is_limited_and_others_go_on() {
    let s = TestServer::start_with(flood_config()).await;
    let limits = s.state.config.rate_limits.clone();
    let body = json!({"site": "news", "url": page("/flood"), "body": "An honest first comment."});
    let (st, v) = send(&s, NEIGHBOUR, "/api/comments", body, NEIGHBOUR_ID).await;
    assert_eq!(st, 201, "{v}");
    let target = v["comment"]["id"].as_i64().unwrap();
    let started = Instant::now();

    let flooder =
        async {
            let posts = flood(&s, "/api/comments", |i| {
            json!({"site": "news", "url": page("/flood"), "body": format!("Flood number {i}")})
        })
        .await;
            let votes = flood(
                &s,
                &format!("/api/comments/{target}/vote"),
                |i| json!({"value": if i % 2 == 0 { 1 } else { -1 }}),
            )
            .await;
            let reports = flood(
                &s,
                &format!("/api/comments/{target}/report"),
                |_| json!({"reason": "spam"}),
            )
            .await;
            let links = flood(&s, "/api/account/email-link", |i| {
            json!({"site": "news", "url": page("/flood"), "email": format!("f{i}@example.com")})
        })
        .await;
            (posts, votes, reports, links)
        };
    let neighbour = async {
        let mut answers = Vec::new();
        // Four more comments: with the first, the neighbour's own burst (5 by default).
        for i in 1..=4 {
            let (st, _) = s.get_json(&thread_query("/flood")).await;
            answers.push(("read", st));
            let body = json!({"site": "news", "url": page("/flood"),
                "body": format!("A neighbour's reply number {i}."), "parent": target});
            answers.push((
                "post",
                send(&s, NEIGHBOUR, "/api/comments", body, NEIGHBOUR_ID + i)
                    .await
                    .0,
            ));
            let vote = json!({"value": 1});
            let path = format!("/api/comments/{target}/vote");
            answers.push((
                "vote",
                send(&s, NEIGHBOUR, &path, vote, NEIGHBOUR_ID + i).await.0,
            ));
            let path = format!("/api/comments/{target}/report");
            let report = json!({"reason": "off_topic"});
            answers.push((
                "report",
                send(&s, NEIGHBOUR, &path, report, NEIGHBOUR_ID + i).await.0,
            ));
        }
        answers
    };
    let ((posts, votes, reports, links), neighbour) = tokio::join!(flooder, neighbour);

    let ok = |c: &BTreeMap<u16, usize>| {
        c.iter()
            .filter(|(s, _)| **s < 300)
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    let refused = |c: &BTreeMap<u16, usize>| c.get(&429).copied().unwrap_or(0);
    for (what, counts) in [
        ("posts", &posts),
        ("votes", &votes),
        ("reports", &reports),
        ("links", &links),
    ] {
        assert!(refused(counts) > BURST / 2, "{what}: {counts:?}");
    }
    let r = &limits;
    assert!(ok(&posts) <= allowed(r.comments_burst, r.comments_per_minute, started));
    assert!(ok(&votes) <= allowed(r.votes_per_minute, r.votes_per_minute, started));
    assert!(ok(&reports) <= allowed(r.reports_per_minute, r.reports_per_minute, started));
    assert!(ok(&links) <= allowed(r.accounts_per_minute, r.accounts_per_minute, started));
    for (what, status) in &neighbour {
        let expected = match *what {
            "post" | "report" => 201,
            _ => 200,
        };
        assert_eq!(*status, expected, "the neighbour's {what}: {neighbour:?}");
    }
    eprintln!(
        "flood answers: posts {posts:?}, votes {votes:?}, reports {reports:?}, links {links:?}"
    );
}
