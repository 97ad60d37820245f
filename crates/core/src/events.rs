//! Thread events: what changed in a thread, stored (so a client that lost its connection can
//! catch up) and published to every instance (so each can refresh its cache and tell its
//! live readers).

use crate::error::Result;
use crate::ids::{SiteId, ThreadId};
use async_trait::async_trait;
use futures_core::stream::BoxStream;

/// `comment`, `edit`, `remove` or `vote` (see docs/api.md); `resync` is internal: events may
/// have been missed, so every cache must be dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadEvent {
    /// Increasing across the database; `Last-Event-ID` for readers.
    pub id: i64,
    pub thread_id: ThreadId,
    pub site_id: SiteId,
    pub thread_key: String,
    pub kind: String,
    /// The event's JSON, as sent to readers.
    pub payload: String,
    pub at: i64,
}

/// An event to be stored; the store assigns its id.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub thread: ThreadId,
    pub kind: &'static str,
    pub payload: String,
    pub at: i64,
}

pub const RESYNC: &str = "resync";

/// Publish and subscribe across instances. In one process: a broadcast channel. Several
/// instances on one PostgreSQL: LISTEN/NOTIFY.
#[async_trait]
pub trait EventBus: Send + Sync {
    /// Tells every instance, this one included, about a stored event.
    async fn publish(&self, event: &ThreadEvent) -> Result<()>;
    /// Every event published from now on, by any instance.
    fn subscribe(&self) -> BoxStream<'static, ThreadEvent>;
}
