//! The one store over both databases: every `Store` method is written once, here and in the
//! modules beside this one, over a [`Backend`] that says how to read (a pool) and how to write
//! (SQLite: direct writes in the group-commit writer; PostgreSQL: one transaction per use case).

mod account_data;
mod accounts;
pub(crate) mod comments;
mod desk;
mod events;
mod guest_data;
mod lists;
mod moderation;
pub(crate) mod moderation_writes;
pub(crate) mod new_comment;
pub(crate) mod notifications;
mod outbox;
mod passkeys;
mod picks;
mod site_tokens;
mod sites;
mod threads;
mod users;
pub(crate) mod visibility;

use crate::sql::{Arg, Db, Query};
use futures::future::BoxFuture;
use rostra_core::Result;
use std::future::Future;
use std::ops::Deref;

/// What a database gives the shared method bodies.
pub trait Backend: Send + Sync + 'static {
    /// Where reads run: each statement on a free connection of a pool.
    type Read: Db + Clone + Sync;
    /// What a write use case runs on, inside its transaction.
    type Write: Db;

    fn reader(&self) -> Self::Read;

    /// Runs one write use case atomically: all of it is committed (durably) or none of it.
    fn write<T, F>(&self, work: F) -> impl Future<Output = Result<T>> + Send
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut Self::Write) -> BoxFuture<'c, Result<T>> + Send + 'static;

    /// Like `write`, for records of changes that are durable already: answered once committed,
    /// durable with the next durable commit (SQLite). PostgreSQL makes every commit durable.
    fn write_lazy<T, F>(&self, work: F) -> impl Future<Output = Result<T>> + Send
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut Self::Write) -> BoxFuture<'c, Result<T>> + Send + 'static,
    {
        self.write(work)
    }
}

/// A store on one backend. The storage traits are implemented once, for every backend.
pub struct SqlStore<B> {
    backend: B,
}

impl<B> SqlStore<B> {
    pub(crate) fn new(backend: B) -> Self {
        SqlStore { backend }
    }
}

impl<B> Deref for SqlStore<B> {
    type Target = B;

    fn deref(&self) -> &B {
        &self.backend
    }
}

impl<B: Backend> SqlStore<B> {
    /// A write use case of one statement: answers how many rows it changed.
    pub(crate) async fn write_one(&self, sql: &'static str, args: Vec<Arg>) -> Result<u64> {
        self.write(move |c| Box::pin(async move { c.execute(Query::with_args(sql, &args)).await }))
            .await
    }

    /// A write use case of one statement that answers the id it made (`… RETURNING id`).
    pub(crate) async fn write_id(&self, sql: &'static str, args: Vec<Arg>) -> Result<i64> {
        self.write(move |c| {
            Box::pin(async move {
                let (id,): (i64,) = c.fetch_one(Query::with_args(sql, &args)).await?;
                Ok(id)
            })
        })
        .await
    }
}
