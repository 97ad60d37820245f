//! The PostgreSQL backend: a connection pool, each write use case in its own transaction.
//!
//! Unlike SQLite, PostgreSQL has many writers at once, so correctness under concurrency comes
//! from the database: unique constraints with `ON CONFLICT`, counters updated in place, and row
//! locks. Edits and votes lock the comment's row, so one comment's changes queue. Every write
//! that changes which comments of a thread are public (and so the thread's and the parents'
//! counts) first locks the thread's row, then comment rows newest first (a comment before its
//! ancestors). With one order everywhere, these writes queue per thread and never deadlock.

pub(crate) mod db;
mod migrate;
pub mod scratch;

pub use migrate::migration_status;
pub use scratch::ScratchDatabase;

pub(crate) use crate::sql::db_err;
use crate::OpenOptions;
use async_trait::async_trait;
use futures::future::BoxFuture;
use rostra_core::{Result, Store, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Executor, PgConnection, PgPool};
use std::str::FromStr;

/// PostgreSQL's side of the store: a pool, and one transaction per write use case.
pub struct PgBackend {
    pool: PgPool,
}

pub type PgStore = crate::store::SqlStore<PgBackend>;

impl crate::store::Backend for PgBackend {
    type Read = PgPool;
    type Write = PgConnection;

    fn reader(&self) -> PgPool {
        self.pool.clone()
    }

    /// Runs one write use case in one transaction: committed when it succeeds, rolled back
    /// when it fails.
    ///
    /// The transaction runs in a task of its own, to its end, even when the caller stops
    /// waiting (a request whose client went away). Dropping a transaction half-way through
    /// could hand its connection back to the pool still inside the transaction, where the next
    /// borrower's statements would silently join it.
    fn write<T, F>(&self, work: F) -> impl std::future::Future<Output = Result<T>> + Send
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut PgConnection) -> BoxFuture<'c, Result<T>> + Send + 'static,
    {
        let pool = self.pool.clone();
        async move {
            tokio::spawn(async move { transaction(&pool, work).await })
                .await
                .map_err(|e| StoreError::Other(format!("a write stopped: {e}")))?
        }
    }
}

pub(crate) fn connect_options(url: &str) -> Result<PgConnectOptions> {
    PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::Other(format!("bad PostgreSQL URL: {e}")).into())
}

impl PgStore {
    pub async fn open(url: &str, migrate: bool, options: &OpenOptions) -> Result<Self> {
        let connect = connect_options(url)?;
        let timeout = options.statement_timeout_ms;
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    // SET takes no bind parameters; the value is a number we formatted.
                    conn.execute(format!("SET statement_timeout = {timeout}").as_str())
                        .await?;
                    Ok(())
                })
            })
            .connect_with(connect)
            .await
            .map_err(db_err)?;
        let mut conn = pool.acquire().await.map_err(db_err)?;
        migrate::prepare(&mut conn, migrate).await?;
        drop(conn);
        Ok(crate::store::SqlStore::new(PgBackend { pool }))
    }
}

async fn transaction<T, F>(pool: &sqlx::PgPool, work: F) -> Result<T>
where
    F: for<'c> FnOnce(&'c mut PgConnection) -> BoxFuture<'c, Result<T>>,
{
    let mut tx = pool.begin().await.map_err(db_err)?;
    match work(&mut tx).await {
        Ok(value) => {
            tx.commit().await.map_err(db_err)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) = tx.rollback().await {
                tracing::warn!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
