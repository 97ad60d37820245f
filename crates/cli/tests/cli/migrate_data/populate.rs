//! Filling a running demo through its public API and admin pages, as readers and moderators
//! would: every table `migrate-data` copies gets rows.

use crate::rostra;
use reqwest::Method;
use serde_json::{json, Value};
use std::io::Write;
use std::process::Stdio;

const WORDS: &[&str] = &[
    "river",
    "council",
    "market",
    "bridge",
    "bakery",
    "shuttle",
    "Saturday",
    "traffic",
    "bicycle",
    "children",
    "permit",
    "morning",
    "window",
    "street",
    "parking",
    "survey",
    "budget",
    "harbour",
    "ferry",
    "library",
    "garden",
    "festival",
    "weather",
    "pavement",
    "lantern",
    "schedule",
    "neighbour",
    "delivery",
    "museum",
    "stall",
    "tram",
    "meadow",
];

/// A comment body that no check holds as a duplicate of another.
fn text(i: usize) -> String {
    let mut x = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let words: Vec<&str> = (0..14)
        .map(|_| {
            x ^= x >> 29;
            x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
            WORDS[(x >> 40) as usize % WORDS.len()]
        })
        .collect();
    format!("{} (note {i}).", words.join(" "))
}

/// Writes to one server; each reader comes from an address of its own (the demo trusts
/// `X-Forwarded-For`), since votes count once per address.
struct Writer {
    base: String,
    http: reqwest::Client,
    posted: usize,
}

impl Writer {
    /// Posts a comment; answers its id and edit token.
    async fn post(&mut self, url: &str, parent: Option<i64>) -> (i64, String) {
        self.posted += 1;
        let n = self.posted;
        let name = match n % 4 {
            0 => None,
            _ => Some(format!("Reader {n}")),
        };
        let r = self
            .http
            .post(format!("{}/api/comments", self.base))
            .header("x-forwarded-for", format!("10.{}.{}.7", n / 200, n % 200))
            .header("x-rostra-author", format!("author-{}", n % 23))
            .json(
                &json!({"site": "demo", "url": url, "title": "Riverside", "parent": parent,
                          "author_name": name, "body": text(n)}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "posting comment {n}");
        let v: Value = r.json().await.unwrap();
        let token = v["edit_token"].as_str().unwrap().to_string();
        (v["comment"]["id"].as_i64().unwrap(), token)
    }

    /// Sends JSON as reader `who`, with `token` as the bearer when given; asserts the status.
    async fn send(&self, method: Method, path: &str, who: usize, body: Value, status: u16) {
        let r = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(
                "x-forwarded-for",
                format!("10.9.{}.{}", who / 200, who % 200),
            )
            .header("x-rostra-voter", format!("voter-{who}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{path}");
    }

    async fn with_token(&self, method: Method, (id, token): &(i64, String), body: Value) {
        let r = self
            .http
            .request(method, format!("{}/api/comments/{id}", self.base))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "changing comment {id}");
    }

    /// Signs in through the login form; answers the session cookie and the CSRF token.
    async fn sign_in(&self, email: &str) -> (String, String) {
        let r = self
            .http
            .post(format!("{}/admin/login", self.base))
            .form(&[("email", email), ("password", "password123")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "signing in as {email}");
        let set = r.headers()["set-cookie"].to_str().unwrap();
        let cookie = set.split(';').next().unwrap().to_string();
        let page = self
            .http
            .get(format!("{}/admin/queue/recent", self.base))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let marker = "name=\"csrf\" value=\"";
        let at = page.find(marker).unwrap() + marker.len();
        (cookie, page[at..].split('"').next().unwrap().to_string())
    }

    async fn admin_post(&self, cookie: &str, path: &str, form: &[(&str, &str)]) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .form(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "POST {path}");
    }
}

fn add_user(database: &str, email: &str, role: &str) {
    let mut child = rostra()
        .args(["user", "add", "--email", email, "--role", role])
        .args(["--site", "demo", "--password-stdin", "--database", database])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"password123\n").unwrap();
    drop(stdin);
    assert!(child.wait().unwrap().success(), "rostra user add {email}");
}

