//! Reply notifications: when a comment is published (at once, or when a moderator approves it),
//! the subscribers of its parent comment and of its thread get one e-mail each, never the
//! comment's own author, each with a one-click unsubscribe link and RFC 8058 headers.

use super::unsubscribe;
use crate::mail::MailPayload;
use crate::state::{now_ms, AppState};
use crate::text::escape;
use rostra_core::notification::Subscription;
use rostra_core::{Comment, Error, Site, Thread};

/// Queues the reply e-mails for a newly published comment, once per comment.
pub async fn on_published(
    state: &AppState,
    comment: &Comment,
    thread: &Thread,
    site: &Site,
) -> Result<(), Error> {
    let subscribers = state
        .store
        .reply_subscribers(thread.id, comment.parent_id)
        .await?;
    if subscribers.is_empty() || !state.store.mark_notified(comment.id, now_ms()).await? {
        return Ok(());
    }
    let own = comment
        .author_email
        .as_deref()
        .map(|e| e.trim().to_lowercase());
    for sub in subscribers {
        if own.as_deref() == Some(sub.email.as_str()) {
            continue;
        }
        let mail = reply_mail(state, &sub, comment, thread, site).await?;
        crate::mail::enqueue_payload(state, &sub.email, &mail).await?;
    }
    Ok(())
}

async fn reply_mail(
    state: &AppState,
    sub: &Subscription,
    comment: &Comment,
    thread: &Thread,
    site: &Site,
) -> Result<MailPayload, Error> {
    let unsubscribe = unsubscribe::link(state, sub.id).await?;
    let name = comment.author_name.as_deref().unwrap_or("Anonymous");
    let page = thread.title.as_deref().unwrap_or(&thread.url);
    let read = format!("{}#comment-{}", thread.url, comment.id.0);
    let why = if sub.comment_id.is_some() {
        "you asked to hear about replies to your comment"
    } else {
        "you subscribed to this discussion"
    };
    let subject = if sub.comment_id.is_some() && sub.comment_id == comment.parent_id {
        format!("{name} replied to your comment on {page}")
    } else {
        format!("New comment by {name} on {page}")
    };
    let text = format!(
        "{name} wrote on {page} ({site}):\n\n{body}\n\nRead it and reply: {read}\n\n\
         You get this e-mail because {why}. Unsubscribe: {unsubscribe}\n",
        site = site.name,
        body = comment.body,
    );
    let html = format!(
        "<!doctype html><html><body>\
         <p><strong>{name}</strong> wrote on <a href=\"{read}\">{page}</a> ({site}):</p>\
         <blockquote>{body}</blockquote>\
         <p><a href=\"{read}\">Read it and reply</a></p>\
         <p style=\"color:#666;font-size:small\">You get this e-mail because {why}. \
         <a href=\"{unsub}\">Unsubscribe</a></p></body></html>",
        name = escape(name),
        read = escape(&read),
        page = escape(page),
        site = escape(&site.name),
        // Sanitized when the comment was stored (Markdown through ammonia's allow-list).
        body = comment.body_html,
        why = escape(why),
        unsub = escape(&unsubscribe),
    );
    Ok(MailPayload {
        subject,
        text,
        html: Some(html),
        headers: vec![
            ("List-Unsubscribe".into(), format!("<{unsubscribe}>")),
            (
                "List-Unsubscribe-Post".into(),
                "List-Unsubscribe=One-Click".into(),
            ),
        ],
    })
}
