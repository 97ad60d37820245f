//! Rostra's HTTP server: the JSON API for the widget, the widget's files, the thread as plain
//! HTML, the demo article, health and metrics.
//!
//! The modules stand in floors, and a module uses only modules below it (the test
//! `architecture` in `tests/http` fails on any circle). The ground floor imports nothing
//! above it: the application error (`error`, which the HTML and admin errors wrap), who is
//! asking (`client`, with the origin check and the rate limits), small text helpers (`text`),
//! the configuration, the caches and limits, and the shared `AppState`, which names no
//! feature (each feature keeps its own state in `AppState::features`, put in by
//! `AppState::new` below). Above it stand the use cases (`comments`, `moderating`,
//! `deciding`, `accounts`, `notify`, `live`, `mail`), then the handlers (`api`, `html`,
//! `admin`, `feeds`) and the route table (`routes`).
// One audited exception: `idle_trim` calls glibc's `malloc_trim`, which takes no pointers.
#![deny(unsafe_code)]

pub mod accounts;
pub mod admin;
pub mod api;
pub mod around;
pub mod assets;
pub mod cache;
pub mod cached_reads;
pub mod checking;
pub mod client;
pub mod comments;
pub mod config;
pub mod config_check;
pub mod config_doc;
pub mod config_moderation;
pub mod config_outgoing;
pub mod connections;
pub mod count_answers;
pub mod deciding;
pub mod desk;
pub mod error;
pub mod exporting;
pub mod external;
pub mod features;
pub mod feeds;
pub mod html;
pub mod idle_trim;
pub mod importing;
pub mod live;
pub mod mail;
pub mod metrics;
pub mod moderating;
pub mod notify;
pub mod origin_gate;
pub mod outbox;
pub mod page_lists;
pub mod password;
pub mod ratelimit;
pub mod reading;
pub mod routes;
pub mod security_headers;
pub mod site_rules;
pub mod site_tokens;
pub mod sites;
pub mod state;
pub mod statement;
pub mod text;
pub mod too_large;

pub use config::Config;
pub use state::AppState;

use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// How often sites are reloaded from the database (changes made with `rostra site`).
const SITE_REFRESH: Duration = Duration::from_secs(30);

/// How long a stopping server lets the outbox worker finish the deliveries in hand (longer than
/// the SMTP timeout).
const OUTBOX_DRAIN: Duration = Duration::from_secs(35);

/// Housekeeping runs every this many site refreshes (hourly).
const HOUSEKEEPING_EVERY: u64 = 120;

impl AppState {
    /// The state a server runs with: the shared state, the publisher its events go to, and
    /// each feature's own state (the shared state names no feature; the features are started
    /// here).
    pub async fn new(
        store: Arc<dyn rostra_core::Store>,
        bus: Arc<dyn rostra_core::events::EventBus>,
        config: Config,
        demo: bool,
    ) -> Result<AppState, rostra_core::Error> {
        let (outgoing, pending) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(live::publisher(store.clone(), bus.clone(), pending));
        let mut state = AppState::shared(store, bus, config, demo, outgoing).await?;
        let mailer = mail::Mailer::from_config(&state.config.mail);
        state.features.insert(mail::MailState(mailer));
        state.features.insert(page_lists::ListCache::default());
        state
            .features
            .insert(admin::import_jobs::ImportJobs::default());
        Ok(state)
    }
}

/// Forgets address hashes past their retention and ends expired sessions.
pub async fn housekeeping(state: &AppState) {
    let now = state::now_ms();
    let days = state.config.privacy.ip_hash_retention_days;
    if days > 0 {
        let before = now - i64::from(days) * 86_400_000;
        match state.store.purge_address_hashes(before).await {
            Ok(n) if n > 0 => tracing::info!(comments = n, "erased old address hashes"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not erase old address hashes"),
        }
    }
    let days = state.config.privacy.unverified_email_retention_days;
    if days > 0 {
        let before = now - i64::from(days) * 86_400_000;
        match state.store.purge_unverified_emails(before).await {
            Ok(n) if n > 0 => tracing::info!(comments = n, "erased unconfirmed guest addresses"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not erase unconfirmed guest addresses"),
        }
    }
    // Live readers catch up at most a week back; older gaps are a reload.
    if let Err(e) = state.store.purge_events(now - 7 * 86_400_000).await {
        tracing::warn!(error = %e, "could not erase old thread events");
    }
    if let Err(e) = state.store.delete_expired_sessions(now).await {
        tracing::warn!(error = %e, "could not remove expired sessions");
    }
    if let Err(e) = state.store.delete_expired_reader_sessions(now).await {
        tracing::warn!(error = %e, "could not remove expired reader sessions");
    }
    if let Err(e) = state.store.delete_expired_ceremonies(now).await {
        tracing::warn!(error = %e, "could not remove expired passkey ceremonies");
    }
    // Delivered mail is kept a month as a record of what went out.
    if let Err(e) = state.store.purge_outbox(now - 30 * 86_400_000).await {
        tracing::warn!(error = %e, "could not erase old outbox messages");
    }
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    state: Arc<AppState>,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let refresher = state.clone();
    let refresh = tokio::spawn(async move {
        let mut tick = tokio::time::interval(SITE_REFRESH);
        let mut ticks: u64 = 0;
        loop {
            tick.tick().await;
            if let Err(e) = refresher.sites.refresh().await {
                tracing::warn!(error = %e, "could not refresh sites");
            }
            refresher.threads.clear_aliases();
            if ticks.is_multiple_of(HOUSEKEEPING_EVERY) {
                housekeeping(&refresher).await;
            }
            ticks += 1;
        }
    });
    let relay = tokio::spawn(live::relay(state.clone()));
    let outbox = tokio::spawn(outbox::run(state.clone()));
    let digests = tokio::spawn(notify::alerts::run_digests(state.clone()));
    let trimmer = tokio::spawn(idle_trim::run(state.metrics.clone(), state.store.clone()));
    let stopping = state.clone();
    let shutdown = async move {
        shutdown.await;
        // End the event streams first: graceful shutdown waits for open connections.
        let _ = stopping.stop.send(true);
    };
    let header_timeout = Duration::from_secs(state.config.server.header_timeout_secs);
    // `server.threads`, or one connection thread per core.
    let lanes = match state.config.server.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let served = connections::serve(
        listener,
        routes::router(state),
        header_timeout,
        lanes,
        shutdown,
    )
    .await;
    refresh.abort();
    relay.abort();
    // The outbox worker ends at the stop signal after the batch in hand, so that no message
    // stays leased to a stopped instance; a delivery that hangs is cut off with its timeout.
    if tokio::time::timeout(OUTBOX_DRAIN, outbox).await.is_err() {
        tracing::warn!("the outbox worker did not stop in time");
    }
    digests.abort();
    trimmer.abort();
    served
}
