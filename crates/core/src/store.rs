//! The storage traits every backend implements, split by aspect and combined into one `Store`.
//!
//! One method per atomic use case: a backend does each in one transaction, and no transaction
//! leaks through the trait. Public listings return only what the public may see.

use crate::comment::Status;
use crate::comment::{Comment, CommentEdit, NewComment, NewVote, Revision, Sort, VoteTotals};
use crate::error::Result;
use crate::events::{NewEvent, ThreadEvent};
use crate::ids::{CommentId, SiteId, ThreadId, UserId};
use crate::moderation::{
    AuditEntry, Ban, BanKind, Decision, NewAuditEntry, NewBan, NewReport, Report, SitePolicy,
};
use crate::notification::{
    AlertKind, AlertMode, DigestItem, NewSubscription, NewWebhook, Subscription, Webhook,
};
use crate::outbox::{NewOutboxItem, OutboxItem};
use crate::site::{NewSite, NewSiteToken, Site, SiteToken};
use crate::thread::Thread;
use crate::user::{NewUser, Session, User};
use async_trait::async_trait;

pub use crate::reader_store::{AccountDataStore, AccountStore, GuestDataStore, PasskeyStore};

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

/// Sites' machine-to-machine tokens (the WordPress plugin's import), kept only as hashes.
#[async_trait]
pub trait SiteTokenStore: Send + Sync {
    async fn create_site_token(&self, new: NewSiteToken, now: i64) -> Result<SiteToken>;
    /// The site's tokens, revoked ones too, oldest first.
    async fn site_tokens(&self, site: SiteId) -> Result<Vec<SiteToken>>;
    /// The token with this hash, revoked or not (the caller says why it is refused).
    async fn site_token_by_hash(&self, token_hash: &str) -> Result<Option<SiteToken>>;
    /// Revokes one of the site's tokens; answers whether it was there and not revoked yet.
    async fn revoke_site_token(&self, site: SiteId, id: i64, now: i64) -> Result<bool>;
    /// Records that the token was just used.
    async fn site_token_used(&self, id: i64, now: i64) -> Result<()>;
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

#[async_trait]
pub trait UserStore: Send + Sync {
    async fn create_user(&self, user: NewUser, now: i64) -> Result<User>;
    async fn user(&self, id: UserId) -> Result<Option<User>>;
    /// By e-mail, compared without regard to case.
    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    async fn list_users(&self) -> Result<Vec<User>>;
    async fn set_user_sites(&self, id: UserId, sites: &[SiteId]) -> Result<()>;
    async fn create_session(&self, session: Session) -> Result<()>;
    async fn session(&self, token_hash: &str) -> Result<Option<Session>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    /// Removes expired sessions; answers how many.
    async fn delete_expired_sessions(&self, now: i64) -> Result<u64>;
}

/// The moderators' queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Held by a check, by pre-moderation or by reports.
    Pending,
    /// Reported by readers and not yet reviewed.
    Reported,
    Rejected,
    /// Everything, newest first.
    Recent,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    pub pending: i64,
    pub reported: i64,
    pub rejected: i64,
    pub recent: i64,
}

/// Which sites a listing covers: every site (admins) or the given ones (moderators).
#[derive(Debug, Clone, PartialEq)]
pub enum SiteScope {
    All,
    Only(Vec<SiteId>),
}

/// A moderator's decision, applied together with its history entry and audit line.
#[derive(Debug, Clone)]
pub struct Moderation {
    pub comment_id: CommentId,
    pub status: Status,
    pub decision: Decision,
    /// The audit line, for a person's action (the automatic checks leave none).
    pub audit: Option<NewAuditEntry>,
}

/// What a commenter has done before, for the moderator's side panel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuthorHistory {
    pub comments: i64,
    pub published: i64,
    pub pending: i64,
    pub rejected: i64,
    pub first_seen: Option<i64>,
    pub bans: Vec<Ban>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportOutcome {
    /// Recorded; the comment has this many distinct reports and was (or was not) held now.
    Recorded { reports: i64, held: bool },
    /// This reader had reported the comment already.
    AlreadyReported,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub site: Option<SiteId>,
    pub actor: Option<UserId>,
    pub action: Option<String>,
    pub before_id: Option<i64>,
    pub limit: u32,
}

