//! Group commit: every write goes to one task, on its own thread, that owns the write connection.
//!
//! SQLite allows one writer at a time and each durable commit costs an fsync. Rather than make
//! every request wait for its own fsync, the writer takes all writes that queued up while the
//! previous commit was on its way to disk and commits them together. Each write runs in its own
//! savepoint (or alone in its transaction), so one that fails rolls back alone; nobody hears
//! "done" before the commit is durable.
//!
//! Through sqlx, every statement is a round trip to the connection's own thread: two thread
//! switches, which on a small machine cost more than the statement. So the store's writes are
//! *direct*: the writer borrows the database handle from sqlx's thread once per batch and runs
//! them with plain SQLite calls (rusqlite) on its own thread. Writes through sqlx (the health
//! check's) still work; a batch may mix both.
//!
//! Some writes only need to be durable with the next durable commit (thread events: the change
//! they describe is already on disk). A batch made only of those commits without its own fsync;
//! the next durable commit syncs the log file, their frames included. A process crash loses
//! nothing either way (the log is in the operating system's cache); a power cut may lose them,
//! as it may lose anything written after the last fsync.

use super::db_err;
use futures::future::BoxFuture;
use rostra_core::{Result, StoreError};
use sqlx::SqliteConnection;
use tokio::sync::{mpsc, oneshot};

/// Told after the commit whether it succeeded.
type Reply = Box<dyn FnOnce(bool) + Send>;
/// Runs one write through sqlx (in a savepoint when asked); answers whether it succeeded, and
/// how to reply.
type Run =
    Box<dyn for<'c> FnOnce(&'c mut SqliteConnection, bool) -> BoxFuture<'c, (bool, Reply)> + Send>;
/// The same for a direct write, given the connection's handle through rusqlite.
type RunDirect = Box<dyn FnOnce(&mut rusqlite::Connection, bool) -> (bool, Reply) + Send>;

enum Work {
    Sqlx(Run),
    Direct(RunDirect),
}

struct Job {
    work: Work,
    /// Durable with the next durable commit is enough.
    lazy: bool,
}

/// Writes taken into one transaction at most.
const MAX_BATCH: usize = 512;

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer on a thread of its own (direct writes block it while SQLite works and
    /// syncs, which must not hold up a thread serving requests).
    pub async fn start(mut conn: SqliteConnection) -> Result<Writer> {
        let direct = {
            let mut handle = conn.lock_handle().await.map_err(db_err)?;
            let raw = handle.as_raw_handle().as_ptr();
            // SAFETY: `raw` is the open connection `conn` owns. The rusqlite wrapper made here
            // never closes it, lives in `Connection` beside `conn` and is dropped first, and is
            // only used while `conn.lock_handle()` keeps sqlx's thread away from the handle.
            #[expect(unsafe_code)]
            let direct = unsafe { rusqlite::Connection::from_handle(raw) };
            direct.map_err(direct_err)?
        };
        // Every write is direct now: room for all of their statements, prepared once each.
        direct.set_prepared_statement_cache_capacity(256);
        let connection = Connection {
            direct: Some(direct),
            conn,
        };
        let (jobs, rx) = mpsc::channel(4096);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Other(format!("could not start the writer: {e}")))?;
        std::thread::Builder::new()
            .name("rostra-writer".into())
            .spawn(move || runtime.block_on(run(connection, rx)))
            .map_err(|e| StoreError::Other(format!("could not start the writer: {e}")))?;
        Ok(Writer { jobs })
    }

    /// Runs `work` inside the next group commit and answers once that commit is durable.
    pub async fn write<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T>> + Send + 'static,
    {
        self.submit(work, false).await
    }

    /// Like `write`, with plain SQLite calls on the writer's thread (no round trips).
    pub async fn write_direct<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut rusqlite::Connection) -> Result<T> + Send + 'static,
    {
        self.submit_direct(work, false).await
    }

    /// Like `write_direct`, but answers once committed, which is durable only with the next
    /// durable commit: for records of changes that are themselves already durable.
    pub async fn write_direct_lazy<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut rusqlite::Connection) -> Result<T> + Send + 'static,
    {
        self.submit_direct(work, true).await
    }

    async fn submit<T, F>(&self, work: F, lazy: bool) -> Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T>> + Send + 'static,
    {
        let (done, answer) = oneshot::channel();
        let run: Run = Box::new(move |conn, savepoint| {
            Box::pin(async move {
                let outcome = if savepoint {
                    in_savepoint(conn, work).await
                } else {
                    work(conn).await
                };
                (outcome.is_ok(), reply_with(outcome, done))
            })
        });
        self.send(Work::Sqlx(run), lazy, answer).await
    }

    async fn submit_direct<T, F>(&self, work: F, lazy: bool) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut rusqlite::Connection) -> Result<T> + Send + 'static,
    {
        let (done, answer) = oneshot::channel();
        let run: RunDirect = Box::new(move |db, savepoint| {
            let outcome = if savepoint {
                in_direct_savepoint(db, work)
            } else {
                work(db)
            };
            (outcome.is_ok(), reply_with(outcome, done))
        });
        self.send(Work::Direct(run), lazy, answer).await
    }

    async fn send<T>(
        &self,
        work: Work,
        lazy: bool,
        answer: oneshot::Receiver<Result<T>>,
    ) -> Result<T> {
        self.jobs
            .send(Job { work, lazy })
            .await
            .map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }

    pub async fn ping(&self) -> Result<()> {
        self.write(|c| {
            Box::pin(async move {
                sqlx::query("SELECT 1").execute(c).await.map_err(db_err)?;
                Ok(())
            })
        })
        .await
    }
}

