//! The moderators' desk: an author's record on a site (matched by account, verified address or
//! guest identity), the bans that ever matched them, and moderators' notes on authors.

use super::moderation_writes::audit;
use super::{Backend, SqlStore};
use crate::rows::{Cells, FromRow, COMMENT_COLUMNS};
use crate::sql::{query, Db, Query, Value};
use async_trait::async_trait;
use rostra_core::desk::{AuthorMatch, AuthorNote, AuthorRecord, DeskStore, NewAuthorNote};
use rostra_core::moderation::{Ban, BanKind, NewAuditEntry};
use rostra_core::{Comment, Result, SiteId, UserId};

/// The condition that picks an author's comments on a site, and its values (in order).
fn author_filter(site: SiteId, author: &AuthorMatch) -> (&'static str, Vec<Value<'_>>) {
    let on_site = Value::from(site.0);
    match author {
        AuthorMatch::Account(id) => ("account_id = ?", vec![Value::from(id.0), on_site]),
        AuthorMatch::VerifiedEmail(email) => (
            "author_key IN (SELECT author_key FROM verified_guests \
             WHERE site_id = ? AND LOWER(email) = LOWER(?))",
            vec![on_site.clone(), Value::from(email.as_str()), on_site],
        ),
        AuthorMatch::Guest(key) => ("author_key = ?", vec![Value::from(key.as_str()), on_site]),
    }
}

const ON_SITE: &str = "thread_id IN (SELECT id FROM threads WHERE site_id = ?)";

impl FromRow for AuthorNote {
    fn from_row(r: &impl Cells) -> Result<AuthorNote> {
        Ok(AuthorNote {
            id: r.cell("id")?,
            site_id: SiteId(r.cell("site_id")?),
            subject: r.cell("subject")?,
            body: r.cell("body")?,
            created_by: r.cell::<Option<i64>>("created_by")?.map(UserId),
            created_by_email: r.cell("email")?,
            created_at: r.cell("created_at")?,
        })
    }
}

const NOTE_SELECT: &str = "SELECT n.id, n.site_id, n.subject, n.body, n.created_by, u.email, \
     n.created_at FROM author_notes n LEFT JOIN users u ON u.id = n.created_by";

#[async_trait]
impl<B: Backend> DeskStore for SqlStore<B> {
    async fn author_record(
        &self,
        site: SiteId,
        author: &AuthorMatch,
        limit: u32,
    ) -> Result<AuthorRecord> {
        let (filter, values) = author_filter(site, author);
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE {filter} AND {ON_SITE} \
             ORDER BY id DESC LIMIT ?"
        );
        let mut page_values = values.clone();
        page_values.push(Value::from(i64::from(limit)));
        let comments: Vec<Comment> = self
            .reader()
            .fetch_all(Query {
                sql: &sql,
                values: page_values,
            })
            .await?;
        let sql = format!(
            "SELECT COUNT(*), \
             COALESCE(SUM(CASE WHEN status = 'published' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN status = 'deleted' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN report_count > 0 THEN 1 ELSE 0 END), 0), \
             MIN(created_at) FROM comments WHERE {filter} AND {ON_SITE}"
        );
        let counts: Counts = self.reader().fetch_one(Query { sql: &sql, values }).await?;
        Ok(AuthorRecord {
            comments,
            total: counts.0[0],
            published: counts.0[1],
            pending: counts.0[2],
            rejected: counts.0[3],
            deleted: counts.0[4],
            reported: counts.0[5],
            first_seen: counts.1,
        })
    }

    async fn author_open_comments(
        &self,
        site: SiteId,
        author: &AuthorMatch,
        since: Option<i64>,
    ) -> Result<Vec<Comment>> {
        let (filter, mut values) = author_filter(site, author);
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE {filter} AND {ON_SITE} \
             AND status IN ('pending', 'published') AND created_at >= ? ORDER BY id"
        );
        values.push(Value::from(since.unwrap_or(i64::MIN)));
        self.reader().fetch_all(Query { sql: &sql, values }).await
    }

    async fn bans_matching(&self, site: SiteId, values: &[(BanKind, String)]) -> Result<Vec<Ban>> {
        if values.is_empty() {
            return Ok(Vec::new());
        }
        let matches = vec!["(kind = ? AND value_hash = ?)"; values.len()].join(" OR ");
        let sql = format!("SELECT * FROM bans WHERE site_id = ? AND ({matches}) ORDER BY id DESC");
        let mut q = query(&sql).bind(site.0);
        for (kind, value) in values {
            q = q.bind(kind.as_str()).bind(value);
        }
        self.reader().fetch_all(q).await
    }

    async fn add_author_note(
        &self,
        note: NewAuthorNote,
        mut entry: NewAuditEntry,
    ) -> Result<AuthorNote> {
        let id = self
            .write(move |c| {
                Box::pin(async move {
                    let q = query(
                        "INSERT INTO author_notes (site_id, subject, body, created_by, \
                         created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                    );
                    let q = q.bind(note.site_id.0).bind(&note.subject).bind(&note.body);
                    let (id,): (i64,) = c
                        .fetch_one(q.bind(note.created_by.0).bind(note.created_at))
                        .await?;
                    entry.target = format!("note:{id}");
                    audit(c, &entry).await?;
                    Ok(id)
                })
            })
            .await?;
        self.author_note(id)
            .await?
            .ok_or_else(|| rostra_core::StoreError::NotFound.into())
    }

    async fn author_notes(&self, site: SiteId, subject: &str) -> Result<Vec<AuthorNote>> {
        let sql = format!("{NOTE_SELECT} WHERE n.site_id = ? AND n.subject = ? ORDER BY n.id DESC");
        self.reader()
            .fetch_all(query(&sql).bind(site.0).bind(subject))
            .await
    }

    async fn author_note(&self, id: i64) -> Result<Option<AuthorNote>> {
        let sql = format!("{NOTE_SELECT} WHERE n.id = ?");
        self.reader().fetch_optional(query(&sql).bind(id)).await
    }

    async fn delete_author_note(
        &self,
        site: SiteId,
        id: i64,
        entry: NewAuditEntry,
    ) -> Result<bool> {
        self.write(move |c| {
            Box::pin(async move {
                let q = query("DELETE FROM author_notes WHERE id = ? AND site_id = ?");
                let gone = c.execute(q.bind(id).bind(site.0)).await? > 0;
                if gone {
                    audit(c, &entry).await?;
                }
                Ok(gone)
            })
        })
        .await
    }
}

/// The six counts and the first comment's time of `author_record`.
struct Counts([i64; 6], Option<i64>);

impl FromRow for Counts {
    fn from_row(r: &impl Cells) -> Result<Counts> {
        let mut n = [0i64; 6];
        for (i, v) in n.iter_mut().enumerate() {
            *v = r.cell(i)?;
        }
        Ok(Counts(n, r.cell(6)?))
    }
}
