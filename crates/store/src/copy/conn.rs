//! One plain connection to either backend, with the few statements a copy needs: reading a
//! table a batch at a time, inserting a batch, counting, and describing the schema. Statements
//! go through the store's own machinery (`crate::sql`): written once with `?`, spelled for
//! PostgreSQL there.

use super::tables::{Kind, Table};
use crate::rows::{Cells, FromRow};
use crate::sql::{self, query, Dialect, Query};
use crate::{postgres, sqlite};
use rostra_core::{Result, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteSynchronous};
use sqlx::{Connection, PgConnection, SqliteConnection};
use std::str::FromStr;
use std::time::Duration;

type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// One column's value, whatever the backend.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
}

impl<'a> From<&'a Value> for sql::Value<'a> {
    fn from(v: &'a Value) -> Self {
        match v {
            Value::Int(v) => sql::Value::Int(*v),
            Value::Text(v) => sql::Value::Text(v.as_deref()),
            Value::Bool(v) => sql::Value::Bool(*v),
        }
    }
}

pub(crate) type Rows = Vec<Vec<Value>>;

/// Bound parameters one statement may carry, below both backends' limits (SQLite 32766,
/// PostgreSQL 65535).
pub(crate) const MAX_PARAMS: usize = 30_000;

pub(crate) enum Db {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// The shared statements run on whichever connection this is.
impl sql::Db for Db {
    fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Pg(_) => Dialect::Postgres,
        }
    }

    async fn fetch_all<T: FromRow>(&mut self, q: Query<'_>) -> Result<Vec<T>> {
        match self {
            Db::Sqlite(c) => c.fetch_all(q).await,
            Db::Pg(c) => c.fetch_all(q).await,
        }
    }

    async fn fetch_optional<T: FromRow>(&mut self, q: Query<'_>) -> Result<Option<T>> {
        match self {
            Db::Sqlite(c) => c.fetch_optional(q).await,
            Db::Pg(c) => c.fetch_optional(q).await,
        }
    }

    async fn execute(&mut self, q: Query<'_>) -> Result<u64> {
        match self {
            Db::Sqlite(c) => c.execute(q).await,
            Db::Pg(c) => c.execute(q).await,
        }
    }
}

