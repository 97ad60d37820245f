//! The moderation write use cases: status changes with their history and audit lines, reports
//! that hold a comment, policies, bans, and forgetting old address hashes.
//!
//! On PostgreSQL a status change first locks the thread's row, then the comment's (the lock
//! order in `store::comments`), so these writes queue per thread and never deadlock.

use super::comments::{load, load_locked, lock_thread_of};
use super::visibility;
use crate::rows::reasons_json;
use crate::sql::{query, Db};
use rostra_core::comment::Status;
use rostra_core::moderation::{
    Ban, Decision, NewAuditEntry, NewBan, NewReport, Reason, SitePolicy, Verdict,
};
use rostra_core::store::{Moderation, ReportOutcome};
use rostra_core::{Comment, Result, SiteId};

pub(crate) async fn record_decision(c: &mut impl Db, d: &Decision) -> Result<()> {
    let reasons = reasons_json(&d.reasons);
    let q = query(
        "INSERT INTO decisions (comment_id, at, actor, action, reasons, note) \
         VALUES (?, ?, ?, ?, ?, ?)",
    );
    let q = q.bind(d.comment_id.0).bind(d.at).bind(d.actor.map(|u| u.0));
    c.execute(q.bind(&d.action).bind(&reasons).bind(&d.note))
        .await?;
    Ok(())
}

pub(crate) async fn audit(c: &mut impl Db, e: &NewAuditEntry) -> Result<()> {
    let q = query(
        "INSERT INTO audit_log (at, actor, action, target, site_id, reason, detail) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    let q = q.bind(e.at).bind(e.actor.map(|u| u.0)).bind(&e.action);
    let q = q.bind(&e.target).bind(e.site_id.map(|s| s.0));
    c.execute(q.bind(&e.reason).bind(&e.detail)).await?;
    Ok(())
}

/// Moves a comment to a new status and keeps the counts right: the thread counts published
/// comments, parents count their public replies. The caller holds the thread's lock.
async fn transition(
    c: &mut impl Db,
    old: &Comment,
    status: Status,
    note: Option<&str>,
) -> Result<Comment> {
    let clear_reports = status == Status::Published;
    let q = query(
        "UPDATE comments SET status = ?, moderator_note = COALESCE(?, moderator_note), \
         report_count = CASE WHEN ? THEN 0 ELSE report_count END WHERE id = ?",
    );
    let q = q.bind(status.as_str()).bind(note).bind(clear_reports);
    c.execute(q.bind(old.id.0)).await?;
    let published_delta =
        i64::from(status == Status::Published) - i64::from(old.status == Status::Published);
    if published_delta != 0 {
        let q = query("UPDATE threads SET comment_count = comment_count + ? WHERE id = ?");
        c.execute(q.bind(published_delta).bind(old.thread_id.0))
            .await?;
    }
    let now = load(c, old.id).await?;
    match (old.is_public(), now.is_public()) {
        (false, true) => visibility::count_upwards(c, old.parent_id).await?,
        (true, false) => visibility::uncount_upwards(c, old.parent_id).await?,
        _ => {}
    }
    Ok(now)
}

pub(crate) async fn moderate(c: &mut impl Db, m: Moderation) -> Result<Comment> {
    lock_thread_of(c, m.comment_id).await?;
    let old = load_locked(c, m.comment_id).await?;
    let now = transition(c, &old, m.status, m.decision.note.as_deref()).await?;
    record_decision(c, &m.decision).await?;
    if let Some(entry) = &m.audit {
        audit(c, entry).await?;
    }
    Ok(now)
}

/// Distinct readers are told apart by the unique (comment, reporter) pair; on PostgreSQL the
/// thread's lock makes the count that reaches `hold_at` hold the comment exactly once.
pub(crate) async fn report(c: &mut impl Db, r: NewReport, hold_at: u32) -> Result<ReportOutcome> {
    lock_thread_of(c, r.comment_id).await?;
    let q = query(
        "INSERT INTO reports (comment_id, reporter_hash, reason, note, created_at) \
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (comment_id, reporter_hash) DO NOTHING",
    );
    let q = q
        .bind(r.comment_id.0)
        .bind(&r.reporter_hash)
        .bind(r.reason.as_str());
    if c.execute(q.bind(&r.note).bind(r.at)).await? == 0 {
        return Ok(ReportOutcome::AlreadyReported);
    }
    let q = query(
        "UPDATE comments SET report_count = report_count + 1 WHERE id = ? \
         RETURNING report_count",
    );
    let (reports,): (i64,) = c.fetch_one(q.bind(r.comment_id.0)).await?;
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

pub(crate) async fn set_site_policy(
    c: &mut impl Db,
    site: SiteId,
    p: &SitePolicy,
    entry: &NewAuditEntry,
) -> Result<()> {
    let q = query(
        "INSERT INTO site_policies (site_id, mode, max_links, edit_window_secs, \
         close_after_days, reports_to_hold, banned_words, suspect_words, trust_after, \
         attributes, nudge) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (site_id) DO UPDATE SET mode = excluded.mode, \
         max_links = excluded.max_links, edit_window_secs = excluded.edit_window_secs, \
         close_after_days = excluded.close_after_days, \
         reports_to_hold = excluded.reports_to_hold, banned_words = excluded.banned_words, \
         suspect_words = excluded.suspect_words, trust_after = excluded.trust_after, \
         attributes = excluded.attributes, nudge = excluded.nudge",
    );
    let (banned, suspect) = (p.banned_words.join("\n"), p.suspect_words.join("\n"));
    let attributes = crate::policy_json::rules_to_json(&p.attributes);
    let q = q
        .bind(site.0)
        .bind(p.mode.as_str())
        .bind(i64::from(p.max_links))
        .bind(p.edit_window_secs as i64)
        .bind(i64::from(p.close_after_days))
        .bind(i64::from(p.reports_to_hold))
        .bind(&banned)
        .bind(&suspect)
        .bind(i64::from(p.trust_after))
        .bind(&attributes)
        .bind(p.nudge);
    c.execute(q).await?;
    audit(c, entry).await
}

pub(crate) async fn create_ban(
    c: &mut impl Db,
    ban: NewBan,
    mut entry: NewAuditEntry,
) -> Result<Ban> {
    let q = query(
        "INSERT INTO bans (site_id, kind, value_hash, reason, created_by, created_at, \
         expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
    );
    let q = q
        .bind(ban.site_id.0)
        .bind(ban.kind.as_str())
        .bind(&ban.value_hash);
    let q = q.bind(&ban.reason).bind(ban.created_by.map(|u| u.0));
    let ban: Ban = c
        .fetch_one(q.bind(ban.created_at).bind(ban.expires_at))
        .await?;
    entry.target = format!("ban:{}", ban.id);
    audit(c, &entry).await?;
    Ok(ban)
}

/// On PostgreSQL, rows are locked newest first, the order in which the other writes lock a
/// comment and then its ancestors, so a purge never deadlocks with them.
pub(crate) async fn purge_address_hashes(c: &mut impl Db, before: i64) -> Result<u64> {
    let sql = format!(
        "UPDATE comments SET ip_hash = NULL, net_hash = NULL WHERE id IN (SELECT id FROM \
         comments WHERE created_at < ? AND (ip_hash IS NOT NULL OR net_hash IS NOT NULL) \
         ORDER BY id DESC{})",
        c.dialect().lock()
    );
    let done = c.execute(query(&sql).bind(before)).await?;
    let q = query("UPDATE votes SET ip_hash = '' WHERE voted_at < ? AND ip_hash <> ''");
    c.execute(q.bind(before)).await?;
    Ok(done)
}
