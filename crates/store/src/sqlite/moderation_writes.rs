//! The SQLite moderation pieces several use cases share: decisions, audit lines, status
//! transitions with their count bookkeeping, reports, queue filters, and the row mappings of
//! policies and bans.

use super::comments::load;
use super::rows::reasons_json;
use super::{db_err, visibility};
use rostra_core::comment::Status;
use rostra_core::moderation::{
    Ban, BanKind, Decision, NewAuditEntry, NewReport, Reason, SitePolicy, Verdict,
};
use rostra_core::store::{Queue, ReportOutcome, SiteScope};
use rostra_core::{Comment, Result, SiteId, StoreError, UserId};
use sqlx::{Row, SqliteConnection};

/// A moderation decision: comment, time, actor, action, reasons (JSON), note.
pub(super) const DECISION_INSERT: &str =
    "INSERT INTO decisions (comment_id, at, actor, action, reasons, note) VALUES (?, ?, ?, ?, ?, ?)";

pub(super) async fn record_decision(c: &mut SqliteConnection, d: &Decision) -> Result<()> {
    sqlx::query(DECISION_INSERT)
        .bind(d.comment_id.0)
        .bind(d.at)
        .bind(d.actor.map(|u| u.0))
        .bind(&d.action)
        .bind(reasons_json(&d.reasons))
        .bind(&d.note)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    Ok(())
}

pub(super) async fn audit(c: &mut SqliteConnection, e: &NewAuditEntry) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (at, actor, action, target, site_id, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(e.at)
        .bind(e.actor.map(|u| u.0))
        .bind(&e.action)
        .bind(&e.target)
        .bind(e.site_id.map(|s| s.0))
        .bind(&e.reason)
        .bind(&e.detail)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Moves a comment to a new status and keeps the counts right: the thread counts published
/// comments, parents count their public replies.
pub(super) async fn transition(
    c: &mut SqliteConnection,
    old: &Comment,
    status: Status,
    note: Option<&str>,
) -> Result<Comment> {
    let clear_reports = status == Status::Published;
    sqlx::query(
        "UPDATE comments SET status = ?, moderator_note = COALESCE(?, moderator_note), \
         report_count = CASE WHEN ? THEN 0 ELSE report_count END WHERE id = ?",
    )
    .bind(status.as_str())
    .bind(note)
    .bind(clear_reports)
    .bind(old.id.0)
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    let published_delta =
        i64::from(status == Status::Published) - i64::from(old.status == Status::Published);
    if published_delta != 0 {
        sqlx::query("UPDATE threads SET comment_count = comment_count + ? WHERE id = ?")
            .bind(published_delta)
            .bind(old.thread_id.0)
            .execute(&mut *c)
            .await
            .map_err(db_err)?;
    }
    let now = load(c, old.id).await?;
    match (old.is_public(), now.is_public()) {
        (false, true) => visibility::count_upwards(c, old.parent_id).await?,
        (true, false) => visibility::uncount_upwards(c, old.parent_id).await?,
        _ => {}
    }
    Ok(now)
}

pub(super) fn scope_filter(scope: &SiteScope) -> String {
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

pub(super) fn queue_filter(queue: Queue) -> (&'static str, &'static str) {
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

pub(super) fn policy_from(row: &sqlx::sqlite::SqliteRow) -> Result<SitePolicy> {
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
    Ok(SitePolicy {
        mode: rostra_core::moderation::ModerationMode::parse(&mode)
            .ok_or_else(|| StoreError::Other(format!("unknown moderation mode '{mode}'")))?,
        max_links: row.try_get::<i64, _>("max_links").map_err(db_err)? as u32,
        edit_window_secs: row.try_get::<i64, _>("edit_window_secs").map_err(db_err)? as u64,
        close_after_days: row.try_get::<i64, _>("close_after_days").map_err(db_err)? as u32,
        reports_to_hold: row.try_get::<i64, _>("reports_to_hold").map_err(db_err)? as u32,
        banned_words: words("banned_words")?,
        suspect_words: words("suspect_words")?,
        trust_after: row.try_get::<i64, _>("trust_after").map_err(db_err)? as u32,
        attributes: crate::policy_json::rules_from_json(
            &row.try_get::<String, _>("attributes").map_err(db_err)?,
        )?,
        nudge: row.try_get("nudge").map_err(db_err)?,
    })
}

pub(super) fn ban_from(row: &sqlx::sqlite::SqliteRow) -> Result<Ban> {
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

pub(super) async fn report(
    c: &mut SqliteConnection,
    r: NewReport,
    hold_at: u32,
) -> Result<ReportOutcome> {
    let inserted = sqlx::query(
        "INSERT INTO reports (comment_id, reporter_hash, reason, note, created_at) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (comment_id, reporter_hash) DO NOTHING",
    )
    .bind(r.comment_id.0)
    .bind(&r.reporter_hash)
    .bind(r.reason.as_str())
    .bind(&r.note)
    .bind(r.at)
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    if inserted.rows_affected() == 0 {
        return Ok(ReportOutcome::AlreadyReported);
    }
    let reports: i64 = sqlx::query_scalar(
        "UPDATE comments SET report_count = report_count + 1 WHERE id = ? RETURNING report_count",
    )
    .bind(r.comment_id.0)
    .fetch_one(&mut *c)
    .await
    .map_err(db_err)?;
    let comment = load(c, r.comment_id).await?;
    let held = hold_at > 0 && reports >= i64::from(hold_at) && comment.status == Status::Published;
    if held {
        transition(c, &comment, Status::Pending, None).await?;
        let reason = Reason {
            check: "reports".into(),
            verdict: Verdict::Hold,
            detail: format!("{reports} readers reported it (the site holds at {hold_at})"),
            score: None,
            spans: Vec::new(),
        };
        let d = Decision {
            comment_id: r.comment_id,
            at: r.at,
            actor: None,
            action: "pending".into(),
            reasons: vec![reason],
            note: None,
        };
        record_decision(c, &d).await?;
    }
    Ok(ReportOutcome::Recorded { reports, held })
}
