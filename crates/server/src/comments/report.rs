//! A reader reporting a comment; enough distinct reporters hold it for a moderator.

use super::comment_context;
use crate::client::{rate_limit, Client};
use crate::error::ApiError;
use crate::notify::Change;
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use rostra_core::comment::Status;
use rostra_core::moderation::{NewReport, ReportReason};
use rostra_core::store::ReportOutcome;
use rostra_core::{CommentId, Error};
use std::sync::Arc;

/// Longest note a reader may add to a report.
pub const REPORT_NOTE_MAX: usize = 500;

/// A reader reports a comment; enough distinct reporters hold it for a moderator.
pub async fn report(
    state: &Arc<AppState>,
    id: CommentId,
    reason: &str,
    note: Option<&str>,
    client: &Client,
) -> Result<(), ApiError> {
    let reason = ReportReason::parse(reason).ok_or(Error::InvalidReportReason)?;
    let note = note
        .map(|n| n.replace('\0', "").trim().to_string())
        .filter(|n| !n.is_empty());
    if note
        .as_ref()
        .is_some_and(|n| n.chars().count() > REPORT_NOTE_MAX)
    {
        return Err(Error::NoteTooLong(REPORT_NOTE_MAX).into());
    }
    // Limited before any database read: a flood of refused reports costs no lookups.
    rate_limit(state, Action::Report, client)?;
    let ctx = comment_context(state, id, client).await?;
    if !ctx.comment.is_public() || ctx.comment.status == Status::Deleted {
        return Err(Error::CommentNotFound.into());
    }
    let policy = state.policy(&ctx.site).await?;
    let report = NewReport {
        comment_id: id,
        reporter_hash: client.reader_hash(),
        reason,
        note,
        at: now_ms(),
    };
    match state.store.report(report, policy.reports_to_hold).await? {
        ReportOutcome::AlreadyReported => Err(Error::AlreadyReported.into()),
        ReportOutcome::Recorded { held, .. } => {
            if held {
                state.threads.invalidate(&ctx.thread);
                if let Some(now) = state.store.comment(id).await? {
                    crate::live::comment_changed(state, Some(&ctx.comment), &now).await;
                }
            }
            crate::notify::comment_changed(state, Change::Reported, &ctx.comment).await;
            Ok(())
        }
    }
}
