//! Statements written once for every backend: a [`Query`] is SQLite's text (`?` placeholders)
//! with its values, and a [`Db`] runs it on a SQLite pool or connection, on the SQLite writer's
//! own handle (rusqlite), or on PostgreSQL, which gets the text rewritten once (`$n`, `= ANY`).
//!
//! A list bound to `IN (?)` becomes `IN (?, ?, …)` on SQLite and `= ANY($n)` (one array) on
//! PostgreSQL. Where the two databases really differ, a body asks [`Db::dialect`].

use crate::rows::{Cell, FromRow};
use rostra_core::{Error, Result, StoreError};
use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, LazyLock, RwLock};

/// Which database a statement runs on, for the few places where their SQL differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Appended to a `SELECT` that locks the rows it reads until the transaction ends
    /// (PostgreSQL; SQLite's single writer needs no row locks).
    pub fn lock(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR NO KEY UPDATE",
        }
    }

    /// Appended to a `SELECT` that claims rows for this instance: rows another instance holds
    /// are passed over (PostgreSQL; SQLite has one writer).
    pub fn skip_locked(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// Appended to an `ORDER BY` text column: byte order, as SQLite sorts, whatever the
    /// PostgreSQL database's collation.
    pub fn byte_order(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " COLLATE \"C\"",
        }
    }
}

/// One bound value.
#[derive(Debug, Clone, Copy)]
pub enum Value<'q> {
    Int(Option<i64>),
    Text(Option<&'q str>),
    Bool(Option<bool>),
    Ints(&'q [i64]),
    Texts(&'q [String]),
}

impl From<i64> for Value<'_> {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value<'_> {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value<'_> {
    fn from(v: bool) -> Self {
        Value::Bool(Some(v))
    }
}
impl<'q> From<&'q str> for Value<'q> {
    fn from(v: &'q str) -> Self {
        Value::Text(Some(v))
    }
}
impl<'q> From<&'q String> for Value<'q> {
    fn from(v: &'q String) -> Self {
        Value::Text(Some(v))
    }
}
impl<'q> From<Option<&'q str>> for Value<'q> {
    fn from(v: Option<&'q str>) -> Self {
        Value::Text(v)
    }
}
impl<'q> From<&'q Option<String>> for Value<'q> {
    fn from(v: &'q Option<String>) -> Self {
        Value::Text(v.as_deref())
    }
}
impl<'q> From<&'q [i64]> for Value<'q> {
    fn from(v: &'q [i64]) -> Self {
        Value::Ints(v)
    }
}
impl<'q> From<&'q [String]> for Value<'q> {
    fn from(v: &'q [String]) -> Self {
        Value::Texts(v)
    }
}

/// A value a statement owns, for a write handed to another task or thread.
#[derive(Debug, Clone)]
pub enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(bool),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(Some(v.to_string()))
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(Some(v))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::Text(v)
    }
}
impl<'q> From<&'q Arg> for Value<'q> {
    fn from(v: &'q Arg) -> Self {
        match v {
            Arg::Int(v) => Value::Int(*v),
            Arg::Text(v) => Value::Text(v.as_deref()),
            Arg::Bool(v) => Value::Bool(Some(*v)),
        }
    }
}

/// A statement in SQLite's spelling with its values, one per `?`.
#[derive(Debug, Clone)]
pub struct Query<'q> {
    pub sql: &'q str,
    pub values: Vec<Value<'q>>,
}

pub fn query(sql: &str) -> Query<'_> {
    Query {
        sql,
        values: Vec::new(),
    }
}

impl<'q> Query<'q> {
    /// A statement over values it does not own.
    pub fn with_args(sql: &'q str, args: &'q [Arg]) -> Self {
        Query {
            sql,
            values: args.iter().map(Value::from).collect(),
        }
    }

    pub fn bind(mut self, value: impl Into<Value<'q>>) -> Self {
        self.values.push(value.into());
        self
    }

    /// The text for SQLite: each list's `IN (?)` widened to one `?` per item.
    pub fn sqlite_text(&self) -> Cow<'q, str> {
        if !self.values.iter().any(is_list) {
            return Cow::Borrowed(self.sql);
        }
        let mut text = String::with_capacity(self.sql.len() + 16);
        for (i, part) in self.sql.split('?').enumerate() {
            if i > 0 {
                match self.values.get(i - 1) {
                    Some(Value::Ints(l)) => text.push_str(&list_marks(l.len())),
                    Some(Value::Texts(l)) => text.push_str(&list_marks(l.len())),
                    _ => text.push('?'),
                }
            }
            text.push_str(part);
        }
        Cow::Owned(text)
    }

    /// The text for PostgreSQL, rewritten at first use and kept. Long statements (the bulk
    /// inserts of an import, whose length varies) are rewritten each time instead.
    pub fn postgres_text(&self) -> Arc<str> {
        static TEXTS: LazyLock<RwLock<HashMap<String, Arc<str>>>> = LazyLock::new(Default::default);
        if self.sql.len() > 4096 {
            return postgres_spelling(self.sql).into();
        }
        if let Some(text) = TEXTS.read().ok().and_then(|t| t.get(self.sql).cloned()) {
            return text;
        }
        let text: Arc<str> = postgres_spelling(self.sql).into();
        if let Ok(mut texts) = TEXTS.write() {
            texts.insert(self.sql.to_string(), text.clone());
        }
        text
    }
}

