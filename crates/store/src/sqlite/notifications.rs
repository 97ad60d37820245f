//! Reply subscriptions, moderator alerts and digests, and webhooks, in SQLite.

use super::{db_err, SqliteStore};
use async_trait::async_trait;
use rostra_core::notification::{
    AlertKind, AlertMode, DigestItem, NewSubscription, NewWebhook, Subscription, Webhook,
};
use rostra_core::outbox::NewOutboxItem;
use rostra_core::store::NotificationStore;
use rostra_core::{CommentId, Result, SiteId, StoreError, ThreadId, UserId};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

const FIND_SUB: &str = "SELECT id FROM reply_subscriptions WHERE site_id = ? \
     AND thread_id IS ? AND comment_id IS ? AND email = ?";
const INSERT_SUB: &str = "INSERT INTO reply_subscriptions \
     (site_id, thread_id, comment_id, email, confirmed_at, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
const SUB_BY_ID: &str =
    "SELECT id, site_id, thread_id, comment_id, email, confirmed_at, created_at \
     FROM reply_subscriptions WHERE id = ?";
const CONFIRM_SUB: &str =
    "UPDATE reply_subscriptions SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL";
const GUEST_EMAIL: &str = "SELECT email FROM verified_guests WHERE site_id = ? AND author_key = ?";
const DELETE_SUB: &str = "DELETE FROM reply_subscriptions WHERE id = ?";
const DELETE_THREAD_SUB: &str =
    "DELETE FROM reply_subscriptions WHERE thread_id = ? AND comment_id IS NULL AND email = ?";
const SUBSCRIBERS: &str = "SELECT id, site_id, thread_id, comment_id, email, confirmed_at, created_at \
     FROM reply_subscriptions WHERE confirmed_at IS NOT NULL AND ((comment_id IS NOT NULL AND comment_id = ?) \
     OR (comment_id IS NULL AND thread_id = ?)) ORDER BY comment_id IS NULL, id";
const MARK_NOTIFIED: &str = "INSERT INTO notified_comments (comment_id, notified_at) \
     VALUES (?, ?) ON CONFLICT (comment_id) DO NOTHING";
const SET_ALERT: &str =
    "INSERT INTO moderator_alerts (user_id, mode, updated_at) VALUES (?, ?, ?) \
     ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at";
const ALERT_MODES: &str =
    "SELECT user_id, mode FROM moderator_alerts WHERE mode <> 'off' ORDER BY user_id";
const ADD_DIGEST_ITEM: &str = "INSERT INTO alert_digest_items \
     (user_id, comment_id, kind, created_at) VALUES (?, ?, ?, ?)";
const DIGEST_ITEMS: &str =
    "SELECT id, user_id, comment_id, kind, created_at FROM alert_digest_items ORDER BY id";
const DELETE_DIGEST_ITEM: &str = "DELETE FROM alert_digest_items WHERE id = ?";
const ENQUEUE: &str = "INSERT INTO outbox (kind, recipient, payload, next_attempt_at, created_at) \
     VALUES (?, ?, ?, ?, ?) RETURNING id";
const INSERT_WEBHOOK: &str = "INSERT INTO webhooks (site_id, url, secret, created_at) \
     VALUES (?, ?, ?, ?) RETURNING id";
const WEBHOOKS: &str =
    "SELECT id, site_id, url, secret, created_at FROM webhooks WHERE site_id = ? ORDER BY id";
const WEBHOOK: &str = "SELECT id, site_id, url, secret, created_at FROM webhooks WHERE id = ?";
const DELETE_WEBHOOK: &str = "DELETE FROM webhooks WHERE site_id = ? AND id = ?";

fn subscription(r: &SqliteRow) -> Result<Subscription> {
    Ok(Subscription {
        id: r.try_get("id").map_err(db_err)?,
        site_id: SiteId(r.try_get("site_id").map_err(db_err)?),
        thread_id: r
            .try_get::<Option<i64>, _>("thread_id")
            .map_err(db_err)?
            .map(ThreadId),
        comment_id: r
            .try_get::<Option<i64>, _>("comment_id")
            .map_err(db_err)?
            .map(CommentId),
        email: r.try_get("email").map_err(db_err)?,
        confirmed_at: r.try_get("confirmed_at").map_err(db_err)?,
        created_at: r.try_get("created_at").map_err(db_err)?,
    })
}

