//! Telling an author that editors featured their comment: only when they asked for e-mails about
//! replies to it (a confirmed subscription to the comment), with its unsubscribe link.

use super::unsubscribe;
use crate::mail::MailPayload;
use crate::state::AppState;
use crate::text::escape;
use rostra_core::{Comment, Error};

/// Queues the e-mail for a comment that was just featured.
pub async fn on_featured(state: &AppState, comment: &Comment) -> Result<(), Error> {
    let thread = state
        .store
        .thread(comment.thread_id)
        .await?
        .ok_or(Error::ThreadNotFound)?;
    let subscribers = state
        .store
        .reply_subscribers(thread.id, Some(comment.id))
        .await?;
    let Some(sub) = subscribers
        .into_iter()
        .find(|s| s.comment_id == Some(comment.id))
    else {
        return Ok(());
    };
    let site = state.sites.by_id(thread.site_id).await?;
    let unsubscribe = unsubscribe::link(state, sub.id).await?;
    let page = thread.title.as_deref().unwrap_or(&thread.url);
    let read = format!("{}#comment-{}", thread.url, comment.id.0);
    let text = format!(
        "The editors of {site} featured your comment on {page}: it is shown among their \
         picks above the discussion.\n\nRead it: {read}\n\n\
         You get this e-mail because you asked to hear about replies to your comment. \
         Unsubscribe: {unsubscribe}\n",
        site = site.name,
    );
    let html = format!(
        "<!doctype html><html><body><p>The editors of {site} featured your comment on \
         <a href=\"{read}\">{page}</a>: it is shown among their picks above the discussion.</p>\
         <p style=\"color:#666;font-size:small\">You get this e-mail because you asked to hear \
         about replies to your comment. <a href=\"{unsub}\">Unsubscribe</a></p></body></html>",
        site = escape(&site.name),
        page = escape(page),
        read = escape(&read),
        unsub = escape(&unsubscribe),
    );
    let mail = MailPayload {
        subject: format!("Your comment on {page} was featured"),
        text,
        html: Some(html),
        headers: vec![
            ("List-Unsubscribe".into(), format!("<{unsubscribe}>")),
            (
                "List-Unsubscribe-Post".into(),
                "List-Unsubscribe=One-Click".into(),
            ),
        ],
    };
    crate::mail::enqueue_payload(state, &sub.email, &mail).await?;
    Ok(())
}
