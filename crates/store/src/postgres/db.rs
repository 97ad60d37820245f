//! Running shared statements on PostgreSQL, on the pool or inside a write's transaction.

use super::db_err;
use crate::sql::{sqlx_db, Dialect, Value};
use sqlx::postgres::PgArguments;
use sqlx::{PgConnection, PgPool, Postgres};

type SqlxQuery<'q> = sqlx::query::Query<'q, Postgres, PgArguments>;

pub(crate) fn with_values<'q>(mut q: SqlxQuery<'q>, values: &[Value<'q>]) -> SqlxQuery<'q> {
    for value in values {
        q = match *value {
            Value::Int(v) => q.bind(v),
            Value::Text(v) => q.bind(v),
            Value::Bool(v) => q.bind(v),
            Value::Ints(list) => q.bind(list),
            Value::Texts(list) => q.bind(list),
        };
    }
    q
}

// A write's transaction.
sqlx_db!(PgConnection, Dialect::Postgres, postgres_text, with_values, db_err, c => &mut *c);
// The pool: each statement on whichever connection is free.
sqlx_db!(PgPool, Dialect::Postgres, postgres_text, with_values, db_err, pool => &*pool);
