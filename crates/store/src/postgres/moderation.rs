//! Moderation in PostgreSQL: policies, queues, commenter history, bans and the audit log are
//! read here; the writes live in `moderation_writes`.

use super::moderation_writes as writes;
use super::rows::{self, COMMENT_COLUMNS};
use super::{db_err, PgStore};
use async_trait::async_trait;
use rostra_core::moderation::{
    AuditEntry, Ban, BanKind, Decision, ModerationMode, NewAuditEntry, NewBan, NewReport, Report,
    ReportReason, SitePolicy,
};
use rostra_core::store::{
    AuditFilter, AuthorHistory, Moderation, ModerationStore, Queue, QueueCounts, ReportOutcome,
    SiteScope,
};
use rostra_core::{Comment, CommentId, Result, SiteId, StoreError, UserId};
use sqlx::postgres::PgRow;
use sqlx::Row;

fn scope_filter(scope: &SiteScope) -> String {
    match scope {
        SiteScope::All => "1 = 1".into(),
        SiteScope::Only(sites) if sites.is_empty() => "1 = 0".into(),
        SiteScope::Only(sites) => {
            let ids: Vec<String> = sites.iter().map(|s| s.0.to_string()).collect();
            format!(
                "thread_id IN (SELECT id FROM threads WHERE site_id IN ({}))",
                ids.join(", ")
            )
        }
    }
}

fn queue_filter(queue: Queue) -> (&'static str, &'static str) {
    match queue {
        Queue::Pending => ("status = 'pending'", "id ASC"),
        Queue::Reported => (
            "report_count > 0 AND status IN ('published', 'pending')",
            "report_count DESC, id ASC",
        ),
        Queue::Rejected => ("status = 'rejected'", "id DESC"),
        Queue::Recent => ("1 = 1", "id DESC"),
    }
}

fn policy_from(row: &PgRow) -> Result<SitePolicy> {
    let mode: String = row.try_get("mode").map_err(db_err)?;
    let words = |col: &str| -> Result<Vec<String>> {
        let text: String = row.try_get(col).map_err(db_err)?;
        Ok(text
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect())
    };
    let int = |col: &str| -> Result<i64> { row.try_get::<i64, _>(col).map_err(db_err) };
    Ok(SitePolicy {
        mode: ModerationMode::parse(&mode)
            .ok_or_else(|| StoreError::Other(format!("unknown moderation mode '{mode}'")))?,
        max_links: int("max_links")? as u32,
        edit_window_secs: int("edit_window_secs")? as u64,
        close_after_days: int("close_after_days")? as u32,
        reports_to_hold: int("reports_to_hold")? as u32,
        banned_words: words("banned_words")?,
        suspect_words: words("suspect_words")?,
        trust_after: int("trust_after")? as u32,
        attributes: crate::policy_json::rules_from_json(
            &row.try_get::<String, _>("attributes").map_err(db_err)?,
        )?,
        nudge: row.try_get("nudge").map_err(db_err)?,
    })
}

pub(super) fn ban_from(row: &PgRow) -> Result<Ban> {
    let kind: String = row.try_get("kind").map_err(db_err)?;
    Ok(Ban {
        id: row.try_get("id").map_err(db_err)?,
        site_id: SiteId(row.try_get("site_id").map_err(db_err)?),
        kind: BanKind::parse(&kind)
            .ok_or_else(|| StoreError::Other(format!("unknown ban kind '{kind}'")))?,
        value_hash: row.try_get("value_hash").map_err(db_err)?,
        reason: row.try_get("reason").map_err(db_err)?,
        created_by: row
            .try_get::<Option<i64>, _>("created_by")
            .map_err(db_err)?
            .map(UserId),
        created_at: row.try_get("created_at").map_err(db_err)?,
        expires_at: row.try_get("expires_at").map_err(db_err)?,
    })
}

fn decision_from(comment: CommentId, r: &PgRow) -> Result<Decision> {
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
}

fn audit_entry_from(r: &PgRow) -> Result<AuditEntry> {
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
}

