//! Reply subscriptions, moderator alerts and digests, and webhooks.

use super::{Backend, SqlStore};
use crate::rows::{Cells, FromRow};
use crate::sql::{query, Db};
use async_trait::async_trait;
use rostra_core::notification::{
    AlertKind, AlertMode, DigestItem, NewSubscription, NewWebhook, Subscription, Webhook,
};
use rostra_core::outbox::NewOutboxItem;
use rostra_core::store::NotificationStore;
use rostra_core::{CommentId, Result, SiteId, StoreError, ThreadId, UserId};

const SUBSCRIPTION_COLUMNS: &str =
    "id, site_id, thread_id, comment_id, email, confirmed_at, created_at";
const CONFIRM_SUB: &str =
    "UPDATE reply_subscriptions SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL";
const DELETE_DIGEST_ITEM: &str = "DELETE FROM alert_digest_items WHERE id = ?";
pub(crate) const ENQUEUE: &str = "INSERT INTO outbox (kind, recipient, payload, \
     next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id";
const WEBHOOK_COLUMNS: &str = "id, site_id, url, secret, created_at";

impl FromRow for Subscription {
    fn from_row(r: &impl Cells) -> Result<Subscription> {
        Ok(Subscription {
            id: r.cell("id")?,
            site_id: SiteId(r.cell("site_id")?),
            thread_id: r.cell::<Option<i64>>("thread_id")?.map(ThreadId),
            comment_id: r.cell::<Option<i64>>("comment_id")?.map(CommentId),
            email: r.cell("email")?,
            confirmed_at: r.cell("confirmed_at")?,
            created_at: r.cell("created_at")?,
        })
    }
}

impl FromRow for Webhook {
    fn from_row(r: &impl Cells) -> Result<Webhook> {
        Ok(Webhook {
            id: r.cell("id")?,
            site_id: SiteId(r.cell("site_id")?),
            url: r.cell("url")?,
            secret: r.cell("secret")?,
            created_at: r.cell("created_at")?,
        })
    }
}

impl FromRow for DigestItem {
    fn from_row(r: &impl Cells) -> Result<DigestItem> {
        let kind: String = r.cell("kind")?;
        Ok(DigestItem {
            id: r.cell("id")?,
            user_id: UserId(r.cell("user_id")?),
            comment_id: CommentId(r.cell("comment_id")?),
            kind: AlertKind::parse(&kind)
                .ok_or_else(|| StoreError::Other(format!("unknown alert kind '{kind}'")))?,
            created_at: r.cell("created_at")?,
        })
    }
}

