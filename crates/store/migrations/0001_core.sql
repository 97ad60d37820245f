-- Sites, threads, comments, revisions, votes, and server-wide settings.
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    origins TEXT NOT NULL,
    prompt TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE threads (
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    key TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT,
    created_at BIGINT NOT NULL,
    closed BOOLEAN NOT NULL DEFAULT FALSE,
    comment_count BIGINT NOT NULL DEFAULT 0,
    UNIQUE (site_id, key)
);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES threads (id),
    parent_id BIGINT REFERENCES comments (id),
    root_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    author_name TEXT,
    author_email TEXT,
    author_url TEXT,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    upvotes BIGINT NOT NULL DEFAULT 0,
    downvotes BIGINT NOT NULL DEFAULT 0,
    reply_count BIGINT NOT NULL DEFAULT 0,
    edit_token_hash TEXT,
    ip_hash TEXT
);
CREATE INDEX comments_thread_top ON comments (thread_id, parent_id, id);
CREATE INDEX comments_root ON comments (root_id, id);
CREATE INDEX comments_parent ON comments (parent_id, id);

CREATE TABLE comment_revisions (
    id INTEGER PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES comments (id),
    body TEXT NOT NULL,
    replaced_at BIGINT NOT NULL
);
CREATE INDEX comment_revisions_comment ON comment_revisions (comment_id, id);

CREATE TABLE votes (
    id INTEGER PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES comments (id),
    voter_hash TEXT,
    ip_hash TEXT NOT NULL,
    value SMALLINT NOT NULL,
    voted_at BIGINT NOT NULL
);
CREATE INDEX votes_by_voter ON votes (comment_id, voter_hash);
CREATE INDEX votes_by_ip ON votes (comment_id, ip_hash);

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
