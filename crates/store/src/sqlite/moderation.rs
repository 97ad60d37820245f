//! Moderation in SQLite: policies, queues, status changes with their history and audit lines,
//! reports, bans, commenter history, the audit log and the retention of address hashes.

use super::comments::load;
use super::moderation_writes::{
    audit, ban_from, policy_from, queue_filter, record_decision, report, scope_filter, transition,
};
use super::rows::{self, COMMENT_COLUMNS};
use super::{db_err, SqliteStore};
use async_trait::async_trait;
use rostra_core::moderation::{
    AuditEntry, Ban, BanKind, Decision, NewAuditEntry, NewBan, NewReport, Report, ReportReason,
    SitePolicy,
};
use rostra_core::store::{
    AuditFilter, AuthorHistory, Moderation, ModerationStore, Queue, QueueCounts, ReportOutcome,
    SiteScope,
};
use rostra_core::{Comment, CommentId, Result, SiteId, UserId};
use sqlx::Row;

#[async_trait]
impl ModerationStore for SqliteStore {
    async fn site_policy(&self, site: SiteId) -> Result<Option<SitePolicy>> {
        let row = sqlx::query("SELECT * FROM site_policies WHERE site_id = ?")
            .bind(site.0)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        row.as_ref().map(policy_from).transpose()
    }

