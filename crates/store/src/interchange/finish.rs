//! The end of an import, inside its transaction: replies find their parents by source id, roots
//! and reply counts are computed, thread counts and dates set. Also the work tables it uses.

use super::{int, text};
use crate::copy::conn::{Db, Value};
use crate::copy::tables::Kind::{Int, Text};
use crate::migrations::now_ms;
use rostra_core::interchange::{ImportSummary, Skipped};
use rostra_core::{Error, Site};

/// Passes of reply counting at most: a tombstone counts as a reply only while it has replies
/// itself, so counts settle from the leaves up, one level per pass.
const MAX_COUNT_PASSES: usize = 1000;

/// Temporary tables of this connection: the comments of this import, the parents they name,
/// the threads they touch, the roots computed, and the parents of tombstones.
pub(super) async fn create_work_tables(db: &mut Db) -> Result<(), Error> {
    for sql in [
        "CREATE TEMPORARY TABLE import_new (local_id BIGINT PRIMARY KEY)",
        "CREATE TEMPORARY TABLE import_pending (local_id BIGINT PRIMARY KEY, parent_source TEXT NOT NULL)",
        "CREATE TEMPORARY TABLE import_touched (thread_id BIGINT PRIMARY KEY)",
        "CREATE TEMPORARY TABLE import_roots (id BIGINT PRIMARY KEY, root BIGINT NOT NULL)",
        "CREATE TEMPORARY TABLE import_counts (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)",
        "CREATE TEMPORARY TABLE import_tomb_parents (id BIGINT PRIMARY KEY)",
    ] {
        db.execute(sql).await?;
    }
    Ok(())
}

pub(super) async fn finish(
    db: &mut Db,
    site: &Site,
    format: &str,
    summary: &mut ImportSummary,
) -> Result<(), Error> {
    if db.is_postgres() {
        // Temporary tables have no statistics until analyzed; without them PostgreSQL may
        // choose plans that rescan a whole table per row.
        db.execute(
            "ANALYZE import_new, import_pending, import_touched, import_sources, comments, threads",
        )
        .await?;
    }
    resolve_parents(db, site, format, summary).await?;
    compute_roots(db, summary).await?;
    count_replies(db).await?;
    count_threads(db).await?;
    Ok(())
}

/// Sets the touched threads' published counts, and the dates of those the file gave none
/// (their first comment's, or now). Grouped once, so that no per-thread query can pick an index
/// that makes it scan every comment.
async fn count_threads(db: &mut Db) -> Result<(), Error> {
    db.execute("DELETE FROM import_counts").await?;
    db.run(
        "INSERT INTO import_counts (id, n) SELECT c.thread_id, COUNT(*) FROM comments c \
         JOIN import_touched t ON t.thread_id = c.thread_id WHERE c.status = 'published' \
         GROUP BY c.thread_id",
        vec![],
    )
    .await?;
    db.run(
        "UPDATE threads SET comment_count = \
         COALESCE((SELECT k.n FROM import_counts k WHERE k.id = threads.id), 0) \
         WHERE id IN (SELECT thread_id FROM import_touched)",
        vec![],
    )
    .await?;
    db.execute("DELETE FROM import_counts").await?;
    db.run(
        "INSERT INTO import_counts (id, n) SELECT c.thread_id, MIN(c.created_at) FROM comments c \
         JOIN import_touched t ON t.thread_id = c.thread_id GROUP BY c.thread_id",
        vec![],
    )
    .await?;
    db.run(
        "UPDATE threads SET created_at = \
         COALESCE((SELECT k.n FROM import_counts k WHERE k.id = threads.id), ?) \
         WHERE id IN (SELECT thread_id FROM import_touched) AND created_at = ?",
        vec![Value::Int(Some(now_ms())), Value::Int(Some(i64::MAX))],
    )
    .await?;
    Ok(())
}

/// Sets each reply's parent from its parent's source id. A reply whose parent is not in the
/// file (nor in an earlier import of the same format), or is in another thread, stays at the
/// top level and is reported.
async fn resolve_parents(
    db: &mut Db,
    site: &Site,
    format: &str,
    summary: &mut ImportSummary,
) -> Result<(), Error> {
    let keys = || vec![Value::Int(Some(site.id.0)), text(format)];
    db.run(
        // Driven by the waiting replies (few), never by the whole comments table.
        "UPDATE comments SET parent_id = (SELECT s.local_id FROM import_pending p \
         JOIN import_sources s ON s.source_id = p.parent_source AND s.site_id = ? \
         AND s.format = ? AND s.kind = 'comment' WHERE p.local_id = comments.id) \
         WHERE id IN (SELECT local_id FROM import_pending)",
        keys(),
    )
    .await?;
    db.run(
        "UPDATE comments SET parent_id = NULL WHERE id IN (SELECT local_id FROM import_pending) \
         AND parent_id IS NOT NULL AND thread_id <> \
         (SELECT p.thread_id FROM comments p WHERE p.id = comments.parent_id)",
        vec![],
    )
    .await?;
    let orphans = db
        .fetch(
            "SELECT s.source_id, p.parent_source FROM import_pending p \
             JOIN comments c ON c.id = p.local_id \
             JOIN import_sources s ON s.local_id = c.id AND s.kind = 'comment' \
             AND s.site_id = ? AND s.format = ? \
             WHERE c.parent_id IS NULL ORDER BY c.id",
            keys(),
            &[Text, Text],
        )
        .await?;
    for row in orphans {
        let name = |v: &Value| match v {
            Value::Text(Some(s)) => s.clone(),
            _ => String::new(),
        };
        summary.orphans_attached_top_level += 1;
        summary.skipped.push(Skipped {
            item: format!("comment {}", name(&row[0])),
            reason: format!(
                "its parent {} was not imported (not in the file, skipped, or in another \
                 thread); imported at the top level",
                name(&row[1])
            ),
        });
    }
    Ok(())
}

