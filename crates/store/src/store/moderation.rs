//! Moderation: policies, queues, commenter history, bans and the audit log are read here; the
//! writes live in `moderation_writes`.

use super::moderation_writes as writes;
use super::{Backend, SqlStore};
use crate::rows::{reasons, Cells, FromRow, COMMENT_COLUMNS};
use crate::sql::{query, Db, Query, Value};
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

impl FromRow for SitePolicy {
    fn from_row(row: &impl Cells) -> Result<SitePolicy> {
        let mode: String = row.cell("mode")?;
        let words = |col: &str| -> Result<Vec<String>> {
            let text: String = row.cell(col)?;
            Ok(text
                .lines()
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect())
        };
        let int = |col: &str| -> Result<i64> { row.cell::<i64>(col) };
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
            attributes: crate::policy_json::rules_from_json(&row.cell::<String>("attributes")?)?,
            nudge: row.cell("nudge")?,
        })
    }
}

impl FromRow for Ban {
    fn from_row(row: &impl Cells) -> Result<Ban> {
        let kind: String = row.cell("kind")?;
        Ok(Ban {
            id: row.cell("id")?,
            site_id: SiteId(row.cell("site_id")?),
            kind: BanKind::parse(&kind)
                .ok_or_else(|| StoreError::Other(format!("unknown ban kind '{kind}'")))?,
            value_hash: row.cell("value_hash")?,
            reason: row.cell("reason")?,
            created_by: row.cell::<Option<i64>>("created_by")?.map(UserId),
            created_at: row.cell("created_at")?,
            expires_at: row.cell("expires_at")?,
        })
    }
}

impl FromRow for Decision {
    fn from_row(r: &impl Cells) -> Result<Decision> {
        Ok(Decision {
            comment_id: CommentId(r.cell("comment_id")?),
            at: r.cell("at")?,
            actor: r.cell::<Option<i64>>("actor")?.map(UserId),
            action: r.cell("action")?,
            reasons: reasons(&r.cell::<String>("reasons")?),
            note: r.cell("note")?,
        })
    }
}

impl FromRow for AuditEntry {
    fn from_row(r: &impl Cells) -> Result<AuditEntry> {
        Ok(AuditEntry {
            id: r.cell(0)?,
            at: r.cell(1)?,
            actor: r.cell::<Option<i64>>(2)?.map(UserId),
            actor_email: r.cell(3)?,
            action: r.cell(4)?,
            target: r.cell(5)?,
            site_id: r.cell::<Option<i64>>(6)?.map(SiteId),
            reason: r.cell(7)?,
            detail: r.cell(8)?,
        })
    }
}

/// The audit log's query: the filters that are set, newest first.
fn audit_query(f: &AuditFilter) -> (String, Vec<Value<'_>>) {
    let mut sql = String::from(
        "SELECT a.id, a.at, a.actor, u.email, a.action, a.target, a.site_id, a.reason, \
         a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.actor WHERE 1 = 1",
    );
    let mut values = Vec::new();
    let filters: [(Option<Value>, &str); 4] = [
        (f.site.map(|s| s.0.into()), " AND a.site_id = ?"),
        (f.actor.map(|a| a.0.into()), " AND a.actor = ?"),
        (f.action.as_deref().map(Into::into), " AND a.action = ?"),
        (f.before_id.map(Into::into), " AND a.id < ?"),
    ];
    for (value, condition) in filters {
        if let Some(value) = value {
            sql.push_str(condition);
            values.push(value);
        }
    }
    sql.push_str(" ORDER BY a.id DESC LIMIT ?");
    values.push(i64::from(f.limit.max(1)).into());
    (sql, values)
}

#[async_trait]
impl<B: Backend> ModerationStore for SqlStore<B> {
    async fn site_policy(&self, site: SiteId) -> Result<Option<SitePolicy>> {
        let q = query("SELECT * FROM site_policies WHERE site_id = ?").bind(site.0);
        self.reader().fetch_optional(q).await
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
             LIMIT ? OFFSET ?",
            scope_filter(scope)
        );
        let q = query(&sql).bind(i64::from(limit)).bind(offset as i64);
        self.reader().fetch_all(q).await
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
            n[i] = self.reader().scalar(query(&sql)).await?.unwrap_or(0);
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
        let q = query(
            "SELECT comment_id, at, actor, action, reasons, note FROM decisions \
             WHERE comment_id = ? ORDER BY id",
        );
        self.reader().fetch_all(q.bind(comment.0)).await
    }

    async fn report(&self, r: NewReport, hold_at: u32) -> Result<ReportOutcome> {
        self.write(move |c| Box::pin(writes::report(c, r, hold_at)))
            .await
    }

    async fn reports(&self, comment: CommentId) -> Result<Vec<Report>> {
        let q =
            query("SELECT reason, note, created_at FROM reports WHERE comment_id = ? ORDER BY id");
        let rows: Vec<(String, Option<String>, i64)> =
            self.reader().fetch_all(q.bind(comment.0)).await?;
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
        let matches = vec!["(kind = ? AND value_hash = ?)"; values.len()].join(" OR ");
        let sql = format!(
            "SELECT * FROM bans WHERE site_id = ? AND (expires_at IS NULL OR expires_at > ?) \
             AND ({matches}) ORDER BY id"
        );
        let mut q = query(&sql).bind(site.0).bind(now);
        for (kind, value) in values {
            q = q.bind(kind.as_str()).bind(value);
        }
        self.reader().fetch_all(q).await
    }

    async fn site_bans(&self, site: SiteId, now: i64) -> Result<Vec<Ban>> {
        let q = query(
            "SELECT * FROM bans WHERE site_id = ? AND (expires_at IS NULL OR expires_at > ?) \
             ORDER BY id",
        );
        self.reader().fetch_all(q.bind(site.0).bind(now)).await
    }

    async fn author_history(
        &self,
        site: SiteId,
        author_key: &str,
        now: i64,
    ) -> Result<AuthorHistory> {
        let q = query(
            "SELECT COUNT(*), \
             COALESCE(SUM(CASE WHEN status = 'published' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END), 0), \
             MIN(created_at) FROM comments \
             WHERE author_key = ? AND thread_id IN (SELECT id FROM threads WHERE site_id = ?)",
        );
        let (comments, published, pending, rejected, first_seen) = self
            .reader()
            .fetch_one(q.bind(author_key).bind(site.0))
            .await?;
        let bans = self
            .active_bans(site, &[(BanKind::Identity, author_key.to_string())], now)
            .await?;
        Ok(AuthorHistory {
            comments,
            published,
            pending,
            rejected,
            first_seen,
            bans,
        })
    }

    async fn has_published(&self, site: SiteId, author_key: &str) -> Result<bool> {
        let q = query(
            "SELECT id FROM comments WHERE author_key = ? AND status = 'published' \
             AND thread_id IN (SELECT id FROM threads WHERE site_id = ?) LIMIT 1",
        );
        let found: Option<i64> = self
            .reader()
            .scalar(q.bind(author_key).bind(site.0))
            .await?;
        Ok(found.is_some())
    }

    async fn append_audit(&self, entry: NewAuditEntry) -> Result<()> {
        self.write(move |c| Box::pin(async move { writes::audit(c, &entry).await }))
            .await
    }

    async fn audit_log(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let (sql, values) = audit_query(f);
        let q = Query { sql: &sql, values };
        self.reader().fetch_all(q).await
    }

    async fn purge_address_hashes(&self, before: i64) -> Result<u64> {
        self.write(move |c| Box::pin(writes::purge_address_hashes(c, before)))
            .await
    }
}
