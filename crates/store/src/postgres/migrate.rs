//! Applying the embedded PostgreSQL migrations, and reporting which are applied.
//!
//! DDL is transactional in PostgreSQL, so all pending migrations go in one transaction. An
//! advisory lock held for that transaction lets several instances start at once: the first
//! migrates, the others wait and then find nothing to do.

use super::{connect_options, db_err};
use crate::migrations::{self, MigrationState};
use crate::sql::{query, Db};
use rostra_core::{Result, StoreError};
use sqlx::{Connection, PgConnection};

/// The advisory lock key for migrations ("rostra" in ASCII).
const MIGRATION_LOCK: i64 = 0x726f_7374_7261;

/// Refuses a schema newer than this build; applies what is pending when `migrate` is set and
/// refuses to go on without it otherwise.
pub(super) async fn prepare(conn: &mut PgConnection, migrate: bool) -> Result<()> {
    let mut tx = conn.begin().await.map_err(db_err)?;
    lock(&mut tx).await?;
    migrations::bring_up_to_date(&mut *tx, migrations::POSTGRES, migrate).await?;
    tx.commit().await.map_err(db_err)
}

/// Takes the migration lock for the caller's transaction.
async fn lock(tx: &mut PgConnection) -> Result<()> {
    let q = query("SELECT pg_advisory_xact_lock(?)").bind(MIGRATION_LOCK);
    tx.execute(q).await.map(drop)
}

pub async fn migration_status(url: &str) -> Result<Vec<MigrationState>> {
    let mut conn = PgConnection::connect_with(&connect_options(url)?)
        .await
        .map_err(db_err)?;
    let mut tx = conn.begin().await.map_err(db_err)?;
    lock(&mut tx).await?;
    let applied = migrations::applied_versions(&mut *tx).await?;
    tx.commit().await.map_err(db_err)?;
    let _ = conn.close().await;
    migrations::plan(migrations::POSTGRES, &applied).map_err(|e| StoreError::Other(e).into())
}
