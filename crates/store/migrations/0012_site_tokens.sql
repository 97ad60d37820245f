-- Sites' machine-to-machine tokens (`rostra site token create KEY --scope import`): only the
-- SHA-256 of a token is kept. A revoked token stays listed, refused with its own error.
CREATE TABLE site_tokens (
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    scope TEXT NOT NULL,
    label TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX site_tokens_site ON site_tokens (site_id, id);
