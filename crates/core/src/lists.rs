//! What the page around a thread lists: the most discussed threads and the latest comments.

use crate::comment::Comment;
use crate::error::Result;
use crate::ids::{SiteId, ThreadId};
use crate::thread::Thread;
use async_trait::async_trait;

/// A thread with how many of its published comments were written since a point in time.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscussedThread {
    pub thread: Thread,
    pub recent_comments: i64,
}

/// A published comment with the thread it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedComment {
    pub comment: Comment,
    pub thread: Thread,
}

#[async_trait]
pub trait ListStore: Send + Sync {
    /// The site's threads with the most published comments created at or after `since`, most
    /// first (newer thread first among equals); threads with none in the window are left out.
    async fn most_discussed(
        &self,
        site: SiteId,
        since: i64,
        limit: u32,
    ) -> Result<Vec<DiscussedThread>>;
    /// The newest published comments of a site, or of one of its threads, newest first.
    async fn latest_comments(
        &self,
        site: SiteId,
        thread: Option<ThreadId>,
        limit: u32,
    ) -> Result<Vec<ListedComment>>;
}
