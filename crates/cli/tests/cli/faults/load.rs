//! A write load on a running server, and a ledger of what it acknowledged: comments (with
//! their bodies), votes, reports and moderators' actions, each from its own reader address.

use super::{ADMIN_EMAIL, ADMIN_PASSWORD};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;

/// A comment the server acknowledged.
#[derive(Clone)]
pub struct AckedComment {
    pub body: String,
    pub url: String,
}

/// Every write the server acknowledged, and what was sent without an answer.
#[derive(Default, Clone)]
pub struct Ledger {
    pub comments: BTreeMap<i64, AckedComment>,
    /// The statuses a comment may have now: the one of its last acknowledged write, then those
    /// of writes sent after it that got no answer (they may or may not have committed).
    pub statuses: HashMap<i64, Vec<String>>,
    /// Per comment: (votes acknowledged, votes sent). Each vote is a distinct reader's upvote.
    pub votes: HashMap<i64, (i64, i64)>,
    /// Per comment: (reports acknowledged, reports sent), each from a distinct reader.
    pub reports: HashMap<i64, (i64, i64)>,
    pub moderations: u64,
    pub acked: u64,
}

impl Ledger {
    fn tally(&mut self, what: &str, id: i64) -> &mut (i64, i64) {
        let map = if what == "vote" {
            &mut self.votes
        } else {
            &mut self.reports
        };
        map.entry(id).or_default()
    }

    fn pick(&self, rng: &mut u64, parity: i64) -> Option<(i64, AckedComment)> {
        let ids: Vec<&i64> = self
            .comments
            .keys()
            .filter(|id| parity < 0 || *id % 2 == parity)
            .collect();
        let id = **ids.get(next(rng) as usize % ids.len().max(1))?;
        Some((id, self.comments[&id].clone()))
    }
}

fn next(rng: &mut u64) -> u64 {
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    *rng
}

static READER: AtomicU64 = AtomicU64::new(1);

/// A fresh reader: its own address (the server trusts X-Forwarded-For) and voter token.
fn reader() -> (String, String) {
    let n = READER.fetch_add(1, Ordering::Relaxed);
    let ip = format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255);
    (ip, format!("reader-{n}"))
}

/// Writers running against one server until stopped.
pub struct Load {
    stop: Arc<AtomicBool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Load {
    /// Posts, votes and reports; with `full`, also replies and a moderator's actions.
    pub fn start(base: &str, ledger: &Arc<Mutex<Ledger>>, seed: u64, full: bool) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // A hang guard, not a speed check.
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let w = Worker {
            http,
            base: base.to_string(),
            ledger: ledger.clone(),
            stop: stop.clone(),
            replies: full,
        };
        let mut tasks = vec![
            tokio::spawn(w.clone().post(seed | 1)),
            tokio::spawn(w.clone().post((seed << 1) | 1)),
            tokio::spawn(w.clone().react("vote", seed.wrapping_mul(3) | 1)),
            tokio::spawn(w.clone().react("report", seed.wrapping_mul(5) | 1)),
        ];
        if full {
            tasks.push(tokio::spawn(w.moderate(seed.wrapping_mul(7) | 1)));
        }
        Load { stop, tasks }
    }

    /// Stops the writers and waits until each has finished its request in flight.
    pub async fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.tasks {
            t.await.unwrap();
        }
    }
}

#[derive(Clone)]
struct Worker {
    http: reqwest::Client,
    base: String,
    ledger: Arc<Mutex<Ledger>>,
    stop: Arc<AtomicBool>,
    replies: bool,
}

impl Worker {
    fn running(&self) -> bool {
        !self.stop.load(Ordering::SeqCst)
    }

