//! Moderator alerts about held and reported comments, on the sites each moderator moderates:
//! off, one e-mail per comment, or a digest. Digest items wait in the database, so a restart
//! loses none; every `notifications.digest_interval_secs` each moderator with items gets one
//! e-mail listing them all.

use crate::state::{now_ms, AppState};
use rostra_core::notification::{AlertKind, AlertMode, DigestItem};
use rostra_core::outbox::NewOutboxItem;
use rostra_core::user::User;
use rostra_core::{Comment, Error, Thread, UserId};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// Alerts every moderator of the comment's site who wants to hear about it.
pub async fn raise(
    state: &AppState,
    kind: AlertKind,
    comment: &Comment,
    thread: &Thread,
) -> Result<(), Error> {
    for (user_id, mode) in state.store.alert_modes().await? {
        let Some(user) = state.store.user(user_id).await? else {
            continue;
        };
        if !user.may_moderate(thread.site_id) {
            continue;
        }
        match mode {
            AlertMode::Off => {}
            AlertMode::Immediate => {
                let (subject, text) = alert_mail(state, kind, comment, thread);
                crate::mail::enqueue(state, &user.email, &subject, &text).await?;
            }
            AlertMode::Digest => {
                state
                    .store
                    .add_digest_item(user_id, comment.id, kind, now_ms())
                    .await?;
            }
        }
    }
    Ok(())
}

fn why(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::Held => "held for review",
        AlertKind::Reported => "reported by a reader",
    }
}

/// One line about a comment: who, where, the start of what they wrote, and the review link.
fn line(state: &AppState, kind: AlertKind, comment: &Comment, thread: &Thread) -> String {
    let excerpt: String = comment.body.chars().take(200).collect();
    format!(
        "[{kind}] {name} on {page}:\n  {excerpt}\n  Review: {origin}/admin/comments/{id}\n",
        kind = kind.as_str(),
        name = comment.author_name.as_deref().unwrap_or("Anonymous"),
        page = thread.title.as_deref().unwrap_or(&thread.url),
        excerpt = excerpt.replace('\n', " "),
        origin = state.public_origin,
        id = comment.id.0,
    )
}

fn alert_mail(
    state: &AppState,
    kind: AlertKind,
    comment: &Comment,
    thread: &Thread,
) -> (String, String) {
    let subject = format!("A comment was {}", why(kind));
    let text = format!(
        "A comment was {}.\n\n{}\nYou get this e-mail because your moderator alerts are set to \
         'immediately' (change it at {}/admin/alerts).\n",
        why(kind),
        line(state, kind, comment, thread),
        state.public_origin
    );
    (subject, text)
}

/// Sends every pending digest now: one e-mail per moderator listing all their items. Answers
/// how many digests were queued.
pub async fn send_digests(state: &AppState) -> Result<usize, Error> {
    let mut by_user: BTreeMap<UserId, Vec<DigestItem>> = BTreeMap::new();
    for item in state.store.digest_items().await? {
        by_user.entry(item.user_id).or_default().push(item);
    }
    let mut sent = 0;
    for (user_id, items) in by_user {
        let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
        let user = state.store.user(user_id).await?;
        let lines = digest_lines(state, user.as_ref(), &items).await?;
        let Some(user) = user.filter(|_| !lines.is_empty()) else {
            // Nothing here will ever be sent to this moderator (removed, no longer moderating
            // the site, or the comments are gone): keeping the items would only grow the list
            // read on every interval.
            state.store.drop_digest_items(&ids).await?;
            continue;
        };
        let mail = digest_mail(state, &user.email, &lines);
        if state
            .store
            .enqueue_digest(&ids, mail, now_ms())
            .await?
            .is_some()
        {
            sent += 1;
        }
    }
    if sent > 0 {
        state.outbox_wake.notify_one();
    }
    Ok(sent)
}

/// One line per item the moderator may still see (the comment and its thread exist, and the
/// moderator moderates its site).
async fn digest_lines(
    state: &AppState,
    user: Option<&User>,
    items: &[DigestItem],
) -> Result<Vec<String>, Error> {
    let mut lines = Vec::new();
    for item in items {
        let Some(comment) = state.store.comment(item.comment_id).await? else {
            continue;
        };
        let Some(thread) = state.store.thread(comment.thread_id).await? else {
            continue;
        };
        if user.is_some_and(|u| u.may_moderate(thread.site_id)) {
            lines.push(line(state, item.kind, &comment, &thread));
        }
    }
    Ok(lines)
}

fn digest_mail(state: &AppState, to: &str, lines: &[String]) -> NewOutboxItem {
    let count = match lines.len() {
        1 => "1 comment needs".to_string(),
        n => format!("{n} comments need"),
    };
    let text = format!(
        "{count} a look since the last digest:\n\n{}\nYou get this digest because \
         your moderator alerts are set to 'digest' (change it at {}/admin/alerts).\n",
        lines.join("\n"),
        state.public_origin
    );
    let payload = crate::mail::MailPayload {
        subject: format!("Rostra digest: {count} a look"),
        text,
        ..Default::default()
    };
    NewOutboxItem {
        kind: crate::mail::KIND.into(),
        recipient: to.to_string(),
        payload: serde_json::to_string(&payload).unwrap_or_default(),
    }
}

/// Sends the digests every `notifications.digest_interval_secs`, for the life of the server.
pub async fn run_digests(state: Arc<AppState>) {
    let every = Duration::from_secs(state.config.notifications.digest_interval_secs.max(1));
    let mut stop = state.stop.subscribe();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
        if let Err(e) = send_digests(&state).await {
            tracing::warn!(error = %e, "could not send moderator digests");
        }
    }
}