/// What the comparison needs to know about the data.
pub struct Populated {
    /// The pages with threads.
    pub pages: Vec<String>,
    /// A comment with more direct replies than one answer carries.
    pub busy: i64,
}

/// Comments with nested replies, votes, an edit, a tombstone and a deletion, reports (enough to
/// hold one comment), a moderator's rejection and bans, and an admin's site settings.
pub async fn populate(base: &str, database: &str) -> Populated {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut w = Writer {
        base: base.to_string(),
        http,
        posted: 0,
    };
    let pages = vec![format!("{base}/demo"), format!("{base}/news/second")];
    let mut top = Vec::new();
    for i in 0..110 {
        let (id, token) = w.post(&pages[0], None).await;
        top.push((id, token));
        let mut parent = id;
        for depth in 0..i % 4 {
            let (reply, _) = w.post(&pages[0], Some(parent)).await;
            if depth % 2 == 0 {
                parent = reply;
            }
        }
    }
    let busy = top[3].0;
    for _ in 0..57 {
        w.post(&pages[0], Some(busy)).await;
    }
    for _ in 0..12 {
        w.post(&pages[1], None).await;
    }
    for v in 0..240 {
        let id = top[v * 7 % top.len()].0;
        let value = if v % 5 == 0 { -1 } else { 1 };
        let path = format!("/api/comments/{id}/vote");
        w.send(Method::POST, &path, v, json!({ "value": value }), 200)
            .await;
    }
    let edit = json!({"body": "Corrected: the shuttle runs every ten minutes."});
    w.with_token(Method::PATCH, &top[5], edit).await;
    // top[2] has replies, so it stays as a tombstone; top[4] has none and goes.
    w.with_token(Method::DELETE, &top[2], json!({})).await;
    w.with_token(Method::DELETE, &top[4], json!({})).await;
    let held = format!("/api/comments/{}/report", top[9].0);
    for who in 900..903 {
        let body = json!({"reason": "spam", "note": format!("reported by {who}")});
        w.send(Method::POST, &held, who, body, 201).await;
    }
    let reported = format!("/api/comments/{}/report", top[10].0);
    let body = json!({"reason": "off_topic"});
    w.send(Method::POST, &reported, 950, body, 201).await;

    add_user(database, "mod@demo.example", "moderator");
    add_user(database, "chief@demo.example", "admin");
    let (cookie, csrf) = w.sign_in("mod@demo.example").await;
    let reject = format!("/admin/comments/{}/reject", top[11].0);
    let form = [("csrf", csrf.as_str()), ("note", "off topic")];
    w.admin_post(&cookie, &reject, &form).await;
    let ban = format!("/admin/comments/{}/ban", top[12].0);
    let form = [
        ("csrf", csrf.as_str()),
        ("kind", "identity"),
        ("kind", "network"),
        ("duration", "7d"),
        ("reason", "flooding"),
    ];
    w.admin_post(&cookie, &ban, &form).await;
    let (cookie, csrf) = w.sign_in("chief@demo.example").await;
    let origins = format!("{base}\n{}", base.replace("127.0.0.1", "localhost"));
    let form = [
        ("csrf", csrf.as_str()),
        ("name", "The Harbour Gazette (demo)"),
        ("origins", &origins),
        ("prompt", "Keep it civil."),
        ("mode", "post_moderation"),
        ("max_links", "2"),
        ("edit_window_secs", "1200"),
        ("close_after_days", "0"),
        ("reports_to_hold", "3"),
        ("banned_words", ""),
        ("suspect_words", "ferryboat"),
        ("preset", "lenient"),
        ("nudge", "on"),
    ];
    w.admin_post(&cookie, "/admin/sites/demo", &form).await;
    Populated { pages, busy }
}
