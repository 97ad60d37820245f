//! What follows a change to a comment once it is stored: reply e-mails to subscribers, alerts
//! to moderators, and webhooks. Everything goes through the outbox; a failure here is logged
//! and never undoes or fails the change itself.

pub mod alerts;
pub mod decided;
pub mod featured;
pub mod replies;
pub mod subscribing;
pub mod unsubscribe;
pub mod webhooks;

use crate::state::AppState;
use rostra_core::comment::Status;
use rostra_core::notification::AlertKind;
use rostra_core::{Comment, Error, Thread};

/// What happened to a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Posted (published or held).
    Created,
    /// Its text changed (the checks may have held it again).
    Edited,
    /// Deleted by its author or a moderator.
    Deleted,
    Approved,
    Rejected,
    /// Reported by a reader.
    Reported,
}

/// Notifies everyone who should hear about this change.
pub async fn comment_changed(state: &AppState, change: Change, comment: &Comment) {
    match state.store.thread(comment.thread_id).await {
        Ok(Some(thread)) => comment_changed_in(state, change, comment, &thread).await,
        Ok(None) => warn(Error::ThreadNotFound, change, comment),
        Err(e) => warn(e, change, comment),
    }
}

/// [`comment_changed`] for a caller that holds the comment's thread already (a new comment:
/// the store answered both), which saves a database read on every post.
pub async fn comment_changed_in(
    state: &AppState,
    change: Change,
    comment: &Comment,
    thread: &Thread,
) {
    if let Err(e) = notify(state, change, comment, thread).await {
        warn(e, change, comment);
    }
}

fn warn(e: Error, change: Change, comment: &Comment) {
    tracing::warn!(error = %e, comment = comment.id.0, ?change, "could not queue notifications");
}

async fn notify(
    state: &AppState,
    change: Change,
    comment: &Comment,
    thread: &Thread,
) -> Result<(), Error> {
    let site = state.sites.by_id(thread.site_id).await?;
    if let Some(event) = webhooks::event_name(change) {
        webhooks::enqueue(state, event, comment, thread, &site).await?;
    }
    let published = comment.status == Status::Published;
    if published && matches!(change, Change::Created | Change::Approved) {
        replies::on_published(state, comment, thread, &site).await?;
    }
    let held =
        comment.status == Status::Pending && matches!(change, Change::Created | Change::Edited);
    if held {
        alerts::raise(state, AlertKind::Held, comment, thread).await?;
    }
    if matches!(change, Change::Rejected | Change::Deleted) {
        decided::on_decided(state, comment, thread, &site).await?;
    }
    if change == Change::Reported {
        alerts::raise(state, AlertKind::Reported, comment, thread).await?;
    }
    Ok(())
}

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
