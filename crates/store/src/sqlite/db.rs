//! Running shared statements on SQLite: through sqlx on the readers' pool and the writer's
//! connection, and with plain SQLite calls on the writer's own handle (direct writes).

use super::db_err;
use super::writer::direct_err;
use crate::rows::FromRow;
use crate::sql::{sqlx_db, Db, Dialect, Query, Value};
use rostra_core::Result;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Sqlite, SqliteConnection, SqlitePool};

type SqlxQuery<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>;

pub(crate) fn with_values<'q>(mut q: SqlxQuery<'q>, values: &[Value<'q>]) -> SqlxQuery<'q> {
    for value in values {
        q = match *value {
            Value::Int(v) => q.bind(v),
            Value::Text(v) => q.bind(v),
            Value::Bool(v) => q.bind(v),
            Value::Ints(list) => list.iter().fold(q, |q, v| q.bind(*v)),
            Value::Texts(list) => list.iter().fold(q, |q, v| q.bind(v.as_str())),
        };
    }
    q
}

// The writer's connection, for writes through sqlx.
sqlx_db!(SqliteConnection, Dialect::Sqlite, sqlite_text, with_values, db_err, c => &mut *c);
// The readers' pool: each statement on whichever reader is free.
sqlx_db!(SqlitePool, Dialect::Sqlite, sqlite_text, with_values, db_err, pool => &*pool);

/// The writer's own handle: each statement prepared once (cached) and run right here, so a
/// body's futures are ready the first time they are polled.
impl Db for rusqlite::Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn fetch_all<T: FromRow>(
        &mut self,
        q: Query<'_>,
    ) -> impl std::future::Future<Output = Result<Vec<T>>> + Send {
        std::future::ready(direct_rows(self, &q, usize::MAX))
    }

    fn fetch_optional<T: FromRow>(
        &mut self,
        q: Query<'_>,
    ) -> impl std::future::Future<Output = Result<Option<T>>> + Send {
        std::future::ready(direct_rows(self, &q, 1).map(|rows| rows.into_iter().next()))
    }

    fn execute(&mut self, q: Query<'_>) -> impl std::future::Future<Output = Result<u64>> + Send {
        let done = direct_statement(self, &q).and_then(|mut s| s.raw_execute().map_err(direct_err));
        std::future::ready(done.map(|n| n as u64))
    }
}

fn direct_statement<'c>(
    db: &'c rusqlite::Connection,
    q: &Query<'_>,
) -> Result<rusqlite::CachedStatement<'c>> {
    let mut statement = db.prepare_cached(&q.sqlite_text()).map_err(direct_err)?;
    let mut index = 0;
    let mut bind = |v: &dyn rusqlite::ToSql| {
        index += 1;
        statement.raw_bind_parameter(index, v).map_err(direct_err)
    };
    for value in &q.values {
        match *value {
            Value::Int(v) => bind(&v)?,
            Value::Text(v) => bind(&v)?,
            Value::Bool(v) => bind(&v)?,
            Value::Ints(list) => list.iter().try_for_each(|v| bind(v))?,
            Value::Texts(list) => list.iter().try_for_each(|v| bind(v))?,
        }
    }
    Ok(statement)
}

/// Up to `most` rows of a statement, decoded.
fn direct_rows<T: FromRow>(
    db: &rusqlite::Connection,
    q: &Query<'_>,
    most: usize,
) -> Result<Vec<T>> {
    let mut statement = direct_statement(db, q)?;
    let mut rows = statement.raw_query();
    let mut found = Vec::new();
    while found.len() < most {
        match rows.next().map_err(direct_err)? {
            Some(row) => found.push(T::from_row(row)?),
            None => break,
        }
    }
    Ok(found)
}
