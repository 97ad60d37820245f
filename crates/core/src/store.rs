//! The storage traits every backend implements, split by aspect and combined into one `Store`.
//!
//! One method per atomic use case: a backend does each in one transaction, and no transaction
//! leaks through the trait. Public listings return only what the public may see.

use crate::comment::{Comment, CommentEdit, NewComment, NewVote, Revision, Sort, VoteTotals};
use crate::error::Result;
use crate::ids::{CommentId, SiteId, ThreadId};
use crate::site::{NewSite, Site};
use crate::thread::Thread;
use async_trait::async_trait;

#[async_trait]
pub trait SiteStore: Send + Sync {
    async fn create_site(&self, site: NewSite, now: i64) -> Result<Site>;
    async fn update_site(&self, site: &Site) -> Result<()>;
    async fn list_sites(&self) -> Result<Vec<Site>>;
    async fn site_by_key(&self, key: &str) -> Result<Option<Site>>;
    /// A server-wide secret (such as the salt for address hashes), created on first use and
    /// the same for every instance on this database afterwards.
    async fn server_secret(&self, name: &str, fresh: String) -> Result<String>;
}

#[async_trait]
pub trait ThreadStore: Send + Sync {
    async fn thread_by_key(&self, site: SiteId, key: &str) -> Result<Option<Thread>>;
    async fn thread(&self, id: ThreadId) -> Result<Option<Thread>>;
    async fn list_threads(&self, site: SiteId) -> Result<Vec<Thread>>;
    async fn set_thread_closed(&self, id: ThreadId, closed: bool) -> Result<()>;
    /// Public comment counts for the threads with these keys; keys without a thread are absent.
    async fn comment_counts(&self, site: SiteId, keys: &[String]) -> Result<Vec<(String, i64)>>;
}

#[async_trait]
pub trait CommentStore: Send + Sync {
    /// Stores a comment, creating its thread on the first comment. Refuses a parent that is not
    /// in the same thread or is deleted, and a thread that is closed.
    async fn create_comment(&self, new: NewComment) -> Result<(Comment, Thread)>;
    async fn comment(&self, id: CommentId) -> Result<Option<Comment>>;
    /// Replaces the text, keeping the previous one as a revision.
    async fn edit_comment(&self, id: CommentId, edit: CommentEdit) -> Result<Comment>;
    /// Deletes by the author: the text goes; a comment with replies stays as a tombstone.
    async fn delete_comment(&self, id: CommentId, at: i64) -> Result<Comment>;
    async fn vote(&self, vote: NewVote) -> Result<VoteTotals>;
    async fn revisions(&self, id: CommentId) -> Result<Vec<Revision>>;
    /// One page of a thread's public top-level comments.
    async fn top_level_page(
        &self,
        thread: ThreadId,
        sort: Sort,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<Comment>>;
    /// Public replies at any depth under these top-level comments, at most `per_root` under
    /// each, in ascending id order.
    async fn descendants(&self, roots: &[CommentId], per_root: u32) -> Result<Vec<Comment>>;
    /// One page of a comment's public direct replies, and up to `budget` public comments
    /// below them in ascending id order.
    async fn replies_page(
        &self,
        parent: CommentId,
        offset: u64,
        limit: u32,
        budget: u32,
    ) -> Result<(Vec<Comment>, Vec<Comment>)>;
}

/// Everything the server needs from storage, as one object: `Arc<dyn Store>`.
#[async_trait]
pub trait Store: SiteStore + ThreadStore + CommentStore {
    /// Which backend this is (`sqlite`, `postgres`), for logs and metrics.
    fn backend(&self) -> &'static str;
    /// Answers when the database does (for `/healthz`).
    async fn ping(&self) -> Result<()>;
}
