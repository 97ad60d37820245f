//! Webhooks: each comment event of a site is posted as JSON to every URL the site configured,
//! signed with that webhook's secret (`X-Rostra-Signature: sha256=<hex HMAC-SHA256 of the
//! body>`), through the outbox, so a receiver that is down gets it on a later try. The body
//! never holds an e-mail address or an address hash.

use super::Change;
use crate::state::{now_ms, AppState};
use hmac::{Hmac, Mac};
use rostra_core::outbox::{NewOutboxItem, OutboxItem};
use rostra_core::privacy::random_token;
use rostra_core::{Comment, Error, Site, Thread};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::Sha256;
use std::time::Duration;

/// The outbox kind of a webhook delivery.
pub const KIND: &str = "webhook";

/// The headers every delivery carries besides `Content-Type`.
pub const SIGNATURE_HEADER: &str = "X-Rostra-Signature";
pub const EVENT_HEADER: &str = "X-Rostra-Event";
pub const EVENT_ID_HEADER: &str = "X-Rostra-Event-Id";
pub const TIMESTAMP_HEADER: &str = "X-Rostra-Timestamp";

/// What the outbox keeps of a delivery: the body exactly as signed, and which webhook's secret
/// signs it (looked up at delivery, so the secret is never copied into the outbox).
#[derive(Debug, Serialize, Deserialize)]
struct Delivery {
    webhook_id: i64,
    event: String,
    event_id: String,
    /// Unix seconds when the event happened.
    timestamp: i64,
    body: String,
}

/// The events, for pages and help texts.
pub const WEBHOOK_EVENTS_TEXT: &str =
    "comment.created, comment.edited, comment.deleted, comment.approved, comment.rejected";

/// The event a change is, for webhooks (reports are not sent).
pub fn event_name(change: Change) -> Option<&'static str> {
    Some(match change {
        Change::Created => "comment.created",
        Change::Edited => "comment.edited",
        Change::Deleted => "comment.deleted",
        Change::Approved => "comment.approved",
        Change::Rejected => "comment.rejected",
        Change::Reported => return None,
    })
}

/// The JSON body of an event.
pub fn body(
    event: &str,
    event_id: &str,
    at: i64,
    comment: &Comment,
    thread: &Thread,
    site: &Site,
) -> String {
    json!({
        "event": event,
        "id": event_id,
        "created_at": at,
        "site": site.key,
        "thread": {"id": thread.id.0, "url": thread.url, "title": thread.title},
        "comment": {
            "id": comment.id.0,
            "parent_id": comment.parent_id.map(|p| p.0),
            "status": comment.status.as_str(),
            "author_name": comment.author_name,
            "html": comment.body_html,
            "created_at": comment.created_at,
            "edited_at": comment.edited_at,
        },
    })
    .to_string()
}

/// Queues an event for every webhook of the site (none configured: nothing happens).
pub async fn enqueue(
    state: &AppState,
    event: &str,
    comment: &Comment,
    thread: &Thread,
    site: &Site,
) -> Result<(), Error> {
    let hooks = state.store.webhooks(site.id).await?;
    if hooks.is_empty() {
        return Ok(());
    }
    let now = now_ms();
    let event_id = random_token();
    let body = body(event, &event_id, now, comment, thread, site);
    for hook in hooks {
        let delivery = Delivery {
            webhook_id: hook.id,
            event: event.into(),
            event_id: event_id.clone(),
            timestamp: now / 1000,
            body: body.clone(),
        };
        let item = NewOutboxItem {
            kind: KIND.into(),
            recipient: hook.url,
            payload: serde_json::to_string(&delivery).unwrap_or_default(),
        };
        state.store.enqueue(item, now).await?;
    }
    state.outbox_wake.notify_one();
    Ok(())
}

/// `sha256=<hex HMAC-SHA256 of body with secret>`.
pub fn signature(secret: &str, body: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(body.as_bytes());
    format!("sha256={}", super::hex(&mac.finalize().into_bytes()))
}

/// Posts one delivery; any answer but 2xx is a failure the outbox retries.
pub async fn deliver(state: &AppState, item: &OutboxItem) -> Result<(), String> {
    let d: Delivery = serde_json::from_str(&item.payload)
        .map_err(|e| format!("unreadable webhook payload: {e}"))?;
    let hook = state
        .store
        .webhook(d.webhook_id)
        .await
        .map_err(|e| format!("could not read the webhook: {e}"))?
        .ok_or("the webhook was removed")?;
    let timeout = Duration::from_secs(state.config.notifications.webhook_timeout_secs.max(1));
    let answer = state
        .http
        .post(&item.recipient)
        .timeout(timeout)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(reqwest::header::USER_AGENT, "Rostra-Webhook")
        .header(SIGNATURE_HEADER, signature(&hook.secret, &d.body))
        .header(EVENT_HEADER, &d.event)
        .header(EVENT_ID_HEADER, &d.event_id)
        .header(TIMESTAMP_HEADER, d.timestamp.to_string())
        .body(d.body)
        .send()
        .await
        .map_err(|e| format!("could not reach the receiver: {}", e.without_url()))?;
    if answer.status().is_success() {
        Ok(())
    } else {
        Err(format!(
            "the receiver answered HTTP {}",
            answer.status().as_u16()
        ))
    }
}

/// Secrets shorter than this are refused: the signature is only as strong as the secret.
pub const MIN_SECRET_CHARS: usize = 16;

/// A webhook to add: an absolute http(s) URL, and the given secret or a fresh random one.
pub fn new_webhook(
    site: rostra_core::SiteId,
    url: &str,
    secret: Option<&str>,
) -> Result<rostra_core::notification::NewWebhook, String> {
    let url = url.trim();
    let parsed = url::Url::parse(url).map_err(|_| format!("'{url}' is not a URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!("'{url}' is not an http(s) URL"));
    }
    let secret = match secret.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() < MIN_SECRET_CHARS => {
            return Err(format!(
                "a webhook secret needs at least {MIN_SECRET_CHARS} characters"
            ))
        }
        Some(s) => s.to_string(),
        None => random_token(),
    };
    Ok(rostra_core::notification::NewWebhook {
        site_id: site,
        url: parsed.to_string(),
        secret,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_hex() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn webhook_urls_and_secrets_are_checked() -> Result<(), String> {
        let site = rostra_core::SiteId(1);
        assert!(new_webhook(site, "ftp://x.example/", None).is_err());
        assert!(new_webhook(site, "not a url", None).is_err());
        assert!(new_webhook(site, "https://x.example/hook", Some("short")).is_err());
        let made = new_webhook(site, "https://x.example/hook", None)?;
        assert!(made.secret.len() >= MIN_SECRET_CHARS);
        Ok(())
    }
}
