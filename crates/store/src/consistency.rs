//! Whether a database agrees with itself: stored counts equal what they count, every reply's
//! parent exists in the same thread, and (SQLite) the file passes `PRAGMA integrity_check`.
//! The crash tests run it after killing the server; operators can run it after a restore.

use rostra_core::{Error, StoreError};
use sqlx::{Connection, PgConnection, SqliteConnection};

/// Each check: what is wrong when it finds rows, and the ids of those rows (portable SQL).
const CHECKS: &[(&str, &str)] = &[
    (
        "threads whose comment_count differs from their published comments",
        "SELECT t.id FROM threads t WHERE t.comment_count <> \
         (SELECT COUNT(*) FROM comments c WHERE c.thread_id = t.id AND c.status = 'published') \
         ORDER BY t.id",
    ),
    (
        "comments whose reply_count differs from their public replies",
        "SELECT p.id FROM comments p WHERE p.reply_count <> \
         (SELECT COUNT(*) FROM comments c WHERE c.parent_id = p.id AND \
         (c.status = 'published' OR (c.status = 'deleted' AND c.reply_count > 0))) ORDER BY p.id",
    ),
    (
        "replies whose parent is missing or in another thread",
        "SELECT c.id FROM comments c WHERE c.parent_id IS NOT NULL AND NOT EXISTS \
         (SELECT 1 FROM comments p WHERE p.id = c.parent_id AND p.thread_id = c.thread_id) \
         ORDER BY c.id",
    ),
];

/// The vote check, apart: imported comments carry their old system's totals without vote rows,
/// so it holds only for databases whose votes were all cast here.
const VOTE_CHECK: (&str, &str) = (
    "comments whose vote totals differ from their vote rows",
    "SELECT c.id FROM comments c WHERE \
     c.upvotes <> (SELECT COUNT(*) FROM votes v WHERE v.comment_id = c.id AND v.value = 1) OR \
     c.downvotes <> (SELECT COUNT(*) FROM votes v WHERE v.comment_id = c.id AND v.value = -1) \
     ORDER BY c.id",
);

/// Everything found wrong, one line each; empty when the database is consistent. With
/// `votes`, also compares vote totals with the vote rows (see [`VOTE_CHECK`]).
pub async fn problems(url: &str, votes: bool) -> Result<Vec<String>, Error> {
    let mut checks: Vec<(&str, &str)> = CHECKS.to_vec();
    if votes {
        checks.push(VOTE_CHECK);
    }
    let mut found = Vec::new();
    if url.starts_with("sqlite:") {
        let opts = crate::sqlite::options(url)?.create_if_missing(false);
        let mut conn = SqliteConnection::connect_with(&opts).await.map_err(other)?;
        let verdict = crate::sqlite::integrity_check(&mut conn).await?;
        if verdict != "ok" {
            found.push(format!("PRAGMA integrity_check: {verdict}"));
        }
        for (what, sql) in checks {
            let ids: Vec<(i64,)> = sqlx::query_as(sql)
                .fetch_all(&mut conn)
                .await
                .map_err(other)?;
            report(&mut found, what, &ids);
        }
    } else {
        let mut conn = PgConnection::connect(url).await.map_err(other)?;
        for (what, sql) in checks {
            let ids: Vec<(i64,)> = sqlx::query_as(sql)
                .fetch_all(&mut conn)
                .await
                .map_err(other)?;
            report(&mut found, what, &ids);
        }
    }
    Ok(found)
}

fn report(found: &mut Vec<String>, what: &str, ids: &[(i64,)]) {
    if ids.is_empty() {
        return;
    }
    let shown: Vec<String> = ids.iter().take(20).map(|(id,)| id.to_string()).collect();
    found.push(format!("{} {what}: {}", ids.len(), shown.join(", ")));
}

fn other(e: sqlx::Error) -> Error {
    StoreError::Other(e.to_string()).into()
}
