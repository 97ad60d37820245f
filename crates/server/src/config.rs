//! The configuration tree. Every field's doc comment is the operator's documentation: the
//! reference in docs/config.md and `rostra config default` are generated from these comments.

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
    /// Machine imports and exports with a site token (`/api/admin/import`, `/api/admin/export`)
    /// per minute per client address, refused ones included.
    pub imports_per_minute: u32,
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
            imports_per_minute: 5,
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
