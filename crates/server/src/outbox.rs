//! The outbox worker: delivers what the outbox holds (e-mail and webhooks), retrying failures with exponential
//! backoff. It runs in every `rostra serve`; several instances share the work through the
//! database (a claimed message is leased to one of them), and what was queued before a restart
//! goes out after it.

use crate::mail::{MailPayload, KIND as MAIL};
use crate::state::{now_ms, AppState};
use rostra_core::outbox::{retry_delay_ms, OutboxItem};
use std::sync::Arc;
use std::time::Duration;

/// Messages claimed at once.
const BATCH: u32 = 16;

/// How long a claimed message is left to the instance that claimed it: longer than any one
/// delivery takes (the SMTP timeout is 30 s), so that only a crash makes it due again.
const LEASE_MS: i64 = 5 * 60_000;

/// Delivers due messages now, then whenever one is queued or `mail.poll_ms` passes.
pub async fn run(state: Arc<AppState>) {
    let poll = Duration::from_millis(state.config.mail.poll_ms.max(1));
    let mut stop = state.stop.subscribe();
    loop {
        deliver_due(&state).await;
        tokio::select! {
            _ = state.outbox_wake.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Delivers every message due now; answers how many were tried.
pub async fn deliver_due(state: &AppState) -> usize {
    let mut tried = 0;
    loop {
        if *state.stop.borrow() {
            // Stopping: claim nothing more (what is claimed would wait out its lease).
            return tried;
        }
        let now = now_ms();
        let items = match state.store.claim_outbox(now, now + LEASE_MS, BATCH).await {
            Ok(items) => items,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the outbox");
                return tried;
            }
        };
        if items.is_empty() {
            return tried;
        }
        for item in &items {
            let outcome = deliver(state, item).await;
            record(state, item, outcome).await;
            tried += 1;
        }
    }
}

async fn deliver(state: &AppState, item: &OutboxItem) -> Result<(), String> {
    match item.kind.as_str() {
        MAIL => {
            let mail: MailPayload = serde_json::from_str(&item.payload)
                .map_err(|e| format!("unreadable mail payload: {e}"))?;
            let mailer = crate::mail::mailer(state)?;
            mailer.send(&item.recipient, &mail).await
        }
        crate::notify::webhooks::KIND => crate::notify::webhooks::deliver(state, item).await,
        other => Err(format!("no deliverer for outbox kind '{other}'")),
    }
}

async fn record(state: &AppState, item: &OutboxItem, outcome: Result<(), String>) {
    let saved = match outcome {
        Ok(()) => state.store.outbox_sent(item.id, now_ms()).await,
        Err(error) => {
            let attempts = u32::try_from(item.attempts).unwrap_or(u32::MAX);
            let retry_at = (attempts + 1 < state.config.mail.max_attempts)
                .then(|| now_ms() + retry_delay_ms(state.config.mail.retry_base_ms, attempts));
            if retry_at.is_some() {
                tracing::warn!(id = item.id, kind = %item.kind, attempt = attempts + 1, %error, "delivery failed; will retry");
            } else {
                tracing::error!(id = item.id, kind = %item.kind, attempt = attempts + 1, %error, "delivery failed; giving up");
            }
            state.store.outbox_failed(item.id, &error, retry_at).await
        }
    };
    if let Err(e) = saved {
        tracing::warn!(id = item.id, error = %e, "could not record an outbox delivery");
    }
}
