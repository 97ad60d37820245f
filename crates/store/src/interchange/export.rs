//! Reading a whole site out as records, thread by thread, for the export writers. Threads and
//! comments are numbered in export order (1, 2, …), so that exporting what an export imported
//! gives the same file, whatever local ids the database chose.

use super::{connect, int, other, site_by_key};
use crate::copy::conn::{Db, Value};
use crate::copy::tables::Kind::{Bool, Int, Text};
use rostra_core::interchange::VoteRecord;
use rostra_core::interchange::{Body, CommentRecord, Record, RevisionRecord, ThreadRecord};
use rostra_core::{Error, Site, Status};
use std::collections::HashMap;

/// Comments read per query.
const BATCH: i64 = 1000;

/// Reads every thread and comment of the site with key `site_key` (in one snapshot) and hands
/// them to `emit`, each thread before its comments. Answers the site.
pub async fn export_site(
    url: &str,
    site_key: &str,
    emit: &mut (dyn FnMut(&Site, Record) -> std::io::Result<()> + Send),
) -> Result<Site, Error> {
    let mut db = connect(url).await?;
    let snapshot = if db.is_postgres() {
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    } else {
        "BEGIN"
    };
    db.execute(snapshot).await?;
    let outcome = export_in_snapshot(&mut db, site_key, emit).await;
    let _ = db.execute("ROLLBACK").await;
    db.close().await;
    outcome
}

async fn export_in_snapshot(
    db: &mut Db,
    site_key: &str,
    emit: &mut (dyn FnMut(&Site, Record) -> std::io::Result<()> + Send),
) -> Result<Site, Error> {
    let site = site_by_key(db, site_key).await?;
    let site_id = Value::Int(Some(site.id.0));
    let threads = db
        .fetch(
            "SELECT id, key, url, title, created_at, closed FROM threads WHERE site_id = ? \
             ORDER BY id",
            vec![site_id.clone()],
            &[Int, Text, Text, Text, Int, Bool],
        )
        .await?;
    let order = db
        .fetch(
            "SELECT c.id FROM comments c JOIN threads t ON t.id = c.thread_id \
             WHERE t.site_id = ? ORDER BY c.thread_id, c.id",
            vec![site_id],
            &[Int],
        )
        .await?;
    let number: HashMap<i64, u64> = order
        .iter()
        .enumerate()
        .map(|(i, r)| (int(&r[0]), i as u64 + 1))
        .collect();
    drop(order);
    let failed = |e: std::io::Error| other(format!("writing the export: {e}"));
    for (n, t) in threads.iter().enumerate() {
        let key = string(&t[1]).unwrap_or_default();
        emit(
            &site,
            Record::Thread(ThreadRecord {
                source_id: (n + 1).to_string(),
                url: string(&t[2]).unwrap_or_default(),
                identifier: key.strip_prefix("id:").map(str::to_string),
                title: string(&t[3]),
                created_at: Some(int(&t[4])),
                closed: matches!(t[5], Value::Bool(Some(true))),
            }),
        )
        .map_err(failed)?;
        export_comments(db, &site, int(&t[0]), n + 1, &number, emit).await?;
    }
    Ok(site)
}

