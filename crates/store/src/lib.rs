//! Rostra's storage backends behind the core `Store` trait, chosen by database URL.
#![forbid(unsafe_code)]

pub mod migrations;
pub mod sqlite;

use rostra_core::{Error, Store, StoreError};
use std::sync::Arc;

/// Opens the database a URL names, applying migrations when `migrate` is set. Refuses a schema
/// newer than this build knows.
pub async fn open(url: &str, migrate: bool) -> Result<Arc<dyn Store>, Error> {
    match backend_of(url)? {
        Backend::Sqlite => Ok(Arc::new(sqlite::SqliteStore::open(url, migrate).await?)),
    }
}

/// What `migrate status` shows: the migrations this build knows and which are applied.
pub async fn migration_status(url: &str) -> Result<Vec<migrations::MigrationState>, Error> {
    match backend_of(url)? {
        Backend::Sqlite => sqlite::migration_status(url).await,
    }
}

enum Backend {
    Sqlite,
}

fn backend_of(url: &str) -> Result<Backend, Error> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Err(StoreError::Other(
            "PostgreSQL is not supported by this build yet; use a sqlite:// URL".into(),
        )
        .into())
    } else {
        Err(StoreError::Other(format!(
            "unknown database URL scheme in '{}': use sqlite://PATH",
            url.split(':').next().unwrap_or("")
        ))
        .into())
    }
}
