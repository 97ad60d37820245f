//! One plain connection to either backend, with the few statements a copy needs: reading a
//! table a batch at a time, inserting a batch, counting, and describing the schema.

use super::tables::{Kind, Table};
use crate::{postgres, sqlite};
use rostra_core::{Result, StoreError};
use sqlx::postgres::PgRow;
use sqlx::sqlite::{SqliteConnectOptions, SqliteRow, SqliteSynchronous};
use sqlx::{Connection, PgConnection, Row, SqliteConnection};
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

pub(crate) type Rows = Vec<Vec<Value>>;

/// Bound parameters one statement may carry, below both backends' limits (SQLite 32766,
/// PostgreSQL 65535).
pub(crate) const MAX_PARAMS: usize = 30_000;

pub(crate) enum Db {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
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
            let mut conn = PgConnection::connect_with(&postgres::connect_options(url)?)
                .await
                .map_err(postgres::db_err)?;
            // A copy is one long transaction of many statements; limits meant for a server's
            // requests (set on the role or the database) must not cut it short.
            for set in [
                "SET statement_timeout = 0",
                "SET idle_in_transaction_session_timeout = 0",
            ] {
                sqlx::query(set)
                    .execute(&mut conn)
                    .await
                    .map_err(postgres::db_err)?;
            }
            Ok(Db::Pg(conn))
        })
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Pg(_))
    }

    /// Runs a statement without parameters (`BEGIN`, `COMMIT`, `DELETE FROM …`).
    pub fn execute<'a>(&'a mut self, sql: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            match self {
                Db::Sqlite(c) => sqlx::query(sql)
                    .execute(&mut *c)
                    .await
                    .map(drop)
                    .map_err(sqlite::db_err),
                Db::Pg(c) => sqlx::query(sql)
                    .execute(&mut *c)
                    .await
                    .map(drop)
                    .map_err(postgres::db_err),
            }
        })
    }

    pub async fn count(&mut self, table: &str) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM \"{table}\"");
        match self {
            Db::Sqlite(c) => sqlx::query_scalar(&sql)
                .fetch_one(&mut *c)
                .await
                .map_err(sqlite::db_err),
            Db::Pg(c) => sqlx::query_scalar(&sql)
                .fetch_one(&mut *c)
                .await
                .map_err(postgres::db_err),
        }
    }

    /// Every table with its columns.
    pub async fn schema(&mut self) -> Result<Vec<(String, Vec<String>)>> {
        let names: Vec<String> = match self {
            Db::Sqlite(c) => sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(&mut *c)
            .await
            .map_err(sqlite::db_err)?,
            Db::Pg(c) => sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            )
            .fetch_all(&mut *c)
            .await
            .map_err(postgres::db_err)?,
        };
        let mut tables = Vec::new();
        for name in names {
            let columns: Vec<String> = match self {
                Db::Sqlite(c) => {
                    sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                        .bind(&name)
                        .fetch_all(&mut *c)
                        .await
                        .map_err(sqlite::db_err)?
                }
                Db::Pg(c) => sqlx::query_scalar(
                    "SELECT column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 \
                     ORDER BY ordinal_position",
                )
                .bind(&name)
                .fetch_all(&mut *c)
                .await
                .map_err(postgres::db_err)?,
            };
            tables.push((name, columns));
        }
        Ok(tables)
    }

    /// Up to `limit` rows in key order, after the key `after` when given.
    pub async fn read(&mut self, t: &Table, after: Option<&[Value]>, limit: usize) -> Result<Rows> {
        let sql = select_sql(t, after.is_some(), self.is_postgres(), limit);
        let after = after.unwrap_or_default();
        match self {
            Db::Sqlite(c) => {
                let mut q = sqlx::query(&sql);
                for v in after {
                    q = bind_sqlite(q, v.clone());
                }
                let rows = q.fetch_all(&mut *c).await.map_err(sqlite::db_err)?;
                rows.iter()
                    .map(|r| decode_sqlite(t, r))
                    .collect::<std::result::Result<_, _>>()
                    .map_err(sqlite::db_err)
            }
            Db::Pg(c) => {
                let mut q = sqlx::query(&sql);
                for (v, (_, kind)) in after.iter().zip(t.columns) {
                    q = bind_pg(q, *kind, v.clone())?;
                }
                let rows = q.fetch_all(&mut *c).await.map_err(postgres::db_err)?;
                rows.iter()
                    .map(|r| decode_pg(t, r))
                    .collect::<std::result::Result<_, _>>()
                    .map_err(postgres::db_err)
            }
        }
    }

    /// Inserts rows as they are, ids included, in as few statements as the parameter limit allows.
    pub async fn insert(&mut self, t: &Table, rows: Rows) -> Result<()> {
        let per_statement = (MAX_PARAMS / t.columns.len().max(1)).max(1);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Rows = rows.by_ref().take(per_statement).collect();
            let sql = insert_sql(t, chunk.len(), self.is_postgres());
            match self {
                Db::Sqlite(c) => {
                    let mut q = sqlx::query(&sql);
                    for v in chunk.into_iter().flatten() {
                        q = bind_sqlite(q, v);
                    }
                    q.execute(&mut *c).await.map_err(sqlite::db_err)?;
                }
                Db::Pg(c) => {
                    let mut q = sqlx::query(&sql);
                    for row in chunk {
                        for (v, (_, kind)) in row.into_iter().zip(t.columns) {
                            q = bind_pg(q, *kind, v)?;
                        }
                    }
                    q.execute(&mut *c).await.map_err(postgres::db_err)?;
                }
            }
        }
        Ok(())
    }

    /// Runs a statement written with `?` placeholders; answers the rows it changed.
    pub fn run<'a>(&'a mut self, sql: &'a str, params: Vec<Value>) -> BoxFuture<'a, Result<u64>> {
        Box::pin(async move {
            let sql = numbered(sql, self.is_postgres());
            match self {
                Db::Sqlite(c) => {
                    let mut q = sqlx::query(&sql);
                    for v in params {
                        q = bind_sqlite(q, v);
                    }
                    let done = q.execute(&mut *c).await.map_err(sqlite::db_err)?;
                    Ok(done.rows_affected())
                }
                Db::Pg(c) => {
                    let mut q = sqlx::query(&sql);
                    for v in params {
                        q = bind_pg(q, Kind::Int, v)?;
                    }
                    let done = q.execute(&mut *c).await.map_err(postgres::db_err)?;
                    Ok(done.rows_affected())
                }
            }
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
            let sql = numbered(sql, self.is_postgres());
            match self {
                Db::Sqlite(c) => {
                    let mut q = sqlx::query(&sql);
                    for v in params {
                        q = bind_sqlite(q, v);
                    }
                    let rows = q.fetch_all(&mut *c).await.map_err(sqlite::db_err)?;
                    rows.iter()
                        .map(|r| decode_sqlite_kinds(kinds.iter().copied(), r))
                        .collect::<std::result::Result<_, _>>()
                        .map_err(sqlite::db_err)
                }
                Db::Pg(c) => {
                    let mut q = sqlx::query(&sql);
                    for v in params {
                        q = bind_pg(q, Kind::Int, v)?;
                    }
                    let rows = q.fetch_all(&mut *c).await.map_err(postgres::db_err)?;
                    rows.iter()
                        .map(|r| decode_pg_kinds(kinds.iter().copied(), r))
                        .collect::<std::result::Result<_, _>>()
                        .map_err(postgres::db_err)
                }
            }
        })
    }

    /// Sets `column` of the row with this id (a reference that had to wait for its target).
    pub async fn set_reference(&mut self, t: &Table, column: &str, id: i64, to: i64) -> Result<()> {
        let (name, p1, p2) = (t.name, self.placeholder(1), self.placeholder(2));
        let sql = format!("UPDATE \"{name}\" SET \"{column}\" = {p1} WHERE \"id\" = {p2}");
        match self {
            Db::Sqlite(c) => sqlx::query(&sql)
                .bind(to)
                .bind(id)
                .execute(&mut *c)
                .await
                .map(drop)
                .map_err(sqlite::db_err),
            Db::Pg(c) => sqlx::query(&sql)
                .bind(to)
                .bind(id)
                .execute(&mut *c)
                .await
                .map(drop)
                .map_err(postgres::db_err),
        }
    }

    /// Points a PostgreSQL identity sequence past the largest id, so new rows get fresh ids.
    /// SQLite needs nothing: an `INTEGER PRIMARY KEY` continues from the largest id by itself.
    pub async fn reset_sequence(&mut self, table: &str) -> Result<()> {
        if let Db::Pg(c) = self {
            // Table names come from our own list; setval's third argument makes an empty
            // table start again at 1.
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), \
                 COALESCE(MAX(\"id\"), 1), MAX(\"id\") IS NOT NULL) FROM \"{table}\""
            );
            sqlx::query(&sql)
                .execute(&mut *c)
                .await
                .map_err(postgres::db_err)?;
        }
        Ok(())
    }

    fn placeholder(&self, n: usize) -> String {
        placeholder(self.is_postgres(), n)
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

fn placeholder(pg: bool, n: usize) -> String {
    if pg {
        format!("${n}")
    } else {
        "?".into()
    }
}

fn column_list(t: &Table, range: std::ops::Range<usize>) -> String {
    let names: Vec<String> = t.columns[range]
        .iter()
        .map(|(c, _)| format!("\"{c}\""))
        .collect();
    names.join(", ")
}

fn select_sql(t: &Table, after: bool, pg: bool, limit: usize) -> String {
    let key = column_list(t, 0..t.key);
    let mut sql = format!(
        "SELECT {} FROM \"{}\"",
        column_list(t, 0..t.columns.len()),
        t.name
    );
    if after {
        let params: Vec<String> = (1..=t.key).map(|n| placeholder(pg, n)).collect();
        sql.push_str(&format!(" WHERE ({key}) > ({})", params.join(", ")));
    }
    sql.push_str(&format!(" ORDER BY {key} LIMIT {limit}"));
    sql
}

fn insert_sql(t: &Table, rows: usize, pg: bool) -> String {
    let width = t.columns.len();
    let tuples: Vec<String> = (0..rows)
        .map(|r| {
            let params: Vec<String> = (1..=width)
                .map(|c| placeholder(pg, r * width + c))
                .collect();
            format!("({})", params.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO \"{}\" ({}) VALUES {}",
        t.name,
        column_list(t, 0..width),
        tuples.join(", ")
    )
}

type SqliteQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;
type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

fn bind_sqlite(q: SqliteQuery<'_>, v: Value) -> SqliteQuery<'_> {
    match v {
        Value::Int(v) => q.bind(v),
        Value::Text(v) => q.bind(v),
        Value::Bool(v) => q.bind(v),
    }
}

fn bind_pg(q: PgQuery<'_>, kind: Kind, v: Value) -> Result<PgQuery<'_>> {
    Ok(match (kind, v) {
        (Kind::SmallInt, Value::Int(v)) => {
            let small = v
                .map(i16::try_from)
                .transpose()
                .map_err(|_| StoreError::Other(format!("{v:?} does not fit a SMALLINT")))?;
            q.bind(small)
        }
        (_, Value::Int(v)) => q.bind(v),
        (_, Value::Text(v)) => q.bind(v),
        (_, Value::Bool(v)) => q.bind(v),
    })
}

/// `?` placeholders as the backend wants them (`$1`, `$2`… for PostgreSQL). Our statements hold
/// no `?` inside string literals.
fn numbered(sql: &str, pg: bool) -> String {
    if !pg {
        return sql.to_string();
    }
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for ch in sql.chars() {
        if ch == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(ch);
        }
    }
    out
}

fn decode_sqlite(t: &Table, row: &SqliteRow) -> std::result::Result<Vec<Value>, sqlx::Error> {
    decode_sqlite_kinds(t.columns.iter().map(|(_, k)| *k), row)
}

fn decode_sqlite_kinds(
    kinds: impl Iterator<Item = Kind>,
    row: &SqliteRow,
) -> std::result::Result<Vec<Value>, sqlx::Error> {
    let mut values = Vec::new();
    for (i, kind) in kinds.enumerate() {
        values.push(match kind {
            Kind::Int | Kind::SmallInt => Value::Int(row.try_get(i)?),
            Kind::Text => Value::Text(row.try_get(i)?),
            Kind::Bool => Value::Bool(row.try_get(i)?),
        });
    }
    Ok(values)
}

fn decode_pg(t: &Table, row: &PgRow) -> std::result::Result<Vec<Value>, sqlx::Error> {
    decode_pg_kinds(t.columns.iter().map(|(_, k)| *k), row)
}

fn decode_pg_kinds(
    kinds: impl Iterator<Item = Kind>,
    row: &PgRow,
) -> std::result::Result<Vec<Value>, sqlx::Error> {
    let mut values = Vec::new();
    for (i, kind) in kinds.enumerate() {
        values.push(match kind {
            Kind::Int => Value::Int(row.try_get(i)?),
            Kind::SmallInt => Value::Int(row.try_get::<Option<i16>, _>(i)?.map(i64::from)),
            Kind::Text => Value::Text(row.try_get(i)?),
            Kind::Bool => Value::Bool(row.try_get(i)?),
        });
    }
    Ok(values)
}
