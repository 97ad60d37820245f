//! Copying a whole Rostra database into another, of either backend (`rostra migrate-data`).
//!
//! All or nothing: the source is read inside one snapshot, the target is written inside one
//! transaction, and that transaction commits only when every table holds as many rows in the
//! target as in the source. Ids are kept, so links to comments and moderators' history survive.

pub(crate) mod conn;
mod content_tables;
mod service_tables;
pub(crate) mod tables;

use conn::{Db, Rows, Value};
use std::fmt;
use tables::{every_table, Table};

/// How to copy.
#[derive(Debug, Clone)]
pub struct CopyOptions {
    /// Empty a target that holds data first (inside the same transaction) instead of refusing.
    pub force: bool,
    /// Rows read from the source at a time; memory use stays proportional to this.
    pub batch_rows: usize,
}

impl Default for CopyOptions {
    fn default() -> Self {
        CopyOptions {
            force: false,
            batch_rows: 500,
        }
    }
}

/// A table and how many rows it holds in both databases after the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub table: &'static str,
    pub rows: i64,
}

/// Why a copy wrote nothing.
#[derive(Debug)]
pub enum CopyError {
    /// `--from` and `--to` are one database.
    SameDatabase,
    /// The source is a SQLite file that does not exist.
    SourceMissing(String),
    /// The source lacks migrations this build knows.
    SourceNotCurrent(Vec<String>),
    /// The target holds rows (per table) and `force` was not given.
    TargetNotEmpty(Vec<(&'static str, i64)>),
    /// A database's tables are not the ones this build copies.
    Schema {
        which: &'static str,
        problems: Vec<String>,
    },
    /// Row counts differ after copying: (table, source, target).
    CountMismatch(Vec<(&'static str, i64, i64)>),
    /// A database refused or failed.
    Store {
        during: String,
        error: rostra_core::Error,
    },
}

impl fmt::Display for CopyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CopyError::SameDatabase => write!(f, "--from and --to name the same database"),
            CopyError::SourceMissing(path) => {
                write!(f, "the source database {path} does not exist")
            }
            CopyError::SourceNotCurrent(pending) => write!(
                f,
                "the source database lacks migrations ({}): run `rostra migrate run --database \
                 SOURCE` with this rostra first",
                pending.join(", ")
            ),
            CopyError::TargetNotEmpty(tables) => {
                let held: Vec<String> = tables.iter().map(|(t, n)| format!("{t}: {n}")).collect();
                write!(
                    f,
                    "the target database is not empty ({}); pass --force to delete everything \
                     in it and copy anyway",
                    held.join(", ")
                )
            }
            CopyError::Schema { which, problems } => write!(
                f,
                "the {which} database's tables are not the ones this build copies: {}",
                problems.join("; ")
            ),
            CopyError::CountMismatch(diffs) => {
                let d: Vec<String> = diffs
                    .iter()
                    .map(|(t, s, d)| format!("{t}: {s} in the source, {d} in the target"))
                    .collect();
                write!(
                    f,
                    "row counts differ after copying, so nothing was written: {}",
                    d.join("; ")
                )
            }
            CopyError::Store { during, error } => write!(f, "{during}: {error}"),
        }
    }
}

impl std::error::Error for CopyError {}

/// Adds what was being done to a storage error.
trait During<T> {
    fn during(self, what: &str) -> Result<T, CopyError>;
}

impl<T> During<T> for rostra_core::Result<T> {
    fn during(self, what: &str) -> Result<T, CopyError> {
        self.map_err(|error| CopyError::Store {
            during: what.to_string(),
            error,
        })
    }
}

/// Copies every table from `from` into `to` (both database URLs, either backend). The target is
/// created and migrated if needed; the source must be at this build's schema and is only read.
/// `progress` hears each table's row count as it is copied. Answers the row counts verified.
pub async fn copy_database(
    from: &str,
    to: &str,
    options: &CopyOptions,
    progress: &mut (dyn FnMut(&str, i64) + Send),
) -> Result<Vec<TableCount>, CopyError> {
    for url in [from, to] {
        crate::backend_of(url)
            .map(drop)
            .during("reading --from and --to")?;
    }
    if same_database(from, to) {
        return Err(CopyError::SameDatabase);
    }
    if let Some(path) = sqlite_file(from).filter(|p| !p.exists()) {
        return Err(CopyError::SourceMissing(path.display().to_string()));
    }
    // Our own connection first: it never creates a missing SQLite file.
    let mut source = Db::connect(from)
        .await
        .during("opening the source database")?;
    let pending: Vec<String> = crate::migration_status(from)
        .await
        .during("checking the source database's schema")?
        .into_iter()
        .filter(|m| !m.applied)
        .map(|m| m.name)
        .collect();
    if !pending.is_empty() {
        return Err(CopyError::SourceNotCurrent(pending));
    }
    drop(
        crate::open(to, true)
            .await
            .during("opening and migrating the target database")?,
    );
    let mut target = Db::connect(to)
        .await
        .during("opening the target database")?;
    let outcome = copy_in_transactions(&mut source, &mut target, options, progress).await;
    source.close().await;
    target.close().await;
    outcome
}

async fn copy_in_transactions(
    source: &mut Db,
    target: &mut Db,
    options: &CopyOptions,
    progress: &mut (dyn FnMut(&str, i64) + Send),
) -> Result<Vec<TableCount>, CopyError> {
    // One snapshot of the source, so that a server still writing to it cannot make the tables
    // disagree with each other.
    let snapshot = if source.is_postgres() {
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    } else {
        "BEGIN"
    };
    source
        .execute(snapshot)
        .await
        .during("reading the source database")?;
    let begin = if target.is_postgres() {
        "BEGIN"
    } else {
        "BEGIN IMMEDIATE"
    };
    target
        .execute(begin)
        .await
        .during("starting the target transaction")?;
    let outcome = copy_all(source, target, options, progress).await;
    let _ = source.execute("ROLLBACK").await;
    match outcome {
        Ok(counts) => {
            target
                .execute("COMMIT")
                .await
                .during("committing the target database")?;
            Ok(counts)
        }
        Err(e) => {
            if let Err(rollback) = target.execute("ROLLBACK").await {
                tracing::warn!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

/// Everything inside the two transactions: checks, emptying, copying, verifying.
async fn copy_all(
    source: &mut Db,
    target: &mut Db,
    options: &CopyOptions,
    progress: &mut (dyn FnMut(&str, i64) + Send),
) -> Result<Vec<TableCount>, CopyError> {
    check_schema(source, "source").await?;
    check_schema(target, "target").await?;
    let mut held = Vec::new();
    for t in every_table() {
        let n = target
            .count(t.name)
            .await
            .during("counting the target's rows")?;
        if n > 0 {
            held.push((t.name, n));
        }
    }
    if !held.is_empty() {
        if !options.force {
            return Err(CopyError::TargetNotEmpty(held));
        }
        // Children before parents, so no foreign key is left dangling in between.
        for t in every_table().rev() {
            target
                .execute(&format!("DELETE FROM \"{}\"", t.name))
                .await
                .during(&format!("emptying the target's {}", t.name))?;
        }
    }
    for t in every_table() {
        let copied = copy_table(source, target, t, options.batch_rows.max(1))
            .await
            .during(&format!("copying {}", t.name))?;
        progress(t.name, copied);
    }
    let mut counts = Vec::new();
    let mut diffs = Vec::new();
    for t in every_table() {
        let s = source
            .count(t.name)
            .await
            .during("counting the source's rows")?;
        let d = target
            .count(t.name)
            .await
            .during("counting the target's rows")?;
        if s != d {
            diffs.push((t.name, s, d));
        }
        counts.push(TableCount {
            table: t.name,
            rows: d,
        });
    }
    if !diffs.is_empty() {
        return Err(CopyError::CountMismatch(diffs));
    }
    for t in every_table().filter(|t| t.has_id()) {
        target
            .reset_sequence(t.name)
            .await
            .during(&format!("resetting the id sequence of {}", t.name))?;
    }
    Ok(counts)
}

async fn check_schema(db: &mut Db, which: &'static str) -> Result<(), CopyError> {
    let schema = db
        .schema()
        .await
        .during(&format!("reading the {which} database's schema"))?;
    let problems = tables::schema_problems(&schema);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CopyError::Schema { which, problems })
    }
}

/// Copies one table a batch at a time; answers the rows copied.
async fn copy_table(
    source: &mut Db,
    target: &mut Db,
    t: &Table,
    batch: usize,
) -> rostra_core::Result<i64> {
    let self_ref = t
        .self_ref
        .and_then(|c| t.columns.iter().position(|(name, _)| *name == c));
    // References to rows with larger ids (not yet copied) are set once the whole table is in.
    let mut later: Vec<(i64, i64)> = Vec::new();
    let mut after: Option<Vec<Value>> = None;
    let mut copied = 0i64;
    loop {
        let mut rows: Rows = source.read(t, after.as_deref(), batch).await?;
        let Some(last) = rows.last() else {
            break;
        };
        after = Some(last[..t.key].to_vec());
        let full = rows.len() == batch;
        copied += rows.len() as i64;
        if let Some(col) = self_ref {
            for row in &mut rows {
                if let (Some(Value::Int(Some(id))), Value::Int(Some(to))) = (row.first(), &row[col])
                {
                    if to > id {
                        later.push((*id, *to));
                        row[col] = Value::Int(None);
                    }
                }
            }
        }
        target.insert(t, rows).await?;
        if !full {
            break;
        }
    }
    if let Some(column) = t.self_ref {
        for (id, to) in later {
            target.set_reference(t, column, id, to).await?;
        }
    }
    Ok(copied)
}

/// Whether two URLs name one database: the same text, or SQLite URLs of one existing file.
fn same_database(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let file = |url: &str| std::fs::canonicalize(sqlite_file(url)?).ok();
    matches!((file(a), file(b)), (Some(x), Some(y)) if x == y)
}

/// The file a SQLite URL names.
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    url.strip_prefix("sqlite:")?;
    let options = <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(url).ok()?;
    Some(options.get_filename().to_path_buf())
}

#[cfg(test)]
mod tests;
