//! The configuration tree. Every field's doc comment is the operator's documentation: the
//! README's reference and `rostra config default` are generated from these comments.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::config_moderation::{AttributeOverride, ModerationConfig};
pub use crate::config_outgoing::{MailConfig, NotificationsConfig};

/// Rostra's whole configuration. Layers: built-in defaults, then `rostra.toml`, then
/// `ROSTRA_SECTION__KEY` environment variables (for example `ROSTRA_SERVER__LISTEN`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The HTTP server.
    pub server: ServerConfig,
    /// Where comments are stored.
    pub database: DatabaseConfig,
    /// What a comment may be, and how long its author may change it.
    pub comments: CommentsConfig,
    /// Threads: paging and closing.
    pub threads: ThreadsConfig,
    /// Limits on writes per client address, as token buckets.
    pub rate_limits: RateLimitsConfig,
    /// Moderation defaults for sites that set none of their own, and the external classifier.
    pub moderation: ModerationConfig,
    /// The moderators' and admins' pages.
    pub admin: AdminConfig,
    /// Imports uploaded on the admin pages.
    pub import: ImportConfig,
    /// Privacy of readers.
    pub privacy: PrivacyConfig,
    /// Readers' accounts and sessions.
    pub accounts: AccountsConfig,
    /// Outgoing e-mail (sign-in links, address checks), sent through a queue in the database.
    pub mail: MailConfig,
    /// Reply notifications, moderator alerts and webhooks (delivered like mail, with the
    /// `mail.*` retry settings).
    pub notifications: NotificationsConfig,
    /// Logging.
    pub log: LogConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address and port to listen on.
    pub listen: String,
    /// The address readers reach this Rostra at, as `https://comments.example` (used in links
    /// and as an allowed origin for Rostra's own pages). Empty: `http://` + `listen`.
    pub public_url: String,
    /// Take the client address from the last `X-Forwarded-For` entry. Turn on only behind a
    /// reverse proxy that sets it, or clients can forge their address.
    pub trust_forwarded_for: bool,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Seconds a client has to send a request's headers, counted from when it connects (or from
    /// the previous response on a kept-alive connection). A client that sends nothing, or sends
    /// its headers slowly, is disconnected after this.
    pub header_timeout_secs: u64,
    /// Threads serving connections, each with its own event loop; a connection stays on the
    /// thread it was given. 0: one per CPU core.
    pub threads: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: "127.0.0.1:8080".into(),
            public_url: String::new(),
            trust_forwarded_for: false,
            max_body_bytes: 64 * 1024,
            header_timeout_secs: 30,
            threads: 0,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` (created if missing) or `postgres://USER:PASSWORD@HOST/DATABASE` (several
    /// instances may share one PostgreSQL). The password is never printed.
    pub url: String,
    /// Most connections one instance opens to PostgreSQL (SQLite: one writer and a few readers).
    pub max_connections: u32,
    /// PostgreSQL cancels a statement running longer than this many milliseconds (0: never).
    pub statement_timeout_ms: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: "sqlite://rostra.db".into(),
            max_connections: 10,
            statement_timeout_ms: 30_000,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CommentsConfig {
    /// Fewest characters in a comment.
    pub min_chars: usize,
    /// Most characters in a comment.
    pub max_chars: usize,
    /// Most characters in a display name.
    pub name_max_chars: usize,
    /// Seconds after posting during which the author may edit or delete (with the edit token).
    pub edit_window_secs: u64,
    /// The line above the comment form, for sites that set none of their own.
    pub default_prompt: String,
}