/// How to answer a write once its batch is committed (or not).
fn reply_with<T: Send + 'static>(outcome: Result<T>, done: oneshot::Sender<Result<T>>) -> Reply {
    Box::new(move |committed: bool| {
        let outcome = match outcome {
            Ok(_) if !committed => Err(commit_failed()),
            other => other,
        };
        let _ = done.send(outcome);
    })
}

async fn in_savepoint<T, F>(conn: &mut SqliteConnection, work: F) -> Result<T>
where
    F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T>>,
{
    sqlx::query("SAVEPOINT write")
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    let outcome = work(conn).await;
    for stmt in savepoint_end(outcome.is_ok()) {
        sqlx::query(stmt)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
    }
    outcome
}

fn in_direct_savepoint<T, F>(db: &mut rusqlite::Connection, work: F) -> Result<T>
where
    F: FnOnce(&mut rusqlite::Connection) -> Result<T>,
{
    db.execute_batch("SAVEPOINT write").map_err(direct_err)?;
    let outcome = work(db);
    for stmt in savepoint_end(outcome.is_ok()) {
        db.execute_batch(stmt).map_err(direct_err)?;
    }
    outcome
}

fn savepoint_end(ok: bool) -> &'static [&'static str] {
    match ok {
        true => &["RELEASE write"],
        false => &["ROLLBACK TO write", "RELEASE write"],
    }
}

/// The write connection, twice: as sqlx knows it, and as rusqlite does for direct writes.
struct Connection {
    /// Used only while `conn.lock_handle()` is held; dropped before `conn`.
    direct: Option<rusqlite::Connection>,
    conn: SqliteConnection,
}

impl Connection {
    /// Runs `f` with the direct connection, sqlx's thread kept away meanwhile.
    async fn with_direct<R>(
        &mut self,
        f: impl FnOnce(&mut rusqlite::Connection) -> R,
    ) -> Result<R> {
        let _handle = self.conn.lock_handle().await.map_err(db_err)?;
        let direct = self.direct.as_mut().ok_or_else(gone)?;
        Ok(f(direct))
    }

    async fn sql(&mut self, sql: &str) -> Result<()> {
        sqlx::query(sql)
            .execute(&mut self.conn)
            .await
            .map(drop)
            .map_err(db_err)
    }

    /// Drops the direct connection (finalizing its statements) while holding the handle.
    async fn close_direct(&mut self) {
        if let Ok(_handle) = self.conn.lock_handle().await {
            self.direct = None;
        }
    }
}

async fn run(mut db: Connection, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let replies = match batch
            .iter()
            .all(|j: &Job| matches!(j.work, Work::Direct(_)))
        {
            true => direct_batch(&mut db, &mut batch).await,
            false => mixed_batch(&mut db, &mut batch).await,
        };
        if let Some((committed, replies)) = replies {
            replies.into_iter().for_each(|reply| reply(committed));
        }
    }
    db.close_direct().await;
}

