//! Two `rostra serve` processes on one PostgreSQL, on different ports: live events, cached
//! pages and moderator approvals cross from one to the other.

use crate::{free_port, rostra, wait_until_up};
use futures::StreamExt;
use rostra_testkit::skip;
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Child, Stdio};
use std::time::Duration;

struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn serve(db: &str) -> (Serve, String) {
    let port = free_port();
    let child = rostra()
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database",
            db,
        ])
        .env("ROSTRA_RATE_LIMITS__COMMENTS_BURST", "1000")
        .env("ROSTRA_RATE_LIMITS__COMMENTS_PER_MINUTE", "1000")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    wait_until_up(&format!("{base}/healthz")).await;
    (Serve(child), base)
}

/// The next SSE event's `data`, skipping keep-alives (30 s hang guard, not a speed check).
async fn next_event(
    body: &mut (impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    buf: &mut String,
) -> Value {
    loop {
        if let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) {
                return serde_json::from_str(data.trim()).unwrap();
            }
            continue;
        }
        let chunk = tokio::time::timeout(Duration::from_secs(30), body.next())
            .await
            .expect("an event")
            .unwrap()
            .unwrap();
        buf.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test]
async fn two_serve_processes_on_one_postgresql() {
    let Ok(admin_url) = std::env::var("ROSTRA_TEST_POSTGRES_URL") else {
        skip(
            "two_serve_processes_on_one_postgresql",
            "ROSTRA_TEST_POSTGRES_URL not set",
        );
        return;
    };
    let scratch = rostra_store::postgres::ScratchDatabase::create(&admin_url)
        .await
        .unwrap();
    let db = scratch.url().to_string();
    let ok = rostra()
        .args([
            "site",
            "add",
            "--key",
            "news",
            "--name",
            "News",
            "--origin",
            "https://news.example",
            "--database",
            &db,
        ])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let mut add = rostra()
        .args([
            "user",
            "add",
            "--email",
            "mod@example.org",
            "--role",
            "admin",
            "--password-stdin",
            "--database",
            &db,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"password123\n")
        .unwrap();
    assert!(add.wait().unwrap().success());
    let ((_a, a), (_b, b)) = (serve(&db).await, serve(&db).await);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = "https://news.example/story";
    let post = |base: String, body: &'static str| {
        let http = http.clone();
        async move {
            let r = http
                .post(format!("{base}/api/comments"))
                .json(&json!({"site": "news", "url": url, "body": body}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
            r.json::<Value>().await.unwrap()["comment"].clone()
        }
    };
    let thread_q = format!(
        "/api/threads?site=news&url={}",
        "https%3A%2F%2Fnews.example%2Fstory"
    );
    post(a.clone(), "first, on A").await;
    let page: Value = http
        .get(format!("{b}{thread_q}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["thread"]["comment_count"], 1,
        "B reads what A wrote; now B has it cached"
    );
    let thread = page["thread"]["id"].as_i64().unwrap();
    let resp = http
        .get(format!("{b}/api/threads/{thread}/events"))
        .send()
        .await
        .unwrap();
    let mut events = resp.bytes_stream().boxed();
    let mut buf = String::new();
    let second = post(a.clone(), "second, on A").await;
    // B's reader hears of A's comment. Events come after the requests that caused them, so
    // skip any about earlier comments (the hang guard in next_event fails the test if never).
    while next_event(&mut events, &mut buf).await["comment"]["id"] != second["id"] {}
    let page: Value = http
        .get(format!("{b}{thread_q}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["thread"]["comment_count"], 2,
        "B's cached page was invalidated"
    );
    let held = post(
        a.clone(),
        "https://x.example https://y.example https://z.example",
    )
    .await;
    assert_eq!(held["status"], "pending");
    let login = http
        .post(format!("{a}/admin/login"))
        .form(&[("email", "mod@example.org"), ("password", "password123")])
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let queue = http
        .get(format!("{a}/admin/queue/pending"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf\" value=\"";
    let csrf = queue[queue.find(marker).unwrap() + marker.len()..]
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = http
        .post(format!("{a}/admin/comments/{}/approve", held["id"]))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // A's approval reaches B's readers.
    while next_event(&mut events, &mut buf).await["comment"]["id"] != held["id"] {}
    drop(events);
}