async fn export_comments(
    db: &mut Db,
    site: &Site,
    thread_id: i64,
    thread_number: usize,
    number: &HashMap<i64, u64>,
    emit: &mut (dyn FnMut(&Site, Record) -> std::io::Result<()> + Send),
) -> Result<(), Error> {
    let mut after = 0i64;
    loop {
        let rows = db
            .fetch(
                "SELECT id, parent_id, status, author_name, author_email, author_url, body, \
                 body_html, created_at, edited_at, upvotes, downvotes FROM comments \
                 WHERE thread_id = ? AND id > ? ORDER BY id LIMIT ?",
                vec![
                    Value::Int(Some(thread_id)),
                    Value::Int(Some(after)),
                    Value::Int(Some(BATCH)),
                ],
                &[
                    Int, Int, Text, Text, Text, Text, Text, Text, Int, Int, Int, Int,
                ],
            )
            .await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = int(&last[0]);
        let (first, full) = (int(&rows[0][0]), rows.len() as i64 == BATCH);
        let mut revisions = extras_revisions(db, thread_id, first, after).await?;
        let mut votes = extras_votes(db, thread_id, first, after).await?;
        for r in rows {
            let id = int(&r[0]);
            let parent = match r[1] {
                Value::Int(Some(p)) => number.get(&p).map(u64::to_string),
                _ => None,
            };
            let status = string(&r[2])
                .and_then(|s| Status::parse(&s))
                .ok_or_else(|| other(format!("comment {id} has an unknown status")))?;
            let record = CommentRecord {
                source_id: number.get(&id).map(u64::to_string).unwrap_or_default(),
                thread_source_id: thread_number.to_string(),
                parent_source_id: parent,
                author_name: string(&r[3]),
                author_email: string(&r[4]),
                author_url: string(&r[5]),
                body: Body::Both {
                    markdown: string(&r[6]).unwrap_or_default(),
                    html: string(&r[7]).unwrap_or_default(),
                },
                created_at: int(&r[8]),
                edited_at: match r[9] {
                    Value::Int(v) => v,
                    _ => None,
                },
                status,
                upvotes: int(&r[10]),
                downvotes: int(&r[11]),
                revisions: revisions.remove(&id).unwrap_or_default(),
                votes: votes.remove(&id).unwrap_or_default(),
            };
            emit(site, Record::Comment(Box::new(record)))
                .map_err(|e| other(format!("writing the export: {e}")))?;
        }
        if !full {
            return Ok(());
        }
    }
}

/// Revisions of the thread's comments with ids in `first..=last`, oldest first.
async fn extras_revisions(
    db: &mut Db,
    thread_id: i64,
    first: i64,
    last: i64,
) -> Result<HashMap<i64, Vec<RevisionRecord>>, Error> {
    let rows = db
        .fetch(
            "SELECT r.comment_id, r.body, r.replaced_at FROM comment_revisions r \
             JOIN comments c ON c.id = r.comment_id \
             WHERE c.thread_id = ? AND c.id BETWEEN ? AND ? ORDER BY r.comment_id, r.id",
            vec![
                Value::Int(Some(thread_id)),
                Value::Int(Some(first)),
                Value::Int(Some(last)),
            ],
            &[Int, Text, Int],
        )
        .await?;
    let mut by_comment: HashMap<i64, Vec<RevisionRecord>> = HashMap::new();
    for r in rows {
        by_comment
            .entry(int(&r[0]))
            .or_default()
            .push(RevisionRecord {
                body: string(&r[1]).unwrap_or_default(),
                replaced_at: int(&r[2]),
            });
    }
    Ok(by_comment)
}

/// Votes on the thread's comments with ids in `first..=last`, oldest first.
async fn extras_votes(
    db: &mut Db,
    thread_id: i64,
    first: i64,
    last: i64,
) -> Result<HashMap<i64, Vec<VoteRecord>>, Error> {
    let rows = db
        .fetch(
            "SELECT v.comment_id, v.voter_hash, v.ip_hash, CAST(v.value AS BIGINT), v.voted_at \
             FROM votes v JOIN comments c ON c.id = v.comment_id \
             WHERE c.thread_id = ? AND c.id BETWEEN ? AND ? ORDER BY v.comment_id, v.id",
            vec![
                Value::Int(Some(thread_id)),
                Value::Int(Some(first)),
                Value::Int(Some(last)),
            ],
            &[Int, Text, Text, Int, Int],
        )
        .await?;
    let mut by_comment: HashMap<i64, Vec<VoteRecord>> = HashMap::new();
    for r in rows {
        by_comment.entry(int(&r[0])).or_default().push(VoteRecord {
            voter_hash: string(&r[1]),
            ip_hash: string(&r[2]).unwrap_or_default(),
            value: i8::try_from(int(&r[3])).unwrap_or(0),
            voted_at: int(&r[4]),
        });
    }
    Ok(by_comment)
}

fn string(v: &Value) -> Option<String> {
    match v {
        Value::Text(t) => t.clone(),
        _ => None,
    }
}
