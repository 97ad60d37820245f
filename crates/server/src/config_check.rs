//! What is wrong with a configuration: every problem at once, section by section, for
//! `rostra config check` and for start-up.

use crate::config::{redact_url, Config};

impl Config {
    /// Every problem with this configuration, at once.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        self.server_problems(&mut p);
        self.limit_problems(&mut p);
        self.moderation_problems(&mut p);
        self.account_problems(&mut p);
        p.extend(self.mail.problems());
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

    /// `server` and `database`.
    fn server_problems(&self, p: &mut Vec<String>) {
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
    }

    /// `comments`, `threads` and `rate_limits`.
    fn limit_problems(&self, p: &mut Vec<String>) {
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
    }

    fn moderation_problems(&self, p: &mut Vec<String>) {
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
    }

    /// `admin` and `accounts`.
    fn account_problems(&self, p: &mut Vec<String>) {
        if self.admin.session_hours == 0 {
            p.push("admin.session_hours: must be at least 1".into());
        }
        let a = &self.accounts;
        if a.session_days == 0 || a.link_minutes == 0 {
            p.push("accounts.session_days and link_minutes: must be at least 1".into());
        }
    }
}
