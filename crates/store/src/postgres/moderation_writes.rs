//! The moderation write use cases in PostgreSQL: status changes with their history and audit
//! lines, reports that hold a comment, policies, bans, and forgetting old address hashes.

use super::comments::{load, load_locked};
use super::moderation::ban_from;
use super::rows::reasons_json;
use super::{db_err, lock_thread_of, visibility};
use rostra_core::comment::Status;
use rostra_core::moderation::{
    Ban, Decision, NewAuditEntry, NewBan, NewReport, Reason, SitePolicy, Verdict,
};
use rostra_core::store::{Moderation, ReportOutcome};
use rostra_core::{Comment, Result, SiteId};
use sqlx::PgConnection;

pub(super) async fn record_decision(c: &mut PgConnection, d: &Decision) -> Result<()> {
    sqlx::query(
        "INSERT INTO decisions (comment_id, at, actor, action, reasons, note) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
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

pub(super) async fn audit(c: &mut PgConnection, e: &NewAuditEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, target, site_id, reason, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
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
/// comments, parents count their public replies. The caller holds the thread's lock.
async fn transition(
    c: &mut PgConnection,
    old: &Comment,
    status: Status,
    note: Option<&str>,
) -> Result<Comment> {
    let clear_reports = status == Status::Published;
    sqlx::query(
        "UPDATE comments SET status = $1, moderator_note = COALESCE($2, moderator_note), \
         report_count = CASE WHEN $3 THEN 0 ELSE report_count END WHERE id = $4",
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
        sqlx::query("UPDATE threads SET comment_count = comment_count + $1 WHERE id = $2")
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

pub(super) async fn moderate(c: &mut PgConnection, m: Moderation) -> Result<Comment> {
    lock_thread_of(c, m.comment_id).await?;
    let old = load_locked(c, m.comment_id).await?;
    let now = transition(c, &old, m.status, m.decision.note.as_deref()).await?;
    record_decision(c, &m.decision).await?;
    if let Some(entry) = &m.audit {
        audit(c, entry).await?;
    }
    Ok(now)
}

/// Distinct readers are told apart by the unique (comment, reporter) pair; the thread's lock
/// makes the count that reaches `hold_at` hold the comment exactly once.
pub(super) async fn report(
    c: &mut PgConnection,
    r: NewReport,
    hold_at: u32,
) -> Result<ReportOutcome> {
    lock_thread_of(c, r.comment_id).await?;
    let inserted = sqlx::query(
        "INSERT INTO reports (comment_id, reporter_hash, reason, note, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (comment_id, reporter_hash) DO NOTHING",
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
        "UPDATE comments SET report_count = report_count + 1 WHERE id = $1 \
         RETURNING report_count",
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

pub(super) async fn set_site_policy(
    c: &mut PgConnection,
    site: SiteId,
    p: &SitePolicy,
    entry: &NewAuditEntry,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO site_policies (site_id, mode, max_links, edit_window_secs, \
         close_after_days, reports_to_hold, banned_words, suspect_words, trust_after, \
         attributes, nudge) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (site_id) DO UPDATE SET mode = excluded.mode, \
         max_links = excluded.max_links, edit_window_secs = excluded.edit_window_secs, \
         close_after_days = excluded.close_after_days, \
         reports_to_hold = excluded.reports_to_hold, banned_words = excluded.banned_words, \
         suspect_words = excluded.suspect_words, trust_after = excluded.trust_after, \
         attributes = excluded.attributes, nudge = excluded.nudge",
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
    audit(c, entry).await
}

pub(super) async fn create_ban(
    c: &mut PgConnection,
    ban: NewBan,
    mut entry: NewAuditEntry,
) -> Result<Ban> {
    let row = sqlx::query(
        "INSERT INTO bans (site_id, kind, value_hash, reason, created_by, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
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
    entry.target = format!("ban:{}", ban.id);
    audit(c, &entry).await?;
    Ok(ban)
}

/// Rows are locked newest first, the order in which the other writes lock a comment and then
/// its ancestors, so a purge never deadlocks with them.
pub(super) async fn purge_address_hashes(c: &mut PgConnection, before: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE comments SET ip_hash = NULL, net_hash = NULL WHERE id IN (SELECT id FROM \
         comments WHERE created_at < $1 AND (ip_hash IS NOT NULL OR net_hash IS NOT NULL) \
         ORDER BY id DESC FOR NO KEY UPDATE)",
    )
    .bind(before)
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    sqlx::query("UPDATE votes SET ip_hash = '' WHERE voted_at < $1 AND ip_hash <> ''")
        .bind(before)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    Ok(done.rows_affected())
}
