//! The settings of what leaves the server: e-mail over SMTP (or to a folder) and the
//! notifications delivered through the outbox. Part of the configuration tree in `config`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// The sender, as `Name <address>` or `address`.
    pub from: String,
    /// SMTP server host name. Empty: no SMTP; each message is written as an `.eml` file to
    /// `folder` instead (the log says where).
    pub smtp_host: String,
    /// SMTP port: usually 587 with `starttls`, 465 with `tls`, 25 with `none`.
    pub smtp_port: u16,
    /// `none` (plain text, for a server on this machine), `starttls` or `tls`.
    pub smtp_tls: String,
    /// SMTP user name (empty: no authentication).
    pub smtp_user: String,
    /// SMTP password. Secret: never printed.
    pub smtp_password: String,
    /// Folder for `.eml` files when no SMTP server is set.
    pub folder: String,
    /// Tries before a message is given up.
    pub max_attempts: u32,
    /// Milliseconds before the first retry; each later retry waits twice as long (at most a day).
    pub retry_base_ms: u64,
    /// Milliseconds between looks for messages due for a retry (new ones go out at once).
    pub poll_ms: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            from: "Rostra <rostra@localhost>".into(),
            smtp_host: String::new(),
            smtp_port: 587,
            smtp_tls: "starttls".into(),
            smtp_user: String::new(),
            smtp_password: String::new(),
            folder: "./mail".into(),
            max_attempts: 8,
            retry_base_ms: 30_000,
            poll_ms: 5_000,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NotificationsConfig {
    /// Seconds between moderators' alert digests (for moderators who chose the digest).
    pub digest_interval_secs: u64,
    /// Seconds a webhook receiver has to answer before the try counts as failed.
    pub webhook_timeout_secs: u64,
}

impl Default for NotificationsConfig {
    fn default() -> Self {
        NotificationsConfig {
            digest_interval_secs: 3600,
            webhook_timeout_secs: 10,
        }
    }
}

impl MailConfig {
    /// What is wrong with the mail settings, for `config check`.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if self.from.parse::<lettre::message::Mailbox>().is_err() {
            p.push(format!(
                "mail.from: '{}' is not an address like Rostra <rostra@example.com>",
                self.from
            ));
        }
        if !matches!(self.smtp_tls.as_str(), "none" | "starttls" | "tls") {
            p.push(format!(
                "mail.smtp_tls: '{}' must be none, starttls or tls",
                self.smtp_tls
            ));
        }
        if self.smtp_host.is_empty() && self.folder.is_empty() {
            p.push("mail.folder: set it, or set mail.smtp_host".into());
        }
        if self.max_attempts == 0 || self.retry_base_ms == 0 || self.poll_ms == 0 {
            p.push("mail.max_attempts, retry_base_ms and poll_ms: must be at least 1".into());
        }
        p
    }
}
