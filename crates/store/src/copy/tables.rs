//! What a copy copies: every table of the schema, in an order that satisfies the foreign keys,
//! with the type of each column.
//!
//! The list is written out rather than discovered, so that values keep their types between
//! backends (a SQLite `BOOLEAN` is an integer, a PostgreSQL one is not). A copy first checks
//! that both databases have exactly these tables and columns: a migration that adds a column
//! and forgets this list makes the copy refuse, never silently leave the column behind.

/// How a column's values are read and written. Every column may hold NULL as far as the copy is
/// concerned; the schema decides which may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `BIGINT` / `INTEGER`.
    Int,
    /// `SMALLINT` (an `i16` in PostgreSQL).
    SmallInt,
    Text,
    Bool,
}

pub(crate) struct Table {
    pub name: &'static str,
    /// The first `key` columns are the primary key: rows are read in that order, a batch at a
    /// time, each batch starting after the last key of the one before.
    pub key: usize,
    pub columns: &'static [(&'static str, Kind)],
    /// A column referring to another row of the same table (a reply's parent), which must exist
    /// before the row that refers to it.
    pub self_ref: Option<&'static str>,
}

impl Table {
    /// Whether the table has an `id` identity column whose sequence PostgreSQL must be told about.
    pub fn has_id(&self) -> bool {
        self.key == 1 && self.columns.first().is_some_and(|(c, _)| *c == "id")
    }
}

use Kind::{Bool, Int, SmallInt, Text};

/// The bookkeeping table `open` maintains itself; never copied.
pub(crate) const MIGRATIONS_TABLE: &str = "schema_migrations";