    async fn set_site_policy(
        &self,
        site: SiteId,
        p: &SitePolicy,
        entry: NewAuditEntry,
    ) -> Result<()> {
        let p = p.clone();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO site_policies (site_id, mode, max_links, edit_window_secs, close_after_days, \
                         reports_to_hold, banned_words, suspect_words, trust_after, attributes, nudge) \
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id) DO UPDATE SET \
                         mode = excluded.mode, max_links = excluded.max_links, edit_window_secs = excluded.edit_window_secs, \
                         close_after_days = excluded.close_after_days, reports_to_hold = excluded.reports_to_hold, \
                         banned_words = excluded.banned_words, suspect_words = excluded.suspect_words, \
                         trust_after = excluded.trust_after, attributes = excluded.attributes, \
                         nudge = excluded.nudge",
                    )
                    .bind(site.0)
                    .bind(p.mode.as_str())
                    .bind(i64::from(p.max_links))
                    .bind(p.edit_window_secs as i64)
                    .bind(i64::from(p.close_after_days))
                    .bind(i64::from(p.reports_to_hold))
                    .bind(p.banned_words.join("\n"))
                    .bind(p.suspect_words.join("\n"))
                    .bind(i64::from(p.trust_after))
                    .bind(crate::policy_json::rules_to_json(&p.attributes))
                    .bind(p.nudge)
                    .execute(&mut *c)
                    .await
                    .map_err(db_err)?;
                    audit(c, &entry).await
                })
            })
            .await
    }

    async fn queue(
        &self,
        scope: &SiteScope,
        queue: Queue,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<Comment>> {
        let (filter, order) = queue_filter(queue);
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE {} AND {filter} ORDER BY {order} LIMIT ? OFFSET ?",
            scope_filter(scope)
        );
        let rows = sqlx::query(&sql)
            .bind(i64::from(limit))
            .bind(offset as i64)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        rows::comments(&rows)
    }

    async fn queue_counts(&self, scope: &SiteScope) -> Result<QueueCounts> {
        let mut n = [0i64; 4];
        for (i, q) in [
            Queue::Pending,
            Queue::Reported,
            Queue::Rejected,
            Queue::Recent,
        ]
        .into_iter()
        .enumerate()
        {
            let sql = format!(
                "SELECT COUNT(*) FROM comments WHERE {} AND {}",
                scope_filter(scope),
                queue_filter(q).0
            );
            n[i] = sqlx::query_scalar(&sql)
                .fetch_one(&self.read)
                .await
                .map_err(db_err)?;
        }
        Ok(QueueCounts {
            pending: n[0],
            reported: n[1],
            rejected: n[2],
            recent: n[3],
        })
    }

    async fn moderate(&self, m: Moderation) -> Result<Comment> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let old = load(c, m.comment_id).await?;
                    let now = transition(c, &old, m.status, m.decision.note.as_deref()).await?;
                    record_decision(c, &m.decision).await?;
                    if let Some(entry) = &m.audit {
                        audit(c, entry).await?;
                    }
                    Ok(now)
                })
            })
            .await
    }

    async fn decisions(&self, comment: CommentId) -> Result<Vec<Decision>> {
        let rows = sqlx::query("SELECT at, actor, action, reasons, note FROM decisions WHERE comment_id = ? ORDER BY id")
            .bind(comment.0)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(Decision {
                    comment_id: comment,
                    at: r.try_get("at").map_err(db_err)?,
                    actor: r
                        .try_get::<Option<i64>, _>("actor")
                        .map_err(db_err)?
                        .map(UserId),
                    action: r.try_get("action").map_err(db_err)?,
                    reasons: rows::reasons(&r.try_get::<String, _>("reasons").map_err(db_err)?),
                    note: r.try_get("note").map_err(db_err)?,
                })
            })
            .collect()
    }

    async fn report(&self, r: NewReport, hold_at: u32) -> Result<ReportOutcome> {
        self.writer
            .write(move |c| Box::pin(report(c, r, hold_at)))
            .await
    }

    async fn reports(&self, comment: CommentId) -> Result<Vec<Report>> {
        let rows: Vec<(String, Option<String>, i64)> = sqlx::query_as(
            "SELECT reason, note, created_at FROM reports WHERE comment_id = ? ORDER BY id",
        )
        .bind(comment.0)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|(reason, note, created_at)| Report {
                comment_id: comment,
                reason: ReportReason::parse(&reason).unwrap_or(ReportReason::Other),
                note,
                created_at,
            })
            .collect())
    }

    async fn create_ban(&self, ban: NewBan, entry: NewAuditEntry) -> Result<Ban> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let row = sqlx::query(
                        "INSERT INTO bans (site_id, kind, value_hash, reason, created_by, created_at, expires_at) \
                         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
                    )
                    .bind(ban.site_id.0)
                    .bind(ban.kind.as_str())
                    .bind(&ban.value_hash)
                    .bind(&ban.reason)
                    .bind(ban.created_by.map(|u| u.0))
                    .bind(ban.created_at)
                    .bind(ban.expires_at)
                    .fetch_one(&mut *c)
                    .await
                    .map_err(db_err)?;
                    let ban = ban_from(&row)?;
                    let mut entry = entry;
                    entry.target = format!("ban:{}", ban.id);
                    audit(c, &entry).await?;
                    Ok(ban)
                })
            })
            .await
    }

    async fn active_bans(
        &self,
        site: SiteId,
        values: &[(BanKind, String)],
        now: i64,
    ) -> Result<Vec<Ban>> {
        if values.is_empty() {
            return Ok(Vec::new());
        }
        let matches = vec!["(kind = ? AND value_hash = ?)"; values.len()].join(" OR ");
        let sql = format!(
            "SELECT * FROM bans WHERE site_id = ? AND (expires_at IS NULL OR expires_at > ?) AND ({matches}) ORDER BY id"
        );
        let mut q = sqlx::query(&sql).bind(site.0).bind(now);
        for (kind, value) in values {
            q = q.bind(kind.as_str()).bind(value);
        }
        let rows = q.fetch_all(&self.read).await.map_err(db_err)?;
        rows.iter().map(ban_from).collect()
    }

    async fn site_bans(&self, site: SiteId, now: i64) -> Result<Vec<Ban>> {
        let rows = sqlx::query(
            "SELECT * FROM bans WHERE site_id = ? AND (expires_at IS NULL OR expires_at > ?) \
             ORDER BY id",
        )
        .bind(site.0)
        .bind(now)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        rows.iter().map(ban_from).collect()
    }

    async fn author_history(
        &self,
        site: SiteId,
        author_key: &str,
        now: i64,
    ) -> Result<AuthorHistory> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS total, \
             COALESCE(SUM(CASE WHEN status = 'published' THEN 1 ELSE 0 END), 0) AS published, \
             COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS pending, \
             COALESCE(SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END), 0) AS rejected, \
             MIN(created_at) AS first_seen FROM comments \
             WHERE author_key = ? AND thread_id IN (SELECT id FROM threads WHERE site_id = ?)",
        )
        .bind(author_key)
        .bind(site.0)
        .fetch_one(&self.read)
        .await
        .map_err(db_err)?;
        let bans = self
            .active_bans(site, &[(BanKind::Identity, author_key.to_string())], now)
            .await?;
        Ok(AuthorHistory {
            comments: row.try_get("total").map_err(db_err)?,
            published: row.try_get("published").map_err(db_err)?,
            pending: row.try_get("pending").map_err(db_err)?,
            rejected: row.try_get("rejected").map_err(db_err)?,
            first_seen: row.try_get("first_seen").map_err(db_err)?,
            bans,
        })
    }

    async fn has_published(&self, site: SiteId, author_key: &str) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM comments WHERE author_key = ? AND status = 'published' \
             AND thread_id IN (SELECT id FROM threads WHERE site_id = ?) LIMIT 1",
        )
        .bind(author_key)
        .bind(site.0)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(found.is_some())
    }

    async fn append_audit(&self, entry: NewAuditEntry) -> Result<()> {
        self.writer
            .write(move |c| Box::pin(async move { audit(c, &entry).await }))
            .await
    }

    async fn audit_log(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut sql = String::from(
            "SELECT a.id, a.at, a.actor, u.email, a.action, a.target, a.site_id, a.reason, a.detail \
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor WHERE 1 = 1",
        );
        if f.site.is_some() {
            sql.push_str(" AND a.site_id = ?");
        }
        if f.actor.is_some() {
            sql.push_str(" AND a.actor = ?");
        }
        if f.action.is_some() {
            sql.push_str(" AND a.action = ?");
        }
        if f.before_id.is_some() {
            sql.push_str(" AND a.id < ?");
        }
        sql.push_str(" ORDER BY a.id DESC LIMIT ?");
        let mut q = sqlx::query(&sql);
        if let Some(s) = f.site {
            q = q.bind(s.0);
        }
        if let Some(a) = f.actor {
            q = q.bind(a.0);
        }
        if let Some(a) = &f.action {
            q = q.bind(a);
        }
        if let Some(b) = f.before_id {
            q = q.bind(b);
        }
        let rows = q
            .bind(i64::from(f.limit.max(1)))
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get(0).map_err(db_err)?,
                    at: r.try_get(1).map_err(db_err)?,
                    actor: r.try_get::<Option<i64>, _>(2).map_err(db_err)?.map(UserId),
                    actor_email: r.try_get(3).map_err(db_err)?,
                    action: r.try_get(4).map_err(db_err)?,
                    target: r.try_get(5).map_err(db_err)?,
                    site_id: r.try_get::<Option<i64>, _>(6).map_err(db_err)?.map(SiteId),
                    reason: r.try_get(7).map_err(db_err)?,
                    detail: r.try_get(8).map_err(db_err)?,
                })
            })
            .collect()
    }

    async fn purge_address_hashes(&self, before: i64) -> Result<u64> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query(
                        "UPDATE comments SET ip_hash = NULL, net_hash = NULL \
                         WHERE created_at < ? AND (ip_hash IS NOT NULL OR net_hash IS NOT NULL)",
                    )
                    .bind(before)
                    .execute(&mut *c)
                    .await
                    .map_err(db_err)?;
                    sqlx::query(
                        "UPDATE votes SET ip_hash = '' WHERE voted_at < ? AND ip_hash <> ''",
                    )
                    .bind(before)
                    .execute(&mut *c)
                    .await
                    .map_err(db_err)?;
                    Ok(done.rows_affected())
                })
            })
            .await
    }
}
