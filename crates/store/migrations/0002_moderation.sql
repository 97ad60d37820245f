-- Moderators and admins, their sessions, per-site policy, verdicts and reasons on comments,
-- reader reports, bans, the decision history of comments, and the append-only audit log.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE user_sites (
    user_id BIGINT NOT NULL REFERENCES users (id),
    site_id BIGINT NOT NULL REFERENCES sites (id),
    PRIMARY KEY (user_id, site_id)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE site_policies (
    site_id BIGINT PRIMARY KEY REFERENCES sites (id),
    mode TEXT NOT NULL,
    max_links BIGINT NOT NULL,
    edit_window_secs BIGINT NOT NULL,
    close_after_days BIGINT NOT NULL,
    reports_to_hold BIGINT NOT NULL,
    banned_words TEXT NOT NULL,
    suspect_words TEXT NOT NULL,
    toxicity_hold DOUBLE PRECISION NOT NULL,
    toxicity_reject DOUBLE PRECISION
);

ALTER TABLE comments ADD COLUMN author_key TEXT;
ALTER TABLE comments ADD COLUMN net_hash TEXT;
ALTER TABLE comments ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
ALTER TABLE comments ADD COLUMN report_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN moderator_note TEXT;
CREATE INDEX comments_status ON comments (status, id);
CREATE INDEX comments_author ON comments (author_key, id);
CREATE INDEX comments_created ON comments (created_at);

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES comments (id),
    reporter_hash TEXT NOT NULL,
    reason TEXT NOT NULL,
    note TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (comment_id, reporter_hash)
);

CREATE TABLE bans (
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    kind TEXT NOT NULL,
    value_hash TEXT NOT NULL,
    reason TEXT,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT
);
CREATE INDEX bans_lookup ON bans (site_id, kind, value_hash);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES comments (id),
    at BIGINT NOT NULL,
    actor BIGINT REFERENCES users (id),
    action TEXT NOT NULL,
    reasons TEXT NOT NULL,
    note TEXT
);
CREATE INDEX decisions_comment ON decisions (comment_id, id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    actor BIGINT REFERENCES users (id),
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    site_id BIGINT,
    reason TEXT,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
