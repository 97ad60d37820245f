//! Many requests at once: what one request would do, done by many, must add up. (SQLite queues
//! every write; PostgreSQL runs them side by side, so these mostly guard its locking.)

use crate::{backends, comment, site};
use rostra_core::comment::Status;
use rostra_core::moderation::{Decision, NewReport, ReportReason};
use rostra_core::store::{Moderation, Queue, ReportOutcome, SiteScope};
use rostra_core::{Comment, CommentId, Error, NewVote, Store};
use std::collections::HashMap;
use std::sync::Arc;

async fn all<T: Send + 'static>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

#[tokio::test]
async fn one_voter_voting_many_times_at_once_counts_once() {
    for b in backends().await {
        let site = site(&*b.store, "news").await;
        let (c, _) = b
            .store
            .create_comment(comment(&site, "/v", None, 1))
            .await
            .unwrap();
        let vote = move |voter: String, value: i8| NewVote {
            comment_id: c.id,
            voter_hash: Some(voter.clone()),
            ip_hash: voter,
            value,
            at: 2,
        };
        let mut tasks = Vec::new();
        for i in 0..40 {
            let store = b.store.clone();
            let v = if i % 2 == 0 {
                vote("same".into(), 1)
            } else {
                vote(format!("v{i}"), 1)
            };
            tasks.push(tokio::spawn(async move { store.vote(v).await }));
        }
        for r in all(tasks).await {
            r.unwrap();
        }
        let now = b.store.comment(c.id).await.unwrap().unwrap();
        assert_eq!(
            (now.upvotes, now.downvotes),
            (21, 0),
            "{}",
            b.store.backend()
        );
    }
}

/// On SQLite, new comments and votes take different paths through the writer (direct calls and
/// sqlx); batched together, each still commits or fails alone.
#[tokio::test]
async fn new_comments_and_votes_at_once_each_commit_or_fail_alone() {
    for b in backends().await {
        let site = site(&*b.store, "news").await;
        let (c, _) = b
            .store
            .create_comment(comment(&site, "/mixed", None, 1))
            .await
            .unwrap();
        let mut tasks = Vec::new();
        for i in 0..90i64 {
            let store = b.store.clone();
            let mut new = comment(&site, "/mixed", Some(c.id), i + 2);
            match i % 3 {
                0 => tasks.push(tokio::spawn(async move {
                    store.create_comment(new).await.map(drop)
                })),
                1 => {
                    new.parent_id = Some(CommentId(1_000_000));
                    tasks.push(tokio::spawn(async move {
                        store.create_comment(new).await.map(drop)
                    }));
                }
                _ => {
                    let (comment_id, voter) = match i % 2 {
                        0 => (c.id, format!("v{i}")),
                        _ => (CommentId(1_000_000), "nobody".into()),
                    };
                    let vote = NewVote {
                        comment_id,
                        voter_hash: Some(voter.clone()),
                        ip_hash: voter,
                        value: 1,
                        at: 2,
                    };
                    tasks.push(tokio::spawn(
                        async move { store.vote(vote).await.map(drop) },
                    ));
                }
            }
        }
        let outcomes = all(tasks).await;
        let count = |f: fn(&Result<(), Error>) -> bool| outcomes.iter().filter(|o| f(o)).count();
        assert_eq!(count(|o| o.is_ok()), 30 + 15, "{}", b.store.backend());
        assert_eq!(count(|o| matches!(o, Err(Error::ParentNotFound))), 30);
        assert_eq!(count(|o| matches!(o, Err(Error::CommentNotFound))), 15);
        let now = b.store.comment(c.id).await.unwrap().unwrap();
        assert_eq!(
            (now.upvotes, now.reply_count),
            (15, 30),
            "{}",
            b.store.backend()
        );
    }
}

fn report(id: CommentId, who: String) -> NewReport {
    NewReport {
        comment_id: id,
        reporter_hash: who,
        reason: ReportReason::Spam,
        note: None,
        at: 3,
    }
}

