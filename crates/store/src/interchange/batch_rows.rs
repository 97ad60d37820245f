//! The rows one batch of imported comments becomes: the comments themselves, the replies whose
//! parent comes later, their revisions and their votes, each inserted in as few statements as
//! the database's parameter limit allows.

use super::seen::Seen;
use super::{opt_text, text};
use crate::copy::conn::{Db, Value};
use rostra_core::interchange::{Body, CommentRecord};
use rostra_core::{markdown, Error, Status};

/// The Markdown source and sanitized HTML a comment is stored with.
fn bodies(body: &Body) -> (String, String) {
    match body {
        Body::Html(h) => (markdown::html_to_text(h), markdown::sanitize_html(h)),
        Body::Markdown(m) => (m.clone(), markdown::render(m)),
        Body::Both { markdown: m, html } => (m.clone(), markdown::sanitize_html(html)),
        Body::Prepared { source, html } => (source.clone(), html.clone()),
    }
}

const COMMENT_COLUMNS: &str = "id, thread_id, parent_id, root_id, status, author_name, \
     author_email, author_url, body, body_html, created_at, edited_at, upvotes, downvotes, \
     reply_count, reasons, report_count";

/// The values of one batch's rows, table by table, in insert order.
#[derive(Default)]
struct BatchRows {
    comments: Vec<Value>,
    pending: Vec<Value>,
    revisions: Vec<Value>,
    votes: Vec<Value>,
}

/// Inserts a batch of comments under the local `ids` given them, in their threads.
pub(super) async fn insert_comments(
    db: &mut Db,
    ids: &[i64],
    fresh: &[(i64, CommentRecord)],
    seen: &mut Seen,
) -> Result<(), Error> {
    let mut rows = BatchRows::default();
    for (id, (thread, c)) in ids.iter().zip(fresh) {
        let parent = rows.parent(seen, *id, *thread, c);
        seen.insert(&c.source_id, *id, *thread);
        rows.add(*id, *thread, parent, c);
    }
    rows.insert(db, ids).await
}

impl BatchRows {
    /// A parent seen earlier in the file (in the same thread) is set now; any other waits for
    /// the end, where it is looked up among earlier imports too, or reported.
    fn parent(&mut self, seen: &Seen, id: i64, thread: i64, c: &CommentRecord) -> Option<i64> {
        let source = c.parent_source_id.as_ref()?;
        match seen.get(source) {
            Some((local, in_thread)) if in_thread == thread => Some(local),
            _ => {
                self.pending.extend([Value::Int(Some(id)), text(source)]);
                None
            }
        }
    }

    /// One comment's row, with its revisions and votes.
    fn add(&mut self, id: i64, thread: i64, parent: Option<i64>, c: &CommentRecord) {
        let deleted = c.status == Status::Deleted;
        let (body, html) = if deleted {
            (String::new(), String::new())
        } else {
            bodies(&c.body)
        };
        let keep = |v: &Option<String>| {
            if deleted {
                Value::Text(None)
            } else {
                opt_text(v)
            }
        };
        self.comments.extend([
            Value::Int(Some(id)),
            Value::Int(Some(thread)),
            Value::Int(parent),
            Value::Int(Some(id)),
            text(c.status.as_str()),
            keep(&c.author_name),
            keep(&c.author_email),
            keep(&c.author_url),
            Value::Text(Some(body)),
            Value::Text(Some(html)),
            Value::Int(Some(c.created_at)),
            Value::Int(c.edited_at),
            Value::Int(Some(c.upvotes)),
            Value::Int(Some(c.downvotes)),
            Value::Int(Some(0)),
            text("[]"),
            Value::Int(Some(0)),
        ]);
        if !deleted {
            for r in &c.revisions {
                let replaced = Value::Int(Some(r.replaced_at));
                self.revisions
                    .extend([Value::Int(Some(id)), text(&r.body), replaced]);
            }
        }
        for v in &c.votes {
            self.votes.extend([
                Value::Int(Some(id)),
                opt_text(&v.voter_hash),
                text(&v.ip_hash),
                Value::Int(Some(i64::from(v.value))),
                Value::Int(Some(v.voted_at)),
            ]);
        }
    }

    async fn insert(self, db: &mut Db, ids: &[i64]) -> Result<(), Error> {
        let head = format!("INSERT INTO comments ({COMMENT_COLUMNS}) VALUES ");
        let tuple = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        insert_rows(db, &head, tuple, self.comments).await?;
        let news: Vec<Value> = ids.iter().map(|id| Value::Int(Some(*id))).collect();
        insert_rows(db, "INSERT INTO import_new (local_id) VALUES ", "(?)", news).await?;
        let head = "INSERT INTO import_pending (local_id, parent_source) VALUES ";
        insert_rows(db, head, "(?, ?)", self.pending).await?;
        let head = "INSERT INTO comment_revisions (comment_id, body, replaced_at) VALUES ";
        insert_rows(db, head, "(?, ?, ?)", self.revisions).await?;
        let head = "INSERT INTO votes (comment_id, voter_hash, ip_hash, value, voted_at) VALUES ";
        // PostgreSQL's SMALLINT takes the bound BIGINT through a cast.
        let tuple = "(?, ?, ?, CAST(CAST(? AS BIGINT) AS SMALLINT), ?)";
        insert_rows(db, head, tuple, self.votes).await
    }
}

/// Inserts rows (each written as `tuple`, one `?` per value), in as few statements as the
/// parameter limit allows.
async fn insert_rows(
    db: &mut Db,
    head: &str,
    tuple: &str,
    values: Vec<Value>,
) -> Result<(), Error> {
    let width = tuple.matches('?').count().max(1);
    let per_statement = (crate::copy::conn::MAX_PARAMS / width).max(1);
    let mut values = values.into_iter().peekable();
    while values.peek().is_some() {
        let chunk: Vec<Value> = values.by_ref().take(per_statement * width).collect();
        let rows = chunk.len() / width;
        let sql = format!("{head}{}", vec![tuple; rows].join(", "));
        db.run(&sql, chunk).await?;
    }
    Ok(())
}
