//! What a copy copies: every table of the schema, in an order that satisfies the foreign keys,
//! with the type of each column.
//!
//! The list is written out rather than discovered, so that values keep their types between
//! backends (a SQLite `BOOLEAN` is an integer, a PostgreSQL one is not). A copy first checks
//! that both databases have exactly these tables and columns: a migration that adds a column
//! and forgets this list makes the copy refuse, never silently leave the column behind.

/// How a column's values are read and written. Every column may hold NULL as far as the copy is
/// concerned; the schema decides which may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `BIGINT` / `INTEGER`.
    Int,
    /// `SMALLINT` (an `i16` in PostgreSQL).
    SmallInt,
    Text,
    Bool,
}

pub(crate) struct Table {
    pub name: &'static str,
    /// The first `key` columns are the primary key: rows are read in that order, a batch at a
    /// time, each batch starting after the last key of the one before.
    pub key: usize,
    pub columns: &'static [(&'static str, Kind)],
    /// A column referring to another row of the same table (a reply's parent), which must exist
    /// before the row that refers to it.
    pub self_ref: Option<&'static str>,
}

impl Table {
    /// Whether the table has an `id` identity column whose sequence PostgreSQL must be told about.
    pub fn has_id(&self) -> bool {
        self.key == 1 && self.columns.first().is_some_and(|(c, _)| *c == "id")
    }
}

/// The bookkeeping table `open` maintains itself; never copied.
pub(crate) const MIGRATIONS_TABLE: &str = "schema_migrations";

/// Every table, parents before the tables that refer to them: the sites' content and its
/// moderation first, then what refers to it.
pub(crate) fn every_table() -> impl DoubleEndedIterator<Item = &'static Table> {
    super::content_tables::CONTENT
        .iter()
        .chain(super::service_tables::SERVICES)
}

/// What is wrong with a database's tables and columns compared with [`every_table`]; empty when
/// nothing is. `tables` holds every table the database has, each with its columns.
pub(crate) fn schema_problems(tables: &[(String, Vec<String>)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, _) in tables {
        if name != MIGRATIONS_TABLE && !every_table().any(|t| t.name == name) {
            problems.push(format!("table {name} is not one this build copies"));
        }
    }
    for t in every_table() {
        let Some((_, have)) = tables.iter().find(|(name, _)| name == t.name) else {
            problems.push(format!("table {} is missing", t.name));
            continue;
        };
        let extra: Vec<&str> = have
            .iter()
            .map(String::as_str)
            .filter(|c| !t.columns.iter().any(|(k, _)| k == c))
            .collect();
        let missing: Vec<&str> = t
            .columns
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| !have.iter().any(|h| h == c))
            .collect();
        if !extra.is_empty() {
            problems.push(format!(
                "{} has columns this build does not copy: {}",
                t.name,
                extra.join(", ")
            ));
        }
        if !missing.is_empty() {
            problems.push(format!("{} lacks columns: {}", t.name, missing.join(", ")));
        }
    }
    problems
}
