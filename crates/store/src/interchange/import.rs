//! Reading the record stream into the database: threads one by one (few), comments in batches.

use super::batch_rows::insert_comments;
use super::seen::Seen;
use super::{connect, finish, int, opt_text, other, site_by_key, text};
use crate::copy::conn::{Db, Value};
use crate::copy::tables::Kind::{Int, Text};
use crate::sql::Dialect;
use crate::store::new_comment::next_comment_id;
use rostra_core::interchange::{
    CommentRecord, ImportSummary, Record, RecordSource, Skipped, ThreadRecord,
};
use rostra_core::{Error, Site, ThreadKey};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// Comments inserted per statement.
const BATCH: usize = 500;

/// Imports a stream of records into the site with key `site_key`, all or nothing. `format` keys
/// the source ids (the same id in two formats names two things). `progress` hears the number of
/// comments read so far after every batch.
pub async fn import_records(
    url: &str,
    site_key: &str,
    format: &str,
    records: &mut dyn RecordSource,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<ImportSummary, Error> {
    let mut db = connect(url).await?;
    if !db.is_postgres() {
        // One large transaction: a page cache too small for it spills to the file (with a
        // sync each time) long before the commit. 64 MiB keeps memory bounded all the same.
        db.execute("PRAGMA cache_size = -49152").await?;
        db.execute("PRAGMA temp.cache_size = -16384").await?;
    }
    let begin = if db.is_postgres() {
        "BEGIN"
    } else {
        "BEGIN IMMEDIATE"
    };
    db.execute(begin).await?;
    let outcome = import_in_transaction(&mut db, site_key, format, records, progress).await;
    let outcome = match outcome {
        Ok(summary) => db.execute("COMMIT").await.map(|()| summary),
        Err(e) => {
            if let Err(rollback) = db.execute("ROLLBACK").await {
                tracing::warn!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    };
    if outcome.is_ok() && db.is_postgres() {
        // Servers on this database drop their cached pages (see bus.rs).
        let _ = db
            .execute("SELECT pg_notify('rostra_events', 'resync')")
            .await;
    }
    db.close().await;
    outcome
}

async fn import_in_transaction(
    db: &mut Db,
    site_key: &str,
    format: &str,
    records: &mut dyn RecordSource,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<ImportSummary, Error> {
    let site = site_by_key(db, site_key).await?;
    finish::create_work_tables(db).await?;
    if db.is_postgres() {
        // import_sources grows inside this transaction, unseen by statistics; the planner would
        // then scan it whole for every batch's lookup instead of using its unique index.
        db.execute("SET LOCAL enable_seqscan = off").await?;
    }
    let mut run = Run {
        site,
        format: format.to_string(),
        threads: HashMap::new(),
        batch: Vec::with_capacity(BATCH),
        authors: HashSet::new(),
        next_id: None,
        seen: Seen::default(),
        read: 0,
        summary: ImportSummary::default(),
    };
    loop {
        match records.next().await {
            Some(Ok(Some(record))) => run.take(db, record).await?,
            Some(Ok(None)) => break,
            Some(Err(message)) => return Err(other(message)),
            None => return Err(other("the file reader stopped before the end of the file")),
        }
        if run.batch.len() >= BATCH {
            run.flush(db).await?;
            progress(run.read);
        }
    }
    run.flush(db).await?;
    progress(run.read);
    if db.is_postgres() {
        db.execute("SET LOCAL enable_seqscan = on").await?;
    }
    finish::finish(db, &run.site, &run.format, &mut run.summary).await?;
    run.summary.authors_imported = run.authors.len() as u64;
    Ok(run.summary)
}

/// A thread of the file: its local id, or why it was skipped.
type ThreadOutcome = Result<i64, String>;

struct Run {
    site: Site,
    format: String,
    threads: HashMap<String, ThreadOutcome>,
    batch: Vec<CommentRecord>,
    /// Hashes of the authors of the comments imported.
    authors: HashSet<u64>,
    /// The next comment id to use (SQLite; PostgreSQL asks its sequence).
    next_id: Option<i64>,
    /// This import's comments so far, so that most replies get their parent as they are
    /// written instead of by a lookup at the end.
    seen: Seen,
    read: u64,
    summary: ImportSummary,
}

impl Run {
    async fn take(&mut self, db: &mut Db, record: Record) -> Result<(), Error> {
        match record {
            Record::Thread(t) => self.thread(db, t).await,
            Record::Comment(c) => {
                self.read += 1;
                self.batch.push(*c);
                Ok(())
            }
            Record::Skipped(s) => {
                self.summary.skipped.push(s);
                Ok(())
            }
        }
    }

    fn skip(&mut self, item: String, reason: String) {
        self.summary.skipped.push(Skipped { item, reason });
    }

    async fn thread(&mut self, db: &mut Db, t: ThreadRecord) -> Result<(), Error> {
        let item = format!("thread {}", t.source_id);
        if self.threads.contains_key(&t.source_id) {
            self.skip(item, "its id appears twice in the file".into());
            return Ok(());
        }
        let outcome = self.place_thread(db, &t).await?;
        if let Err(reason) = &outcome {
            self.skip(item, reason.clone());
        }
        self.threads.insert(t.source_id, outcome);
        Ok(())
    }

    /// Finds the thread on the site (by an earlier import, or by key) or creates it.
    async fn place_thread(
        &mut self,
        db: &mut Db,
        t: &ThreadRecord,
    ) -> Result<ThreadOutcome, Error> {
        if let Some(id) = self.mapped(db, "thread", &t.source_id).await? {
            self.summary.threads_matched += 1;
            return Ok(Ok(id));
        }
        let url = match (t.url.starts_with('/'), self.site.origins.first()) {
            (true, Some(origin)) => format!("{origin}{}", t.url),
            _ => t.url.clone(),
        };
        let key = match ThreadKey::for_page(&self.site, &url, t.identifier.as_deref()) {
            Ok(key) => key,
            Err(e) => return Ok(Err(format!("{url}: {e}"))),
        };
        let found = db
            .fetch(
                "SELECT id FROM threads WHERE site_id = ? AND key = ?",
                vec![Value::Int(Some(self.site.id.0)), text(&key.key)],
                &[Int],
            )
            .await?;
        let id = if let Some(row) = found.first() {
            self.summary.threads_matched += 1;
            int(&row[0])
        } else {
            let rows = db
                .fetch(
                    "INSERT INTO threads (site_id, key, url, title, created_at, closed, \
                     comment_count) VALUES (?, ?, ?, ?, ?, ?, 0) RETURNING id",
                    vec![
                        Value::Int(Some(self.site.id.0)),
                        text(&key.key),
                        text(&key.url),
                        opt_text(&t.title),
                        Value::Int(Some(t.created_at.unwrap_or(i64::MAX))),
                        Value::Bool(Some(t.closed)),
                    ],
                    &[Int],
                )
                .await?;
            self.summary.threads_imported += 1;
            rows.first().map(|r| int(&r[0])).unwrap_or_default()
        };
        db.run(
            "INSERT INTO import_sources (site_id, format, kind, source_id, local_id) \
             VALUES (?, ?, 'thread', ?, ?)",
            vec![
                Value::Int(Some(self.site.id.0)),
                text(&self.format),
                text(&t.source_id),
                Value::Int(Some(id)),
            ],
        )
        .await?;
        db.run(
            "INSERT INTO import_touched (thread_id) VALUES (?) ON CONFLICT DO NOTHING",
            vec![Value::Int(Some(id))],
        )
        .await?;
        Ok(Ok(id))
    }

    async fn mapped(&self, db: &mut Db, kind: &str, source_id: &str) -> Result<Option<i64>, Error> {
        let rows = db
            .fetch(
                "SELECT local_id FROM import_sources WHERE site_id = ? AND format = ? AND kind = ? \
                 AND source_id = ?",
                vec![
                    Value::Int(Some(self.site.id.0)),
                    text(&self.format),
                    text(kind),
                    text(source_id),
                ],
                &[Int],
            )
            .await?;
        Ok(rows.first().map(|r| int(&r[0])))
    }

    /// Inserts the comments gathered so far.
    async fn flush(&mut self, db: &mut Db) -> Result<(), Error> {
        let batch = std::mem::take(&mut self.batch);
        let mut placed = Vec::with_capacity(batch.len());
        let mut in_batch = HashSet::new();
        for c in batch {
            let item = format!("comment {}", c.source_id);
            match self.threads.get(&c.thread_source_id) {
                None => self.skip(
                    item,
                    format!("its thread {} is not in the file", c.thread_source_id),
                ),
                Some(Err(why)) => self.skip(
                    item,
                    format!("its thread {} was skipped: {why}", c.thread_source_id),
                ),
                Some(Ok(thread)) if in_batch.insert(c.source_id.clone()) => {
                    placed.push((*thread, c))
                }
                Some(Ok(_)) => self.skip(item, "its id appears twice in the file".into()),
            }
        }
        if placed.is_empty() {
            return Ok(());
        }
        // Claim the source ids first: those an earlier import holds already are not returned.
        let ids = self.new_ids(db, placed.len()).await?;
        let claimed = self.claim(db, &ids, &placed).await?;
        let mut fresh = Vec::with_capacity(placed.len());
        let mut fresh_ids = Vec::with_capacity(placed.len());
        for (id, (thread, c)) in ids.into_iter().zip(placed) {
            if claimed.contains(&c.source_id) {
                fresh.push((thread, c));
                fresh_ids.push(id);
            } else {
                self.summary.comments_already_imported += 1;
            }
        }
        if fresh.is_empty() {
            return Ok(());
        }
        insert_comments(db, &fresh_ids, &fresh, &mut self.seen).await?;
        for (_, c) in &fresh {
            self.authors.insert(author_hash(c));
        }
        self.summary.comments_imported += fresh.len() as u64;
        Ok(())
    }

    /// Records where each comment came from, unless an earlier import did; answers the source
    /// ids recorded now.
    async fn claim(
        &self,
        db: &mut Db,
        ids: &[i64],
        placed: &[(i64, CommentRecord)],
    ) -> Result<HashSet<String>, Error> {
        let mut params = Vec::with_capacity(placed.len() * 5);
        for (id, (_, c)) in ids.iter().zip(placed) {
            params.extend([
                Value::Int(Some(self.site.id.0)),
                text(&self.format),
                text("comment"),
                text(&c.source_id),
                Value::Int(Some(*id)),
            ]);
        }
        let sql = format!(
            "INSERT INTO import_sources (site_id, format, kind, source_id, local_id) VALUES {} \
             ON CONFLICT (site_id, format, kind, source_id) DO NOTHING RETURNING source_id",
            vec!["(?, ?, ?, ?, ?)"; placed.len()].join(", ")
        );
        let rows = db.fetch(&sql, params, &[Text]).await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match r.into_iter().next() {
                Some(Value::Text(Some(s))) => Some(s),
                _ => None,
            })
            .collect())
    }

    /// Ids for `n` new comments: from the sequence in PostgreSQL; in SQLite, after the largest
    /// (the transaction holds the write lock, so nobody else takes them).
    async fn new_ids(&mut self, db: &mut Db, n: usize) -> Result<Vec<i64>, Error> {
        if db.is_postgres() {
            let sql = format!(
                "{} FROM generate_series(1, CAST(? AS BIGINT))",
                next_comment_id(Dialect::Postgres)
            );
            let rows = db
                .fetch(&sql, vec![Value::Int(Some(n as i64))], &[Int])
                .await?;
            return Ok(rows.iter().map(|r| int(&r[0])).collect());
        }
        let next = match self.next_id {
            Some(next) => next,
            None => {
                let sql = next_comment_id(Dialect::Sqlite);
                let rows = db.fetch(sql, vec![], &[Int]).await?;
                rows.first().map(|r| int(&r[0])).unwrap_or(1)
            }
        };
        self.next_id = Some(next + n as i64);
        Ok((next..next + n as i64).collect())
    }
}

fn author_hash(c: &CommentRecord) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match (&c.author_email, &c.author_name) {
        (Some(e), _) => ("e", e.to_lowercase()).hash(&mut h),
        (None, Some(n)) => ("n", n).hash(&mut h),
        (None, None) => ("anonymous",).hash(&mut h),
    }
    h.finish()
}
