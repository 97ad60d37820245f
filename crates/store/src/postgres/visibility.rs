//! Keeping reply counts right when a comment enters or leaves the public thread.
//!
//! A comment's `reply_count` counts its public children. Publicness travels upwards: a deleted
//! comment is public only while it has public replies, so when the last one goes, it goes too.
//! Callers hold the thread's lock, so the walk sees counts no other write is changing.

use super::db_err;
use rostra_core::{CommentId, Result};
use sqlx::{PgConnection, Row};

/// A comment left the public thread: its parent has one reply less, and a tombstone parent that
/// is left without replies leaves too, up the chain.
pub async fn uncount_upwards(c: &mut PgConnection, parent: Option<CommentId>) -> Result<()> {
    walk(c, parent, -1).await
}

/// A comment joined the public thread: its parent has one reply more, and a tombstone parent
/// that had none becomes public again, up the chain.
pub async fn count_upwards(c: &mut PgConnection, parent: Option<CommentId>) -> Result<()> {
    walk(c, parent, 1).await
}

async fn walk(c: &mut PgConnection, mut parent: Option<CommentId>, delta: i64) -> Result<()> {
    while let Some(p) = parent {
        let row = sqlx::query(
            "UPDATE comments SET reply_count = reply_count + $1 WHERE id = $2 \
             RETURNING status, reply_count, parent_id",
        )
        .bind(delta)
        .bind(p.0)
        .fetch_one(&mut *c)
        .await
        .map_err(db_err)?;
        let status: String = row.try_get(0).map_err(db_err)?;
        let now: i64 = row.try_get(1).map_err(db_err)?;
        // A tombstone changes publicness exactly when its count crosses zero.
        let crossed = (delta < 0 && now == 0) || (delta > 0 && now == 1);
        parent = if status == "deleted" && crossed {
            row.try_get::<Option<i64>, _>(2)
                .map_err(db_err)?
                .map(CommentId)
        } else {
            None
        };
    }
    Ok(())
}