    async fn post(self, mut rng: u64) {
        while self.running() {
            let n = READER.load(Ordering::Relaxed);
            let parent = if !self.replies || next(&mut rng).is_multiple_of(3) {
                None
            } else {
                self.ledger.lock().unwrap().pick(&mut rng, -1)
            };
            let url = parent.as_ref().map_or_else(
                || format!("https://news.example/crash/{}", next(&mut rng) % 4),
                |p| p.1.url.clone(),
            );
            let body = format!("Comment {n}, seed {rng}: the council vote was close.");
            let (ip, token) = reader();
            let sent = self
                .http
                .post(format!("{}/api/comments", self.base))
                .header("x-forwarded-for", ip)
                .header("x-rostra-author", token)
                .json(&json!({"site": "news", "url": url, "body": body,
                    "author_name": format!("Reader {n}"), "parent": parent.map(|p| p.0)}))
                .send()
                .await;
            let Ok(r) = sent else { continue };
            if r.status() != 201 {
                continue;
            }
            let Ok(v) = r.json::<Value>().await else {
                continue;
            };
            let id = v["comment"]["id"].as_i64().unwrap();
            let status = v["comment"]["status"].as_str().unwrap().to_string();
            let mut l = self.ledger.lock().unwrap();
            l.comments.insert(id, AckedComment { body, url });
            l.statuses.insert(id, vec![status]);
            l.acked += 1;
        }
    }

    /// Votes or reports on even-numbered comments (moderators act on odd ones).
    async fn react(self, what: &'static str, mut rng: u64) {
        while self.running() {
            let Some((id, _)) = self.ledger.lock().unwrap().pick(&mut rng, 0) else {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            };
            let (body, ok) = if what == "vote" {
                (json!({"value": 1}), 200)
            } else {
                (json!({"reason": "spam"}), 201)
            };
            self.ledger.lock().unwrap().tally(what, id).1 += 1;
            let (ip, token) = reader();
            let sent = self
                .http
                .post(format!("{}/api/comments/{id}/{what}", self.base))
                .header("x-forwarded-for", ip)
                .header("x-rostra-voter", token)
                .json(&body)
                .send()
                .await;
            if sent.is_ok_and(|r| r.status() == ok) {
                let mut l = self.ledger.lock().unwrap();
                l.tally(what, id).0 += 1;
                l.acked += 1;
            }
        }
    }

    /// Signs in as the admin and approves, rejects or deletes odd-numbered comments.
    async fn moderate(self, mut rng: u64) {
        let Some((cookie, csrf)) = self.sign_in().await else {
            return;
        };
        while self.running() {
            let Some((id, _)) = self.ledger.lock().unwrap().pick(&mut rng, 1) else {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            };
            let (action, status) = [
                ("approve", "published"),
                ("reject", "rejected"),
                ("delete", "deleted"),
            ][next(&mut rng) as usize % 3];
            self.ledger
                .lock()
                .unwrap()
                .statuses
                .get_mut(&id)
                .unwrap()
                .push(status.to_string());
            let sent = self
                .http
                .post(format!("{}/admin/comments/{id}/{action}", self.base))
                .header("cookie", &cookie)
                .form(&[("csrf", csrf.as_str())])
                .send()
                .await;
            let Ok(r) = sent else { continue };
            let done = r.status() == 303
                && r.headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .is_some_and(|l| l.contains("done="));
            let mut l = self.ledger.lock().unwrap();
            let possible = l.statuses.get_mut(&id).unwrap();
            if done {
                *possible = vec![status.to_string()];
                l.moderations += 1;
                l.acked += 1;
            } else if !r.status().is_server_error() {
                // The server answered no: this action changed nothing.
                possible.pop();
            }
        }
    }

    async fn sign_in(&self) -> Option<(String, String)> {
        let r = self
            .http
            .post(format!("{}/admin/login", self.base))
            .form(&[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)])
            .send()
            .await
            .ok()?;
        let set = r.headers().get("set-cookie")?.to_str().ok()?;
        let cookie = set.split(';').next()?.to_string();
        let page = self
            .http
            .get(format!("{}/admin/queue/recent", self.base))
            .header("cookie", &cookie)
            .send()
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        let marker = "name=\"csrf\" value=\"";
        let at = page.find(marker)? + marker.len();
        let csrf = page[at..].split('"').next()?.to_string();
        Some((cookie, csrf))
    }
}
