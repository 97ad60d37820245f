-- Notifications: readers' reply subscriptions (per comment or per thread), the comments whose
-- reply notifications went out, moderators' alert settings and their pending digest items,
-- and each site's webhooks. Comment ids carry no foreign key: a record of a notification must
-- never stand in the way of what happens to the comment.
CREATE TABLE reply_subscriptions (
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    thread_id BIGINT REFERENCES threads (id),
    comment_id BIGINT,
    email TEXT NOT NULL,
    -- NULL until the address is confirmed (double opt-in for addresses nobody verified).
    confirmed_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX reply_subscriptions_thread ON reply_subscriptions (thread_id);
CREATE INDEX reply_subscriptions_comment ON reply_subscriptions (comment_id);

CREATE TABLE notified_comments (
    comment_id BIGINT PRIMARY KEY,
    notified_at BIGINT NOT NULL
);

CREATE TABLE moderator_alerts (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    mode TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE alert_digest_items (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    comment_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX alert_digest_items_user ON alert_digest_items (user_id, id);

CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhooks_site ON webhooks (site_id);