#[async_trait]
impl ModerationStore for PgStore {
    async fn site_policy(&self, site: SiteId) -> Result<Option<SitePolicy>> {
        let row = sqlx::query("SELECT * FROM site_policies WHERE site_id = $1")
            .bind(site.0)
            .fetch_optional(&self.pool)
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
        self.write(move |c| {
            Box::pin(async move { writes::set_site_policy(c, site, &p, &entry).await })
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
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE {} AND {filter} ORDER BY {order} \
             LIMIT $1 OFFSET $2",
            scope_filter(scope)
        );
        let rows = sqlx::query(&sql)
            .bind(i64::from(limit))
            .bind(offset as i64)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows::comments(&rows)
    }

    async fn queue_counts(&self, scope: &SiteScope) -> Result<QueueCounts> {
        let queues = [
            Queue::Pending,
            Queue::Reported,
            Queue::Rejected,
            Queue::Recent,
        ];
        let mut n = [0i64; 4];
        for (i, q) in queues.into_iter().enumerate() {
            let sql = format!(
                "SELECT COUNT(*) FROM comments WHERE {} AND {}",
                scope_filter(scope),
                queue_filter(q).0
            );
            n[i] = sqlx::query_scalar(&sql)
                .fetch_one(&self.pool)
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
        self.write(move |c| Box::pin(writes::moderate(c, m))).await
    }

    async fn decisions(&self, comment: CommentId) -> Result<Vec<Decision>> {
        let rows = sqlx::query(
            "SELECT at, actor, action, reasons, note FROM decisions WHERE comment_id = $1 \
             ORDER BY id",
        )
        .bind(comment.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(|r| decision_from(comment, r)).collect()
    }

    async fn report(&self, r: NewReport, hold_at: u32) -> Result<ReportOutcome> {
        self.write(move |c| Box::pin(writes::report(c, r, hold_at)))
            .await
    }

    async fn reports(&self, comment: CommentId) -> Result<Vec<Report>> {
        let rows: Vec<(String, Option<String>, i64)> = sqlx::query_as(
            "SELECT reason, note, created_at FROM reports WHERE comment_id = $1 ORDER BY id",
        )
        .bind(comment.0)
        .fetch_all(&self.pool)
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
        self.write(move |c| Box::pin(writes::create_ban(c, ban, entry)))
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
        let matches: Vec<String> = (0..values.len())
            .map(|i| format!("(kind = ${} AND value_hash = ${})", 3 + 2 * i, 4 + 2 * i))
            .collect();
        let sql = format!(
            "SELECT * FROM bans WHERE site_id = $1 AND (expires_at IS NULL OR expires_at > $2) \
             AND ({}) ORDER BY id",
            matches.join(" OR ")
        );
        let mut q = sqlx::query(&sql).bind(site.0).bind(now);
        for (kind, value) in values {
            q = q.bind(kind.as_str()).bind(value);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(db_err)?;
        rows.iter().map(ban_from).collect()
    }

    async fn site_bans(&self, site: SiteId, now: i64) -> Result<Vec<Ban>> {
        let rows = sqlx::query(
            "SELECT * FROM bans WHERE site_id = $1 AND (expires_at IS NULL OR expires_at > $2) \
             ORDER BY id",
        )
        .bind(site.0)
        .bind(now)
        .fetch_all(&self.pool)
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
             WHERE author_key = $1 AND thread_id IN (SELECT id FROM threads WHERE site_id = $2)",
        )
        .bind(author_key)
        .bind(site.0)
        .fetch_one(&self.pool)
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
            "SELECT id FROM comments WHERE author_key = $1 AND status = 'published' \
             AND thread_id IN (SELECT id FROM threads WHERE site_id = $2) LIMIT 1",
        )
        .bind(author_key)
        .bind(site.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(found.is_some())
    }

    async fn append_audit(&self, entry: NewAuditEntry) -> Result<()> {
        self.write(move |c| Box::pin(async move { writes::audit(c, &entry).await }))
            .await
    }

    async fn audit_log(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut sql = String::from(
            "SELECT a.id, a.at, a.actor, u.email, a.action, a.target, a.site_id, a.reason, \
             a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.actor WHERE 1 = 1",
        );
        let filters = [
            (f.site.is_some(), "a.site_id ="),
            (f.actor.is_some(), "a.actor ="),
            (f.action.is_some(), "a.action ="),
            (f.before_id.is_some(), "a.id <"),
        ];
        let used: Vec<&str> = filters
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, c)| *c)
            .collect();
        for (i, condition) in used.iter().enumerate() {
            sql.push_str(&format!(" AND {condition} ${}", i + 1));
        }
        sql.push_str(&format!(" ORDER BY a.id DESC LIMIT ${}", used.len() + 1));
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
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(audit_entry_from).collect()
    }

    async fn purge_address_hashes(&self, before: i64) -> Result<u64> {
        self.write(move |c| Box::pin(writes::purge_address_hashes(c, before)))
            .await
    }
}