/// Sets `root_id` of every comment of this import: itself at the top level, else its parent's
/// root, following reply chains of any depth in one recursive query.
async fn compute_roots(db: &mut Db, summary: &mut ImportSummary) -> Result<(), Error> {
    db.run(
        "WITH RECURSIVE r (id, root) AS ( \
           SELECT c.id, COALESCE(p.root_id, c.id) FROM comments c \
           JOIN import_new n ON n.local_id = c.id \
           LEFT JOIN comments p ON p.id = c.parent_id \
           WHERE c.parent_id IS NULL \
           OR NOT EXISTS (SELECT 1 FROM import_new m WHERE m.local_id = c.parent_id) \
           UNION ALL \
           SELECT c.id, r.root FROM comments c JOIN r ON c.parent_id = r.id) \
         INSERT INTO import_roots (id, root) SELECT id, root FROM r",
        vec![],
    )
    .await?;
    if db.is_postgres() {
        db.execute("ANALYZE import_roots").await?;
    }
    db.run(
        "UPDATE comments SET root_id = r.root FROM import_roots r \
         WHERE comments.id = r.id AND comments.root_id <> r.root",
        vec![],
    )
    .await?;
    // Replies that never reached a top-level comment go round in a circle: break it.
    let circular = db
        .fetch(
            "SELECT n.local_id FROM import_new n \
             WHERE NOT EXISTS (SELECT 1 FROM import_roots r WHERE r.id = n.local_id)",
            vec![],
            &[Int],
        )
        .await?;
    for row in circular {
        let id = int(&row[0]);
        db.run(
            "UPDATE comments SET parent_id = NULL, root_id = id WHERE id = ?",
            vec![Value::Int(Some(id))],
        )
        .await?;
        summary.orphans_attached_top_level += 1;
        summary.skipped.push(Skipped {
            item: format!("comment (local id {id})"),
            reason: "its replies go round in a circle; imported at the top level".into(),
        });
    }
    Ok(())
}

/// Sets `reply_count` (public direct replies: published ones, and tombstones that still have
/// replies) in the threads this import touched. The first pass counts every comment there in one
/// grouped query and writes the counts that differ. Only a parent of a tombstone can change
/// after that (a tombstone counts once it has replies), so the passes that follow, until no
/// count changes, look at those parents alone.
async fn count_replies(db: &mut Db) -> Result<(), Error> {
    const NEW_COUNT: &str =
        "COALESCE((SELECT k.n FROM import_counts k WHERE k.id = comments.id), 0)";
    const COUNTED: &str =
        "(ch.status = 'published' OR (ch.status = 'deleted' AND ch.reply_count > 0))";
    db.execute("DELETE FROM import_counts").await?;
    db.run(
        &format!(
            "INSERT INTO import_counts (id, n) SELECT ch.parent_id, COUNT(*) FROM comments ch \
             JOIN import_touched t ON t.thread_id = ch.thread_id \
             WHERE ch.parent_id IS NOT NULL AND {COUNTED} GROUP BY ch.parent_id"
        ),
        vec![],
    )
    .await?;
    db.run(
        &format!(
            "UPDATE comments SET reply_count = {NEW_COUNT} WHERE thread_id IN \
             (SELECT thread_id FROM import_touched) AND reply_count <> {NEW_COUNT}"
        ),
        vec![],
    )
    .await?;
    db.run(
        "INSERT INTO import_tomb_parents (id) SELECT DISTINCT d.parent_id FROM comments d \
         JOIN import_touched t ON t.thread_id = d.thread_id \
         WHERE d.status = 'deleted' AND d.parent_id IS NOT NULL",
        vec![],
    )
    .await?;
    for _ in 0..MAX_COUNT_PASSES {
        db.execute("DELETE FROM import_counts").await?;
        db.run(
            &format!(
                "INSERT INTO import_counts (id, n) SELECT ch.parent_id, COUNT(*) FROM comments ch \
                 JOIN import_tomb_parents tp ON tp.id = ch.parent_id \
                 WHERE {COUNTED} GROUP BY ch.parent_id"
            ),
            vec![],
        )
        .await?;
        let changed = db
            .run(
                &format!(
                    "UPDATE comments SET reply_count = {NEW_COUNT} WHERE id IN \
                     (SELECT id FROM import_tomb_parents) AND reply_count <> {NEW_COUNT}"
                ),
                vec![],
            )
            .await?;
        if changed == 0 {
            break;
        }
    }
    Ok(())
}