/// Every table, parents before the tables that refer to them.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "sites",
        key: 1,
        columns: &[
            ("id", Int),
            ("key", Text),
            ("name", Text),
            ("origins", Text),
            ("prompt", Text),
            ("created_at", Int),
        ],
        self_ref: None,
    },
    // Reader accounts, before the comments that name them.
    Table {
        name: "accounts",
        key: 1,
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("external_id", Text),
            ("email", Text),
            ("email_verified_at", Int),
            ("password_hash", Text),
            ("display_name", Text),
            ("avatar_url", Text),
            ("role", Text),
            ("created_at", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "threads",
        key: 1,
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("key", Text),
            ("url", Text),
            ("title", Text),
            ("created_at", Int),
            ("closed", Bool),
            ("comment_count", Int),
            ("pinned_comment_id", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "comments",
        key: 1,
        columns: &[
            ("id", Int),
            ("thread_id", Int),
            ("parent_id", Int),
            ("root_id", Int),
            ("status", Text),
            ("author_name", Text),
            ("author_email", Text),
            ("author_url", Text),
            ("body", Text),
            ("body_html", Text),
            ("created_at", Int),
            ("edited_at", Int),
            ("upvotes", Int),
            ("downvotes", Int),
            ("reply_count", Int),
            ("edit_token_hash", Text),
            ("ip_hash", Text),
            ("author_key", Text),
            ("net_hash", Text),
            ("reasons", Text),
            ("report_count", Int),
            ("moderator_note", Text),
            ("account_id", Int),
            ("author_badge", Text),
            ("featured_at", Int),
        ],
        self_ref: Some("parent_id"),
    },
    Table {
        name: "comment_revisions",
        key: 1,
        columns: &[
            ("id", Int),
            ("comment_id", Int),
            ("body", Text),
            ("replaced_at", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "votes",
        key: 1,
        columns: &[
            ("id", Int),
            ("comment_id", Int),
            ("voter_hash", Text),
            ("ip_hash", Text),
            ("value", SmallInt),
            ("voted_at", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "settings",
        key: 1,
        columns: &[("name", Text), ("value", Text)],
        self_ref: None,
    },
    Table {
        name: "users",
        key: 1,
        columns: &[
            ("id", Int),
            ("email", Text),
            ("role", Text),
            ("password_hash", Text),
            ("created_at", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "user_sites",
        key: 2,
        columns: &[("user_id", Int), ("site_id", Int)],
        self_ref: None,
    },
    Table {
        name: "sessions",
        key: 1,
        columns: &[
            ("token_hash", Text),
            ("user_id", Int),
            ("csrf_token", Text),
            ("created_at", Int),
            ("expires_at", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "site_policies",
        key: 1,
        columns: &[
            ("site_id", Int),
            ("mode", Text),
            ("max_links", Int),
            ("edit_window_secs", Int),
            ("close_after_days", Int),
            ("reports_to_hold", Int),
            ("banned_words", Text),
            ("suspect_words", Text),
            ("trust_after", Int),
            ("attributes", Text),
            ("nudge", Bool),
        ],
        self_ref: None,
    },
    Table {
        name: "reports",
        key: 1,
        columns: &[
            ("id", Int),
            ("comment_id", Int),
            ("reporter_hash", Text),
            ("reason", Text),
            ("note", Text),
            ("created_at", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "bans",
        key: 1,
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("kind", Text),
            ("value_hash", Text),
            ("reason", Text),
            ("created_by", Int),
            ("created_at", Int),
            ("expires_at", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "decisions",
        key: 1,
        columns: &[
            ("id", Int),
            ("comment_id", Int),
            ("at", Int),
            ("actor", Int),
            ("action", Text),
            ("reasons", Text),
            ("note", Text),
        ],
        self_ref: None,
    },
    Table {
        name: "audit_log",
        key: 1,
        columns: &[
            ("id", Int),
            ("at", Int),
            ("actor", Int),
            ("action", Text),
            ("target", Text),
            ("site_id", Int),
            ("reason", Text),
            ("detail", Text),
        ],
        self_ref: None,
    },
    Table {
        name: "author_notes",
        key: 1,
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("subject", Text),
            ("body", Text),
            ("created_by", Int),
            ("created_at", Int),
        ],
        self_ref: None,
    },
    // Kept so that live readers who reconnect with `Last-Event-ID` catch up; copying it (and
    // its ids) means event ids keep growing on the new database.
    Table {
        name: "thread_events",
        key: 1,
        columns: &[
            ("id", Int),
            ("thread_id", Int),
            ("kind", Text),
            ("payload", Text),
            ("at", Int),
        ],
        self_ref: None,
    },
    // Keeps a second import of the same file from adding anything twice.
    Table {
        name: "import_sources",
        key: 1,
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("format", Text),
            ("kind", Text),
            ("source_id", Text),
            ("local_id", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "reader_sessions",
        key: 1,
        columns: &[
            ("token_hash", Text),
            ("account_id", Int),
            ("created_at", Int),
            ("expires_at", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "email_links",
        key: 1,
        columns: &[
            ("token_hash", Text),
            ("purpose", Text),
            ("account_id", Int),
            ("site_id", Int),
            ("author_key", Text),
            ("email", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("used_at", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "verified_guests",
        key: 2,
        columns: &[
            ("site_id", Int),
            ("author_key", Text),
            ("email", Text),
            ("verified_at", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "site_sso",
        key: 1,
        columns: &[("site_id", Int), ("secret", Text), ("created_at", Int)],
        self_ref: None,
    },
    Table {
        name: "site_tokens",
        key: 1,
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("scope", Text),
            ("label", Text),
            ("token_hash", Text),
            ("created_at", Int),
            ("last_used_at", Int),
            ("revoked_at", Int),
        ],
        self_ref: None,
    },
    // Undelivered mail must survive the move; delivered mail is kept for a while as a record.
    Table {
        name: "outbox",
        key: 1,
        columns: &[
            ("id", Int),
            ("kind", Text),
            ("recipient", Text),
            ("payload", Text),
            ("attempts", Int),
            ("next_attempt_at", Int),
            ("sent_at", Int),
            ("last_error", Text),
            ("created_at", Int),
        ],
        self_ref: None,
    }, // Readers' passkeys, and WebAuthn ceremonies under way (minutes old at most).
    Table {
        name: "passkeys",
        key: 1,
        columns: &[
            ("id", Int),
            ("account_id", Int),
            ("credential_id", Text),
            ("user_handle", Text),
            ("rp_id", Text),
            ("name", Text),
            ("credential", Text),
            ("created_at", Int),
            ("last_used_at", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "webauthn_ceremonies",
        key: 1,
        columns: &[
            ("id_hash", Text),
            ("kind", Text),
            ("account_id", Int),
            ("rp_id", Text),
            ("origin", Text),
            ("state", Text),
            ("expires_at", Int),
        ],
        self_ref: None,
    },
    // Notifications (0006): subscriptions, sent reply notices, alert settings, digests, webhooks.
    Table {
        name: "reply_subscriptions",
        key: 1,
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("thread_id", Int),
            ("comment_id", Int),
            ("email", Text),
            ("confirmed_at", Int),
            ("created_at", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "notified_comments",
        key: 1,
        columns: &[("comment_id", Int), ("notified_at", Int)],
        self_ref: None,
    },
    Table {
        name: "moderator_alerts",
        key: 1,
        columns: &[("user_id", Int), ("mode", Text), ("updated_at", Int)],
        self_ref: None,
    },
    Table {
        name: "alert_digest_items",
        key: 1,
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("comment_id", Int),
            ("kind", Text),
            ("created_at", Int),
        ],
        self_ref: None,
    },
    Table {
        name: "webhooks",
        key: 1,
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("url", Text),
            ("secret", Text),
            ("created_at", Int),
        ],
        self_ref: None,
    },
];

/// What is wrong with a database's tables and columns compared with [`TABLES`]; empty when
/// nothing is. `tables` holds every table the database has, each with its columns.
pub(crate) fn schema_problems(tables: &[(String, Vec<String>)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, _) in tables {
        if name != MIGRATIONS_TABLE && !TABLES.iter().any(|t| t.name == name) {
            problems.push(format!("table {name} is not one this build copies"));
        }
    }
    for t in TABLES {
        let Some((_, have)) = tables.iter().find(|(name, _)| name == t.name) else {
            problems.push(format!("table {} is missing", t.name));
            continue;
        };
        let extra: Vec<&str> = have
            .iter()
            .map(String::as_str)
            .filter(|c| !t.columns.iter().any(|(k, _)| k == c))
            .collect();
        let missing: Vec<&str> = t
            .columns
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| !have.iter().any(|h| h == c))
            .collect();
        if !extra.is_empty() {
            problems.push(format!(
                "{} has columns this build does not copy: {}",
                t.name,
                extra.join(", ")
            ));
        }
        if !missing.is_empty() {
            problems.push(format!("{} lacks columns: {}", t.name, missing.join(", ")));
        }
    }
    problems
}
