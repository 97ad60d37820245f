-- Readers' passkeys (WebAuthn credentials on accounts) and the ceremonies under way, kept here so
-- that any instance can finish a ceremony another began.
CREATE TABLE passkeys (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    credential_id TEXT NOT NULL UNIQUE,
    user_handle TEXT NOT NULL,
    rp_id TEXT NOT NULL,
    name TEXT NOT NULL,
    credential TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX passkeys_account ON passkeys (account_id);

CREATE TABLE webauthn_ceremonies (
    id_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    account_id BIGINT REFERENCES accounts (id),
    rp_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX webauthn_ceremonies_expiry ON webauthn_ceremonies (expires_at);

-- A guest's own data: their comments found by edit token.
CREATE INDEX comments_edit_token ON comments (edit_token_hash);
