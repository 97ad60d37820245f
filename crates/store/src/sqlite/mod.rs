//! The SQLite backend: one writer connection doing group commits, a pool of readers (WAL).

pub(crate) mod db;
pub(crate) mod writer;

use crate::migrations::{self, MigrationState};
pub(crate) use crate::sql::db_err;
use async_trait::async_trait;
use futures::future::BoxFuture;
use futures::FutureExt;
use rostra_core::{Result, Store, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection, SqlitePool};
use std::str::FromStr;
use std::time::Duration;
use writer::Writer;

/// SQLite's side of the store: a pool of readers and the group-commit writer.
pub struct SqliteBackend {
    read: SqlitePool,
    writer: Writer,
}

pub type SqliteStore = crate::store::SqlStore<SqliteBackend>;

impl crate::store::Backend for SqliteBackend {
    type Read = SqlitePool;
    type Write = rusqlite::Connection;

    fn reader(&self) -> SqlitePool {
        self.read.clone()
    }

    /// A direct write: the body's statements run on the writer's thread with plain SQLite
    /// calls, so its futures are ready the first time they are polled.
    fn write<T, F>(&self, work: F) -> impl std::future::Future<Output = Result<T>> + Send
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut rusqlite::Connection) -> BoxFuture<'c, Result<T>>
            + Send
            + 'static,
    {
        self.writer.write_direct(move |db| run_direct(db, work))
    }

    fn write_lazy<T, F>(&self, work: F) -> impl std::future::Future<Output = Result<T>> + Send
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut rusqlite::Connection) -> BoxFuture<'c, Result<T>>
            + Send
            + 'static,
    {
        self.writer
            .write_direct_lazy(move |db| run_direct(db, work))
    }
}

/// Runs a shared write body on the writer's handle: its statements run as they are called, so
/// it is done the first time it is polled.
fn run_direct<T>(
    db: &mut rusqlite::Connection,
    work: impl for<'c> FnOnce(&'c mut rusqlite::Connection) -> BoxFuture<'c, Result<T>>,
) -> Result<T> {
    work(db).now_or_never().unwrap_or_else(|| {
        Err(StoreError::Other("a direct write waited for something".into()).into())
    })
}

pub(crate) fn options(url: &str) -> Result<SqliteConnectOptions> {
    Ok(SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::Other(format!("bad SQLite URL: {e}")))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a commit is on disk before we answer; an acknowledged comment survives a crash.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        // 1 MiB of page cache per connection (SQLite's default is 2 MiB): the thread cache in
        // the server holds what readers ask for again, so this keeps idle memory small.
        .pragma("cache_size", "-1024")
        .busy_timeout(Duration::from_secs(10)))
}

impl SqliteStore {
    pub async fn open(url: &str, migrate: bool) -> Result<Self> {
        let opts = options(url)?;
        let mut conn = SqliteConnection::connect_with(&opts)
            .await
            .map_err(db_err)?;
        let mut tx = conn.begin().await.map_err(db_err)?;
        migrations::bring_up_to_date(&mut *tx, migrations::SQLITE, migrate).await?;
        tx.commit().await.map_err(db_err)?;
        // Two readers: most reads are answered from the server's thread cache, and each
        // connection is a thread with its own page cache and allocator arena.
        let read = SqlitePoolOptions::new()
            .max_connections(2)
            .min_connections(1)
            // A local file's connection cannot go stale the way a network one can; pinging it
            // on every acquire cost about 5 % of a write's CPU.
            .test_before_acquire(false)
            // Readers mostly fill the server's thread cache and are idle after; 256 KiB of page
            // cache each keeps four of them small.
            .connect_with(opts.read_only(true).pragma("cache_size", "-256"))
            .await
            .map_err(db_err)?;
        Ok(crate::store::SqlStore::new(SqliteBackend {
            read,
            writer: Writer::start(conn).await?,
        }))
    }
}

/// `PRAGMA integrity_check`'s verdict: `ok`, or the problems it found, one a line.
pub(crate) async fn integrity_check(conn: &mut SqliteConnection) -> Result<String> {
    let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("\n"))
}

pub async fn migration_status(url: &str) -> Result<Vec<MigrationState>> {
    let mut conn = SqliteConnection::connect_with(&options(url)?)
        .await
        .map_err(db_err)?;
    let applied = migrations::applied_versions(&mut conn).await?;
    migrations::plan(migrations::SQLITE, &applied).map_err(|e| StoreError::Other(e).into())
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.read)
            .await
            .map_err(db_err)?;
        self.writer.ping().await
    }

    /// `PRAGMA shrink_memory` on the writer and on each idle reader: their page caches go back
    /// to the allocator (and from there, trimmed, to the system). A busy reader keeps its own.
    async fn release_memory(&self) -> Result<()> {
        self.writer
            .write_direct_lazy(|c| {
                c.execute_batch("PRAGMA shrink_memory")
                    .map_err(writer::direct_err)
            })
            .await?;
        let mut idle = Vec::new();
        while let Some(conn) = self.read.try_acquire() {
            idle.push(conn);
        }
        for conn in &mut idle {
            sqlx::query("PRAGMA shrink_memory")
                .execute(&mut **conn)
                .await
                .map_err(db_err)?;
        }
        Ok(())
    }
}
