-- Each code belongs to the verification that requested it: `verification` is the
-- SHA-256 (hex) of the verification's random id, never the id itself. Several requesters
-- may have codes pending for one number; each replaces only its own.
DROP INDEX codes_one_pending_per_phone;
ALTER TABLE codes ADD COLUMN verification TEXT;
CREATE UNIQUE INDEX codes_verification ON codes (verification);
CREATE INDEX codes_phone ON codes (phone);

-- Consecutive wrong codes per number, across codes; reset only by a success. At the cap
-- the number is locked until `locked_until` (0: not locked).
CREATE TABLE failures (
    key          TEXT    PRIMARY KEY,
    count        BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    expires_at   BIGINT NOT NULL         -- purged after a long quiet spell
);
CREATE INDEX failures_expires_at ON failures (expires_at);

-- Codes sent and verified per destination country, by the minute they were sent: the
-- conversion guard's evidence.
CREATE TABLE conversions (
    country  TEXT    NOT NULL,
    minute   BIGINT NOT NULL,            -- Unix milliseconds, start of the minute
    sent     BIGINT NOT NULL DEFAULT 0,
    verified BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (country, minute)
);

-- Signed-in sessions, server side: the cookie holds a random id, the table its SHA-256.
CREATE TABLE sessions (
    id_hash    TEXT    PRIMARY KEY,
    phone      TEXT    NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
