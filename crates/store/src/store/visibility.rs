//! Keeping reply counts right when a comment enters or leaves the public thread.
//!
//! A comment's `reply_count` counts its public children. Publicness travels upwards: a deleted
//! comment is public only while it has public replies, so when the last one goes, it goes too.
//! On PostgreSQL, callers hold the thread's lock, so the walk sees counts no other write changes.

use crate::sql::{query, Db};
use rostra_core::{CommentId, Result};

/// A comment left the public thread: its parent has one reply less, and a tombstone parent that
/// is left without replies leaves too, up the chain.
pub async fn uncount_upwards(c: &mut impl Db, parent: Option<CommentId>) -> Result<()> {
    walk(c, parent, -1).await
}

/// A comment joined the public thread: its parent has one reply more, and a tombstone parent
/// that had none becomes public again, up the chain.
pub async fn count_upwards(c: &mut impl Db, parent: Option<CommentId>) -> Result<()> {
    walk(c, parent, 1).await
}

async fn walk(c: &mut impl Db, mut parent: Option<CommentId>, delta: i64) -> Result<()> {
    while let Some(p) = parent {
        let q = query(
            "UPDATE comments SET reply_count = reply_count + ? WHERE id = ? \
             RETURNING status, reply_count, parent_id",
        );
        let (status, now, grandparent): (String, i64, Option<i64>) =
            c.fetch_one(q.bind(delta).bind(p.0)).await?;
        // A tombstone changes publicness exactly when its count crosses zero.
        let crossed = (delta < 0 && now == 0) || (delta > 0 && now == 1);
        parent = match status == "deleted" && crossed {
            true => grandparent.map(CommentId),
            false => None,
        };
    }
    Ok(())
}
