//! The statement of reasons by e-mail: when a moderator rejects or removes a comment whose
//! author has a confirmed address (a reader account's, or one a guest confirmed on the site),
//! the author is told what was decided, why, by whom, and the moderator's note.

use crate::mail::MailPayload;
use crate::state::AppState;
use crate::statement::{self, Statement};
use crate::text::escape;
use rostra_core::comment::Status;
use rostra_core::{Comment, Error, Site, Thread};

/// Queues the statement for a comment a moderator just rejected or removed.
pub async fn on_decided(
    state: &AppState,
    comment: &Comment,
    thread: &Thread,
    site: &Site,
) -> Result<(), Error> {
    if !matches!(comment.status, Status::Rejected | Status::Deleted) {
        return Ok(());
    }
    let statement = statement::for_comment(state, comment).await?;
    if statement.decided_by != "moderator" {
        return Ok(());
    }
    let Some(to) = confirmed_address(state, site, comment).await? else {
        return Ok(());
    };
    let mail = statement_mail(comment, thread, site, &statement);
    crate::mail::enqueue_payload(state, &to, &mail).await?;
    Ok(())
}

/// The address the author has proven: their reader account's, or the one their guest
/// identity confirmed on this site. An address merely typed into the form gets nothing.
async fn confirmed_address(
    state: &AppState,
    site: &Site,
    comment: &Comment,
) -> Result<Option<String>, Error> {
    if let Some(id) = comment.account_id {
        let account = state.store.account(id).await?;
        return Ok(account.and_then(|a| a.email.clone().filter(|_| a.is_verified())));
    }
    match comment.author_key.as_deref() {
        Some(key) => state.store.verified_guest_email(site.id, key).await,
        None => Ok(None),
    }
}

fn statement_mail(comment: &Comment, thread: &Thread, site: &Site, s: &Statement) -> MailPayload {
    let page = thread.title.as_deref().unwrap_or(&thread.url);
    let what = match comment.status {
        Status::Rejected => "rejected",
        _ => "removed",
    };
    let category = match s.categories.is_empty() {
        true => "not given".to_string(),
        false => s
            .categories
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    };
    let note = s.note.as_deref().unwrap_or("(none)");
    let subject = format!("Your comment on {page} was {what} by a moderator");
    let text = format!(
        "Your comment on {page} ({site}) was {what} by a moderator.\n\n\
         Decision: {what}\nDecided by: a moderator (not an automatic check)\n\
         Category: {category}\nThe moderator's note: {note}\n\n\
         Your comment:\n\n{body}\n",
        site = site.name,
        body = comment.body,
    );
    let html = format!(
        "<!doctype html><html><body>\
         <p>Your comment on <a href=\"{url}\">{page}</a> ({site}) was {what} by a moderator.</p>\
         <ul><li>Decision: {what}</li>\
         <li>Decided by: a moderator (not an automatic check)</li>\
         <li>Category: {category}</li>\
         <li>The moderator's note: {note}</li></ul>\
         <p>Your comment:</p><blockquote>{body}</blockquote></body></html>",
        url = escape(&thread.url),
        page = escape(page),
        site = escape(&site.name),
        category = escape(&category),
        note = escape(note),
        // Sanitized when the comment was stored (Markdown through ammonia's allow-list).
        body = comment.body_html,
    );
    MailPayload {
        subject,
        text,
        html: Some(html),
        headers: Vec::new(),
    }
}
