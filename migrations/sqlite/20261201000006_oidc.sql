-- The OpenID Connect provider: authorization codes (by SHA-256; single use), the access
-- tokens issued for them, and signing keys (private halves encrypted with a key derived
-- from SECRET_KEY), shared by every instance. Sessions learn when they started
-- (`auth_time`).
CREATE TABLE oidc_codes (
    code_hash      TEXT    PRIMARY KEY,
    client_id      TEXT    NOT NULL,
    redirect_uri   TEXT    NOT NULL,
    phone          TEXT    NOT NULL,
    nonce          TEXT,
    code_challenge TEXT,
    scope          TEXT    NOT NULL,
    auth_time      INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    used_at        INTEGER
);
CREATE INDEX oidc_codes_expires_at ON oidc_codes (expires_at);

CREATE TABLE oidc_tokens (
    token_hash TEXT    PRIMARY KEY,
    code_hash  TEXT    NOT NULL,
    client_id  TEXT    NOT NULL,
    phone      TEXT    NOT NULL,
    scope      TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX oidc_tokens_code_hash ON oidc_tokens (code_hash);
CREATE INDEX oidc_tokens_expires_at ON oidc_tokens (expires_at);

CREATE TABLE oidc_keys (
    kid         TEXT    PRIMARY KEY,
    alg         TEXT    NOT NULL,
    private_key BLOB    NOT NULL,
    public_jwk  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    retired_at  INTEGER
);

ALTER TABLE sessions ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
