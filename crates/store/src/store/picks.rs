//! Editors' picks and pins: featuring a comment and pinning one to the top of its thread, each
//! with its audit line.
//!
//! On PostgreSQL both lock the thread's row first, the lock order of every comment write.

use super::comments::{load, lock_thread_of};
use super::moderation_writes::audit;
use super::{Backend, SqlStore};
use crate::rows::THREAD_COLUMNS;
use crate::sql::{query, Db};
use async_trait::async_trait;
use rostra_core::desk::PicksStore;
use rostra_core::moderation::NewAuditEntry;
use rostra_core::{Comment, CommentId, Error, Result, Thread, ThreadId};

#[async_trait]
impl<B: Backend> PicksStore for SqlStore<B> {
    async fn set_featured(
        &self,
        id: CommentId,
        featured_at: Option<i64>,
        entry: NewAuditEntry,
    ) -> Result<Comment> {
        self.write(move |c| {
            Box::pin(async move {
                lock_thread_of(c, id).await?;
                let q = query("UPDATE comments SET featured_at = ? WHERE id = ?");
                if c.execute(q.bind(featured_at).bind(id.0)).await? == 0 {
                    return Err(Error::CommentNotFound);
                }
                audit(c, &entry).await?;
                load(c, id).await
            })
        })
        .await
    }

    async fn set_pinned(
        &self,
        thread: ThreadId,
        comment: Option<CommentId>,
        entry: NewAuditEntry,
    ) -> Result<Thread> {
        self.write(move |c| {
            Box::pin(async move {
                let sql = format!(
                    "UPDATE threads SET pinned_comment_id = ? WHERE id = ? RETURNING {THREAD_COLUMNS}"
                );
                let q = query(&sql).bind(comment.map(|c| c.0)).bind(thread.0);
                let updated: Option<Thread> = c.fetch_optional(q).await?;
                let updated = updated.ok_or(Error::ThreadNotFound)?;
                audit(c, &entry).await?;
                Ok(updated)
            })
        })
        .await
    }
}