fn is_list(v: &Value) -> bool {
    matches!(v, Value::Ints(_) | Value::Texts(_))
}

fn list_marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// `?` → `$1, $2, …`; `IN (?)` → `= ANY($n)`.
fn postgres_spelling(sql: &str) -> String {
    let mut text = String::with_capacity(sql.len() + 16);
    for (i, part) in sql.split('?').enumerate() {
        if i > 0 {
            if part.starts_with(')') && text.ends_with("IN (") {
                text.truncate(text.len() - "IN (".len());
                text.push_str("= ANY(");
            }
            text.push_str(&format!("${i}"));
        }
        text.push_str(part);
    }
    text
}

/// Runs statements on one backend's connection, pool or writer handle.
pub trait Db: Send {
    fn dialect(&self) -> Dialect;

    fn fetch_all<T: FromRow>(
        &mut self,
        q: Query<'_>,
    ) -> impl Future<Output = Result<Vec<T>>> + Send;

    fn fetch_optional<T: FromRow>(
        &mut self,
        q: Query<'_>,
    ) -> impl Future<Output = Result<Option<T>>> + Send;

    /// Answers how many rows the statement changed.
    fn execute(&mut self, q: Query<'_>) -> impl Future<Output = Result<u64>> + Send;

    /// The one row a statement must answer; `NotFound` without it.
    fn fetch_one<T: FromRow>(&mut self, q: Query<'_>) -> impl Future<Output = Result<T>> + Send {
        async move { self.fetch_optional(q).await?.ok_or_else(not_found) }
    }

    /// The first column of the first row, if any.
    fn scalar<T: Cell>(&mut self, q: Query<'_>) -> impl Future<Output = Result<Option<T>>> + Send {
        async move { Ok(self.fetch_optional::<(T,)>(q).await?.map(|(v,)| v)) }
    }
}

fn not_found() -> rostra_core::Error {
    StoreError::NotFound.into()
}

/// Maps sqlx errors onto the storage errors both backends share (by kind, never by name).
pub(crate) fn db_err(e: sqlx::Error) -> Error {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound.into(),
        sqlx::Error::Database(d) => match d.kind() {
            sqlx::error::ErrorKind::UniqueViolation => StoreError::Conflict("unique").into(),
            sqlx::error::ErrorKind::ForeignKeyViolation => {
                StoreError::Conflict("foreign_key").into()
            }
            _ => StoreError::Other(e.to_string()).into(),
        },
        _ => StoreError::Other(e.to_string()).into(),
    }
}

/// Implements [`Db`] for a sqlx executor: `$text` spells the statement for its database,
/// `$bind` binds the values, `$rows` decodes, `$err` maps errors, `$run` borrows the executor.
macro_rules! sqlx_db {
    ($t:ty, $dialect:expr, $text:ident, $bind:path, $err:path, $exec:ident => $run:expr) => {
        impl $crate::sql::Db for $t {
            fn dialect(&self) -> $crate::sql::Dialect {
                $dialect
            }

            async fn fetch_all<T: $crate::rows::FromRow>(
                &mut self,
                q: $crate::sql::Query<'_>,
            ) -> rostra_core::Result<Vec<T>> {
                let text = q.$text();
                let $exec = self;
                let found = $bind(sqlx::query(&text), &q.values)
                    .fetch_all($run)
                    .await
                    .map_err($err)?;
                found.iter().map(T::from_row).collect()
            }

            async fn fetch_optional<T: $crate::rows::FromRow>(
                &mut self,
                q: $crate::sql::Query<'_>,
            ) -> rostra_core::Result<Option<T>> {
                let text = q.$text();
                let $exec = self;
                let found = $bind(sqlx::query(&text), &q.values)
                    .fetch_optional($run)
                    .await
                    .map_err($err)?;
                found.as_ref().map(T::from_row).transpose()
            }

            async fn execute(&mut self, q: $crate::sql::Query<'_>) -> rostra_core::Result<u64> {
                let text = q.$text();
                let $exec = self;
                let done = $bind(sqlx::query(&text), &q.values)
                    .execute($run)
                    .await
                    .map_err($err)?;
                Ok(done.rows_affected())
            }
        }
    };
}
pub(crate) use sqlx_db;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_spelling_numbers_marks_and_turns_lists_into_any() {
        assert_eq!(
            postgres_spelling("SELECT a FROM t WHERE b = ? AND c IN (?) LIMIT ?"),
            "SELECT a FROM t WHERE b = $1 AND c = ANY($2) LIMIT $3"
        );
    }

    #[test]
    fn sqlite_text_widens_each_list() {
        let ids = [1, 2, 3];
        let q = query("SELECT a FROM t WHERE b = ? AND c IN (?)")
            .bind(7)
            .bind(&ids[..]);
        assert_eq!(
            q.sqlite_text(),
            "SELECT a FROM t WHERE b = ? AND c IN (?, ?, ?)"
        );
    }
}