#[async_trait]
pub trait ModerationStore: Send + Sync {
    async fn site_policy(&self, site: SiteId) -> Result<Option<SitePolicy>>;
    async fn set_site_policy(
        &self,
        site: SiteId,
        policy: &SitePolicy,
        audit: NewAuditEntry,
    ) -> Result<()>;
    async fn queue(
        &self,
        scope: &SiteScope,
        queue: Queue,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<Comment>>;
    async fn queue_counts(&self, scope: &SiteScope) -> Result<QueueCounts>;
    /// Changes a comment's status, keeping thread and reply counts right, and records the
    /// decision and the audit line in the same transaction.
    async fn moderate(&self, action: Moderation) -> Result<Comment>;
    async fn decisions(&self, comment: CommentId) -> Result<Vec<Decision>>;
    /// Records a report; holds a published comment when `hold_at` distinct readers reported it.
    async fn report(&self, report: NewReport, hold_at: u32) -> Result<ReportOutcome>;
    async fn reports(&self, comment: CommentId) -> Result<Vec<Report>>;
    async fn create_ban(&self, ban: NewBan, audit: NewAuditEntry) -> Result<Ban>;
    /// Bans on this site matching any of these values, in force at `now`.
    async fn active_bans(
        &self,
        site: SiteId,
        values: &[(BanKind, String)],
        now: i64,
    ) -> Result<Vec<Ban>>;
    /// Every ban on this site in force at `now` (servers keep them in memory).
    async fn site_bans(&self, site: SiteId, now: i64) -> Result<Vec<Ban>>;
    async fn author_history(
        &self,
        site: SiteId,
        author_key: &str,
        now: i64,
    ) -> Result<AuthorHistory>;
    /// Whether this commenter has a published comment on this site (trusted under
    /// pre-moderation of newcomers).
    async fn has_published(&self, site: SiteId, author_key: &str) -> Result<bool>;
    async fn append_audit(&self, entry: NewAuditEntry) -> Result<()>;
    async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;
    /// Forgets address hashes older than `before`; answers how many comments were touched.
    async fn purge_address_hashes(&self, before: i64) -> Result<u64>;
}

#[async_trait]
pub trait EventStore: Send + Sync {
    /// Stores an event (its id is assigned here).
    async fn append_event(
        &self,
        thread: ThreadId,
        kind: &str,
        payload: &str,
        at: i64,
    ) -> Result<ThreadEvent>;
    /// Stores several events, in order, in one transaction where the backend can.
    async fn append_events(&self, events: &[NewEvent]) -> Result<Vec<ThreadEvent>> {
        let mut stored = Vec::with_capacity(events.len());
        for e in events {
            stored.push(
                self.append_event(e.thread, e.kind, &e.payload, e.at)
                    .await?,
            );
        }
        Ok(stored)
    }
    async fn event(&self, id: i64) -> Result<Option<ThreadEvent>>;
    /// A thread's events after `after`, oldest first, at most `limit`.
    async fn events_since(
        &self,
        thread: ThreadId,
        after: i64,
        limit: u32,
    ) -> Result<Vec<ThreadEvent>>;
    /// Forgets events older than `before`; answers how many.
    async fn purge_events(&self, before: i64) -> Result<u64>;
}

#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Stores a message, due at once; answers its id.
    async fn enqueue(&self, item: NewOutboxItem, now: i64) -> Result<i64>;
    /// Takes up to `limit` due messages for delivery: each is given `lease_until` as its next
    /// try, so that another instance leaves it alone meanwhile and a crash mid-delivery means
    /// only a later retry.
    async fn claim_outbox(&self, now: i64, lease_until: i64, limit: u32)
        -> Result<Vec<OutboxItem>>;
    /// Records a delivery.
    async fn outbox_sent(&self, id: i64, at: i64) -> Result<()>;
    /// Records a failed try; `retry_at` is the next one, `None` gives up.
    async fn outbox_failed(&self, id: i64, error: &str, retry_at: Option<i64>) -> Result<()>;
    async fn outbox_item(&self, id: i64) -> Result<Option<OutboxItem>>;
    /// Forgets delivered messages sent before `before`; answers how many.
    async fn purge_outbox(&self, before: i64) -> Result<u64>;
    /// The delivery log: messages newest first, those with ids below `before_id` when given.
    async fn recent_outbox(&self, before_id: Option<i64>, limit: u32) -> Result<Vec<OutboxItem>>;
}

