//! The tables that refer to the content: live events, import bookkeeping, readers' sessions,
//! links and verified identities, SSO secrets and site tokens, the outbox, passkeys,
//! notifications and webhooks. Copied after [`super::content_tables`].

use super::tables::Kind::{Int, Text};
use super::tables::Table;

pub(crate) const SERVICES: &[Table] = &[
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
