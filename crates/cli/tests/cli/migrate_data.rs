//! `rostra migrate-data`: a busy SQLite demo copied into PostgreSQL answers every read exactly as
//! before, and a second copy into the now full database needs `--force`.

mod populate;

use crate::{free_port, rostra, wait_until_up};
use rostra_testkit::encode;
use serde_json::Value;
use std::process::{Child, Stdio};

/// A `rostra` process serving on a port of its own, stopped when dropped.
struct Running {
    base: String,
    child: Child,
}

impl Running {
    async fn start(command: &str, database: &str, env: &[(&str, &str)]) -> Running {
        let port = free_port();
        let child = rostra()
            .args([command, "--listen", &format!("127.0.0.1:{port}")])
            .arg("--database")
            .arg(database)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        wait_until_up(&format!("{base}/healthz")).await;
        Running { base, child }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GETs a path from both servers; asserts the answers are the same bytes and answers them parsed.
async fn same(http: &reqwest::Client, a: &Running, b: &Running, path: &str) -> Value {
    let get = |base: &str| http.get(format!("{base}{path}")).send();
    let (ra, rb) = (get(&a.base).await.unwrap(), get(&b.base).await.unwrap());
    let statuses = (ra.status().as_u16(), rb.status().as_u16());
    assert_eq!(statuses, (200, 200), "{path}");
    let (ta, tb) = (ra.text().await.unwrap(), rb.text().await.unwrap());
    assert!(ta == tb, "{path} differs:\nsqlite:   {ta}\npostgres: {tb}");
    serde_json::from_str(&ta).unwrap()
}

/// Follows `next_cursor` from `path` to the last page, comparing each; answers the comments seen.
async fn same_pages(http: &reqwest::Client, a: &Running, b: &Running, path: &str) -> usize {
    let (mut seen, mut cursor) = (0, String::new());
    loop {
        let v = same(http, a, b, &format!("{path}{cursor}")).await;
        seen += v["comments"].as_array().unwrap().len();
        match v["next_cursor"].as_str() {
            Some(c) => {
                let sep = if path.contains('?') { '&' } else { '?' };
                cursor = format!("{sep}cursor={}", encode(c));
            }
            None => return seen,
        }
    }
}

fn migrate_data(from: &str, to: &str, force: bool) -> (bool, String) {
    let mut c = rostra();
    c.args(["migrate-data", "--from", from, "--to", to]);
    if force {
        c.arg("--force");
    }
    let out = c.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let text = format!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// The rows the summary reports for a table (its stdout line is `TABLE   ROWS`).
fn rows_of(summary: &str, table: &str) -> i64 {
    let line = summary
        .lines()
        .find(|l| l.split_whitespace().next() == Some(table));
    let rows = line.and_then(|l| l.split_whitespace().nth(1)?.parse().ok());
    rows.unwrap_or(0)
}

#[tokio::test]
async fn migrate_data_to_postgres_serves_the_same_answers() {
    let test = "migrate_data_to_postgres_serves_the_same_answers";
    let Ok(admin) = std::env::var("ROSTRA_TEST_POSTGRES_URL") else {
        rostra_testkit::skip(test, "ROSTRA_TEST_POSTGRES_URL is not set");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("demo.db").display());
    let unlimited = "1000000";
    let env = [
        ("ROSTRA_SERVER__TRUST_FORWARDED_FOR", "true"),
        ("ROSTRA_RATE_LIMITS__COMMENTS_PER_MINUTE", unlimited),
        ("ROSTRA_RATE_LIMITS__COMMENTS_BURST", unlimited),
        ("ROSTRA_RATE_LIMITS__EDITS_PER_MINUTE", unlimited),
        ("ROSTRA_RATE_LIMITS__VOTES_PER_MINUTE", unlimited),
        ("ROSTRA_RATE_LIMITS__REPORTS_PER_MINUTE", unlimited),
    ];
    let demo = Running::start("demo", &sqlite, &env).await;
    let data = populate::populate(&demo.base, &sqlite).await;
    drop(demo);

    let scratch = rostra_store::postgres::ScratchDatabase::create(&admin)
        .await
        .unwrap();
    let (ok, out) = migrate_data(&sqlite, scratch.url(), false);
    assert!(ok && out.contains("row counts match"), "{out}");
    for table in [
        "sites",
        "threads",
        "comments",
        "comment_revisions",
        "votes",
        "settings",
        "users",
        "user_sites",
        "sessions",
        "site_policies",
        "reports",
        "bans",
        "decisions",
        "audit_log",
    ] {
        assert!(rows_of(&out, table) > 0, "{table} copied no rows:\n{out}");
    }

    let lite = Running::start("serve", &sqlite, &[]).await;
    let pg = Running::start("serve", scratch.url(), &[]).await;
    let http = reqwest::Client::new();
    let mut seen = 0;
    for page in &data.pages {
        for sort in ["oldest", "newest", "best"] {
            let path = format!("/api/threads?site=demo&url={}&sort={sort}", encode(page));
            seen += same_pages(&http, &lite, &pg, &path).await;
        }
    }
    assert!(
        seen > 300,
        "top-level comments over all pages and sorts: {seen}"
    );
    let first = format!("/api/threads?site=demo&url={}", encode(&data.pages[0]));
    let text = same(&http, &lite, &pg, &first).await.to_string();
    let tombstone = text.contains("\"status\":\"deleted\"");
    assert!(tombstone && text.contains("Keep it civil."), "{text}");
    let replies = format!("/api/comments/{}/replies", data.busy);
    let replies = same_pages(&http, &lite, &pg, &replies).await;
    assert!(replies >= 57, "replies of the busy comment: {replies}");
    let mut counts = String::from("/api/counts?site=demo");
    for u in data
        .pages
        .iter()
        .map(String::as_str)
        .chain(["http://127.0.0.1:1/none"])
    {
        counts.push_str(&format!("&url={}", encode(u)));
    }
    let v = same(&http, &lite, &pg, &counts).await;
    assert!(v["counts"][&data.pages[0]].as_i64().unwrap() > 300, "{v}");
    drop((lite, pg));

    let (ok, out) = migrate_data(&sqlite, scratch.url(), false);
    let refused = !ok && out.contains("not empty") && out.contains("--force");
    assert!(refused, "{out}");
    let (ok, out) = migrate_data(&sqlite, scratch.url(), true);
    assert!(ok && out.contains("row counts match"), "{out}");
}
