-- Commenter identity: a durable outbox (e-mail now, webhooks later), reader accounts
-- (Rostra's own, and site-scoped ones signed in by a publisher's SSO), their sessions, one-time
-- e-mail links, and the account a comment was posted from.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,
    sent_at BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    site_id BIGINT REFERENCES sites (id),
    external_id TEXT,
    email TEXT,
    email_verified_at BIGINT,
    password_hash TEXT,
    display_name TEXT NOT NULL,
    avatar_url TEXT,
    role TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (site_id, external_id)
);
CREATE UNIQUE INDEX accounts_email ON accounts (email) WHERE site_id IS NULL;

CREATE TABLE reader_sessions (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX reader_sessions_account ON reader_sessions (account_id);

-- A link is for an account, or (purpose 'guest') for a guest's identity on a site.
CREATE TABLE email_links (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    account_id BIGINT REFERENCES accounts (id),
    site_id BIGINT REFERENCES sites (id),
    author_key TEXT,
    email TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

ALTER TABLE comments ADD COLUMN account_id BIGINT REFERENCES accounts (id);
-- The badge shown with the author's name (staff, moderator), fixed when the comment is posted.
ALTER TABLE comments ADD COLUMN author_badge TEXT;
CREATE INDEX comments_account ON comments (account_id, id);

-- Guests who confirmed an e-mail address: a verified pseudonym (the name shows, never the address).
CREATE TABLE verified_guests (
    site_id BIGINT NOT NULL REFERENCES sites (id),
    author_key TEXT NOT NULL,
    email TEXT NOT NULL,
    verified_at BIGINT NOT NULL,
    PRIMARY KEY (site_id, author_key)
);

ALTER TABLE site_policies ADD COLUMN trust_after BIGINT NOT NULL DEFAULT 0;

-- The secret a publisher signs its SSO tokens with (HS256), one per site.
CREATE TABLE site_sso (
    site_id BIGINT PRIMARY KEY REFERENCES sites (id),
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
