-- Pending and recently used one-time codes. Only an HMAC of number and code is stored.
CREATE TABLE codes (
    id          INTEGER PRIMARY KEY,      -- random, replaced whenever the code is replaced
    phone       TEXT    NOT NULL,         -- E.164
    digest      BLOB    NOT NULL,         -- HMAC-SHA256(key, phone || 0x00 || code)
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,         -- Unix milliseconds
    expires_at  INTEGER NOT NULL,
    consumed_at INTEGER                   -- set once, when the code verified
);

-- At most one usable code per number: a new code replaces the old one.
CREATE UNIQUE INDEX codes_one_pending_per_phone ON codes (phone) WHERE consumed_at IS NULL;
CREATE INDEX codes_expires_at ON codes (expires_at);
