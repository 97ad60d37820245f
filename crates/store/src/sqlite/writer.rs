//! Group commit: every write goes to one task that owns the write connection.
//!
//! SQLite allows one writer at a time and each durable commit costs an fsync. Rather than make
//! every request wait for its own fsync, the writer takes all writes that queued up while the
//! previous commit was on its way to disk and commits them together. Each write runs in its own
//! savepoint (or alone in its transaction), so one that fails rolls back alone; nobody hears
//! "done" before the commit is durable.
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
/// Runs one write (in a savepoint when asked); answers whether it succeeded, and how to reply.
type Run =
    Box<dyn for<'c> FnOnce(&'c mut SqliteConnection, bool) -> BoxFuture<'c, (bool, Reply)> + Send>;

struct Job {
    run: Run,
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
    pub fn start(conn: SqliteConnection) -> Writer {
        let (jobs, rx) = mpsc::channel(4096);
        tokio::spawn(run(conn, rx));
        Writer { jobs }
    }

    /// Runs `work` inside the next group commit and answers once that commit is durable.
    pub async fn write<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T>> + Send + 'static,
    {
        self.submit(work, false).await
    }

    /// Like `write`, but answers once committed, which is durable only with the next durable
    /// commit: for records of changes that are themselves already durable.
    pub async fn write_lazy<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T>> + Send + 'static,
    {
        self.submit(work, true).await
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
                let ok = outcome.is_ok();
                let reply = Box::new(move |committed: bool| {
                    let outcome = match outcome {
                        Ok(_) if !committed => Err(commit_failed()),
                        other => other,
                    };
                    let _ = done.send(outcome);
                }) as Reply;
                (ok, reply)
            })
        });
        self.jobs
            .send(Job { run, lazy })
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

async fn in_savepoint<T, F>(conn: &mut SqliteConnection, work: F) -> Result<T>
where
    F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T>>,
{
    sqlx::query("SAVEPOINT write")
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    let outcome = work(conn).await;
    let end = if outcome.is_ok() {
        "RELEASE write"
    } else {
        "ROLLBACK TO write; RELEASE write"
    };
    for stmt in end.split("; ") {
        sqlx::query(stmt)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
    }
    outcome
}

async fn run(mut conn: SqliteConnection, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let lazy = batch.iter().all(|j: &Job| j.lazy);
        // Each statement is a round trip to sqlx's connection thread (two thread switches), so
        // a batch sets how its commit reaches the disk in the same trip as it begins.
        let begin = match lazy {
            true => "PRAGMA synchronous = NORMAL; BEGIN IMMEDIATE",
            false => "PRAGMA synchronous = FULL; BEGIN IMMEDIATE",
        };
        if let Err(e) = sqlx::query(begin).execute(&mut conn).await {
            tracing::error!(error = %e, "could not begin a write transaction");
            batch.drain(..).for_each(drop);
            continue;
        }
        // A write alone in its transaction needs no savepoint: if it fails, the transaction
        // is rolled back instead (two statements fewer, which is most writes under light load).
        let alone = batch.len() == 1;
        let mut replies = Vec::with_capacity(batch.len());
        let mut all_ok = true;
        for job in batch.drain(..) {
            let (ok, reply) = (job.run)(&mut conn, !alone).await;
            all_ok &= ok;
            replies.push(reply);
        }
        let committed = if alone && !all_ok {
            if let Err(e) = sqlx::query("ROLLBACK").execute(&mut conn).await {
                tracing::error!(error = %e, "could not roll back a failed write");
            }
            false
        } else {
            match sqlx::query("COMMIT").execute(&mut conn).await {
                Ok(_) => true,
                Err(e) => {
                    tracing::error!(error = %e, "group commit failed");
                    let _ = sqlx::query("ROLLBACK").execute(&mut conn).await;
                    false
                }
            }
        };
        replies.into_iter().for_each(|reply| reply(committed));
    }
}

fn gone() -> rostra_core::Error {
    StoreError::Other("the database writer has stopped".into()).into()
}

fn commit_failed() -> rostra_core::Error {
    StoreError::Other("the commit failed".into()).into()
}
