//! SIGKILL `rostra serve` again and again under a write load, restart it on the same database,
//! and check that every acknowledged write is there and the database agrees with itself.

use super::load::{Ledger, Load};
use super::{prepare, Scratch, Server};
use rostra_core::CommentId;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test]
async fn sigkill_under_write_load_loses_no_acknowledged_write_on_sqlite() {
    crash_cycles(false, 10).await;
}

#[tokio::test]
async fn sigkill_under_write_load_loses_no_acknowledged_write_on_postgres() {
    crash_cycles(true, 5).await;
}

async fn crash_cycles(postgres: bool, cycles: u64) {
    let name = if postgres { "postgres" } else { "sqlite" };
    let test = format!("sigkill_under_write_load_loses_no_acknowledged_write_on_{name}");
    let Some(scratch) = Scratch::new(postgres, &test).await else {
        return;
    };
    let db = scratch.url();
    prepare(&db);
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    for cycle in 0..cycles {
        let mut server = Server::start(&db, false).await;
        let load = Load::start(&server.base, &ledger, 0x9e37_79b9 + cycle * 7919, true);
        // Kill after a varying number of acknowledged writes, with the writers mid-request, and
        // after at least one moderator's action (the moderator signs in first, which is slow
        // in a debug build: the readers' writes alone could reach the number before it acts).
        let (acked, moderated) = {
            let l = ledger.lock().unwrap();
            (l.acked, l.moderations)
        };
        let target = acked + 40 + (cycle * 13) % 50;
        wait_for(&ledger, |l| l.acked >= target && l.moderations > moderated).await;
        server.kill();
        load.stop().await;
    }
    // One more start: the server comes up on what the last kill left.
    let server = Server::start(&db, false).await;
    drop(server);
    let l = ledger.lock().unwrap().clone();
    let lost = lost_writes(&db, &l).await;
    let problems = rostra_store::consistency::problems(&db, true)
        .await
        .unwrap();
    eprintln!(
        "crash safety ({name}): {cycles} SIGKILL cycles, {} acknowledged writes \
         ({} comments, {} votes, {} reports, {} moderation actions), {} lost, {} inconsistencies",
        l.acked,
        l.comments.len(),
        l.votes.values().map(|v| v.0).sum::<i64>(),
        l.reports.values().map(|v| v.0).sum::<i64>(),
        l.moderations,
        lost.len(),
        problems.len()
    );
    assert!(lost.is_empty(), "acknowledged writes lost: {lost:#?}");
    assert!(
        problems.is_empty(),
        "the database disagrees with itself: {problems:#?}"
    );
    assert!(l.votes.values().any(|v| v.0 > 0), "the load voted");
    assert!(l.reports.values().any(|v| v.0 > 0), "the load reported");
    assert!(l.moderations > 0, "the load moderated");
}

async fn wait_for(ledger: &Arc<Mutex<Ledger>>, done: impl Fn(&Ledger) -> bool) {
    // A hang guard (two minutes), not a speed check.
    for _ in 0..12_000 {
        if done(&ledger.lock().unwrap()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let l = ledger.lock().unwrap();
    panic!(
        "the load stopped at {} acknowledged writes, {} moderations",
        l.acked, l.moderations
    );
}

/// Every acknowledged write missing from the database, one line each.
pub async fn lost_writes(db: &str, l: &Ledger) -> Vec<String> {
    let store = rostra_store::open(db, false).await.unwrap();
    let mut lost = Vec::new();
    for (id, acked) in &l.comments {
        let Some(c) = store.comment(CommentId(*id)).await.unwrap() else {
            lost.push(format!("comment {id} is missing"));
            continue;
        };
        if c.body != acked.body {
            lost.push(format!(
                "comment {id} has body {:?}, not {:?}",
                c.body, acked.body
            ));
        }
        let possible = &l.statuses[id];
        if !possible.iter().any(|s| s == c.status.as_str()) {
            lost.push(format!(
                "comment {id} is {}, expected one of {possible:?}",
                c.status.as_str()
            ));
        }
        if let Some((acked_votes, sent)) = l.votes.get(id) {
            if c.upvotes < *acked_votes || c.upvotes > *sent {
                lost.push(format!(
                    "comment {id} has {} upvotes; {acked_votes} acknowledged of {sent} sent",
                    c.upvotes
                ));
            }
        }
        if let Some((acked_reports, sent)) = l.reports.get(id) {
            let n = store.reports(CommentId(*id)).await.unwrap().len() as i64;
            if n < *acked_reports || n > *sent {
                lost.push(format!(
                    "comment {id} has {n} reports; {acked_reports} acknowledged of {sent} sent"
                ));
            }
        }
    }
    lost
}
