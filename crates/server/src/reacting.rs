//! Readers reacting to a comment: votes and reports.

use crate::api::error::ApiError;
use crate::client::Client;
use crate::posting::{comment_context, rate_limit};
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use rostra_core::comment::Status;
use rostra_core::moderation::{NewReport, ReportReason};
use rostra_core::store::ReportOutcome;
use rostra_core::{CommentId, Error, NewVote, VoteTotals};
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
            let change = crate::notify::Change::Reported;
            crate::notify::comment_changed(state, change, &ctx.comment).await;
            Ok(())
        }
    }
}

pub async fn vote(
    state: &Arc<AppState>,
    id: CommentId,
    value: i64,
    client: &Client,
) -> Result<VoteTotals, ApiError> {
    let value = match value {
        -1..=1 => value as i8,
        _ => return Err(Error::InvalidVote.into()),
    };
    // Limited before any database read: a flood of refused votes costs no lookups.
    rate_limit(state, Action::Vote, client)?;
    let ctx = comment_context(state, id, client).await?;
    let thread = ctx.thread;
    let vote = NewVote {
        comment_id: id,
        voter_hash: client.voter_hash.clone(),
        ip_hash: client.ip_hash.clone(),
        value,
        at: now_ms(),
    };
    let totals = state.store.vote(vote).await?;
    state.threads.invalidate(&thread);
    crate::live::votes_changed(state, ctx.comment.thread_id, id.0, &totals).await;
    Ok(totals)
}
