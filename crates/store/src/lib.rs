//! Rostra's storage backends behind the core `Store` trait, chosen by database URL.
//!
//! Every `Store` method is written once, for both databases, in `store/<aspect>.rs`
//! (`store/comments.rs`, `store/moderation.rs`, …): its SQL is SQLite's spelling with `?`
//! placeholders, run through `sql::Db` on a pool (reads) or inside the backend's write
//! (SQLite: a direct write in the group-commit writer; PostgreSQL: one transaction). To add a
//! method, add it to the trait in `rostra-core`, then write its body once in that file: bind
//! values with `query(…).bind(…)`, decode rows with a `FromRow` impl (`rows.rs`), and ask
//! `Db::dialect` only where the databases really differ (row locks, collation). The
//! conformance suite runs it on both backends. Backend files hold only what differs: opening,
//! the SQLite writer, PostgreSQL's transactions, migrations and scratch databases.
// One audited exception: the SQLite writer wraps the handle sqlx opened (`sqlite::writer`).
#![deny(unsafe_code)]

pub mod backup;
pub mod bus;
pub mod consistency;
pub mod copy;
pub mod interchange;
pub mod migrations;
mod policy_json;
pub mod postgres;
mod rows;
mod sql;
pub mod sqlite;
mod store;

use rostra_core::{Error, Store, StoreError};
use std::sync::Arc;

/// Connection settings that do not belong in a URL. SQLite ignores them (it has one writer and
/// a small fixed pool of readers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenOptions {
    /// Most connections one instance holds open to PostgreSQL.
    pub max_connections: u32,
    /// A statement running longer than this is cancelled by PostgreSQL; 0 means never.
    pub statement_timeout_ms: u64,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            max_connections: 10,
            statement_timeout_ms: 30_000,
        }
    }
}

/// Opens the database a URL names, applying migrations when `migrate` is set. Refuses a schema
/// newer than this build knows.
pub async fn open(url: &str, migrate: bool) -> Result<Arc<dyn Store>, Error> {
    open_with(url, migrate, &OpenOptions::default()).await
}

/// Like [`open`], with connection settings.
pub async fn open_with(
    url: &str,
    migrate: bool,
    options: &OpenOptions,
) -> Result<Arc<dyn Store>, Error> {
    match backend_of(url)? {
        Backend::Sqlite => Ok(Arc::new(sqlite::SqliteStore::open(url, migrate).await?)),
        Backend::Postgres => Ok(Arc::new(
            postgres::PgStore::open(url, migrate, options).await?,
        )),
    }
}

/// What `migrate status` shows: the migrations this build knows and which are applied.
pub async fn migration_status(url: &str) -> Result<Vec<migrations::MigrationState>, Error> {
    match backend_of(url)? {
        Backend::Sqlite => sqlite::migration_status(url).await,
        Backend::Postgres => postgres::migration_status(url).await,
    }
}

enum Backend {
    Sqlite,
    Postgres,
}

fn backend_of(url: &str) -> Result<Backend, Error> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Backend::Postgres)
    } else {
        Err(StoreError::Other(format!(
            "unknown database URL scheme in '{}': use sqlite://PATH or postgres://USER@HOST/DATABASE",
            url.split(':').next().unwrap_or("")
        ))
        .into())
    }
}