fn webhook(r: &SqliteRow) -> Result<Webhook> {
    Ok(Webhook {
        id: r.try_get("id").map_err(db_err)?,
        site_id: SiteId(r.try_get("site_id").map_err(db_err)?),
        url: r.try_get("url").map_err(db_err)?,
        secret: r.try_get("secret").map_err(db_err)?,
        created_at: r.try_get("created_at").map_err(db_err)?,
    })
}

fn digest_item(r: &SqliteRow) -> Result<DigestItem> {
    let kind: String = r.try_get("kind").map_err(db_err)?;
    Ok(DigestItem {
        id: r.try_get("id").map_err(db_err)?,
        user_id: UserId(r.try_get("user_id").map_err(db_err)?),
        comment_id: CommentId(r.try_get("comment_id").map_err(db_err)?),
        kind: AlertKind::parse(&kind)
            .ok_or_else(|| StoreError::Other(format!("unknown alert kind '{kind}'")))?,
        created_at: r.try_get("created_at").map_err(db_err)?,
    })
}

/// Dedupes only a subscription to the same thing by the same address; addresses are stored as
/// given, lower-cased.
#[async_trait]
impl NotificationStore for SqliteStore {
    async fn subscribe(&self, new: NewSubscription, now: i64) -> Result<Subscription> {
        let id = self
            .writer
            .write(move |c| {
                Box::pin(async move {
                    let email = new.email.trim().to_lowercase();
                    let thread = new.thread_id.map(|t| t.0);
                    let comment = new.comment_id.map(|t| t.0);
                    let found: Option<i64> = sqlx::query_scalar(FIND_SUB)
                        .bind(new.site_id.0)
                        .bind(thread)
                        .bind(comment)
                        .bind(&email)
                        .fetch_optional(&mut *c)
                        .await
                        .map_err(db_err)?;
                    if let Some(id) = found {
                        if new.confirmed {
                            sqlx::query(CONFIRM_SUB)
                                .bind(now)
                                .bind(id)
                                .execute(&mut *c)
                                .await
                                .map_err(db_err)?;
                        }
                        return Ok(id);
                    }
                    sqlx::query_scalar(INSERT_SUB)
                        .bind(new.site_id.0)
                        .bind(thread)
                        .bind(comment)
                        .bind(&email)
                        .bind(new.confirmed.then_some(now))
                        .bind(now)
                        .fetch_one(&mut *c)
                        .await
                        .map_err(db_err)
                })
            })
            .await?;
        self.subscription(id)
            .await?
            .ok_or_else(|| StoreError::NotFound.into())
    }

    async fn subscription(&self, id: i64) -> Result<Option<Subscription>> {
        let row = sqlx::query(SUB_BY_ID)
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        row.as_ref().map(subscription).transpose()
    }