impl Default for CommentsConfig {
    fn default() -> Self {
        CommentsConfig {
            min_chars: 1,
            max_chars: 10_000,
            name_max_chars: 64,
            edit_window_secs: 900,
            default_prompt: "Would love your thoughts, please comment.".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ThreadsConfig {
    /// Top-level comments per page.
    pub page_size: u32,
    /// Replies loaded with each top-level comment before "more replies".
    pub replies_per_comment: u32,
    /// Close threads to new comments this many days after their first comment (0: never).
    pub close_after_days: u32,
    /// Thread pages kept in memory (the most recently used).
    pub cache_entries: usize,
}

impl Default for ThreadsConfig {
    fn default() -> Self {
        ThreadsConfig {
            page_size: 20,
            replies_per_comment: 50,
            close_after_days: 0,
            cache_entries: 10_000,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitsConfig {
    /// New comments per minute per client address.
    pub comments_per_minute: u32,
    /// New comments a client may post in a burst.
    pub comments_burst: u32,
    /// Edits and deletions per minute per client address.
    pub edits_per_minute: u32,
    /// Votes per minute per client address.
    pub votes_per_minute: u32,
    /// Reports per minute per client address.
    pub reports_per_minute: u32,
    /// Login attempts per minute per client address.
    pub logins_per_minute: u32,
    /// Reader account writes (sign-up, e-mailed links, password and name changes) per minute
    /// per client address.
    pub accounts_per_minute: u32,
}

impl Default for RateLimitsConfig {
    fn default() -> Self {
        RateLimitsConfig {
            comments_per_minute: 6,
            comments_burst: 5,
            edits_per_minute: 20,
            votes_per_minute: 60,
            reports_per_minute: 10,
            logins_per_minute: 5,
            accounts_per_minute: 10,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AdminConfig {
    /// Hours a moderator stays signed in.
    pub session_hours: u32,
}

impl Default for AdminConfig {
    fn default() -> Self {
        AdminConfig { session_hours: 12 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ImportConfig {
    /// Largest file an admin may upload to import, in MiB (`rostra import` has no limit).
    pub max_upload_mb: u64,
}

impl Default for ImportConfig {
    fn default() -> Self {
        ImportConfig { max_upload_mb: 100 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Secret salt for hashing client addresses (raw addresses are never stored). Empty: a
    /// random salt is generated once and kept in the database. Secret: never printed.
    pub ip_salt: String,
    /// Days to keep the hashes of client addresses; older ones are erased (0: keep).
    pub ip_hash_retention_days: u32,
    /// Days to keep the e-mail addresses guests give with comments when they never confirmed
    /// one; older ones are erased (0: keep).
    pub unverified_email_retention_days: u32,
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        PrivacyConfig {
            ip_salt: String::new(),
            ip_hash_retention_days: 90,
            unverified_email_retention_days: 365,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AccountsConfig {
    /// Days a reader stays signed in (the widget keeps the session token).
    pub session_days: u32,
    /// Minutes an e-mailed link (sign-in, address check, password reset) stays usable.
    pub link_minutes: u32,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        AccountsConfig {
            session_days: 30,
            link_minutes: 60,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// Log filter, in `tracing` syntax: `info`, `rostra=debug,info`, …
    pub level: String,
    /// `text` for people, `json` for log collectors.
    pub format: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            level: "info".into(),
            format: "text".into(),
        }
    }
}

const REDACTED: &str = "<redacted>";

impl Config {
    /// Every problem with this configuration, at once.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if self.server.listen.parse::<std::net::SocketAddr>().is_err() {
            p.push(format!(
                "server.listen: '{}' is not an address like 127.0.0.1:8080",
                self.server.listen
            ));
        }
        if !self.server.public_url.is_empty()
            && rostra_core::page_url::origin_of(&self.server.public_url).is_none()
        {
            p.push(format!(
                "server.public_url: '{}' is not an http(s) URL",
                self.server.public_url
            ));
        }
        if self.server.header_timeout_secs == 0 {
            p.push("server.header_timeout_secs: must be at least 1".into());
        }
        if self.server.max_body_bytes < 1024 {
            p.push("server.max_body_bytes: must be at least 1024".into());
        }
        let db = &self.database.url;
        if !(db.starts_with("sqlite:")
            || db.starts_with("postgres:")
            || db.starts_with("postgresql:"))
        {
            p.push(format!(
                "database.url: '{}' must start with sqlite:// or postgres://",
                redact_url(db)
            ));
        }
        let c = &self.comments;
        if c.min_chars == 0 || c.min_chars > c.max_chars {
            p.push("comments.min_chars: must be at least 1 and at most comments.max_chars".into());
        }
        if c.name_max_chars == 0 {
            p.push("comments.name_max_chars: must be at least 1".into());
        }
        let t = &self.threads;
        if t.page_size == 0 || t.page_size > 200 {
            p.push("threads.page_size: must be 1 to 200".into());
        }
        if t.replies_per_comment == 0 || t.replies_per_comment > 1000 {
            p.push("threads.replies_per_comment: must be 1 to 1000".into());
        }
        let r = &self.rate_limits;
        for (name, v) in [
            ("comments_per_minute", r.comments_per_minute),
            ("comments_burst", r.comments_burst),
            ("edits_per_minute", r.edits_per_minute),
            ("votes_per_minute", r.votes_per_minute),
            ("reports_per_minute", r.reports_per_minute),
            ("logins_per_minute", r.logins_per_minute),
            ("accounts_per_minute", r.accounts_per_minute),
        ] {
            if v == 0 {
                p.push(format!("rate_limits.{name}: must be at least 1"));
            }
        }
        let m = &self.moderation;
        if rostra_core::moderation::ModerationMode::parse(&m.mode).is_none() {
            p.push(format!("moderation.mode: '{}' must be post_moderation, pre_moderation or pre_moderate_newcomers", m.mode));
        }
        if let Err(problems) = m.attribute_rules() {
            p.extend(problems);
        }
        if !m.external_url.is_empty() && !m.external_url.starts_with("http://") {
            p.push(format!(
                "moderation.external_url: '{}' must be an http:// URL",
                m.external_url
            ));
        }
        if !m.external_url.is_empty() && m.external_secret.is_empty() {
            p.push("moderation.external_secret: set it when moderation.external_url is set".into());
        }
        if self.admin.session_hours == 0 {
            p.push("admin.session_hours: must be at least 1".into());
        }
        let a = &self.accounts;
        if a.session_days == 0 || a.link_minutes == 0 {
            p.push("accounts.session_days and link_minutes: must be at least 1".into());
        }
        p.extend(crate::mail::config_problems(&self.mail));
        let n = &self.notifications;
        if n.digest_interval_secs == 0 || n.webhook_timeout_secs == 0 {
            p.push(
                "notifications.digest_interval_secs and webhook_timeout_secs: must be at least 1"
                    .into(),
            );
        }
        if !matches!(self.log.format.as_str(), "text" | "json") {
            p.push(format!(
                "log.format: '{}' must be text or json",
                self.log.format
            ));
        }
        p
    }

    /// Settings that still work but should be rewritten (deprecated names).
    pub fn warnings(&self) -> Vec<String> {
        self.moderation.warnings()
    }

    /// A copy safe to print or log: secrets replaced.
    pub fn redacted(&self) -> Config {
        let mut c = self.clone();
        if !c.privacy.ip_salt.is_empty() {
            c.privacy.ip_salt = REDACTED.into();
        }
        if !c.moderation.external_secret.is_empty() {
            c.moderation.external_secret = REDACTED.into();
        }
        if !c.mail.smtp_password.is_empty() {
            c.mail.smtp_password = REDACTED.into();
        }
        c.database.url = redact_url(&c.database.url);
        c
    }

    /// The origin readers reach this Rostra at.
    pub fn public_origin(&self) -> String {
        let raw = if self.server.public_url.is_empty() {
            format!("http://{}", self.server.listen)
        } else {
            self.server.public_url.clone()
        };
        rostra_core::page_url::origin_of(&raw).unwrap_or(raw)
    }
}

/// Hides a password in a database URL (`postgres://user:secret@host` → `postgres://user:<redacted>@host`).
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{user}:{REDACTED}{}", &url[..s], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(Config::default().problems(), Vec::<String>::new());
    }

    #[test]
    fn reports_every_problem() {
        let mut c = Config::default();
        c.server.listen = "nope".into();
        c.comments.min_chars = 0;
        c.log.format = "xml".into();
        assert_eq!(c.problems().len(), 3);
    }

    #[test]
    fn secrets_are_redacted() {
        let mut c = Config::default();
        c.privacy.ip_salt = "pepper".into();
        c.mail.smtp_password = "swordfish".into();
        c.database.url = "postgres://me:hunter2@db/rostra".into();
        let shown = toml::to_string(&c.redacted()).unwrap();
        assert!(!shown.contains("pepper") && !shown.contains("hunter2"));
        assert!(!shown.contains("swordfish") && shown.contains(REDACTED));
    }
}
