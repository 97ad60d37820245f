//! Turning rows into domain types, in one place for every backend: SQLite rows read through
//! sqlx, PostgreSQL rows, and rows the SQLite writer reads directly (rusqlite).

use crate::sql::db_err;
use crate::sqlite::writer::direct_err;
use rostra_core::comment::Status;
use rostra_core::{
    AccountId, Comment, CommentId, Result, Site, SiteId, StoreError, Thread, ThreadId,
};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Postgres, Row, Sqlite};

/// A value every backend can read out of a column.
pub trait Cell:
    for<'r> sqlx::Decode<'r, Sqlite>
    + sqlx::Type<Sqlite>
    + for<'r> sqlx::Decode<'r, Postgres>
    + sqlx::Type<Postgres>
    + rusqlite::types::FromSql
    + Send
{
}
impl<T> Cell for T where
    T: for<'r> sqlx::Decode<'r, Sqlite>
        + sqlx::Type<Sqlite>
        + for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Postgres>
        + rusqlite::types::FromSql
        + Send
{
}

/// A column, by name or by position.
pub trait Column:
    sqlx::ColumnIndex<SqliteRow> + sqlx::ColumnIndex<PgRow> + rusqlite::RowIndex + Copy
{
}
impl<T> Column for T where
    T: sqlx::ColumnIndex<SqliteRow> + sqlx::ColumnIndex<PgRow> + rusqlite::RowIndex + Copy
{
}

/// A row, from any backend.
pub trait Cells {
    fn cell<T: Cell>(&self, column: impl Column) -> Result<T>;
}

impl Cells for SqliteRow {
    fn cell<T: Cell>(&self, column: impl Column) -> Result<T> {
        self.try_get(column).map_err(db_err)
    }
}

impl Cells for PgRow {
    fn cell<T: Cell>(&self, column: impl Column) -> Result<T> {
        self.try_get(column).map_err(db_err)
    }
}

impl Cells for rusqlite::Row<'_> {
    fn cell<T: Cell>(&self, column: impl Column) -> Result<T> {
        self.get(column).map_err(direct_err)
    }
}

/// A domain value read from one row.
pub trait FromRow: Sized + Send {
    fn from_row(row: &impl Cells) -> Result<Self>;
}

macro_rules! tuple_from_row {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Cell),+> FromRow for ($($t,)+) {
            fn from_row(row: &impl Cells) -> Result<Self> {
                Ok(($(row.cell::<$t>($i)?,)+))
            }
        }
    };
}
tuple_from_row!(A 0);
tuple_from_row!(A 0, B 1);
tuple_from_row!(A 0, B 1, C 2);
tuple_from_row!(A 0, B 1, C 2, D 3);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4);

pub const COMMENT_COLUMNS: &str = "id, thread_id, parent_id, root_id, status, author_name, \
    author_email, author_url, body, body_html, created_at, edited_at, upvotes, downvotes, \
    reply_count, edit_token_hash, ip_hash, author_key, net_hash, reasons, report_count, \
    moderator_note, account_id, author_badge, featured_at";

pub const THREAD_COLUMNS: &str =
    "id, site_id, key, url, title, created_at, closed, comment_count, \
    pinned_comment_id";

pub const SITE_COLUMNS: &str = "id, key, name, origins, prompt, created_at";

/// What the public sees: published comments, and tombstones that still have replies.
pub const PUBLIC: &str = "(status = 'published' OR (status = 'deleted' AND reply_count > 0))";

impl FromRow for Comment {
    fn from_row(row: &impl Cells) -> Result<Comment> {
        let status: String = row.cell("status")?;
        let status = Status::parse(&status)
            .ok_or_else(|| StoreError::Other(format!("unknown comment status '{status}'")))?;
        Ok(Comment {
            id: CommentId(row.cell("id")?),
            thread_id: ThreadId(row.cell("thread_id")?),
            parent_id: row.cell::<Option<i64>>("parent_id")?.map(CommentId),
            root_id: CommentId(row.cell("root_id")?),
            status,
            author_name: row.cell("author_name")?,
            author_email: row.cell("author_email")?,
            author_url: row.cell("author_url")?,
            body: row.cell("body")?,
            body_html: row.cell("body_html")?,
            created_at: row.cell("created_at")?,
            edited_at: row.cell("edited_at")?,
            upvotes: row.cell("upvotes")?,
            downvotes: row.cell("downvotes")?,
            reply_count: row.cell("reply_count")?,
            edit_token_hash: row.cell("edit_token_hash")?,
            ip_hash: row.cell("ip_hash")?,
            author_key: row.cell("author_key")?,
            net_hash: row.cell("net_hash")?,
            reasons: reasons(&row.cell::<String>("reasons")?),
            report_count: row.cell("report_count")?,
            moderator_note: row.cell("moderator_note")?,
            account_id: row.cell::<Option<i64>>("account_id")?.map(AccountId),
            author_badge: row.cell("author_badge")?,
            featured_at: row.cell("featured_at")?,
        })
    }
}

impl FromRow for Thread {
    fn from_row(row: &impl Cells) -> Result<Thread> {
        Ok(Thread {
            id: ThreadId(row.cell("id")?),
            site_id: SiteId(row.cell("site_id")?),
            key: row.cell("key")?,
            url: row.cell("url")?,
            title: row.cell("title")?,
            created_at: row.cell("created_at")?,
            closed: row.cell("closed")?,
            comment_count: row.cell("comment_count")?,
            pinned_comment_id: row.cell::<Option<i64>>("pinned_comment_id")?.map(CommentId),
        })
    }
}

impl FromRow for Site {
    fn from_row(row: &impl Cells) -> Result<Site> {
        let origins: String = row.cell("origins")?;
        Ok(Site {
            id: SiteId(row.cell("id")?),
            key: row.cell("key")?,
            name: row.cell("name")?,
            origins: origins.split_whitespace().map(str::to_string).collect(),
            prompt: row.cell("prompt")?,
            created_at: row.cell("created_at")?,
        })
    }
}

/// Reasons are stored as JSON text (portable: no JSON column types).
pub fn reasons(json: &str) -> Vec<rostra_core::moderation::Reason> {
    serde_json::from_str(json).unwrap_or_default()
}

pub fn reasons_json(reasons: &[rostra_core::moderation::Reason]) -> String {
    serde_json::to_string(reasons).unwrap_or_else(|_| "[]".into())
}
