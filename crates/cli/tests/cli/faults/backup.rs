//! `rostra backup` under a write load and `rostra restore` into a fresh path: a server on the
//! restored database answers as the original did for every write acknowledged before the backup.

use super::crash::lost_writes;
use super::load::{Ledger, Load};
use super::{prepare, Scratch, Server};
use crate::rostra;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test]
async fn backup_under_load_restores_to_a_server_that_answers_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let scratch = Scratch::new(false, "backup").await.unwrap();
    let db = scratch.url();
    prepare(&db);
    let server = Server::start(&db, false).await;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let load = Load::start(&server.base, &ledger, 0x5eed, false);
    wait_for(&ledger, 80).await;
    let before = ledger.lock().unwrap().clone();
    let out = dir.path().join("backup.db");
    let mut command = rostra();
    command.arg("backup").arg(&out).args(["--database", &db]);
    // Off the runtime's thread, so the load keeps writing while the backup runs.
    let backup = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    let after = ledger.lock().unwrap().clone();
    load.stop().await;
    eprintln!(
        "backup: {} writes acknowledged before it started, {} while it ran",
        before.acked,
        after.acked - before.acked
    );

    let restored = format!("sqlite://{}", dir.path().join("restored.db").display());
    let restore = |target: &str, force: bool| {
        let mut c = rostra();
        c.arg("restore").arg(&out).args(["--database", target]);
        if force {
            c.arg("--force");
        }
        c.output().unwrap()
    };
    let first = restore(&restored, false);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let again = restore(&restored, false);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let over_live = restore(&db, true);
    assert!(
        !over_live.status.success(),
        "a database in use is never replaced"
    );
    assert!(
        String::from_utf8_lossy(&over_live.stderr).contains("open in another process"),
        "{}",
        String::from_utf8_lossy(&over_live.stderr)
    );

    // The store holds every write acknowledged before the backup started; votes and reports
    // sent up to its end may be there too.
    let mut expected = before.clone();
    for (id, v) in expected.votes.iter_mut() {
        v.1 = after.votes[id].1;
    }
    for (id, r) in expected.reports.iter_mut() {
        r.1 = after.reports[id].1;
    }
    let lost = lost_writes(&restored, &expected).await;
    assert!(lost.is_empty(), "{lost:#?}");
    assert!(rostra_store::consistency::problems(&restored, true)
        .await
        .unwrap()
        .is_empty());

    let copy = Server::start(&restored, false).await;
    compare_threads(&server.base, &copy.base, &before).await;
}

async fn wait_for(ledger: &Arc<Mutex<Ledger>>, acked: u64) {
    // A hang guard (two minutes), not a speed check.
    for _ in 0..12_000 {
        if ledger.lock().unwrap().acked >= acked {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the load did not reach {acked} acknowledged writes");
}

/// Every top-level comment of a thread as the API pages show it, by id.
async fn thread_comments(base: &str, url: &str) -> (i64, BTreeMap<i64, Value>) {
    let http = reqwest::Client::new();
    let mut all = BTreeMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut q = vec![("site", "news".to_string()), ("url", url.to_string())];
        if let Some(c) = &cursor {
            q.push(("cursor", c.clone()));
        }
        let page: Value = http
            .get(format!("{base}/api/threads"))
            .query(&q)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let count = page["thread"]["comment_count"].as_i64().unwrap_or(0);
        for c in page["comments"].as_array().unwrap() {
            all.insert(c["id"].as_i64().unwrap(), c.clone());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return (count, all),
        }
    }
}

/// The restored server shows a subset of what the original shows, identical but for counters
/// that only grew since, and contains every comment published before the backup started.
async fn compare_threads(original: &str, restored: &str, before: &Ledger) {
    let urls: std::collections::BTreeSet<&str> =
        before.comments.values().map(|c| c.url.as_str()).collect();
    for url in urls {
        let (count_now, now) = thread_comments(original, url).await;
        let (count_then, then) = thread_comments(restored, url).await;
        for (id, c) in &then {
            let o = now
                .get(id)
                .unwrap_or_else(|| panic!("comment {id} is not in the original"));
            for field in ["parent", "status", "author_name", "body_html", "created_at"] {
                assert_eq!(c[field], o[field], "comment {id}: {field}");
            }
            let up = |v: &Value| v["upvotes"].as_i64().unwrap();
            assert!(up(c) <= up(o), "comment {id}: votes only grow");
        }
        let published: Vec<&i64> = before
            .comments
            .iter()
            .filter(|(id, c)| c.url == url && before.statuses[*id] == ["published"])
            .map(|(id, _)| id)
            .collect();
        for id in &published {
            let c = then
                .get(id)
                .unwrap_or_else(|| panic!("comment {id} is not restored"));
            let acked = before.votes.get(id).map_or(0, |v| v.0);
            assert!(
                c["upvotes"].as_i64().unwrap() >= acked,
                "comment {id}: votes"
            );
        }
        assert!(count_then >= published.len() as i64 && count_then <= count_now);
        assert_eq!(
            count_then,
            then.len() as i64,
            "{url}: the count matches the pages"
        );
    }
}