/// Reply subscriptions, moderator alerts and webhooks.
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// Records a subscription; the same one made twice is stored once (answered both times).
    async fn subscribe(&self, new: NewSubscription, now: i64) -> Result<Subscription>;
    async fn subscription(&self, id: i64) -> Result<Option<Subscription>>;
    /// Confirms a double opt-in; answers false when it was confirmed already or is gone.
    async fn confirm_subscription(&self, id: i64, now: i64) -> Result<bool>;
    /// The address a guest identity confirmed on a site.
    async fn verified_guest_email(&self, site: SiteId, author_key: &str) -> Result<Option<String>>;
    /// Ends a subscription; answers whether there was one.
    async fn unsubscribe(&self, id: i64) -> Result<bool>;
    /// Ends an address's subscription to a thread; answers whether there was one.
    async fn unsubscribe_thread(&self, thread: ThreadId, email: &str) -> Result<bool>;
    /// Who hears about a new comment in `thread` replying to `parent`: that comment's
    /// subscribers and the thread's (confirmed ones only), one subscription per address (the comment's first).
    async fn reply_subscribers(
        &self,
        thread: ThreadId,
        parent: Option<CommentId>,
    ) -> Result<Vec<Subscription>>;
    /// Marks a comment's reply notifications as sent; answers false when they already were, so
    /// that a comment approved, held and approved again notifies once.
    async fn mark_notified(&self, comment: CommentId, now: i64) -> Result<bool>;
    async fn set_alert_mode(&self, user: UserId, mode: AlertMode, now: i64) -> Result<()>;
    /// Every moderator's alert setting that is not `off`.
    async fn alert_modes(&self) -> Result<Vec<(UserId, AlertMode)>>;
    async fn add_digest_item(
        &self,
        user: UserId,
        comment: CommentId,
        kind: AlertKind,
        now: i64,
    ) -> Result<()>;
    /// Every pending digest item, oldest first.
    async fn digest_items(&self) -> Result<Vec<DigestItem>>;
    /// Removes digest items that no digest will ever list (their moderator is gone, or may no
    /// longer moderate their site, or their comments are gone).
    async fn drop_digest_items(&self, items: &[i64]) -> Result<()>;
    /// Queues a digest e-mail and removes the items it lists, in one transaction; answers the
    /// outbox id, or `None` when another instance sent these items already.
    async fn enqueue_digest(
        &self,
        items: &[i64],
        mail: NewOutboxItem,
        now: i64,
    ) -> Result<Option<i64>>;
    async fn add_webhook(&self, new: NewWebhook, now: i64) -> Result<Webhook>;
    async fn webhooks(&self, site: SiteId) -> Result<Vec<Webhook>>;
    async fn webhook(&self, id: i64) -> Result<Option<Webhook>>;
    /// Removes a site's webhook; answers whether it existed.
    async fn remove_webhook(&self, site: SiteId, id: i64) -> Result<bool>;
}

/// Everything the server needs from storage, as one object: `Arc<dyn Store>`.
#[async_trait]
pub trait Store:
    SiteStore
    + SiteTokenStore
    + ThreadStore
    + CommentStore
    + UserStore
    + ModerationStore
    + EventStore
    + OutboxStore
    + AccountStore
    + AccountDataStore
    + crate::lists::ListStore
    + crate::desk::DeskStore
    + crate::desk::PicksStore
    + PasskeyStore
    + GuestDataStore
    + NotificationStore
{
    /// Which backend this is (`sqlite`, `postgres`), for logs and metrics.
    fn backend(&self) -> &'static str;
    /// Answers when the database does (for `/healthz`).
    async fn ping(&self) -> Result<()>;
    /// Gives back memory held only to be quick (page caches of idle connections); called when
    /// the server goes quiet. Nothing by default.
    async fn release_memory(&self) -> Result<()> {
        Ok(())
    }
}