impl Db {
    /// Connects to a database that exists already (a SQLite file is never created here).
    pub fn connect(url: &str) -> BoxFuture<'_, Result<Db>> {
        Box::pin(async move {
            if url.starts_with("sqlite:") {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(|e| StoreError::Other(format!("bad SQLite URL: {e}")))?
                    .create_if_missing(false)
                    .foreign_keys(true)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(10));
                let conn = SqliteConnection::connect_with(&options)
                    .await
                    .map_err(sqlite::db_err)?;
                return Ok(Db::Sqlite(conn));
            }
            let conn = PgConnection::connect_with(&postgres::connect_options(url)?)
                .await
                .map_err(postgres::db_err)?;
            let mut db = Db::Pg(conn);
            // A copy is one long transaction of many statements; limits meant for a server's
            // requests (set on the role or the database) must not cut it short.
            db.execute("SET statement_timeout = 0").await?;
            db.execute("SET idle_in_transaction_session_timeout = 0")
                .await?;
            Ok(db)
        })
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Pg(_))
    }

    /// Runs a statement without parameters (`BEGIN`, `COMMIT`, `DELETE FROM …`).
    pub fn execute<'a>(&'a mut self, sql: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move { sql::Db::execute(self, query(sql)).await.map(drop) })
    }

    pub async fn count(&mut self, table: &str) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM \"{table}\"");
        Ok(sql::Db::scalar(self, query(&sql)).await?.unwrap_or(0))
    }

    /// Every table with its columns.
    pub async fn schema(&mut self) -> Result<Vec<(String, Vec<String>)>> {
        let (tables, columns) = match self.is_postgres() {
            false => (
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                "SELECT name FROM pragma_table_info(?) ORDER BY cid",
            ),
            true => (
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = ? \
                 ORDER BY ordinal_position",
            ),
        };
        let names: Vec<(String,)> = sql::Db::fetch_all(self, query(tables)).await?;
        let mut schema = Vec::new();
        for (name,) in names {
            let found: Vec<(String,)> =
                sql::Db::fetch_all(self, query(columns).bind(&name)).await?;
            schema.push((name, found.into_iter().map(|(c,)| c).collect()));
        }
        Ok(schema)
    }

    /// Up to `limit` rows in key order, after the key `after` when given.
    pub async fn read(&mut self, t: &Table, after: Option<&[Value]>, limit: usize) -> Result<Rows> {
        let sql = select_sql(t, after.is_some(), limit);
        let kinds: Vec<Kind> = t.columns.iter().map(|(_, k)| *k).collect();
        self.fetch(&sql, after.unwrap_or_default().to_vec(), &kinds)
            .await
    }

    /// Inserts rows as they are, ids included, in as few statements as the parameter limit allows.
    pub async fn insert(&mut self, t: &Table, rows: Rows) -> Result<()> {
        let per_statement = (MAX_PARAMS / t.columns.len().max(1)).max(1);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Rows = rows.by_ref().take(per_statement).collect();
            let sql = insert_sql(t, chunk.len());
            self.run(&sql, chunk.into_iter().flatten().collect())
                .await?;
        }
        Ok(())
    }

    /// Runs a statement written with `?` placeholders; answers the rows it changed.
    pub fn run<'a>(&'a mut self, sql: &'a str, params: Vec<Value>) -> BoxFuture<'a, Result<u64>> {
        Box::pin(async move {
            let q = Query {
                sql,
                values: params.iter().map(sql::Value::from).collect(),
            };
            sql::Db::execute(self, q).await
        })
    }

    /// Runs a query written with `?` placeholders; answers its rows, read as `kinds`.
    pub fn fetch<'a>(
        &'a mut self,
        sql: &'a str,
        params: Vec<Value>,
        kinds: &'a [Kind],
    ) -> BoxFuture<'a, Result<Rows>> {
        Box::pin(async move {
            let q = Query {
                sql,
                values: params.iter().map(sql::Value::from).collect(),
            };
            match self {
                Db::Sqlite(c) => {
                    let found = sqlite::db::with_values(sqlx::query(&q.sqlite_text()), &q.values)
                        .fetch_all(&mut *c)
                        .await
                        .map_err(sqlite::db_err)?;
                    found.iter().map(|row| decode(kinds, row)).collect()
                }
                Db::Pg(c) => {
                    let found =
                        postgres::db::with_values(sqlx::query(&q.postgres_text()), &q.values)
                            .fetch_all(&mut *c)
                            .await
                            .map_err(postgres::db_err)?;
                    found.iter().map(|row| decode(kinds, row)).collect()
                }
            }
        })
    }

    /// Sets `column` of the row with this id (a reference that had to wait for its target).
    pub async fn set_reference(&mut self, t: &Table, column: &str, id: i64, to: i64) -> Result<()> {
        let sql = format!(
            "UPDATE \"{}\" SET \"{column}\" = ? WHERE \"id\" = ?",
            t.name
        );
        sql::Db::execute(self, query(&sql).bind(to).bind(id))
            .await
            .map(drop)
    }

    /// Points a PostgreSQL identity sequence past the largest id, so new rows get fresh ids.
    /// SQLite needs nothing: an `INTEGER PRIMARY KEY` continues from the largest id by itself.
    pub async fn reset_sequence(&mut self, table: &str) -> Result<()> {
        if self.is_postgres() {
            // Table names come from our own list; setval's third argument makes an empty
            // table start again at 1.
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), \
                 COALESCE(MAX(\"id\"), 1), MAX(\"id\") IS NOT NULL) FROM \"{table}\""
            );
            sql::Db::execute(self, query(&sql)).await?;
        }
        Ok(())
    }

    pub fn close(self) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            let _ = match self {
                Db::Sqlite(c) => c.close().await,
                Db::Pg(c) => c.close().await,
            };
        })
    }
}

/// A row read column by column as `kinds` say.
fn decode(kinds: &[Kind], row: &impl Cells) -> Result<Vec<Value>> {
    kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            Ok(match kind {
                Kind::Int => Value::Int(row.cell(i)?),
                Kind::SmallInt => Value::Int(row.cell::<Option<i16>>(i)?.map(i64::from)),
                Kind::Text => Value::Text(row.cell(i)?),
                Kind::Bool => Value::Bool(row.cell(i)?),
            })
        })
        .collect()
}

fn column_list(t: &Table, range: std::ops::Range<usize>) -> String {
    let names: Vec<String> = t.columns[range]
        .iter()
        .map(|(c, _)| format!("\"{c}\""))
        .collect();
    names.join(", ")
}

fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn select_sql(t: &Table, after: bool, limit: usize) -> String {
    let key = column_list(t, 0..t.key);
    let mut sql = format!(
        "SELECT {} FROM \"{}\"",
        column_list(t, 0..t.columns.len()),
        t.name
    );
    if after {
        sql.push_str(&format!(" WHERE ({key}) > ({})", marks(t.key)));
    }
    sql.push_str(&format!(" ORDER BY {key} LIMIT {limit}"));
    sql
}

fn insert_sql(t: &Table, rows: usize) -> String {
    let width = t.columns.len();
    let tuple = format!("({})", marks(width));
    format!(
        "INSERT INTO \"{}\" ({}) VALUES {}",
        t.name,
        column_list(t, 0..width),
        vec![tuple.as_str(); rows].join(", ")
    )
}
