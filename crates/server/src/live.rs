//! Live updates: every change to a public thread becomes a stored event, published to every
//! instance; each instance refreshes its cache and streams the event to its readers (SSE).

use crate::api::views::CommentView;
use crate::api::IdPath;
use crate::cache::ThreadRef;
use crate::error::ApiError;
use crate::state::{now_ms, AppState};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::stream::{self, Stream, StreamExt};
use rostra_core::comment::Status;
use rostra_core::events::{NewEvent, ThreadEvent, RESYNC};
use rostra_core::{Comment, Error, ThreadId, VoteTotals};
use serde_json::json;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// Events replayed at most on reconnecting; older gaps are a reload.
const REPLAY_LIMIT: u32 = 1000;

/// An event waiting to be stored and published.
pub type Outgoing = NewEvent;

/// Events stored in one write at most.
const PUBLISH_BATCH: usize = 256;

/// Hands an event to the publisher. The request that caused it does not wait for the event to
/// be stored: its own write is already durable, and readers who miss the event see the change
/// on their next load. One publisher keeps events in the order they happened.
async fn emit(state: &AppState, thread: ThreadId, kind: &'static str, payload: serde_json::Value) {
    let event = Outgoing {
        thread,
        kind,
        payload: payload.to_string(),
        at: now_ms(),
    };
    if state.outgoing.send(event).is_err() {
        tracing::warn!(kind, "the event publisher has stopped");
    }
}

/// Stores and publishes events, in order, for the life of the server.
pub async fn publisher(
    store: Arc<dyn rostra_core::Store>,
    bus: Arc<dyn rostra_core::events::EventBus>,
    mut outgoing: tokio::sync::mpsc::UnboundedReceiver<Outgoing>,
) {
    // Whatever queued up while the last batch was being stored goes in one write.
    let mut batch = Vec::with_capacity(PUBLISH_BATCH);
    while outgoing.recv_many(&mut batch, PUBLISH_BATCH).await > 0 {
        let stored = match store.append_events(&batch).await {
            Ok(stored) => stored,
            Err(e) => {
                tracing::warn!(error = %e, events = batch.len(), "could not store thread events");
                batch.clear();
                continue;
            }
        };
        batch.clear();
        for event in &stored {
            if let Err(e) = bus.publish(event).await {
                tracing::warn!(error = %e, kind = %event.kind, "could not publish a thread event");
            }
        }
    }
}

/// A comment changed: tell readers what it now looks like to the public.
pub async fn comment_changed(state: &AppState, before: Option<&Comment>, now: &Comment) {
    let was = before.is_some_and(Comment::is_public);
    let kind = match (was, now.is_public()) {
        (false, true) if now.status == Status::Published => "comment",
        (_, true) => "edit",
        (true, false) => "remove",
        (false, false) => return,
    };
    let payload = if kind == "remove" {
        json!({"id": now.id.0, "parent": now.parent_id.map(|p| p.0)})
    } else {
        json!({"comment": CommentView::public(now)})
    };
    emit(state, now.thread_id, kind, payload).await;
}

pub async fn votes_changed(state: &AppState, thread: ThreadId, id: i64, t: &VoteTotals) {
    let payload =
        json!({"id": id, "upvotes": t.upvotes, "downvotes": t.downvotes, "score": t.score});
    emit(state, thread, "vote", payload).await;
}

/// Runs for the life of the server: events from every instance refresh this one's cache and go
/// to its readers.
pub async fn relay(state: Arc<AppState>) {
    let mut events = state.bus.subscribe();
    while let Some(e) = events.next().await {
        if e.kind == RESYNC {
            state.threads.clear();
        } else {
            state.threads.invalidate(&ThreadRef {
                site: e.site_id,
                key: e.thread_key.clone(),
            });
        }
        let _ = state.live.send(Arc::new(e));
    }
}

#[derive(serde::Deserialize)]
pub struct EventsQuery {
    last_event_id: Option<i64>,
}

fn sse_event(e: &ThreadEvent) -> Event {
    Event::default()
        .id(e.id.to_string())
        .event(e.kind.clone())
        .data(e.payload.clone())
}

/// `GET /api/threads/{id}/events`: what was missed since `Last-Event-ID`, then live events,
/// until the client leaves or the server shuts down.
pub async fn events(
    State(state): State<Arc<AppState>>,
    IdPath(id): IdPath,
    crate::api::ApiQuery(q): crate::api::ApiQuery<EventsQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let thread = state
        .store
        .thread(ThreadId(id))
        .await?
        .ok_or(Error::ThreadNotFound)?;
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(q.last_event_id);
    // Subscribe before reading the backlog, so nothing falls between the two; what arrives in
    // both is sent once.
    let live = state.live.subscribe();
    let backlog = match last {
        Some(after) => {
            state
                .store
                .events_since(thread.id, after, REPLAY_LIMIT)
                .await?
        }
        None => Vec::new(),
    };
    let replayed: std::collections::HashSet<i64> = backlog.iter().map(|e| e.id).collect();
    let replay = stream::iter(backlog.into_iter().map(|e| Ok(sse_event(&e))));
    let mut stop = state.stop.subscribe();
    let live = stream::unfold(live, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(e) => return Some((e, rx)),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
    .filter_map(move |e| {
        let keep = e.thread_id == thread.id
            && e.kind != RESYNC
            && !replayed.contains(&e.id)
            && last.is_none_or(|after| e.id > after);
        futures::future::ready(keep.then(|| Ok(sse_event(&e))))
    });
    let until_stop = async move {
        let _ = stop.wait_for(|stopped| *stopped).await;
    };
    let stream = replay.chain(live).take_until(Box::pin(until_stop));
    Ok(Sse::new(stream).keep_alive(
        KeepAlive::new()
            .interval(Duration::from_secs(15))
            .text("keep-alive"),
    ))
}
