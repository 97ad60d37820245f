//! Backing up a running SQLite database and restoring a backup. A backup is `VACUUM INTO`: one
//! read transaction, so the copy is a consistent snapshot while the server keeps writing. A
//! restore checks the file first and never replaces a database that is open elsewhere.

use crate::migrations;
use crate::sqlite::{integrity_check, options};
use rostra_core::{Error, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteLockingMode};
use sqlx::{Connection, SqliteConnection};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a checked backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// The newest migration applied in it.
    pub schema_version: i64,
    pub threads: i64,
    pub comments: i64,
}

/// What PostgreSQL operators use instead of `rostra backup`.
pub const POSTGRES_ADVICE: &str = "rostra backup copies SQLite databases only. For PostgreSQL \
use its own tools, which take a consistent snapshot of a running database: \
`pg_dump --format=custom --file=rostra.dump DATABASE_URL`, and to restore into an empty \
database `pg_restore --no-owner --dbname=DATABASE_URL rostra.dump` (see docs/deploy.md).";

fn fail(message: impl Into<String>) -> Error {
    StoreError::Other(message.into()).into()
}

fn sql_err(e: sqlx::Error) -> Error {
    fail(e.to_string())
}

/// Writes a consistent copy of the SQLite database at `url` to `out`, which must not exist,
/// then checks the copy.
pub async fn backup(url: &str, out: &Path) -> Result<BackupInfo, Error> {
    if !url.starts_with("sqlite:") {
        return Err(fail(POSTGRES_ADVICE));
    }
    if out.exists() {
        return Err(fail(format!("{} already exists", out.display())));
    }
    let opts = options(url)?.create_if_missing(false);
    let mut conn = SqliteConnection::connect_with(&opts)
        .await
        .map_err(|e| fail(format!("opening {url}: {e}")))?;
    let target = out
        .to_str()
        .ok_or_else(|| fail("the backup path is not valid UTF-8"))?;
    sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut conn)
        .await
        .map_err(sql_err)?;
    conn.close().await.map_err(sql_err)?;
    check(out).await
}

/// Checks a backup file: SQLite's integrity check passes and its schema is one this build knows.
pub async fn check(file: &Path) -> Result<BackupInfo, Error> {
    if !file.is_file() {
        return Err(fail(format!("{} is not a file", file.display())));
    }
    let opts = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .create_if_missing(false);
    let mut conn = SqliteConnection::connect_with(&opts)
        .await
        .map_err(sql_err)?;
    let verdict = integrity_check(&mut conn)
        .await
        .map_err(|e| fail(format!("{} is not a SQLite database: {e}", file.display())))?;
    if verdict != "ok" {
        return Err(fail(format!(
            "{} fails SQLite's integrity check: {verdict}",
            file.display()
        )));
    }
    let applied: Vec<(i64,)> = sqlx::query_as("SELECT version FROM schema_migrations")
        .fetch_all(&mut conn)
        .await
        .map_err(|_| fail(format!("{} is not a Rostra database", file.display())))?;
    let applied: Vec<i64> = applied.into_iter().map(|r| r.0).collect();
    let plan = migrations::plan(migrations::SQLITE, &applied).map_err(fail)?;
    let schema_version = applied.iter().copied().max().unwrap_or(0);
    if let Some(v) = applied
        .iter()
        .find(|v| !plan.iter().any(|m| m.version == **v))
    {
        return Err(fail(format!("unknown migration {v} in the backup")));
    }
    let count = |table: &'static str| format!("SELECT COUNT(*) FROM {table}");
    let (threads,): (i64,) = sqlx::query_as(&count("threads"))
        .fetch_one(&mut conn)
        .await
        .map_err(sql_err)?;
    let (comments,): (i64,) = sqlx::query_as(&count("comments"))
        .fetch_one(&mut conn)
        .await
        .map_err(sql_err)?;
    Ok(BackupInfo {
        schema_version,
        threads,
        comments,
    })
}

/// Copies a checked backup to the SQLite database at `url`. An existing database is replaced
/// only with `force`, and never while another process has it open.
pub async fn restore(file: &Path, url: &str, force: bool) -> Result<BackupInfo, Error> {
    if !url.starts_with("sqlite:") {
        return Err(fail(POSTGRES_ADVICE));
    }
    let info = check(file).await?;
    let target = options(url)?.get_filename().to_path_buf();
    if target.exists() {
        if !force {
            return Err(fail(format!(
                "{} already exists; pass --force to replace it",
                target.display()
            )));
        }
        if in_use(&target).await {
            return Err(fail(format!(
                "{} is open in another process (a running rostra serve?); stop it first",
                target.display()
            )));
        }
    }
    replace_with_copy(file, &target)?;
    Ok(info)
}

/// Whether another connection has the database open: in WAL mode every open connection holds a
/// shared lock, so an exclusive one cannot be taken at once.
async fn in_use(db: &Path) -> bool {
    let opts = SqliteConnectOptions::new()
        .filename(db)
        .create_if_missing(false)
        .locking_mode(SqliteLockingMode::Exclusive)
        .busy_timeout(Duration::ZERO);
    let Ok(mut conn) = SqliteConnection::connect_with(&opts).await else {
        return true;
    };
    let locked = sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut conn)
        .await
        .is_err();
    if !locked {
        let _ = sqlx::query("ROLLBACK").execute(&mut conn).await;
    }
    let _ = conn.close().await;
    locked
}

/// Copies to a temporary file beside the target, makes it durable, drops the old database's WAL
/// files (they belong to the old file and must never be replayed onto the new one), then
/// renames into place.
fn replace_with_copy(file: &Path, target: &Path) -> Result<(), Error> {
    let io = |what: &str, e: std::io::Error| fail(format!("{what}: {e}"));
    let tmp = sibling(target, ".restoring");
    std::fs::copy(file, &tmp).map_err(|e| io("copying the backup", e))?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| io("syncing the copy", e))?;
    for suffix in ["-wal", "-shm"] {
        match std::fs::remove_file(sibling(target, suffix)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io("removing the old WAL files", e))
            }
            _ => {}
        }
    }
    std::fs::rename(&tmp, target).map_err(|e| io("moving the copy into place", e))?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io("syncing the directory", e))?;
    }
    Ok(())
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