/// How a batch begins: its commit synced to disk unless every write in it is lazy.
fn begin(batch: &[Job]) -> &'static str {
    match batch.iter().all(|j| j.lazy) {
        true => "PRAGMA synchronous = NORMAL; BEGIN IMMEDIATE",
        false => "PRAGMA synchronous = FULL; BEGIN IMMEDIATE",
    }
}

/// A batch of direct writes: one hand-over of the handle, then everything on this thread.
/// Answers whether it committed, and the replies; `None` when it could not begin.
async fn direct_batch(db: &mut Connection, batch: &mut Vec<Job>) -> Option<(bool, Vec<Reply>)> {
    let begin = begin(batch);
    let jobs = std::mem::take(batch);
    let outcome = db
        .with_direct(move |direct| {
            if let Err(e) = direct.execute_batch(begin) {
                tracing::error!(error = %e, "could not begin a write transaction");
                return None;
            }
            // A write alone in its transaction needs no savepoint: if it fails, the transaction
            // is rolled back instead.
            let alone = jobs.len() == 1;
            let (mut replies, mut all_ok) = (Vec::with_capacity(jobs.len()), true);
            for job in jobs {
                if let Work::Direct(run) = job.work {
                    let (ok, reply) = run(direct, !alone);
                    all_ok &= ok;
                    replies.push(reply);
                }
            }
            let end = if alone && !all_ok {
                "ROLLBACK"
            } else {
                "COMMIT"
            };
            let committed = match direct.execute_batch(end) {
                Ok(()) => end == "COMMIT",
                Err(e) => {
                    tracing::error!(error = %e, "group commit failed");
                    let _ = direct.execute_batch("ROLLBACK");
                    false
                }
            };
            Some((committed, replies))
        })
        .await;
    match outcome {
        Ok(done) => done,
        Err(e) => {
            tracing::error!(error = %e, "could not reach the write connection");
            None
        }
    }
}

/// A batch with writes through sqlx (and maybe direct ones, each given the handle in turn).
async fn mixed_batch(db: &mut Connection, batch: &mut Vec<Job>) -> Option<(bool, Vec<Reply>)> {
    // Each statement is a round trip to sqlx's connection thread (two thread switches), so
    // a batch sets how its commit reaches the disk in the same trip as it begins.
    if let Err(e) = db.sql(begin(batch)).await {
        tracing::error!(error = %e, "could not begin a write transaction");
        batch.clear();
        return None;
    }
    let alone = batch.len() == 1;
    let mut replies = Vec::with_capacity(batch.len());
    let mut all_ok = true;
    for job in batch.drain(..) {
        let (ok, reply) = match job.work {
            Work::Sqlx(run) => run(&mut db.conn, !alone).await,
            Work::Direct(run) => match db.with_direct(|direct| run(direct, !alone)).await {
                Ok(done) => done,
                // The job was dropped unrun: its caller hears that the writer is gone.
                Err(_) => (false, Box::new(|_| {}) as Reply),
            },
        };
        all_ok &= ok;
        replies.push(reply);
    }
    let committed = if alone && !all_ok {
        if let Err(e) = db.sql("ROLLBACK").await {
            tracing::error!(error = %e, "could not roll back a failed write");
        }
        false
    } else {
        match db.sql("COMMIT").await {
            Ok(()) => true,
            Err(e) => {
                tracing::error!(error = %e, "group commit failed");
                let _ = db.sql("ROLLBACK").await;
                false
            }
        }
    };
    Some((committed, replies))
}

/// Maps rusqlite's errors onto the storage errors, as `db_err` does sqlx's.
pub(crate) fn direct_err(e: rusqlite::Error) -> rostra_core::Error {
    use rusqlite::ffi::ErrorCode;
    match e.sqlite_error_code() {
        _ if matches!(e, rusqlite::Error::QueryReturnedNoRows) => StoreError::NotFound.into(),
        Some(ErrorCode::ConstraintViolation) => match e.sqlite_error().map(|x| x.extended_code) {
            Some(
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY,
            ) => StoreError::Conflict("unique").into(),
            Some(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => {
                StoreError::Conflict("foreign_key").into()
            }
            _ => StoreError::Other(e.to_string()).into(),
        },
        _ => StoreError::Other(e.to_string()).into(),
    }
}

fn gone() -> rostra_core::Error {
    StoreError::Other("the database writer has stopped".into()).into()
}

fn commit_failed() -> rostra_core::Error {
    StoreError::Other("the commit failed".into()).into()
}
