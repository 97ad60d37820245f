//! The SQLite backend: one writer connection doing group commits, a pool of readers (WAL).

mod account_data;
mod accounts;
mod comments;
mod events;
mod guest_data;
mod lists;
mod moderation;
mod moderation_writes;
mod new_comment;
mod notifications;
mod outbox;
mod passkeys;
mod rows;
mod sites;
mod threads;
mod users;
mod visibility;
mod writer;

use crate::migrations::{self, MigrationState};
use async_trait::async_trait;
use rostra_core::{Error, Result, Store, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection, SqlitePool};
use std::str::FromStr;
use std::time::Duration;
use writer::Writer;

pub struct SqliteStore {
    read: SqlitePool,
    writer: Writer,
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
        let applied = applied_versions(&mut conn).await?;
        let plan = migrations::plan(migrations::SQLITE, &applied).map_err(StoreError::Other)?;
        let pending: Vec<_> = plan.iter().filter(|m| !m.applied).collect();
        if !pending.is_empty() {
            if !migrate {
                return Err(StoreError::Other(
                    "the database needs migrations: run `rostra migrate run`".into(),
                )
                .into());
            }
            apply(&mut conn, &pending).await?;
        }
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
        Ok(SqliteStore {
            read,
            writer: Writer::start(conn).await?,
        })
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

pub(crate) async fn applied_versions(conn: &mut SqliteConnection) -> Result<Vec<i64>> {
    sqlx::query(migrations::CREATE_TABLE)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT version FROM schema_migrations")
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

async fn apply(conn: &mut SqliteConnection, pending: &[&MigrationState]) -> Result<()> {
    let mut tx = conn.begin().await.map_err(db_err)?;
    for state in pending {
        let Some(m) = migrations::SQLITE
            .iter()
            .find(|m| m.version == state.version)
        else {
            continue;
        };
        for stmt in migrations::statements(m.sql) {
            sqlx::query(stmt).execute(&mut *tx).await.map_err(db_err)?;
        }
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
            .bind(m.version)
            .bind(m.name)
            .bind(now_ms())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tracing::info!(version = m.version, name = m.name, "applied migration");
    }
    tx.commit().await.map_err(db_err)
}

pub async fn migration_status(url: &str) -> Result<Vec<MigrationState>> {
    let mut conn = SqliteConnection::connect_with(&options(url)?)
        .await
        .map_err(db_err)?;
    let applied = applied_versions(&mut conn).await?;
    migrations::plan(migrations::SQLITE, &applied).map_err(|e| StoreError::Other(e).into())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Maps sqlx errors onto the storage errors both backends share (by kind, never by name).
pub(crate) fn db_err(e: sqlx::Error) -> Error {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound.into(),
        sqlx::Error::Database(d) => match d.kind() {
            sqlx::error::ErrorKind::UniqueViolation => StoreError::Conflict("unique").into(),
            sqlx::error::ErrorKind::ForeignKeyViolation => {
                StoreError::Conflict("foreign_key").into()
            }
            _ => StoreError::Other(e.to_string()).into(),
        },
        _ => StoreError::Other(e.to_string()).into(),
    }
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