/// Dedupes only a subscription to the same thing by the same address; addresses are stored as
/// given, lower-cased.
async fn subscribe(c: &mut impl Db, new: NewSubscription, now: i64) -> Result<i64> {
    let email = new.email.trim().to_lowercase();
    let thread = new.thread_id.map(|t| t.0);
    let comment = new.comment_id.map(|t| t.0);
    let q = query(
        "SELECT id FROM reply_subscriptions WHERE site_id = ? AND thread_id IS NOT DISTINCT \
         FROM ? AND comment_id IS NOT DISTINCT FROM ? AND email = ?",
    );
    let q = q
        .bind(new.site_id.0)
        .bind(thread)
        .bind(comment)
        .bind(&email);
    if let Some(id) = c.scalar::<i64>(q).await? {
        if new.confirmed {
            c.execute(query(CONFIRM_SUB).bind(now).bind(id)).await?;
        }
        return Ok(id);
    }
    let q = query(
        "INSERT INTO reply_subscriptions (site_id, thread_id, comment_id, email, \
         confirmed_at, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    );
    let q = q
        .bind(new.site_id.0)
        .bind(thread)
        .bind(comment)
        .bind(&email);
    let (id,): (i64,) = c
        .fetch_one(q.bind(new.confirmed.then_some(now)).bind(now))
        .await?;
    Ok(id)
}

/// Takes the digest's items and queues its mail, or answers `None` when another instance took
/// any of them first (nothing is written then).
async fn enqueue_digest(
    c: &mut impl Db,
    items: &[i64],
    mail: &NewOutboxItem,
    now: i64,
) -> Result<i64> {
    for id in items {
        if c.execute(query(DELETE_DIGEST_ITEM).bind(*id)).await? == 0 {
            // Sent by someone else: undo this write (the transaction rolls back when the
            // work fails).
            return Err(StoreError::Conflict("digest_sent").into());
        }
    }
    let q = query(ENQUEUE)
        .bind(&mail.kind)
        .bind(&mail.recipient)
        .bind(&mail.payload);
    let (id,): (i64,) = c.fetch_one(q.bind(now).bind(now)).await?;
    Ok(id)
}

#[async_trait]
impl<B: Backend> NotificationStore for SqlStore<B> {
    async fn subscribe(&self, new: NewSubscription, now: i64) -> Result<Subscription> {
        let id = self
            .write(move |c| Box::pin(subscribe(c, new, now)))
            .await?;
        self.subscription(id)
            .await?
            .ok_or_else(|| StoreError::NotFound.into())
    }

    async fn subscription(&self, id: i64) -> Result<Option<Subscription>> {
        let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM reply_subscriptions WHERE id = ?");
        self.reader().fetch_optional(query(&sql).bind(id)).await
    }

    async fn confirm_subscription(&self, id: i64, now: i64) -> Result<bool> {
        Ok(self
            .write_one(CONFIRM_SUB, vec![now.into(), id.into()])
            .await?
            > 0)
    }

    async fn verified_guest_email(&self, site: SiteId, author_key: &str) -> Result<Option<String>> {
        let q = query("SELECT email FROM verified_guests WHERE site_id = ? AND author_key = ?");
        self.reader().scalar(q.bind(site.0).bind(author_key)).await
    }

    async fn unsubscribe(&self, id: i64) -> Result<bool> {
        let sql = "DELETE FROM reply_subscriptions WHERE id = ?";
        Ok(self.write_one(sql, vec![id.into()]).await? > 0)
    }

    async fn unsubscribe_thread(&self, thread: ThreadId, email: &str) -> Result<bool> {
        let sql = "DELETE FROM reply_subscriptions WHERE thread_id = ? AND comment_id IS NULL \
                   AND email = ?";
        let args = vec![thread.0.into(), email.trim().to_lowercase().into()];
        Ok(self.write_one(sql, args).await? > 0)
    }

    async fn reply_subscribers(
        &self,
        thread: ThreadId,
        parent: Option<CommentId>,
    ) -> Result<Vec<Subscription>> {
        let sql = format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM reply_subscriptions WHERE confirmed_at IS NOT \
             NULL AND ((comment_id IS NOT NULL AND comment_id = ?) OR (comment_id IS NULL \
             AND thread_id = ?)) ORDER BY comment_id IS NULL, id"
        );
        let q = query(&sql).bind(parent.map_or(-1, |p| p.0)).bind(thread.0);
        let found: Vec<Subscription> = self.reader().fetch_all(q).await?;
        let mut subs: Vec<Subscription> = Vec::new();
        for sub in found {
            if !subs.iter().any(|s| s.email == sub.email) {
                subs.push(sub);
            }
        }
        Ok(subs)
    }

    async fn mark_notified(&self, comment: CommentId, now: i64) -> Result<bool> {
        let sql = "INSERT INTO notified_comments (comment_id, notified_at) VALUES (?, ?) \
                   ON CONFLICT (comment_id) DO NOTHING";
        Ok(self
            .write_one(sql, vec![comment.0.into(), now.into()])
            .await?
            > 0)
    }

    async fn set_alert_mode(&self, user: UserId, mode: AlertMode, now: i64) -> Result<()> {
        let sql = "INSERT INTO moderator_alerts (user_id, mode, updated_at) VALUES (?, ?, ?) \
                   ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode, \
                   updated_at = excluded.updated_at";
        let args = vec![user.0.into(), mode.as_str().into(), now.into()];
        self.write_one(sql, args).await.map(drop)
    }

    async fn alert_modes(&self) -> Result<Vec<(UserId, AlertMode)>> {
        let q = query(
            "SELECT user_id, mode FROM moderator_alerts WHERE mode <> 'off' ORDER BY user_id",
        );
        let rows: Vec<(i64, String)> = self.reader().fetch_all(q).await?;
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
        let sql = "INSERT INTO alert_digest_items (user_id, comment_id, kind, created_at) \
                   VALUES (?, ?, ?, ?)";
        let args = vec![
            user.0.into(),
            comment.0.into(),
            kind.as_str().into(),
            now.into(),
        ];
        self.write_one(sql, args).await.map(drop)
    }

    async fn digest_items(&self) -> Result<Vec<DigestItem>> {
        let q = query(
            "SELECT id, user_id, comment_id, kind, created_at FROM alert_digest_items \
             ORDER BY id",
        );
        self.reader().fetch_all(q).await
    }

    async fn drop_digest_items(&self, items: &[i64]) -> Result<()> {
        let items = items.to_vec();
        self.write(move |c| {
            Box::pin(async move {
                for id in &items {
                    c.execute(query(DELETE_DIGEST_ITEM).bind(*id)).await?;
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
        self.write(move |c| Box::pin(async move { enqueue_digest(c, &items, &mail, now).await }))
            .await
            .map(Some)
            .or_else(|e| match e {
                rostra_core::Error::Store(StoreError::Conflict("digest_sent")) => Ok(None),
                other => Err(other),
            })
    }

    async fn add_webhook(&self, new: NewWebhook, now: i64) -> Result<Webhook> {
        let sql = "INSERT INTO webhooks (site_id, url, secret, created_at) VALUES (?, ?, ?, ?) \
                   RETURNING id";
        let args = vec![
            new.site_id.0.into(),
            new.url.into(),
            new.secret.into(),
            now.into(),
        ];
        let id = self.write_id(sql, args).await?;
        self.webhook(id)
            .await?
            .ok_or_else(|| StoreError::NotFound.into())
    }

    async fn webhooks(&self, site: SiteId) -> Result<Vec<Webhook>> {
        let sql = format!("SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE site_id = ? ORDER BY id");
        self.reader().fetch_all(query(&sql).bind(site.0)).await
    }

    async fn webhook(&self, id: i64) -> Result<Option<Webhook>> {
        let sql = format!("SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE id = ?");
        self.reader().fetch_optional(query(&sql).bind(id)).await
    }

    async fn remove_webhook(&self, site: SiteId, id: i64) -> Result<bool> {
        let sql = "DELETE FROM webhooks WHERE site_id = ? AND id = ?";
        Ok(self.write_one(sql, vec![site.0.into(), id.into()]).await? > 0)
    }
}