    async fn confirm_subscription(&self, id: i64, now: i64) -> Result<bool> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query(CONFIRM_SUB)
                        .bind(now)
                        .bind(id)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    Ok(done.rows_affected() > 0)
                })
            })
            .await
    }

    async fn verified_guest_email(&self, site: SiteId, author_key: &str) -> Result<Option<String>> {
        sqlx::query_scalar(GUEST_EMAIL)
            .bind(site.0)
            .bind(author_key)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)
    }

    async fn unsubscribe(&self, id: i64) -> Result<bool> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query(DELETE_SUB)
                        .bind(id)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    Ok(done.rows_affected() > 0)
                })
            })
            .await
    }

    async fn unsubscribe_thread(&self, thread: ThreadId, email: &str) -> Result<bool> {
        let email = email.trim().to_lowercase();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query(DELETE_THREAD_SUB)
                        .bind(thread.0)
                        .bind(&email)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    Ok(done.rows_affected() > 0)
                })
            })
            .await
    }

    async fn reply_subscribers(
        &self,
        thread: ThreadId,
        parent: Option<CommentId>,
    ) -> Result<Vec<Subscription>> {
        let rows = sqlx::query(SUBSCRIBERS)
            .bind(parent.map_or(-1, |p| p.0))
            .bind(thread.0)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        let mut subs: Vec<Subscription> = Vec::new();
        for row in &rows {
            let sub = subscription(row)?;
            if !subs.iter().any(|s| s.email == sub.email) {
                subs.push(sub);
            }
        }
        Ok(subs)
    }

    async fn mark_notified(&self, comment: CommentId, now: i64) -> Result<bool> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query(MARK_NOTIFIED)
                        .bind(comment.0)
                        .bind(now)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    Ok(done.rows_affected() > 0)
                })
            })
            .await
    }

    async fn set_alert_mode(&self, user: UserId, mode: AlertMode, now: i64) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(SET_ALERT)
                        .bind(user.0)
                        .bind(mode.as_str())
                        .bind(now)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    Ok(())
                })
            })
            .await
    }

    async fn alert_modes(&self) -> Result<Vec<(UserId, AlertMode)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(ALERT_MODES)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|(u, m)| AlertMode::parse(&m).map(|m| (UserId(u), m)))
            .collect())
    }

    async fn add_digest_item(
        &self,
        user: UserId,
        comment: CommentId,
        kind: AlertKind,
        now: i64,
    ) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(ADD_DIGEST_ITEM)
                        .bind(user.0)
                        .bind(comment.0)
                        .bind(kind.as_str())
                        .bind(now)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    Ok(())
                })
            })
            .await
    }

    async fn digest_items(&self) -> Result<Vec<DigestItem>> {
        let rows = sqlx::query(DIGEST_ITEMS)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        rows.iter().map(digest_item).collect()
    }

    async fn drop_digest_items(&self, items: &[i64]) -> Result<()> {
        let items = items.to_vec();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    for id in &items {
                        sqlx::query(DELETE_DIGEST_ITEM)
                            .bind(id)
                            .execute(&mut *c)
                            .await
                            .map_err(db_err)?;
                    }
                    Ok(())
                })
            })
            .await
    }

    async fn enqueue_digest(
        &self,
        items: &[i64],
        mail: NewOutboxItem,
        now: i64,
    ) -> Result<Option<i64>> {
        let items = items.to_vec();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    for id in &items {
                        let done = sqlx::query(DELETE_DIGEST_ITEM)
                            .bind(id)
                            .execute(&mut *c)
                            .await
                            .map_err(db_err)?;
                        if done.rows_affected() == 0 {
                            // Sent by someone else: undo this write (the writer rolls back
                            // a job that fails).
                            return Err(StoreError::Conflict("digest_sent").into());
                        }
                    }
                    let id: i64 = sqlx::query_scalar(ENQUEUE)
                        .bind(&mail.kind)
                        .bind(&mail.recipient)
                        .bind(&mail.payload)
                        .bind(now)
                        .bind(now)
                        .fetch_one(&mut *c)
                        .await
                        .map_err(db_err)?;
                    Ok(id)
                })
            })
            .await
            .map(Some)
            .or_else(|e| match e {
                rostra_core::Error::Store(StoreError::Conflict("digest_sent")) => Ok(None),
                other => Err(other),
            })
    }

    async fn add_webhook(&self, new: NewWebhook, now: i64) -> Result<Webhook> {
        let id = self
            .writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query_scalar(INSERT_WEBHOOK)
                        .bind(new.site_id.0)
                        .bind(&new.url)
                        .bind(&new.secret)
                        .bind(now)
                        .fetch_one(c)
                        .await
                        .map_err(db_err)
                })
            })
            .await?;
        self.webhook(id)
            .await?
            .ok_or_else(|| StoreError::NotFound.into())
    }

    async fn webhooks(&self, site: SiteId) -> Result<Vec<Webhook>> {
        let rows = sqlx::query(WEBHOOKS)
            .bind(site.0)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        rows.iter().map(webhook).collect()
    }

    async fn webhook(&self, id: i64) -> Result<Option<Webhook>> {
        let row = sqlx::query(WEBHOOK)
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        row.as_ref().map(webhook).transpose()
    }

    async fn remove_webhook(&self, site: SiteId, id: i64) -> Result<bool> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query(DELETE_WEBHOOK)
                        .bind(site.0)
                        .bind(id)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    Ok(done.rows_affected() > 0)
                })
            })
            .await
    }
}
