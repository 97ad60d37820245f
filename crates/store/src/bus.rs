//! The event bus backends: a broadcast channel inside one process, and PostgreSQL
//! LISTEN/NOTIFY between instances on one database.
//!
//! Events are stored before they are published, so a notification carries only the event's id;
//! each instance reads the event itself. When the listening connection drops, notifications
//! sent meanwhile are lost, so the bus emits a `resync` event and instances drop their caches.

use async_trait::async_trait;
use futures::stream::BoxStream;
use rostra_core::events::{EventBus, ThreadEvent, RESYNC};
use rostra_core::{Result, SiteId, Store, StoreError, ThreadId};
use sqlx::postgres::PgListener;
use std::sync::Arc;
use tokio::sync::broadcast;

/// Events a slow subscriber may fall behind before it gets a `resync` instead. The channel
/// holds them behind an `Arc`, so its ring is 4096 pointers (160 KiB, not 512 KiB of events).
const BACKLOG: usize = 4096;
const CHANNEL: &str = "rostra_events";

fn resync() -> ThreadEvent {
    ThreadEvent {
        id: 0,
        thread_id: ThreadId(0),
        site_id: SiteId(0),
        thread_key: String::new(),
        kind: RESYNC.into(),
        payload: String::new(),
        at: 0,
    }
}

fn stream_of(rx: broadcast::Receiver<Arc<ThreadEvent>>) -> BoxStream<'static, ThreadEvent> {
    Box::pin(futures::stream::unfold(rx, |mut rx| async move {
        match rx.recv().await {
            Ok(e) => Some((Arc::unwrap_or_clone(e), rx)),
            Err(broadcast::error::RecvError::Lagged(_)) => Some((resync(), rx)),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }))
}

/// One process: publishing is sending on a broadcast channel.
pub struct LocalBus {
    tx: broadcast::Sender<Arc<ThreadEvent>>,
}

impl LocalBus {
    pub fn new() -> LocalBus {
        LocalBus {
            tx: broadcast::channel(BACKLOG).0,
        }
    }
}

impl Default for LocalBus {
    fn default() -> Self {
        LocalBus::new()
    }
}

#[async_trait]
impl EventBus for LocalBus {
    async fn publish(&self, event: &ThreadEvent) -> Result<()> {
        let _ = self.tx.send(Arc::new(event.clone()));
        Ok(())
    }

    fn subscribe(&self) -> BoxStream<'static, ThreadEvent> {
        stream_of(self.tx.subscribe())
    }
}

/// Several instances on one PostgreSQL: `NOTIFY rostra_events, '<id>'`, and one listening
/// connection per instance that reads each event and hands it on.
pub struct PgBus {
    pool: sqlx::PgPool,
    tx: broadcast::Sender<Arc<ThreadEvent>>,
}

impl PgBus {
    pub async fn start(url: &str, store: Arc<dyn Store>) -> Result<PgBus> {
        let options = crate::postgres::connect_options(url)?;
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await
            .map_err(other)?;
        let mut listener = PgListener::connect_with(&pool).await.map_err(other)?;
        listener.listen(CHANNEL).await.map_err(other)?;
        let (tx, _) = broadcast::channel(BACKLOG);
        tokio::spawn(listen(listener, store, tx.clone()));
        Ok(PgBus { pool, tx })
    }
}

async fn listen(
    mut listener: PgListener,
    store: Arc<dyn Store>,
    tx: broadcast::Sender<Arc<ThreadEvent>>,
) {
    loop {
        match listener.try_recv().await {
            // An import (`rostra import`) changed many threads at once: drop every cache.
            Ok(Some(n)) if n.payload() == RESYNC => {
                let _ = tx.send(Arc::new(resync()));
            }
            Ok(Some(n)) => {
                let Ok(id) = n.payload().parse::<i64>() else {
                    continue;
                };
                match store.event(id).await {
                    Ok(Some(e)) => {
                        let _ = tx.send(Arc::new(e));
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "could not read a notified event");
                        let _ = tx.send(Arc::new(resync()));
                    }
                }
            }
            // The connection dropped and sqlx reconnects on the next call; what was notified in
            // between is lost, so everyone starts afresh.
            Ok(None) => {
                tracing::warn!("event listener reconnected; caches will be rebuilt");
                let _ = tx.send(Arc::new(resync()));
            }
            Err(e) => {
                tracing::warn!(error = %e, "event listener failed; retrying");
                let _ = tx.send(Arc::new(resync()));
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        }
    }
}

#[async_trait]
impl EventBus for PgBus {
    async fn publish(&self, event: &ThreadEvent) -> Result<()> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(event.id.to_string())
            .execute(&self.pool)
            .await
            .map_err(other)?;
        Ok(())
    }

    fn subscribe(&self) -> BoxStream<'static, ThreadEvent> {
        stream_of(self.tx.subscribe())
    }
}

fn other(e: sqlx::Error) -> rostra_core::Error {
    StoreError::Other(e.to_string()).into()
}

/// The bus that fits the database: LISTEN/NOTIFY for PostgreSQL, in-process for SQLite.
pub async fn open_bus(url: &str, store: Arc<dyn Store>) -> Result<Arc<dyn EventBus>> {
    if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(PgBus::start(url, store).await?))
    } else {
        Ok(Arc::new(LocalBus::new()))
    }
}
