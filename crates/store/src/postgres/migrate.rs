//! Applying the embedded PostgreSQL migrations, and reporting which are applied.
//!
//! DDL is transactional in PostgreSQL, so all pending migrations go in one transaction. An
//! advisory lock held for that transaction lets several instances start at once: the first
//! migrates, the others wait and then find nothing to do.

use super::{connect_options, db_err};
use crate::migrations::{self, MigrationState};
use rostra_core::{Result, StoreError};
use sqlx::{Connection, PgConnection};

/// The advisory lock key for migrations ("rostra" in ASCII).
const MIGRATION_LOCK: i64 = 0x726f_7374_7261;

/// Refuses a schema newer than this build; applies what is pending when `migrate` is set and
/// refuses to go on without it otherwise.
pub(super) async fn prepare(conn: &mut PgConnection, migrate: bool) -> Result<()> {
    let mut tx = conn.begin().await.map_err(db_err)?;
    let applied = applied_versions(&mut tx).await?;
    let plan = migrations::plan(migrations::POSTGRES, &applied).map_err(StoreError::Other)?;
    let pending: Vec<_> = plan.iter().filter(|m| !m.applied).collect();
    if pending.is_empty() {
        return tx.commit().await.map_err(db_err);
    }
    if !migrate {
        return Err(StoreError::Other(
            "the database needs migrations: run `rostra migrate run`".into(),
        )
        .into());
    }
    for state in pending {
        let Some(m) = migrations::POSTGRES
            .iter()
            .find(|m| m.version == state.version)
        else {
            continue;
        };
        for stmt in migrations::statements(m.sql) {
            sqlx::query(stmt).execute(&mut *tx).await.map_err(db_err)?;
        }
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
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

/// Takes the migration lock for the caller's transaction, makes sure the bookkeeping table
/// exists and answers the recorded versions.
async fn applied_versions(tx: &mut PgConnection) -> Result<Vec<i64>> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    sqlx::query(migrations::CREATE_TABLE)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT version FROM schema_migrations")
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn migration_status(url: &str) -> Result<Vec<MigrationState>> {
    let mut conn = PgConnection::connect_with(&connect_options(url)?)
        .await
        .map_err(db_err)?;
    let mut tx = conn.begin().await.map_err(db_err)?;
    let applied = applied_versions(&mut tx).await?;
    tx.commit().await.map_err(db_err)?;
    let _ = conn.close().await;
    migrations::plan(migrations::POSTGRES, &applied).map_err(|e| StoreError::Other(e).into())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
