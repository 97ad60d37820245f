//! What every handler shares: the store, the config, and the in-memory caches and limits. It
//! names no feature: each feature keeps its own state in `features` (put in by `AppState::new`,
//! in `lib.rs`).

use crate::assets::Assets;
use crate::cache::ThreadCache;
use crate::config::Config;
use crate::count_answers::CountAnswers;
use crate::features::Features;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;
use crate::site_rules::SiteRules;
use crate::sites::SiteCache;
use rostra_core::events::{EventBus, NewEvent, ThreadEvent};
use rostra_core::moderation::{ModerationMode, SitePolicy};
use rostra_core::privacy::random_token;
use rostra_core::validate::Limits;
use rostra_core::{Error, Site, Store};
use rostra_moderation::Pipeline;
use std::sync::Arc;

pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Config,
    pub limits: Limits,
    pub sites: SiteCache,
    /// Policies and bans, for the posting path.
    pub site_rules: SiteRules,
    pub threads: ThreadCache,
    /// Whole `/api/counts` answers, valid while their threads are unchanged.
    pub count_answers: CountAnswers,
    pub rate_limits: RateLimiter,
    pub ip_salt: String,
    pub metrics: Arc<Metrics>,
    pub assets: Assets,
    pub pipeline: Pipeline,
    /// Publishes thread events to every instance.
    pub bus: Arc<dyn EventBus>,
    /// This instance's live readers (SSE) listen here.
    pub live: tokio::sync::broadcast::Sender<Arc<ThreadEvent>>,
    /// Events on their way to the store and the bus (see `live::publisher`).
    pub outgoing: tokio::sync::mpsc::UnboundedSender<NewEvent>,
    /// Set when the server shuts down, to end event streams.
    pub stop: tokio::sync::watch::Sender<bool>,
    /// For the external classifier (plain HTTP, only when configured).
    pub http: reqwest::Client,
    /// The origin of Rostra's own pages (`/thread`, `/demo`), always allowed to post.
    pub public_origin: String,
    /// Serve the demo article at `/demo` (only `rostra demo` does).
    pub demo: bool,
    /// Import and export for the admin pages (set by whoever opened the database).
    pub interchange: Option<Arc<dyn rostra_core::interchange::Interchange>>,
    /// Wakes the outbox worker when a message is queued.
    pub outbox_wake: tokio::sync::Notify,
    /// Each feature's own state (the mailer, the page lists' cache, the admin page's imports).
    pub features: Features,
}

impl AppState {
    /// The shared state, without any feature's own (`AppState::new` adds those). Events sent
    /// to `outgoing` are for the publisher the caller started.
    pub async fn shared(
        store: Arc<dyn Store>,
        bus: Arc<dyn EventBus>,
        config: Config,
        demo: bool,
        outgoing: tokio::sync::mpsc::UnboundedSender<NewEvent>,
    ) -> Result<AppState, Error> {
        let ip_salt = if config.privacy.ip_salt.is_empty() {
            store.server_secret("ip_salt", random_token()).await?
        } else {
            config.privacy.ip_salt.clone()
        };
        let c = &config.comments;
        let limits = Limits {
            body_min_chars: c.min_chars,
            body_max_chars: c.max_chars,
            name_max_chars: c.name_max_chars,
            ..Limits::default()
        };
        Ok(AppState {
            sites: SiteCache::load(store.clone()).await?,
            site_rules: SiteRules::new(store.clone()),
            threads: ThreadCache::new(config.threads.cache_entries),
            count_answers: CountAnswers::new((config.threads.cache_entries / 10).max(64)),
            public_origin: config.public_origin(),
            rate_limits: RateLimiter::from_config(&config.rate_limits),
            store,
            limits,
            ip_salt,
            metrics: Arc::default(),
            assets: Assets::build(),
            pipeline: Pipeline::standard(config.moderation.duplicate_window_secs),
            http: reqwest::Client::new(),
            bus,
            live: tokio::sync::broadcast::channel(4096).0,
            outgoing,
            stop: tokio::sync::watch::channel(false).0,
            demo,
            outbox_wake: tokio::sync::Notify::new(),
            config,
            interchange: None,
            features: Features::default(),
        })
    }

    /// Lets the admin pages import and export through `interchange`.
    pub fn with_interchange(
        mut self,
        interchange: Arc<dyn rostra_core::interchange::Interchange>,
    ) -> AppState {
        self.interchange = Some(interchange);
        self
    }

    pub fn close_after_days(&self) -> Option<u32> {
        Some(self.config.threads.close_after_days).filter(|d| *d > 0)
    }

    /// The policy configured for every site that has none of its own.
    pub fn default_policy(&self) -> SitePolicy {
        let m = &self.config.moderation;
        SitePolicy {
            mode: ModerationMode::parse(&m.mode).unwrap_or_default(),
            max_links: m.max_links,
            edit_window_secs: self.config.comments.edit_window_secs,
            close_after_days: self.config.threads.close_after_days,
            reports_to_hold: m.reports_to_hold,
            banned_words: Vec::new(),
            suspect_words: Vec::new(),
            trust_after: m.trust_after,
            // Checked when the configuration is loaded (`Config::problems`).
            attributes: m.attribute_rules().unwrap_or_default(),
            nudge: m.nudge,
        }
    }

    /// A site's own policy, or the configured default.
    pub async fn policy(&self, site: &Site) -> Result<SitePolicy, Error> {
        let rules = self.site_rules.get(site.id, now_ms()).await?;
        Ok(rules
            .policy
            .clone()
            .unwrap_or_else(|| self.default_policy()))
    }
}

/// Milliseconds since the Unix epoch, UTC.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