#[tokio::test]
async fn reports_at_once_hold_once_and_count_each_reader_once() {
    for b in backends().await {
        let site = site(&*b.store, "news").await;
        let (c, _) = b
            .store
            .create_comment(comment(&site, "/r", None, 1))
            .await
            .unwrap();
        let mut tasks = Vec::new();
        for i in 0..30 {
            let store = b.store.clone();
            let who = if i < 10 {
                "same".to_string()
            } else {
                format!("r{i}")
            };
            tasks.push(tokio::spawn(async move {
                store.report(report(c.id, who), 5).await
            }));
        }
        let outcomes: Vec<ReportOutcome> =
            all(tasks).await.into_iter().map(Result::unwrap).collect();
        let already = outcomes
            .iter()
            .filter(|o| **o == ReportOutcome::AlreadyReported);
        assert_eq!(already.count(), 9);
        let held = outcomes
            .iter()
            .filter(|o| matches!(o, ReportOutcome::Recorded { held: true, .. }));
        assert_eq!(held.count(), 1);
        let now = b.store.comment(c.id).await.unwrap().unwrap();
        assert_eq!((now.status, now.report_count), (Status::Pending, 21));
        assert_eq!(b.store.decisions(c.id).await.unwrap().len(), 2);
    }
}

fn moderation(id: CommentId, status: Status) -> Moderation {
    Moderation {
        comment_id: id,
        status,
        decision: Decision {
            comment_id: id,
            at: 5,
            actor: None,
            action: status.as_str().into(),
            reasons: Vec::new(),
            note: None,
        },
        audit: None,
    }
}

/// Replies, deletions and moderation in one thread at once finish (nothing deadlocks) and
/// leave every count equal to what it counts.
#[tokio::test]
async fn mixed_writes_in_one_thread_leave_the_counts_right() {
    for b in backends().await {
        let site = site(&*b.store, "news").await;
        let mut ids = Vec::new();
        for i in 0..30 {
            let parent = if i < 5 {
                None
            } else {
                Some(ids[(i * 7) % ids.len()])
            };
            let (c, _) = b
                .store
                .create_comment(comment(&site, "/x", parent, i as i64))
                .await
                .unwrap();
            ids.push(c.id);
        }
        let mut tasks = Vec::new();
        for (i, id) in ids.iter().copied().enumerate() {
            let store = b.store.clone();
            let new = comment(&site, "/x", Some(id), 100 + i as i64);
            tasks.push(tokio::spawn(async move {
                let reply = store.create_comment(new).await.map(|_| ());
                let change = match i % 3 {
                    0 => store.delete_comment(id, 200).await.map(|_| ()),
                    1 => store
                        .moderate(moderation(id, Status::Rejected))
                        .await
                        .map(|_| ()),
                    _ => store
                        .moderate(moderation(id, Status::Published))
                        .await
                        .map(|_| ()),
                };
                (reply, change)
            }));
        }
        for (reply, change) in all(tasks).await {
            for r in [reply, change] {
                match r {
                    Ok(()) | Err(Error::CommentDeleted | Error::ParentNotFound) => {}
                    Err(e) => panic!("{}: {e:?}", b.store.backend()),
                }
            }
        }
        check_counts(&b.store).await;
    }
}

async fn check_counts(store: &Arc<dyn Store>) {
    let every: Vec<Comment> = store
        .queue(&SiteScope::All, Queue::Recent, 0, 10_000)
        .await
        .unwrap();
    let mut public_children: HashMap<CommentId, i64> = HashMap::new();
    for c in every.iter().filter(|c| c.is_public()) {
        if let Some(p) = c.parent_id {
            *public_children.entry(p).or_default() += 1;
        }
    }
    for c in &every {
        let want = public_children.get(&c.id).copied().unwrap_or(0);
        assert_eq!(
            c.reply_count,
            want,
            "reply count of {:?} on {}",
            c.id,
            store.backend()
        );
    }
    let published = every
        .iter()
        .filter(|c| c.status == Status::Published)
        .count() as i64;
    let thread = store.thread(every[0].thread_id).await.unwrap().unwrap();
    assert_eq!(thread.comment_count, published, "{}", store.backend());
}
